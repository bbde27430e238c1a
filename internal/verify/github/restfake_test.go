package github

import (
	"context"
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

// restFake serves the few REST endpoints the source uses, from memory, with ETags.
type restFake struct {
	t     *testing.T
	clock *restClock
	token string
	mu    sync.Mutex
	// hits counts requests per path (with query); cond counts those carrying If-None-Match,
	// notMod the 304s returned.
	hits, cond, notMod map[string]int
	faults             map[string][]restFault // scripted answers per path, served before the real one
	issues             map[string]map[string]any
	timelines          map[string][]map[string]any // by owner/repo#n, as GitHub lists them
	commits            []restCommit                // newest first, all on the default branch "main"
	side               []restCommit                // commits on another branch, never merged
	files              map[string]map[string]string
	srv                *httptest.Server
}

type restCommit struct {
	sha, author, message string
	date                 time.Time
}

// restFault is a scripted response: a restStatus, headers and a body.
type restFault func(w http.ResponseWriter, r *http.Request, now time.Time)

func newRESTFake(t *testing.T, clock *restClock) *restFake {
	f := &restFake{t: t, clock: clock, token: testToken, hits: map[string]int{}, cond: map[string]int{},
		notMod: map[string]int{}, faults: map[string][]restFault{}, issues: map[string]map[string]any{},
		files: map[string]map[string]string{}, timelines: map[string][]map[string]any{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /repos/{o}/{r}/issues/{n}", f.issue)
	mux.HandleFunc("GET /repos/{o}/{r}/issues/{n}/timeline", f.timeline)
	mux.HandleFunc("GET /repos/{o}/{r}/commits/{sha}", f.commit)
	mux.HandleFunc("GET /repos/{o}/{r}/commits", f.listCommits)
	mux.HandleFunc("GET /repos/{o}/{r}/compare/{basehead}", f.compare)
	mux.HandleFunc("GET /repos/{o}/{r}/contents/{path...}", f.contents)
	f.srv = httptest.NewServer(f.middleware(mux))
	t.Cleanup(f.srv.Close)
	return f
}

// middleware counts, checks the token, and serves scripted faults first.
func (f *restFake) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.URL.RequestURI()
		f.mu.Lock()
		f.hits[key]++
		if r.Header.Get("If-None-Match") != "" {
			f.cond[key]++
		}
		var fl restFault
		if q := f.faults[r.URL.Path]; len(q) > 0 {
			fl, f.faults[r.URL.Path] = q[0], q[1:]
		}
		f.mu.Unlock()
		if fl != nil {
			fl(w, r, f.clock.Now())
			return
		}
		if r.Header.Get("Authorization") != "Bearer "+f.token {
			restWriteJSON(w, r, http.StatusUnauthorized, map[string]any{"message": "Bad credentials"})
			return
		}
		next.ServeHTTP(&restCountingWriter{ResponseWriter: w, f: f, key: key}, r)
	})
}

type restCountingWriter struct {
	http.ResponseWriter
	f   *restFake
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

func (f *restFake) script(path string, fs ...restFault) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.faults[path] = append(f.faults[path], fs...)
}

// counts returns copies of the request counters.
func (f *restFake) counts() (hits, cond, notMod map[string]int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return maps.Clone(f.hits), maps.Clone(f.cond), maps.Clone(f.notMod)
}

// reset forgets the requests seen so far.
func (f *restFake) reset() {
	f.mu.Lock()
	defer f.mu.Unlock()
	clear(f.hits)
	clear(f.cond)
	clear(f.notMod)
}

func (f *restFake) hitsOf(key string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.hits[key]
}

// restWriteJSON answers with an ETag, and 304 when the client already has it.
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

func (f *restFake) issue(w http.ResponseWriter, r *http.Request) {
	if r.PathValue("n") == "410" {
		restWriteJSON(w, r, http.StatusGone, map[string]any{"message": "This issue was deleted"})
		return
	}
	is, ok := f.issues[r.PathValue("o")+"/"+r.PathValue("r")+"#"+r.PathValue("n")]
	if !ok {
		restNotFound(w, r)
		return
	}
	restWriteJSON(w, r, http.StatusOK, is)
}

