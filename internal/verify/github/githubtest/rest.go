package githubtest

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/triagesite/triagesite/internal/evidence"
)

// RESTJSON is the issue as GitHub's REST issues endpoint shows it.
func (is Issue) RESTJSON() map[string]any {
	labels := []map[string]any{}
	for _, l := range is.Labels {
		labels = append(labels, map[string]any{"name": l})
	}
	m := map[string]any{"number": is.Number, "state": is.State, "title": is.Title, "labels": labels,
		"created_at": nullable(is.CreatedAt), "updated_at": nullable(is.UpdatedAt), "closed_at": nullable(is.ClosedAt)}
	if is.PR {
		m["draft"] = is.Draft
		m["pull_request"] = map[string]any{"url": fmt.Sprintf("https://api.github.com/repos/x/y/pulls/%d", is.Number),
			"merged_at": nullable(is.MergedAt)}
	}
	return m
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// JSON is the commit as GitHub's REST commits endpoint shows it.
func (c Commit) JSON() map[string]any {
	return map[string]any{"sha": c.SHA, "commit": map[string]any{"message": c.Message,
		"author": map[string]any{"name": c.Author, "date": c.Date.Format(time.RFC3339)}}}
}

func (s *Server) issue(w http.ResponseWriter, r *http.Request) {
	n, _ := strconv.Atoi(r.PathValue("n"))
	is, ok := s.lookupIssue(repoOf(r), n)
	switch {
	case !ok:
		notFound(w, r)
		return
	case is.Gone:
		writeJSON(w, r, http.StatusGone, map[string]any{"message": "This issue was deleted"})
		return
	}
	// Last-Modified is the issue's updated_at, as GitHub sends it; If-Modified-Since is then answered 304.
	if at, err := time.Parse(time.RFC3339, is.UpdatedAt); err == nil {
		w.Header().Set("Last-Modified", at.UTC().Format(http.TimeFormat))
		if since, err := http.ParseTime(r.Header.Get("If-Modified-Since")); err == nil && !at.Truncate(time.Second).After(since) &&
			r.Header.Get("If-None-Match") == "" {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	writeJSON(w, r, http.StatusOK, is.RESTJSON())
}

// restEvents names evidence's event types as the REST timeline does.
var restEvents = map[string]string{evidence.EventMerged: "merged", evidence.EventClosed: "closed",
	evidence.EventReopened: "reopened", evidence.EventConvertedToDraft: "convert_to_draft",
	evidence.EventReadyForReview: "ready_for_review", evidence.EventLabeled: "labeled", evidence.EventUnlabeled: "unlabeled",
	evidence.EventRenamed: "renamed"}

// timeline serves an issue's timeline in pages of per_page, with a Link header to the next,
// and a comment first, as GitHub's holds events that change no state.
func (s *Server) timeline(w http.ResponseWriter, r *http.Request) {
	n, _ := strconv.Atoi(r.PathValue("n"))
	is, ok := s.lookupIssue(repoOf(r), n)
	if !ok || is.Gone {
		notFound(w, r)
		return
	}
	events := []map[string]any{{"event": "commented", "created_at": nullable(is.CreatedAt)}}
	for _, e := range is.Timeline {
		m := map[string]any{"event": restEvents[e.Type], "created_at": e.At}
		if e.Label != "" {
			m["label"] = map[string]any{"name": e.Label}
		}
		if e.Type == evidence.EventRenamed {
			m["rename"] = map[string]any{"from": e.From, "to": ""}
		}
		events = append(events, m)
	}
	per, _ := strconv.Atoi(r.URL.Query().Get("per_page"))
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	if per <= 0 {
		per = 30
	}
	page = max(page, 1)
	from, to := min((page-1)*per, len(events)), min(page*per, len(events))
	if to < len(events) {
		w.Header().Set("Link", fmt.Sprintf(`<%s%s?page=%d&per_page=%d>; rel="next"`, s.URL, r.URL.Path, page+1, per))
	}
	writeJSON(w, r, http.StatusOK, events[from:to])
}

// pull serves a PR as the pulls endpoint does: merged, and the merge commit.
func (s *Server) pull(w http.ResponseWriter, r *http.Request) {
	n, _ := strconv.Atoi(r.PathValue("n"))
	is, ok := s.lookupIssue(repoOf(r), n)
	if !ok || !is.PR || is.Gone {
		notFound(w, r)
		return
	}
	m := is.RESTJSON()
	m["merged"], m["merged_at"], m["merge_commit_sha"] = is.MergedAt != "", nullable(is.MergedAt), nullable(is.MergeCommit)
	writeJSON(w, r, http.StatusOK, m)
}

// commit serves a commit, or with the sha media type only its SHA, whose ETag is the SHA quoted.
func (s *Server) commit(w http.ResponseWriter, r *http.Request) {
	c, ok := s.lookupCommit(repoOf(r), r.PathValue("sha"))
	if !ok {
		writeJSON(w, r, http.StatusUnprocessableEntity, map[string]any{"message": "No commit found for SHA: " + r.PathValue("sha")})
		return
	}
	if r.Header.Get("Accept") == "application/vnd.github.sha" {
		etag := `"` + c.SHA + `"`
		w.Header().Set("ETag", etag)
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Write([]byte(c.SHA))
		return
	}
	writeJSON(w, r, http.StatusOK, c.JSON())
}

// compare serves base...head over the default branch's history, which is one line: head
// contains base when base is no newer ("ahead", "identical"); a commit off the history
// (a generated one) is "diverged".
func (s *Server) compare(w http.ResponseWriter, r *http.Request) {
	repo := repoOf(r)
	base, head, ok := strings.Cut(r.PathValue("spec"), "...")
	if !ok {
		notFound(w, r)
		return
	}
	history, _, _ := s.history(repo)
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

// listCommits serves ?sha=&until=&per_page= over the default branch.
func (s *Server) listCommits(w http.ResponseWriter, r *http.Request) {
	repo, q := repoOf(r), r.URL.Query()
	history, branch, ok := s.history(repo)
	if !ok {
		notFound(w, r)
		return
	}
	from := 0
	switch ref := q.Get("sha"); ref {
	case "", branch:
	default:
		c, ok := s.lookupCommit(repo, ref)
		if !ok {
			notFound(w, r)
			return
		}
		for i := range history {
			if history[i].SHA == c.SHA {
				from = i
			}
		}
	}
	var until time.Time
	if u := q.Get("until"); u != "" {
		var err error
		if until, err = time.Parse(time.RFC3339, u); err != nil {
			writeJSON(w, r, http.StatusBadRequest, map[string]any{"message": "bad until " + u})
			return
		}
	}
	per, _ := strconv.Atoi(q.Get("per_page"))
	out := []map[string]any{}
	for _, c := range history[from:] {
		if (until.IsZero() || !c.Date.After(until)) && (per == 0 || len(out) < per) {
			out = append(out, c.JSON())
		}
	}
	writeJSON(w, r, http.StatusOK, out)
}

// contents serves files at a commit; a file whose path starts with "big" comes without
// content (as GitHub does over 1 MB) unless asked for the raw media type.
func (s *Server) contents(w http.ResponseWriter, r *http.Request) {
	repo, ref, path := repoOf(r), r.URL.Query().Get("ref"), r.PathValue("path")
	text, ok := s.lookupFile(repo, ref, path)
	if !ok {
		if s.isDir(repo, ref, path) {
			writeJSON(w, r, http.StatusOK, []map[string]any{{"type": "file", "path": path + "/x"}})
			return
		}
		notFound(w, r)
		return
	}
	if strings.HasPrefix(r.Header.Get("Accept"), "application/vnd.github.raw") {
		w.Write([]byte(text))
		return
	}
	c := map[string]any{"type": "file", "path": path, "size": len(text), "encoding": "base64",
		"content": wrap60(base64.StdEncoding.EncodeToString([]byte(text)))}
	if strings.HasPrefix(path, "big") {
		c["encoding"], c["content"] = "none", ""
	}
	writeJSON(w, r, http.StatusOK, c)
}

// wrap60 breaks base64 into lines, as GitHub does.
func wrap60(s string) string {
	var b strings.Builder
	for len(s) > 60 {
		b.WriteString(s[:60] + "\n")
		s = s[60:]
	}
	return b.String() + s
}
