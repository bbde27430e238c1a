// Package githubtest is a fake GitHub (REST and GraphQL) for tests and benchmarks, counting every request and what it costs.
package githubtest

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/triagesite/triagesite/internal/evidence"
)

// Server serves the repositories it holds. Set its fields before the first request; lock Mu
// to change them while a test runs.
type Server struct {
	// URL is the API root, without a trailing slash; GraphQL is at URL+"/graphql".
	URL string
	// Token is what every request must carry as a Bearer token; "" lets anonymous requests in.
	Token string
	// Now stamps scripted faults (rate-limit resets); Latency delays every request.
	Now     func() time.Time
	Latency time.Duration
	Mu      sync.Mutex
	Repos   map[string]*Repo // by owner/repo
	// Gen, when set, answers what Repos does not hold (a benchmark's thousands of targets).
	Gen    *Generator
	counts Counts
	faults map[string][]Fault // scripted answers per path, served before the real one
	broken map[string]Fault   // answers served every time, for REST and for the same target in GraphQL
	srv    *httptest.Server
}

// Repo is one repository's issues, history and files.
type Repo struct {
	DefaultBranch string
	Issues        map[int]Issue
	Commits       []Commit                     // newest first, all on the default branch
	Side          []Commit                     // on another branch, never merged (compare: diverged)
	Files         map[string]map[string]string // by commit SHA, then path
}

// Issue is a PR (PR set) or an issue.
type Issue struct {
	Number                                   int
	PR, Draft                                bool
	State, Title                             string // state: open or closed
	CreatedAt, UpdatedAt, ClosedAt, MergedAt string
	Labels                                   []string
	Timeline                                 []evidence.Event
	Gone                                     bool   // deleted: REST answers 410
	MergeCommit                              string // a merged PR's merge (or squash) commit
}

// Commit is one commit of a repository's history.
type Commit struct {
	SHA, Author, Message string
	Date                 time.Time
}

// Generator answers any target of a known shape; each func may be nil.
type Generator struct {
	Issue  func(repo string, n int) (Issue, bool)
	Commit func(repo, sha string) (Commit, bool)
	File   func(repo, sha, path string) (string, bool)
}

// Counts are the requests seen, by kind, and the rate-limit points they cost as GitHub counts
// them: a REST request 1, a 304 nothing, a GraphQL query its computed cost (at least 1).
type Counts struct {
	// Hits counts REST requests by path and query; Cond those carrying a validator; NotMod the 304s.
	Hits, Cond, NotMod map[string]int
	REST, GraphQL      int
	Aliases            int            // GraphQL targets asked for
	Targets            map[string]int // GraphQL targets by "owner/repo field"
	Points             int
	BadAuth            int
}

// Requests is every request to GitHub, REST and GraphQL.
func (c Counts) Requests() int { return c.REST + c.GraphQL }

func (c Counts) clone() Counts {
	c.Hits, c.Cond, c.NotMod, c.Targets = maps.Clone(c.Hits), maps.Clone(c.Cond), maps.Clone(c.NotMod), maps.Clone(c.Targets)
	return c
}

