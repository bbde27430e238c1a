package github

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/triagesite/triagesite/internal/citation"
	"github.com/triagesite/triagesite/internal/claim"
	"github.com/triagesite/triagesite/internal/evidence"
	"github.com/triagesite/triagesite/internal/verify"
	"github.com/triagesite/triagesite/internal/verify/github/githubtest"
)

const kk = "kubernetes/kubernetes"

var (
	sha1 = strings.Repeat("c1", 20)
	sha2 = strings.Repeat("c2", 20)
	sha3 = strings.Repeat("c3", 20)
)

const evictionPath = "pkg/kubelet/eviction/eviction_manager.go"

// fixture is a fake GitHub holding kubernetes/kubernetes with PRs #100-#102, issues
// #103-#104 and a three-commit history of one file.
func fixture(t *testing.T) *fakeGitHub {
	f := newFake(t, newClock())
	r := f.repo
	r.Issues[100] = githubtest.Issue{Number: 100, PR: true, State: "closed", Title: "kubelet: fix eviction ordering",
		ClosedAt: "2026-05-08T12:34:56Z", MergedAt: "2026-05-08T12:34:56Z", Labels: []string{"lgtm", "approved", "kind/bug"}}
	r.Issues[101] = githubtest.Issue{Number: 101, PR: true, State: "closed", Title: "Revert eviction change", ClosedAt: "2026-05-09T08:00:00Z"}
	r.Issues[102] = githubtest.Issue{Number: 102, PR: true, State: "open", Title: "WIP: new eviction API", Draft: true}
	r.Issues[103] = githubtest.Issue{Number: 103, State: "open", Title: "Flaky: eviction e2e", Labels: []string{"sig/node", "kind/flake"}}
	r.Issues[104] = githubtest.Issue{Number: 104, State: "closed", Title: "Old flake", ClosedAt: "2026-04-30T10:00:00+02:00"}
	r.Issues[410] = githubtest.Issue{Number: 410, Gone: true}
	r.Commits = []githubtest.Commit{
		{SHA: sha3, Author: "Carol", Message: "Third\n\nbody", Date: time.Date(2026, 5, 12, 9, 0, 0, 0, time.UTC)},
		{SHA: sha2, Author: "Bob", Message: "Second: tidy eviction\n\nSigned-off-by: Bob", Date: time.Date(2026, 5, 10, 23, 30, 0, 0, time.UTC)},
		{SHA: sha1, Author: "Alice", Message: "First", Date: time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)},
	}
	r.Files[sha1] = map[string]string{evictionPath: "package eviction\n\n// v1\n"}
	r.Files[sha2] = map[string]string{evictionPath: "package eviction\n\n// v2\nfunc evict() {}\n",
		"big/generated.json": "{\n\"big\": true\n}\n", "crlf.txt": "a\r\nb\r\n"}
	r.Files[sha3] = map[string]string{evictionPath: "package eviction\n\n// v3\n"}
	return f
}

func source(f *fakeGitHub, opts ...Option) *Source {
	return New(append([]Option{WithBaseURL(f.URL), WithToken(testToken), WithClock(f.clock.Now, f.clock.Sleep)}, opts...)...)
}

func refT(n int) verify.Target {
	return verify.Target{Ref: citation.Ref{Kind: citation.KindRef, Repo: kk, Number: n}}
}

func commitT(sha string) verify.Target {
	return verify.Target{Ref: citation.Ref{Kind: citation.KindCommit, Repo: kk, SHA: sha}}
}

func fileT(path, at string) verify.Target {
	return verify.Target{Ref: citation.Ref{Kind: citation.KindFile, Repo: kk, Path: path,
		Lines: []citation.LineRange{{Start: 3, End: 3}}}, At: at}
}

func fetch(t *testing.T, s *Source, tg verify.Target) verify.Answer {
	t.Helper()
	a, err := s.Fetch(context.Background(), tg)
	if err != nil {
		t.Fatalf("Fetch(%s): %v", tg.Ref, err)
	}
	if a.Source != evidence.SourceGitHub {
		t.Errorf("Fetch(%s).Source = %q", tg.Ref, a.Source)
	}
	return a
}

