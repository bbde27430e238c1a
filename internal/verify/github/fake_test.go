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

// fakeGitHub serves the few REST endpoints the source uses, from memory, with ETags.
type fakeGitHub struct {
	t     *testing.T
	clock *fakeClock
	token string
	mu    sync.Mutex
	// hits counts requests per path (with query); cond counts those carrying If-None-Match,
	// notMod the 304s returned.
	hits, cond, notMod map[string]int
	faults             map[string][]fault // scripted answers per path, served before the real one
	issues             map[string]map[string]any
	timelines          map[string][]map[string]any // by owner/repo#n, as GitHub lists them
	commits            []fakeCommit                // newest first, all on the default branch "main"
	side               []fakeCommit                // commits on another branch, never merged
	files              map[string]map[string]string
	srv                *httptest.Server
}

type fakeCommit struct {
	sha, author, message string
	date                 time.Time
}

// fault is a scripted response: a status, headers and a body.
type fault func(w http.ResponseWriter, r *http.Request, now time.Time)

func newFake(t *testing.T, clock *fakeClock) *fakeGitHub {
	f := &fakeGitHub{t: t, clock: clock, token: testToken, hits: map[string]int{}, cond: map[string]int{},
		notMod: map[string]int{}, faults: map[string][]fault{}, issues: map[string]map[string]any{},
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

const testToken = "ghp_TESTtoken0123456789abcdefSECRET"

// middleware counts, checks the token, and serves scripted faults first.
func (f *fakeGitHub) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.URL.RequestURI()
		f.mu.Lock()
		f.hits[key]++
		if r.Header.Get("If-None-Match") != "" {
			f.cond[key]++
		}
		var fl fault
		if q := f.faults[r.URL.Path]; len(q) > 0 {
			fl, f.faults[r.URL.Path] = q[0], q[1:]
		}
		f.mu.Unlock()
		if fl != nil {
			fl(w, r, f.clock.Now())
			return
		}
		if r.Header.Get("Authorization") != "Bearer "+f.token {
			writeJSON(w, r, http.StatusUnauthorized, map[string]any{"message": "Bad credentials"})
			return
		}
		next.ServeHTTP(&countingWriter{ResponseWriter: w, f: f, key: key}, r)
	})
}

type countingWriter struct {
	http.ResponseWriter
	f   *fakeGitHub
	key string
}

func (c *countingWriter) WriteHeader(code int) {
	if code == http.StatusNotModified {
		c.f.mu.Lock()
		c.f.notMod[c.key]++
		c.f.mu.Unlock()
	}
	c.ResponseWriter.WriteHeader(code)
}

func (f *fakeGitHub) script(path string, fs ...fault) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.faults[path] = append(f.faults[path], fs...)
}

// counts returns copies of the request counters.
func (f *fakeGitHub) counts() (hits, cond, notMod map[string]int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return maps.Clone(f.hits), maps.Clone(f.cond), maps.Clone(f.notMod)
}

// reset forgets the requests seen so far.
func (f *fakeGitHub) reset() {
	f.mu.Lock()
	defer f.mu.Unlock()
	clear(f.hits)
	clear(f.cond)
	clear(f.notMod)
}

func (f *fakeGitHub) hitsOf(key string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.hits[key]
}

// writeJSON answers with an ETag, and 304 when the client already has it.
func writeJSON(w http.ResponseWriter, r *http.Request, code int, v any) {
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

func notFoundJSON(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, r, http.StatusNotFound, map[string]any{"message": "Not Found"})
}

func (f *fakeGitHub) issue(w http.ResponseWriter, r *http.Request) {
	if r.PathValue("n") == "410" {
		writeJSON(w, r, http.StatusGone, map[string]any{"message": "This issue was deleted"})
		return
	}
	is, ok := f.issues[r.PathValue("o")+"/"+r.PathValue("r")+"#"+r.PathValue("n")]
	if !ok {
		notFoundJSON(w, r)
		return
	}
	writeJSON(w, r, http.StatusOK, is)
}

// find resolves a full or abbreviated SHA to its place in the history.
func (f *fakeGitHub) find(ref string) (int, bool) {
	for i, c := range f.commits {
		if len(ref) >= 4 && strings.HasPrefix(c.sha, ref) {
			return i, true
		}
	}
	return 0, false
}

func (c fakeCommit) json() map[string]any {
	return map[string]any{"sha": c.sha, "commit": map[string]any{"message": c.message,
		"author": map[string]any{"name": c.author, "date": c.date.Format(time.RFC3339)}}}
}