// New starts a fake GitHub that accepts token and holds no repository.
func New(tb testing.TB, token string) *Server {
	s := &Server{Token: token, Now: time.Now, Repos: map[string]*Repo{}, faults: map[string][]Fault{},
		broken: map[string]Fault{}}
	s.counts = Counts{Hits: map[string]int{}, Cond: map[string]int{}, NotMod: map[string]int{}, Targets: map[string]int{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /repos/{o}/{r}/issues/{n}", s.issue)
	mux.HandleFunc("GET /repos/{o}/{r}/issues/{n}/timeline", s.timeline)
	mux.HandleFunc("GET /repos/{o}/{r}/compare/{basehead}", s.compare)
	mux.HandleFunc("GET /repos/{o}/{r}/pulls/{n}", s.pull)
	mux.HandleFunc("GET /repos/{o}/{r}/commits/{sha}", s.commit)
	mux.HandleFunc("GET /repos/{o}/{r}/commits", s.listCommits)
	mux.HandleFunc("GET /repos/{o}/{r}/contents/{path...}", s.contents)
	mux.HandleFunc("POST /graphql", s.graphql)
	s.srv = httptest.NewServer(s.middleware(mux))
	s.URL = s.srv.URL
	tb.Cleanup(s.srv.Close)
	return s
}

// Handler is the server's handler, to mount under a prefix (an Enterprise /api/v3).
func (s *Server) Handler() http.Handler { return s.srv.Config.Handler }

// Repo returns the repository, adding it (default branch main) if it is new.
func (s *Server) Repo(name string) *Repo {
	r := s.Repos[name]
	if r == nil {
		r = &Repo{DefaultBranch: "main", Issues: map[int]Issue{}, Files: map[string]map[string]string{}}
		s.Repos[name] = r
	}
	return r
}

// Script queues answers for a path ("/graphql" for GraphQL), served before the real one.
func (s *Server) Script(path string, fs ...Fault) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	s.faults[path] = append(s.faults[path], fs...)
}

// Break makes a REST path answer f every time, and GraphQL fail the same target
// ("/repos/o/r/issues/N" or "/repos/o/r/commits/SHA") with an error that is not NOT_FOUND.
func (s *Server) Break(path string, f Fault) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	s.broken[path] = f
}

// Mend undoes every Break.
func (s *Server) Mend() {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	clear(s.broken)
}

func (s *Server) isBroken(path string) bool {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	return s.broken[path] != nil
}

// Counts returns a copy of the counters.
func (s *Server) Counts() Counts {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	return s.counts.clone()
}

// Take returns a copy of the counters and starts them again from zero.
func (s *Server) Take() Counts {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	c := s.counts.clone()
	s.counts = Counts{Hits: map[string]int{}, Cond: map[string]int{}, NotMod: map[string]int{}, Targets: map[string]int{}}
	return c
}

// HitsOf counts the REST requests for a path and query.
func (s *Server) HitsOf(key string) int {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	return s.counts.Hits[key]
}

// middleware counts, checks the token, and serves scripted faults first.
func (s *Server) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.Latency > 0 {
			time.Sleep(s.Latency)
		}
		key := r.URL.RequestURI()
		graphql := r.URL.Path == "/graphql"
		s.Mu.Lock()
		if graphql {
			s.counts.GraphQL++
		} else {
			s.counts.REST++
			s.counts.Hits[key]++
			if r.Header.Get("If-None-Match") != "" || r.Header.Get("If-Modified-Since") != "" {
				s.counts.Cond[key]++
			}
		}
		var fl Fault
		if q := s.faults[r.URL.Path]; len(q) > 0 {
			fl, s.faults[r.URL.Path] = q[0], q[1:]
		} else if b := s.broken[r.URL.Path]; b != nil {
			fl = b
		}
		bad := s.Token != "" && r.Header.Get("Authorization") != "Bearer "+s.Token // "": anonymous
		if bad {
			s.counts.BadAuth++
		}
		s.Mu.Unlock()
		if fl != nil {
			s.charge(1)
			fl(w, r, s.Now())
			return
		}
		if bad {
			s.charge(1)
			writeJSON(w, r, http.StatusUnauthorized, map[string]any{"message": "Bad credentials"})
			return
		}
		cw := &countingWriter{ResponseWriter: w, s: s, key: key}
		next.ServeHTTP(cw, r)
		if !graphql && !cw.notModified {
			s.charge(1)
		}
	})
}

func (s *Server) charge(points int) {
	s.Mu.Lock()
	s.counts.Points += points
	s.Mu.Unlock()
}

type countingWriter struct {
	http.ResponseWriter
	s           *Server
	key         string
	notModified bool
}