func TestRefStates(t *testing.T) {
	s := source(fixture(t))
	tests := []struct {
		n    int
		want evidence.Observed
	}{
		{100, evidence.Observed{Exists: true, Kind: "pr", State: "closed", Merged: true, MergedAt: "2026-05-08T12:34:56Z",
			ClosedAt: "2026-05-08T12:34:56Z", Title: "kubelet: fix eviction ordering", Labels: []string{"approved", "kind/bug", "lgtm"}}},
		{101, evidence.Observed{Exists: true, Kind: "pr", State: "closed", ClosedAt: "2026-05-09T08:00:00Z", Title: "Revert eviction change"}},
		{102, evidence.Observed{Exists: true, Kind: "pr", State: "open", Draft: true, Title: "WIP: new eviction API"}},
		{103, evidence.Observed{Exists: true, Kind: "issue", State: "open", Title: "Flaky: eviction e2e", Labels: []string{"kind/flake", "sig/node"}}},
		{104, evidence.Observed{Exists: true, Kind: "issue", State: "closed", ClosedAt: "2026-04-30T08:00:00Z", Title: "Old flake"}},
	}
	for _, tc := range tests {
		a := fetch(t, s, refT(tc.n))
		if !a.Found || !reflect.DeepEqual(a.Observed, tc.want) {
			t.Errorf("#%d: Found=%v Observed=%+v\nwant %+v", tc.n, a.Found, a.Observed, tc.want)
		}
		if a.ETag == "" || a.NotModified {
			t.Errorf("#%d: ETag=%q NotModified=%v, want an ETag from a fresh 200", tc.n, a.ETag, a.NotModified)
		}
	}
}

func TestMissingIsNotAnError(t *testing.T) {
	s := source(fixture(t))
	for _, tg := range []verify.Target{refT(999), refT(410), commitT("deadbeef"), fileT("no/such/file.go", ""),
		fileT("pkg/kubelet", sha2), fileT(evictionPath, "2026-04-01"), fileT(evictionPath, "beefbeef"),
		{Ref: citation.Ref{Kind: citation.KindRef, Repo: "kubernetes/gone", Number: 1}}} {
		a, err := s.Fetch(context.Background(), tg)
		if err != nil || a.Found {
			t.Errorf("Fetch(%s at %q) = Found %v, %v; want not found, no error", tg.Ref, tg.At, a.Found, err)
		}
	}
}

func TestCommit(t *testing.T) {
	s := source(fixture(t))
	a := fetch(t, s, commitT(sha2[:10]))
	want := evidence.Observed{Exists: true, SHA: sha2, Author: "Bob", Date: "2026-05-10T23:30:00Z", Title: "Second: tidy eviction"}
	if !a.Found || !reflect.DeepEqual(a.Observed, want) {
		t.Errorf("commit: Found=%v %+v\nwant %+v", a.Found, a.Observed, want)
	}
}

func TestFileAt(t *testing.T) {
	f := fixture(t)
	s := source(f)
	tests := []struct {
		path, at, sha string
		text          []string
	}{
		// sha2 is dated 23:30 on the 10th: the end of that day UTC still includes it.
		{evictionPath, "2026-05-10", sha2, []string{"package eviction", "", "// v2", "func evict() {}"}},
		{evictionPath, "2026-05-09", sha1, []string{"package eviction", "", "// v1"}},
		{evictionPath, "", sha3, []string{"package eviction", "", "// v3"}},
		{evictionPath, sha1, sha1, []string{"package eviction", "", "// v1"}},
		{evictionPath, sha1[:8], sha1, []string{"package eviction", "", "// v1"}},
		{"big/generated.json", sha2, sha2, []string{"{", `"big": true`, "}"}},
		{"crlf.txt", sha2, sha2, []string{"a", "b"}},
	}
	for _, tc := range tests {
		a := fetch(t, s, fileT(tc.path, tc.at))
		if !a.Found || a.Observed.SHA != tc.sha || !reflect.DeepEqual(a.Text, tc.text) {
			t.Errorf("%s at %q: Found=%v SHA=%s Text=%q; want %s %q", tc.path, tc.at, a.Found, a.Observed.SHA, a.Text, tc.sha, tc.text)
		}
	}
	if n := f.hitsOf("/repos/" + kk + "/commits?per_page=1&sha=main&until=2026-05-10T23%3A59%3A59Z"); n != 0 {
		t.Errorf("a date without a branch asked for branch main %d times; want GitHub's default branch", n)
	}
	branch := fileT(evictionPath, "2026-05-10")
	branch.Branch = "main"
	if a := fetch(t, s, branch); a.Observed.SHA != sha2 {
		t.Errorf("on branch main at 2026-05-10: read %s, want %s", a.Observed.SHA, sha2)
	}
	if _, err := s.Fetch(context.Background(), fileT(evictionPath, "last week")); err == nil {
		t.Error("at \"last week\": no error")
	}
}

