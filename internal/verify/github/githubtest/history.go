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

// compare serves base...head over the default branch's linear history: base is in head's
// history when it is as old or older. A commit of Side is on no branch: "diverged".
func (s *Server) compare(w http.ResponseWriter, r *http.Request) {
	base, head, _ := strings.Cut(r.PathValue("basehead"), "...")
	s.Mu.Lock()
	repo := s.Repos[repoOf(r)]
	s.Mu.Unlock()
	if repo == nil {
		notFound(w, r)
		return
	}
	for _, c := range repo.Side {
		if strings.HasPrefix(c.SHA, base) {
			writeJSON(w, r, http.StatusOK, map[string]any{"status": "diverged"})
			return
		}
	}
	i, j := index(repo.Commits, base), index(repo.Commits, head)
	if i < 0 || j < 0 {
		notFound(w, r)
		return
	}
	status := "identical"
	switch {
	case i > j:
		status = "ahead"
	case i < j:
		status = "behind"
	}
	writeJSON(w, r, http.StatusOK, map[string]any{"status": status})
}

func index(commits []Commit, ref string) int {
	for i, c := range commits {
		if len(ref) >= 4 && strings.HasPrefix(c.SHA, strings.ToLower(ref)) {
			return i
		}
	}
	return -1
}