// find resolves a full or abbreviated SHA to its place in the history.
func (f *restFake) find(ref string) (int, bool) {
	for i, c := range f.commits {
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

func (f *restFake) commit(w http.ResponseWriter, r *http.Request) {
	for _, c := range f.side {
		if strings.HasPrefix(c.sha, r.PathValue("sha")) {
			restWriteJSON(w, r, http.StatusOK, c.json())
			return
		}
	}
	i, ok := f.find(r.PathValue("sha"))
	if !ok {
		restWriteJSON(w, r, http.StatusUnprocessableEntity, map[string]any{"message": "No commit found for SHA: " + r.PathValue("sha")})
		return
	}
	restWriteJSON(w, r, http.StatusOK, f.commits[i].json())
}

// listCommits serves ?sha=&until=&per_page= over the one branch "main" (the default).
func (f *restFake) listCommits(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	from := 0
	switch ref := q.Get("sha"); ref {
	case "", "main":
	default:
		i, ok := f.find(ref)
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
	for _, c := range f.commits[from:] {
		if (until.IsZero() || !c.date.After(until)) && (per == 0 || len(out) < per) {
			out = append(out, c.json())
		}
	}
	restWriteJSON(w, r, http.StatusOK, out)
}

// contents serves files at a commit; a file marked big comes without content (as GitHub does
// over 1 MB) unless asked for the raw media type.
func (f *restFake) contents(w http.ResponseWriter, r *http.Request) {
	files := f.files[r.URL.Query().Get("ref")]
	path := r.PathValue("path")
	text, ok := files[path]
	if !ok {
		for p := range files {
			if strings.HasPrefix(p, path+"/") {
				restWriteJSON(w, r, http.StatusOK, []map[string]any{{"type": "file", "path": p}})
				return
			}
		}
		restNotFound(w, r)
		return
	}
	if strings.HasPrefix(r.Header.Get("Accept"), "application/vnd.github.raw") {
		w.Write([]byte(text))
		return
	}
	c := map[string]any{"type": "file", "path": path, "size": len(text), "encoding": "base64",
		"content": restWrap76(base64.StdEncoding.EncodeToString([]byte(text)))}
	if strings.HasPrefix(path, "big") {
		c["encoding"], c["content"] = "none", ""
	}
	restWriteJSON(w, r, http.StatusOK, c)
}

// restWrap76 breaks base64 into lines, as GitHub does.
func restWrap76(s string) string {
	var b strings.Builder
	for len(s) > 60 {
		b.WriteString(s[:60] + "\n")
		s = s[60:]
	}
	return b.String() + s
}

// Scripted rate limits and failures.

func restPrimaryLimit(in time.Duration) restFault {
	return func(w http.ResponseWriter, r *http.Request, now time.Time) {
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(now.Add(in).Unix(), 10))
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprint(w, `{"message":"API rate limit exceeded for installation ID 1.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"}`)
	}
}

func restSecondaryLimit(retryAfter int) restFault {
	return func(w http.ResponseWriter, r *http.Request, now time.Time) {
		w.Header().Set("Retry-After", strconv.Itoa(retryAfter))
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprint(w, `{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"}`)
	}
}

func restTooMany(retryAfter int) restFault {
	return func(w http.ResponseWriter, r *http.Request, now time.Time) {
		w.Header().Set("Retry-After", strconv.Itoa(retryAfter))
		w.WriteHeader(http.StatusTooManyRequests)
		fmt.Fprint(w, `{"message":"Too many requests"}`)
	}
}

func restTooManyUntil(in time.Duration) restFault {
	return func(w http.ResponseWriter, r *http.Request, now time.Time) {
		w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(now.Add(in).Unix(), 10))
		w.WriteHeader(http.StatusTooManyRequests)
		fmt.Fprint(w, `{"message":"Too many requests"}`)
	}
}

func restStatus(code int) restFault {
	return func(w http.ResponseWriter, r *http.Request, now time.Time) {
		w.WriteHeader(code)
		fmt.Fprintf(w, `{"message":"%s"}`, http.StatusText(code))
	}
}

// restHangUp drops the connection halfway through the body. (Dropping it before answering would
// be retried by net/http itself, on a reused connection, and hide our retries.)
func restHangUp(w http.ResponseWriter, r *http.Request, now time.Time) {
	conn, buf, err := w.(http.Hijacker).Hijack()
	if err != nil {
		return
	}
	buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"sha\":")
	buf.Flush()
	conn.Close()
}