func TestMissingFileKeepsTheCommit(t *testing.T) {
	s := source(fixture(t))
	a := fetch(t, s, fileT("no/such.go", "2026-05-10"))
	if a.Found || a.Observed.SHA != sha2 {
		t.Errorf("Found=%v SHA=%s; want not found at %s", a.Found, a.Observed.SHA, sha2)
	}
}

func TestBuildIsNotGitHubs(t *testing.T) {
	f := fixture(t)
	_, err := source(f).Fetch(context.Background(), verify.Target{Ref: citation.Ref{Kind: citation.KindBuild, Bucket: "b", Object: "o"}})
	if !errors.Is(err, verify.ErrCannotAnswer) {
		t.Errorf("build: err = %v, want ErrCannotAnswer", err)
	}
}

// allTargets are distinct targets whose requests do not overlap.
func allTargets() []verify.Target {
	return []verify.Target{refT(100), refT(101), refT(102), refT(103), refT(104), commitT(sha1), commitT(sha2[:12]),
		fileT(evictionPath, "2026-05-10"), fileT(evictionPath, sha1), fileT("crlf.txt", sha2)}
}

// fetchAll fetches targets concurrently, as the verifier does.
func fetchAll(t *testing.T, s *Source, targets []verify.Target) []verify.Answer {
	t.Helper()
	answers := make([]verify.Answer, len(targets))
	errs := make([]error, len(targets))
	var wg sync.WaitGroup
	for i, tg := range targets {
		wg.Go(func() { answers[i], errs[i] = s.Fetch(context.Background(), tg) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil || !answers[i].Found {
			t.Fatalf("Fetch(%s): Found=%v, %v", targets[i].Ref, answers[i].Found, err)
		}
	}
	return answers
}

func TestSecondRunIsAnsweredFromETags(t *testing.T) {
	f := fixture(t)
	s := source(f)
	first := fetchAll(t, s, allTargets())
	hits, cond, _ := f.counts()
	if len(hits) != len(allTargets())+1 { // the file at a date also lists a commit
		t.Errorf("first run: %d distinct requests, want %d: %v", len(hits), len(allTargets())+1, hits)
	}
	for key, n := range hits {
		if n != 1 || cond[key] != 0 {
			t.Errorf("first run: %s requested %d times (%d conditional); want once, unconditional", key, n, cond[key])
		}
	}
	// The same source again: its ETag cache makes every request conditional, and the commit
	// a date names was resolved once for the whole run, so it is not listed again.
	second := fetchAll(t, s, allTargets())
	hits, cond, notMod := f.counts()
	for key, n := range hits {
		if strings.Contains(key, "/commits?") {
			if n != 1 {
				t.Errorf("second run: %s listed %d times; want once per run", key, n)
			}
			continue
		}
		if n != 2 || cond[key] != 1 || notMod[key] != 1 {
			t.Errorf("second run: %s: %d requests, %d with If-None-Match, %d 304s; want 2, 1, 1", key, n, cond[key], notMod[key])
		}
	}
	for i := range first {
		if !reflect.DeepEqual(first[i].Observed, second[i].Observed) || !reflect.DeepEqual(first[i].Text, second[i].Text) {
			t.Errorf("%s: second answer %+v differs from first %+v", allTargets()[i].Ref, second[i], first[i])
		}
		if k := allTargets()[i].Ref.Kind; k != citation.KindFile && !second[i].NotModified {
			t.Errorf("%s: NotModified = false on a 304", allTargets()[i].Ref)
		}
	}
}

func TestNextRunUsesTheLocksETags(t *testing.T) {
	f := fixture(t)
	targets := allTargets()[:7] // PRs, issues and commits: the targets a lock ETag stands for
	first := fetchAll(t, source(f), targets)
	for i := range targets {
		targets[i].Prev = &evidence.Entry{Observed: first[i].Observed, ETag: first[i].ETag, Source: evidence.SourceGitHub,
			CheckedAt: "2026-05-11T06:00:00Z"}
	}
	f.reset()
	next := fetchAll(t, source(f), targets) // a new process: nothing in memory
	hits, cond, notMod := f.counts()
	// PRs and issues are asked again, conditionally; a commit found cannot change: not asked.
	if len(hits) != 5 {
		t.Errorf("%d distinct requests, want 5 (the PRs and issues): %v", len(hits), hits)
	}
	for key, n := range hits {
		if n != 1 || cond[key] != 1 || notMod[key] != 1 || !strings.Contains(key, "/issues/") {
			t.Errorf("%s: %d requests, %d conditional, %d 304s; want 1 each", key, n, cond[key], notMod[key])
		}
	}
	for i, a := range next {
		commit := targets[i].Ref.Kind == citation.KindCommit
		if a.NotModified == commit || a.Cached != commit || a.ETag != first[i].ETag || !reflect.DeepEqual(a.Observed, first[i].Observed) || a.Source != "github" {
			t.Errorf("%s: %+v; want the lock's observation, NotModified (a commit: Cached), same ETag", targets[i].Ref, a)
		}
	}
}

func TestShortRateLimitsAreWaitedOut(t *testing.T) {
	f := fixture(t)
	s := source(f)
	f.script("/repos/"+kk+"/issues/100", primaryLimit(10*time.Second))
	f.script("/repos/"+kk+"/issues/101", secondaryLimit(5))
	f.script("/repos/"+kk+"/issues/102", tooMany(3))
	f.script("/repos/"+kk+"/issues/103", tooManyUntil(20*time.Second))
	for n := 100; n <= 103; n++ {
		if a := fetch(t, s, refT(n)); !a.Found {
			t.Errorf("#%d not found after the wait", n)
		}
		if got := f.hitsOf("/repos/" + kk + "/issues/" + strconv.Itoa(n)); got != 2 {
			t.Errorf("#%d: %d requests, want 2", n, got)
		}
	}
	want := []time.Duration{10 * time.Second, 5 * time.Second, 3 * time.Second, 20 * time.Second}
	if got := f.clock.Sleeps(); !reflect.DeepEqual(got, want) {
		t.Errorf("slept %v, want %v", got, want)
	}
}

func TestLongRateLimitsStopTheRun(t *testing.T) {
	for name, fl := range map[string]fault{
		"primary 403":   primaryLimit(time.Hour),
		"secondary 403": secondaryLimit(3600),
		"429":           tooMany(3600),
		"429 reset":     tooManyUntil(2 * time.Hour),
	} {
		t.Run(name, func(t *testing.T) {
			f := fixture(t)
			s := source(f)
			start := f.clock.Now()
			f.script("/repos/"+kk+"/issues/100", fl)
			_, err := s.Fetch(context.Background(), refT(100))
			var rl *verify.RateLimitError
			if !errors.As(err, &rl) || rl.Until.Sub(start) < time.Hour {
				t.Fatalf("err = %v, want a *verify.RateLimitError an hour or more away", err)
			}
			// Every later request waits for the same reset: none reaches GitHub.
			if _, err := s.Fetch(context.Background(), refT(101)); !errors.As(err, &rl) {
				t.Errorf("next fetch: err = %v, want *verify.RateLimitError", err)
			}
			if n := f.hitsOf("/repos/" + kk + "/issues/101"); n != 0 || len(f.clock.Sleeps()) != 0 {
				t.Errorf("after the limit: %d requests, slept %v; want none", n, f.clock.Sleeps())
			}
		})
	}
}

// lastRequest answers 200 but reports no requests left: go-github then refuses further calls itself.
func lastRequest(w http.ResponseWriter, r *http.Request, now time.Time) {
	w.Header().Set("X-RateLimit-Remaining", "0")
	w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(time.Now().Add(3*time.Hour).Unix(), 10))
	fmt.Fprint(w, `{"number":100,"state":"open","title":"last"}`)
}

func TestNoRequestsLeftStopsTheRun(t *testing.T) {
	f := fixture(t)
	s := source(f)
	f.script("/repos/"+kk+"/issues/100", lastRequest)
	fetch(t, s, refT(100))
	var rl *verify.RateLimitError
	if _, err := s.Fetch(context.Background(), refT(101)); !errors.As(err, &rl) {
		t.Errorf("err = %v, want *verify.RateLimitError", err)
	}
	if n := f.hitsOf("/repos/" + kk + "/issues/101"); n != 0 {
		t.Errorf("%d requests after the budget ran out, want 0", n)
	}
}

func TestTransientFailuresAreRetried(t *testing.T) {
	f := fixture(t)
	s := source(f)
	f.script("/repos/"+kk+"/issues/100", status(500), status(500))
	f.script("/repos/"+kk+"/commits/"+sha1, hangUp)
	if a := fetch(t, s, refT(100)); !a.Found || !a.Observed.Merged {
		t.Errorf("#100 after two 500s: %+v", a)
	}
	if n := f.hitsOf("/repos/" + kk + "/issues/100"); n != 3 {
		t.Errorf("#100: %d requests, want 3", n)
	}
	if a := fetch(t, s, commitT(sha1)); a.Observed.SHA != sha1 {
		t.Errorf("commit after a dropped connection: %+v", a)
	}
	if sl := f.clock.Sleeps(); len(sl) != 3 || sl[0] < time.Second || sl[1] < 2*time.Second {
		t.Errorf("backoff sleeps %v, want 3 growing from 1s", sl)
	}
}

func TestPersistentFailureIsAnError(t *testing.T) {
	f := fixture(t)
	s := source(f, WithRetries(2))
	f.script("/repos/"+kk+"/issues/100", status(502), status(502), status(502), status(502))
	_, err := s.Fetch(context.Background(), refT(100))
	if err == nil || !strings.Contains(err.Error(), "502") {
		t.Errorf("err = %v, want the 502", err)
	}
	if n := f.hitsOf("/repos/" + kk + "/issues/100"); n != 3 {
		t.Errorf("%d requests, want 1 + 2 retries", n)
	}
}

func TestTimeoutIsRetried(t *testing.T) {
	f := fixture(t)
	stall := make(chan struct{})
	defer close(stall)
	f.script("/repos/"+kk+"/issues/100", func(w http.ResponseWriter, r *http.Request, now time.Time) {
		select {
		case <-stall:
		case <-r.Context().Done():
		}
	})
	s := source(f, WithRequestTimeout(20*time.Millisecond))
	if a := fetch(t, s, refT(100)); !a.Found {
		t.Errorf("#100 after a timeout: %+v", a)
	}
}

func TestCancelledRunStopsWaiting(t *testing.T) {
	f := fixture(t)
	ctx, cancel := context.WithCancel(context.Background())
	// The run is cancelled (another fetch hit a long limit) while this one sits out a short one.
	s := source(f, WithClock(f.clock.Now, func(ctx context.Context, d time.Duration) error {
		cancel()
		return sleepCtx(ctx, d)
	}))
	f.script("/repos/"+kk+"/issues/100", tooMany(30))
	if _, err := s.Fetch(ctx, refT(100)); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if n := f.hitsOf("/repos/" + kk + "/issues/100"); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

func TestTokenIsNeverShown(t *testing.T) {
	f := fixture(t)
	dead := httptest.NewServer(http.NotFoundHandler())
	dead.Close()
	cases := map[string]func() (*Source, verify.Target){
		"echoed by the server": func() (*Source, verify.Target) {
			f.script("/repos/"+kk+"/issues/100", echoAuth)
			return source(f), refT(100)
		},
		"5xx after retries": func() (*Source, verify.Target) {
			f.script("/repos/"+kk+"/issues/101", status(500), status(500), status(500), status(500))
			return source(f), refT(101)
		},
		"dropped connections": func() (*Source, verify.Target) {
			f.script("/repos/"+kk+"/commits/"+sha1, hangUp, hangUp, hangUp, hangUp)
			return source(f), commitT(sha1)
		},
		"rate limit": func() (*Source, verify.Target) {
			f.script("/repos/"+kk+"/issues/102", primaryLimit(time.Hour))
			return source(f), refT(102)
		},
		"unreachable": func() (*Source, verify.Target) {
			return New(WithBaseURL(dead.URL), WithToken(testToken), WithClock(f.clock.Now, f.clock.Sleep)), refT(1)
		},
		"bad credentials": func() (*Source, verify.Target) {
			return source(f, WithToken(testToken+"x")), refT(103)
		},
	}
	for name, setup := range cases {
		s, tg := setup()
		_, err := s.Fetch(context.Background(), tg)
		if err == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		if strings.Contains(err.Error(), testToken) || strings.Contains(fmt.Sprintf("%+v %#v", err, err), testToken) {
			t.Errorf("%s: the token is in the error: %v", name, err)
		}
		if strings.Contains(fmt.Sprintf("%+v", s), testToken) {
			t.Errorf("%s: the token is in the printed source", name)
		}
	}
}

func TestEnterpriseBaseURL(t *testing.T) {
	f := fixture(t)
	ghe := httptest.NewServer(http.StripPrefix("/api/v3", f.Handler()))
	defer ghe.Close()
	s := New(WithBaseURL(ghe.URL+"/api/v3"), WithToken(testToken), WithClock(f.clock.Now, f.clock.Sleep))
	if a := fetch(t, s, refT(103)); a.Observed.Kind != "issue" {
		t.Errorf("through /api/v3: %+v", a)
	}
}

// TestJudgeGitHubAnswers follows claims from a fetch to their status.
func TestJudgeGitHubAnswers(t *testing.T) {
	s := source(fixture(t))
	tests := []struct {
		tg    verify.Target
		claim claim.Claim
		want  evidence.Status
		msg   string
	}{
		{refT(101), claim.Claim{State: "merged"}, evidence.Contradicted, "claimed merged, but it is closed"},
		{refT(100), claim.Claim{State: "merged", MergedAt: "2026-05-08", Labels: []string{"lgtm"}}, evidence.Verified, "pr is merged"},
		{refT(102), claim.Claim{Kind: "pr", State: "draft"}, evidence.Verified, "pr is draft"},
		{refT(103), claim.Claim{Kind: "pr"}, evidence.Contradicted, "claimed a pr, but it is an issue"},
		{refT(999), claim.Claim{}, evidence.Missing, "no such PR or issue at github"},
		{commitT(sha2[:7]), claim.Claim{Author: "bob", Date: "2026-05-10"}, evidence.Verified, "commit c2c2c2c2c2c2 exists"},
		{fileT(evictionPath, "2026-05-10"), claim.Claim{Quote: "// v2"}, evidence.Verified, "on line 3"},
		{fileT(evictionPath, "2026-05-10"), claim.Claim{Quote: "func evict"}, evidence.Contradicted, "it is on line 4"},
	}
	for _, tc := range tests {
		a := fetch(t, s, tc.tg)
		st, msg, _ := verify.Judge(tc.tg.Ref, tc.claim, a)
		if st != tc.want || !strings.Contains(msg, tc.msg) {
			t.Errorf("%s %+v: %s %q; want %s %q", tc.tg.Ref, tc.claim, st, msg, tc.want, tc.msg)
		}
	}
}

func TestSplitLines(t *testing.T) {
	for in, want := range map[string][]string{"": nil, "a": {"a"}, "a\n": {"a"}, "a\n\n": {"a", ""}, "a\r\nb": {"a", "b"}} {
		if got := splitLines(in); !reflect.DeepEqual(got, want) {
			t.Errorf("splitLines(%q) = %q, want %q", in, got, want)
		}
	}
}