func (c *countingWriter) WriteHeader(code int) {
	if code == http.StatusNotModified {
		c.notModified = true
		c.s.Mu.Lock()
		c.s.counts.NotMod[c.key]++
		c.s.Mu.Unlock()
	}
	c.ResponseWriter.WriteHeader(code)
}

// writeJSON answers with a content ETag, and 304 when the client already holds it.
func writeJSON(w http.ResponseWriter, r *http.Request, code int, v any) {
	body, _ := json.Marshal(v)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-RateLimit-Limit", "5000")
	w.Header().Set("X-RateLimit-Remaining", "4999")
	if code == http.StatusOK {
		etag := weakETag(body)
		w.Header().Set("ETag", etag)
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	w.WriteHeader(code)
	w.Write(body)
}

func notFound(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, r, http.StatusNotFound, map[string]any{"message": "Not Found"})
}

func repoOf(r *http.Request) string { return r.PathValue("o") + "/" + r.PathValue("r") }

// lookupIssue finds an issue in Repos, else asks Gen.
func (s *Server) lookupIssue(repo string, n int) (Issue, bool) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	if r := s.Repos[repo]; r != nil {
		if is, ok := r.Issues[n]; ok {
			return is, true
		}
	}
	if s.Gen != nil && s.Gen.Issue != nil {
		return s.Gen.Issue(repo, n)
	}
	return Issue{}, false
}

// history returns a repository's commits (newest first) and its default branch.
func (s *Server) history(repo string) ([]Commit, string, bool) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	r := s.Repos[repo]
	if r == nil {
		return nil, "", false
	}
	return r.Commits, r.DefaultBranch, true
}

// lookupCommit resolves a full or abbreviated SHA, or the default branch's name or HEAD.
func (s *Server) lookupCommit(repo, ref string) (Commit, bool) {
	commits, branch, _ := s.history(repo)
	if (ref == branch || ref == "HEAD") && len(commits) > 0 {
		return commits[0], true
	}
	for _, c := range commits {
		if len(ref) >= 4 && strings.HasPrefix(c.SHA, strings.ToLower(ref)) {
			return c, true
		}
	}
	s.Mu.Lock()
	var side []Commit
	if r := s.Repos[repo]; r != nil {
		side = r.Side
	}
	s.Mu.Unlock()
	for _, c := range side {
		if len(ref) >= 4 && strings.HasPrefix(c.SHA, strings.ToLower(ref)) {
			return c, true
		}
	}
	if s.Gen != nil && s.Gen.Commit != nil {
		return s.Gen.Commit(repo, ref)
	}
	return Commit{}, false
}

// lookupFile reads a file at a full SHA.
func (s *Server) lookupFile(repo, sha, path string) (string, bool) {
	s.Mu.Lock()
	r := s.Repos[repo]
	var text string
	ok := false
	if r != nil {
		text, ok = r.Files[sha][path]
	}
	s.Mu.Unlock()
	if !ok && s.Gen != nil && s.Gen.File != nil {
		return s.Gen.File(repo, sha, path)
	}
	return text, ok
}

// isDir says a path is a directory at a SHA.
func (s *Server) isDir(repo, sha, path string) bool {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	if r := s.Repos[repo]; r != nil {
		for p := range r.Files[sha] {
			if strings.HasPrefix(p, path+"/") {
				return true
			}
		}
	}
	return false
}

// resolve finds the newest commit on the default branch at or before until (zero: the head).
func (s *Server) resolve(repo string, until time.Time) (Commit, bool) {
	commits, _, _ := s.history(repo)
	for _, c := range commits {
		if until.IsZero() || !c.Date.After(until) {
			return c, true
		}
	}
	return Commit{}, false
}

func weakETag(body []byte) string {
	var h uint64 = 14695981039346656037
	for _, b := range body {
		h = (h ^ uint64(b)) * 1099511628211
	}
	return fmt.Sprintf(`W/"%016x"`, h)
}
