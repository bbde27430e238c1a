package verifycmd_test

// restGitHub is the REST-only fake GitHub the as-of test (asof_test.go) was written against.
// The shared fake in internal/verify/github/githubtest answers REST and GraphQL; this one
// serves timelines and compare, which that one does not yet, and goes once it does.

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

type restGitHub struct {
	latency time.Duration // added to every request (the benchmark's network)
	mu      sync.Mutex
	// hits counts requests by path and query; cond those carrying If-None-Match; notMod the 304s.
	hits, cond, notMod map[string]int
	badAuth            int
	issues             map[string]map[string]any   // owner/repo#N
	timelines          map[string][]map[string]any // owner/repo#N, oldest first
	commits            map[string][]restCommit     // by owner/repo, newest first, on the default branch
	files              map[string]map[string]string
	fail               map[string]bool // paths answered 500 (with the Authorization header echoed back)
	// gen, when set, answers any issue, commit or file it knows the shape of (the benchmark's thousand targets).
	gen  func(kind, repo, id string) (any, bool)
	srv  *httptest.Server
	defs map[string]string // owner/repo -> default branch
}

type restCommit struct {
	sha, author, message string
	date                 time.Time
}

func newRESTGitHub(tb testing.TB) *restGitHub {
	f := &restGitHub{hits: map[string]int{}, cond: map[string]int{}, notMod: map[string]int{},
		issues: map[string]map[string]any{}, timelines: map[string][]map[string]any{}, commits: map[string][]restCommit{}, files: map[string]map[string]string{},
		fail: map[string]bool{}, defs: map[string]string{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /repos/{o}/{r}/issues/{n}", f.issue)
	mux.HandleFunc("GET /repos/{o}/{r}/issues/{n}/timeline", f.timeline)
	mux.HandleFunc("GET /repos/{o}/{r}/commits/{sha}", f.commit)
	mux.HandleFunc("GET /repos/{o}/{r}/commits", f.listCommits)
	mux.HandleFunc("GET /repos/{o}/{r}/compare/{basehead}", f.compare)
	mux.HandleFunc("GET /repos/{o}/{r}/contents/{path...}", f.contents)
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if f.latency > 0 {
			time.Sleep(f.latency)
		}
		key := r.URL.RequestURI()
		f.mu.Lock()
		f.hits[key]++
		if r.Header.Get("If-None-Match") != "" {
			f.cond[key]++
		}
		fail := f.fail[r.URL.Path]
		f.mu.Unlock()
		if r.Header.Get("Authorization") != "Bearer "+token {
			f.mu.Lock()
			f.badAuth++
			f.mu.Unlock()
			restWriteJSON(w, r, http.StatusUnauthorized, map[string]any{"message": "Bad credentials"})
			return
		}
		if fail {
			// A server that leaks the credentials it was sent into its error message.
			restWriteJSON(w, r, http.StatusInternalServerError, map[string]any{"message": "internal error serving " + r.Header.Get("Authorization")})
			return
		}
		mux.ServeHTTP(&restCountingWriter{ResponseWriter: w, f: f, key: key}, r)
	}))
	tb.Cleanup(f.srv.Close)
	return f
}

type restCountingWriter struct {
	http.ResponseWriter
	f   *restGitHub
	key string
}

func (c *restCountingWriter) WriteHeader(code int) {
	if code == http.StatusNotModified {
		c.f.mu.Lock()
		c.f.notMod[c.key]++
		c.f.mu.Unlock()
	}
	c.ResponseWriter.WriteHeader(code)
}

// counts returns copies of the counters and forgets them.
func (f *restGitHub) take() (hits, cond, notMod map[string]int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	hits, cond, notMod = maps.Clone(f.hits), maps.Clone(f.cond), maps.Clone(f.notMod)
	clear(f.hits)
	clear(f.cond)
	clear(f.notMod)
	return hits, cond, notMod
}