// restEchoAuth answers 400 with the Authorization header in the message: a server that leaks it.
func restEchoAuth(w http.ResponseWriter, r *http.Request, now time.Time) {
	w.WriteHeader(http.StatusBadRequest)
	json.NewEncoder(w).Encode(map[string]any{"message": "bad request with " + r.Header.Get("Authorization")})
}

// restClock is a test clock whose sleep returns at once and moves time on.
type restClock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

func newRESTClock() *restClock { return &restClock{now: time.Date(2026, 5, 11, 6, 0, 0, 0, time.UTC)} }

func (c *restClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *restClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sleeps = append(c.sleeps, d)
	c.now = c.now.Add(d)
	return nil
}

func (c *restClock) Sleeps() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.sleeps...)
}

// restFixture is fixture for the REST-only fake.
func restFixture(t *testing.T) *restFake {
	f := newRESTFake(t, newRESTClock())
	prLinks := func(mergedAt any) map[string]any {
		return map[string]any{"url": "https://api.github.com/repos/kubernetes/kubernetes/pulls/1", "merged_at": mergedAt}
	}
	labels := func(names ...string) []map[string]any {
		var ls []map[string]any
		for _, n := range names {
			ls = append(ls, map[string]any{"name": n})
		}
		return ls
	}
	f.issues[kk+"#100"] = map[string]any{"number": 100, "state": "closed", "title": "kubelet: fix eviction ordering",
		"closed_at": "2026-05-08T12:34:56Z", "labels": labels("lgtm", "approved", "kind/bug"), "draft": false,
		"pull_request": prLinks("2026-05-08T12:34:56Z")}
	f.issues[kk+"#101"] = map[string]any{"number": 101, "state": "closed", "title": "Revert eviction change",
		"closed_at": "2026-05-09T08:00:00Z", "pull_request": prLinks(nil)}
	f.issues[kk+"#102"] = map[string]any{"number": 102, "state": "open", "title": "WIP: new eviction API",
		"draft": true, "pull_request": prLinks(nil)}
	f.issues[kk+"#103"] = map[string]any{"number": 103, "state": "open", "title": "Flaky: eviction e2e",
		"labels": labels("sig/node", "kind/flake")}
	f.issues[kk+"#104"] = map[string]any{"number": 104, "state": "closed", "title": "Old flake",
		"closed_at": "2026-04-30T10:00:00+02:00"}
	f.commits = []restCommit{
		{sha3, "Carol", "Third\n\nbody", time.Date(2026, 5, 12, 9, 0, 0, 0, time.UTC)},
		{sha2, "Bob", "Second: tidy eviction\n\nSigned-off-by: Bob", time.Date(2026, 5, 10, 23, 30, 0, 0, time.UTC)},
		{sha1, "Alice", "First", time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)},
	}
	f.files[sha1] = map[string]string{evictionPath: "package eviction\n\n// v1\n"}
	f.files[sha2] = map[string]string{evictionPath: "package eviction\n\n// v2\nfunc evict() {}\n",
		"big/generated.json": "{\n\"big\": true\n}\n", "crlf.txt": "a\r\nb\r\n"}
	f.files[sha3] = map[string]string{evictionPath: "package eviction\n\n// v3\n"}
	return f
}

// restSource is source for the REST-only fake.
func restSource(f *restFake, opts ...Option) *Source {
	return New(append([]Option{WithBaseURL(f.srv.URL), WithToken(testToken), WithClock(f.clock.Now, f.clock.Sleep)}, opts...)...)
}
