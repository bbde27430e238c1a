package githubtest

import (
	"net/http"
	"strconv"
	"strings"
)

// timeline serves an issue's timeline as REST lists it, in pages of per_page.
func (s *Server) timeline(w http.ResponseWriter, r *http.Request) {
	n, _ := strconv.Atoi(r.PathValue("n"))
	is, ok := s.lookupIssue(repoOf(r), n)
	if !ok {
		notFound(w, r)
		return
	}
	names := map[string]string{"converted_to_draft": "convert_to_draft"}
	var events []map[string]any
	for _, e := range is.Timeline {
		name := e.Type
		if n, ok := names[name]; ok {
			name = n
		}
		ev := map[string]any{"event": name, "created_at": e.At}
		if e.Label != "" {
			ev["label"] = map[string]any{"name": e.Label}
		}
		events = append(events, ev)
	}
	per, _ := strconv.Atoi(r.URL.Query().Get("per_page"))
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	per, page = max(per, 1), max(page, 1)
	if r.URL.Query().Get("per_page") == "" {
		per = 30
	}
	from, to := min((page-1)*per, len(events)), min(page*per, len(events))
	if to < len(events) {
		w.Header().Set("Link", "<"+s.URL+r.URL.Path+"?page="+strconv.Itoa(page+1)+"&per_page="+strconv.Itoa(per)+`>; rel="next"`)
	}
	writeJSON(w, r, http.StatusOK, append([]map[string]any{}, events[from:to]...))
}

// compare serves base...head over the default branch's history, which is one line: head
// contains base when base is no newer ("ahead", "identical"). A commit of Side, or one off
// the history (a generated one), is "diverged"; an unknown repository is 404.
func (s *Server) compare(w http.ResponseWriter, r *http.Request) {
	repo := repoOf(r)
	base, head, ok := strings.Cut(r.PathValue("basehead"), "...")
	history, _, known := s.history(repo)
	if !ok || !known {
		notFound(w, r)
		return
	}
	at := func(ref string) int {
		c, ok := s.lookupCommit(repo, ref)
		for i := range history {
			if ok && history[i].SHA == c.SHA {
				return i
			}
		}
		return -1
	}
	b, h := at(base), at(head)
	status := "diverged"
	switch {
	case b < 0 || h < 0:
	case b == h:
		status = "identical"
	case b > h:
		status = "ahead"
	default:
		status = "behind"
	}
	writeJSON(w, r, http.StatusOK, map[string]any{"status": status})
}