func (f *fakeGitHub) commit(w http.ResponseWriter, r *http.Request) {
	for _, c := range f.side {
		if strings.HasPrefix(c.sha, r.PathValue("sha")) {
			writeJSON(w, r, http.StatusOK, c.json())
			return
		}
	}
	i, ok := f.find(r.PathValue("sha"))
	if !ok {
		writeJSON(w, r, http.StatusUnprocessableEntity, map[string]any{"message": "No commit found for SHA: " + r.PathValue("sha")})
		return
	}
	writeJSON(w, r, http.StatusOK, f.commits[i].json())
}

// listCommits serves ?sha=&until=&per_page= over the one branch "main" (the default).
func (f *fakeGitHub) listCommits(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	from := 0
	switch ref := q.Get("sha"); ref {
	case "", "main":
	default:
		i, ok := f.find(ref)
		if !ok {
			notFoundJSON(w, r)
			return
		}
		from = i
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
	for _, c := range f.commits[from:] {
		if (until.IsZero() || !c.date.After(until)) && (per == 0 || len(out) < per) {
			out = append(out, c.json())
		}
	}
	writeJSON(w, r, http.StatusOK, out)
}

// contents serves files at a commit; a file marked big comes without content (as GitHub does
// over 1 MB) unless asked for the raw media type.
func (f *fakeGitHub) contents(w http.ResponseWriter, r *http.Request) {
	files := f.files[r.URL.Query().Get("ref")]
	path := r.PathValue("path")
	text, ok := files[path]
	if !ok {
		for p := range files {
			if strings.HasPrefix(p, path+"/") {
				writeJSON(w, r, http.StatusOK, []map[string]any{{"type": "file", "path": p}})
				return
			}
		}
		notFoundJSON(w, r)
		return
	}
	if strings.HasPrefix(r.Header.Get("Accept"), "application/vnd.github.raw") {
		w.Write([]byte(text))
		return
	}
	c := map[string]any{"type": "file", "path": path, "size": len(text), "encoding": "base64",
		"content": wrap76(base64.StdEncoding.EncodeToString([]byte(text)))}
	if strings.HasPrefix(path, "big") {
		c["encoding"], c["content"] = "none", ""
	}
	writeJSON(w, r, http.StatusOK, c)
}

// wrap76 breaks base64 into lines, as GitHub does.
func wrap76(s string) string {
	var b strings.Builder
	for len(s) > 60 {
		b.WriteString(s[:60] + "\n")
		s = s[60:]
	}
	return b.String() + s
}

// Scripted rate limits and failures.

func primaryLimit(in time.Duration) fault {
	return func(w http.ResponseWriter, r *http.Request, now time.Time) {
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(now.Add(in).Unix(), 10))
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprint(w, `{"message":"API rate limit exceeded for installation ID 1.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"}`)
	}
}

func secondaryLimit(retryAfter int) fault {
	return func(w http.ResponseWriter, r *http.Request, now time.Time) {
		w.Header().Set("Retry-After", strconv.Itoa(retryAfter))
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprint(w, `{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"}`)
	}
}

func tooMany(retryAfter int) fault {
	return func(w http.ResponseWriter, r *http.Request, now time.Time) {
		w.Header().Set("Retry-After", strconv.Itoa(retryAfter))
		w.WriteHeader(http.StatusTooManyRequests)
		fmt.Fprint(w, `{"message":"Too many requests"}`)
	}
}

func tooManyUntil(in time.Duration) fault {
	return func(w http.ResponseWriter, r *http.Request, now time.Time) {
		w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(now.Add(in).Unix(), 10))
		w.WriteHeader(http.StatusTooManyRequests)
		fmt.Fprint(w, `{"message":"Too many requests"}`)
	}
}

func status(code int) fault {
	return func(w http.ResponseWriter, r *http.Request, now time.Time) {
		w.WriteHeader(code)
		fmt.Fprintf(w, `{"message":"%s"}`, http.StatusText(code))
	}
}

// hangUp drops the connection halfway through the body. (Dropping it before answering would
// be retried by net/http itself, on a reused connection, and hide our retries.)
func hangUp(w http.ResponseWriter, r *http.Request, now time.Time) {
	conn, buf, err := w.(http.Hijacker).Hijack()
	if err != nil {
		return
	}
	buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"sha\":")
	buf.Flush()
	conn.Close()
}

// echoAuth answers 400 with the Authorization header in the message: a server that leaks it.
func echoAuth(w http.ResponseWriter, r *http.Request, now time.Time) {
	w.WriteHeader(http.StatusBadRequest)
	json.NewEncoder(w).Encode(map[string]any{"message": "bad request with " + r.Header.Get("Authorization")})
}

// fakeClock is a test clock whose sleep returns at once and moves time on.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

func newClock() *fakeClock { return &fakeClock{now: time.Date(2026, 5, 11, 6, 0, 0, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sleeps = append(c.sleeps, d)
	c.now = c.now.Add(d)
	return nil
}

func (c *fakeClock) Sleeps() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.sleeps...)
}