// restWriteJSON answers with a content ETag, and 304 when the client already holds it.
func restWriteJSON(w http.ResponseWriter, r *http.Request, code int, v any) {
	body, _ := json.Marshal(v)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-RateLimit-Limit", "5000")
	w.Header().Set("X-RateLimit-Remaining", "4999")
	if code == http.StatusOK {
		sum := sha256.Sum256(body)
		etag := fmt.Sprintf(`W/"%x"`, sum[:8])
		w.Header().Set("ETag", etag)
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	w.WriteHeader(code)
	w.Write(body)
}

func restNotFound(w http.ResponseWriter, r *http.Request) {
	restWriteJSON(w, r, http.StatusNotFound, map[string]any{"message": "Not Found"})
}

func restRepoOf(r *http.Request) string { return r.PathValue("o") + "/" + r.PathValue("r") }

func (f *restGitHub) issue(w http.ResponseWriter, r *http.Request) {
	if f.gen != nil {
		if v, ok := f.gen("issue", restRepoOf(r), r.PathValue("n")); ok {
			restWriteJSON(w, r, http.StatusOK, v)
			return
		}
	}
	is, ok := f.issues[restRepoOf(r)+"#"+r.PathValue("n")]
	if !ok {
		restNotFound(w, r)
		return
	}
	restWriteJSON(w, r, http.StatusOK, is)
}

// timeline serves an issue's timeline in one page.
func (f *restGitHub) timeline(w http.ResponseWriter, r *http.Request) {
	key := restRepoOf(r) + "#" + r.PathValue("n")
	if _, ok := f.issues[key]; !ok && f.gen == nil {
		restNotFound(w, r)
		return
	}
	restWriteJSON(w, r, http.StatusOK, append([]map[string]any{}, f.timelines[key]...))
}

// compare serves base...head over the one linear history: base is in head's history when it
// is as old or older.
func (f *restGitHub) compare(w http.ResponseWriter, r *http.Request) {
	base, head, _ := strings.Cut(r.PathValue("basehead"), "...")
	i, ok1 := f.find(restRepoOf(r), base)
	j, ok2 := f.find(restRepoOf(r), head)
	if !ok1 || !ok2 {
		restNotFound(w, r)
		return
	}
	status := "identical"
	switch {
	case i > j:
		status = "ahead"
	case i < j:
		status = "behind"
	}
	restWriteJSON(w, r, http.StatusOK, map[string]any{"status": status})
}

// find resolves a full or abbreviated SHA to its place in a repository's history.
func (f *restGitHub) find(repo, ref string) (int, bool) {
	for i, c := range f.commits[repo] {
		if len(ref) >= 4 && strings.HasPrefix(c.sha, ref) {
			return i, true
		}
	}
	return 0, false
}

func (c restCommit) json() map[string]any {
	return map[string]any{"sha": c.sha, "commit": map[string]any{"message": c.message,
		"author": map[string]any{"name": c.author, "date": c.date.Format(time.RFC3339)}}}
}

func (f *restGitHub) commit(w http.ResponseWriter, r *http.Request) {
	if f.gen != nil {
		if v, ok := f.gen("commit", restRepoOf(r), r.PathValue("sha")); ok {
			restWriteJSON(w, r, http.StatusOK, v)
			return
		}
	}
	i, ok := f.find(restRepoOf(r), r.PathValue("sha"))
	if !ok {
		restWriteJSON(w, r, http.StatusUnprocessableEntity, map[string]any{"message": "No commit found for SHA: " + r.PathValue("sha")})
		return
	}
	restWriteJSON(w, r, http.StatusOK, f.commits[restRepoOf(r)][i].json())
}

// listCommits serves ?sha=&until=&per_page= over the default branch.
func (f *restGitHub) listCommits(w http.ResponseWriter, r *http.Request) {
	repo, q := restRepoOf(r), r.URL.Query()
	if f.gen != nil {
		if v, ok := f.gen("list", repo, q.Get("sha")); ok {
			restWriteJSON(w, r, http.StatusOK, v)
			return
		}
	}
	history, ok := f.commits[repo]
	if !ok {
		restNotFound(w, r)
		return
	}
	from := 0
	switch ref := q.Get("sha"); ref {
	case "", f.defs[repo]:
	default:
		i, ok := f.find(repo, ref)
		if !ok {
			restNotFound(w, r)
			return
		}
		from = i
	}
	var until time.Time
	if u := q.Get("until"); u != "" {
		var err error
		if until, err = time.Parse(time.RFC3339, u); err != nil {
			restWriteJSON(w, r, http.StatusBadRequest, map[string]any{"message": "bad until " + u})
			return
		}
	}
	per, _ := strconv.Atoi(q.Get("per_page"))
	out := []map[string]any{}
	for _, c := range history[from:] {
		if (until.IsZero() || !c.date.After(until)) && (per == 0 || len(out) < per) {
			out = append(out, c.json())
		}
	}
	restWriteJSON(w, r, http.StatusOK, out)
}

func (f *restGitHub) contents(w http.ResponseWriter, r *http.Request) {
	ref, path := r.URL.Query().Get("ref"), r.PathValue("path")
	text, ok := f.files[ref][path]
	if f.gen != nil {
		if v, gok := f.gen("file", restRepoOf(r), ref+":"+path); gok {
			text, ok = v.(string), true
		}
	}
	if !ok {
		restNotFound(w, r)
		return
	}
	restWriteJSON(w, r, http.StatusOK, map[string]any{"type": "file", "path": path, "size": len(text),
		"encoding": "base64", "content": base64.StdEncoding.EncodeToString([]byte(text))})
}

func restPRJSON(n int, state, title string, draft bool, mergedAt any, closedAt any, labels ...string) map[string]any {
	is := restIssueJSON(n, state, title, closedAt, labels...)
	is["draft"] = draft
	is["pull_request"] = map[string]any{"url": fmt.Sprintf("https://api.github.com/repos/x/y/pulls/%d", n), "merged_at": mergedAt}
	return is
}

func restIssueJSON(n int, state, title string, closedAt any, labels ...string) map[string]any {
	ls := []map[string]any{}
	for _, l := range labels {
		ls = append(ls, map[string]any{"name": l})
	}
	return map[string]any{"number": n, "state": state, "title": title, "closed_at": closedAt, "labels": ls,
		"created_at": "2026-04-01T00:00:00Z"}
}

// kkGitHub is kubernetes/kubernetes as the fixture cites it, and kubernetes/test-infra#77.
