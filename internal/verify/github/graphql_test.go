package github

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/triagesite/triagesite/internal/citation"
	"github.com/triagesite/triagesite/internal/evidence"
	"github.com/triagesite/triagesite/internal/verify"
	"github.com/triagesite/triagesite/internal/verify/github/githubtest"
)

// batchTargets are targets of every kind, found and not.
func batchTargets() []verify.Target {
	return append(allTargets(), refT(999), refT(410), commitT("deadbeef"), fileT("no/such.go", "2026-05-10"),
		fileT("pkg/kubelet", sha2), fileT(evictionPath, "2026-04-01"), fileT(evictionPath, ""), fileT(evictionPath, sha1[:8]),
		fileT("big/generated.json", sha2), verify.Target{Ref: citation.Ref{Kind: citation.KindRef, Repo: "kubernetes/gone", Number: 1}})
}

// prefetchAll runs a batch, then fetches every target as the verifier does.
func prefetchAll(t *testing.T, s *Source, targets []verify.Target) []verify.Answer {
	t.Helper()
	s.Prefetch(context.Background(), targets)
	answers := make([]verify.Answer, len(targets))
	for i, tg := range targets {
		a, err := s.Fetch(context.Background(), tg)
		if err != nil {
			t.Fatalf("Fetch(%s at %q): %v", tg.Ref, tg.At, err)
		}
		answers[i] = a
	}
	return answers
}

// withoutHistory drops what only GraphQL reports, to compare with REST's answer.
func withoutHistory(a verify.Answer) verify.Answer {
	a.Observed.CreatedAt, a.Observed.UpdatedAt, a.Observed.Timeline, a.ETag, a.NotModified = "", "", nil, "", false
	return a
}

func TestBatchAnswersAsRESTDoes(t *testing.T) {
	f := fixture(t)
	targets := batchTargets()
	batched := prefetchAll(t, source(f), targets)
	c := f.Counts()
	// Two queries: the targets and the commits files are read at, then the files. REST only
	// for the file too big for GraphQL.
	if c.GraphQL != 2 || c.REST != 1 || c.Hits["/repos/"+kk+"/contents/big/generated.json?ref="+sha2] != 1 {
		t.Errorf("%d GraphQL queries, %d REST requests %v; want 2 and the big file", c.GraphQL, c.REST, c.Hits)
	}
	rest := fixture(t)
	for i, want := range fetchEach(t, source(rest, WithBatchSize(0)), targets) {
		if got := withoutHistory(batched[i]); !reflect.DeepEqual(got, withoutHistory(want)) {
			t.Errorf("%s at %q:\nbatched %+v\nREST    %+v", targets[i].Ref, targets[i].At, got, withoutHistory(want))
		}
	}
	if n := rest.Counts().GraphQL; n != 0 {
		t.Errorf("batch size 0: %d GraphQL queries", n)
	}
}

func fetchEach(t *testing.T, s *Source, targets []verify.Target) []verify.Answer {
	t.Helper()
	var out []verify.Answer
	for _, tg := range targets {
		a, err := s.Fetch(context.Background(), tg)
		if err != nil {
			t.Fatalf("Fetch(%s): %v", tg.Ref, err)
		}
		out = append(out, a)
	}
	return out
}

func TestBatchReadsTimelines(t *testing.T) {
	f := fixture(t)
	pr := f.repo.Issues[100]
	pr.CreatedAt, pr.UpdatedAt = "2026-05-01T10:00:00+02:00", "2026-05-08T12:35:00Z"
	pr.MergeCommit = sha2
	pr.Timeline = []evidence.Event{
		{Type: evidence.EventConvertedToDraft, At: "2026-05-02T09:00:00Z"},
		{Type: evidence.EventRenamed, At: "2026-05-02T10:00:00Z", From: "WIP"},
		{Type: evidence.EventLabeled, At: "2026-05-03T09:00:00Z", Label: "lgtm"},
		{Type: evidence.EventReadyForReview, At: "2026-05-04T09:00:00Z"},
		{Type: evidence.EventUnlabeled, At: "2026-05-05T09:00:00Z", Label: "do-not-merge/hold"},
		{Type: evidence.EventMerged, At: "2026-05-08T12:34:56Z"},
		{Type: evidence.EventClosed, At: "2026-05-08T12:34:56Z"},
	}
	f.repo.Issues[100] = pr
	long := f.repo.Issues[103]
	for i := range 101 { // more events than one page: REST reads the issue
		long.Timeline = append(long.Timeline, evidence.Event{Type: evidence.EventLabeled, At: "2026-05-01T00:00:00Z", Label: strings.Repeat("x", i+1)})
	}
	f.repo.Issues[103] = long
	a := prefetchAll(t, source(f), []verify.Target{refT(100), refT(103)})
	o := a[0].Observed
	if o.CreatedAt != "2026-05-01T08:00:00Z" || o.UpdatedAt != "2026-05-08T12:35:00Z" || !reflect.DeepEqual(o.Timeline, pr.Timeline) {
		t.Errorf("#100: created %s updated %s timeline %+v\nwant %+v", o.CreatedAt, o.UpdatedAt, o.Timeline, pr.Timeline)
	}
	if o.SHA != sha2 { // the fix checks read the merge commit from here, without asking
		t.Errorf("#100: merge commit %q, want %s", o.SHA, sha2)
	}
	if f.HitsOf("/repos/"+kk+"/issues/103") != 1 || f.HitsOf("/repos/"+kk+"/issues/100") != 0 {
		t.Errorf("REST requests %v; want only #103, whose timeline runs past a page", f.Counts().Hits)
	}
}

func TestBatchesHoldAtMostBatchSize(t *testing.T) {
	f := fixture(t)
	var targets []verify.Target
	for n := 1000; n < 1250; n++ {
		f.repo.Issues[n] = githubtest.Issue{Number: n, State: "open", Title: "many"}
		targets = append(targets, refT(n))
	}
	for _, a := range prefetchAll(t, source(f), targets) {
		if !a.Found || a.Observed.Title != "many" {
			t.Fatalf("answer %+v", a)
		}
	}
	if c := f.Counts(); c.GraphQL != 3 || c.Aliases != 250 || c.REST != 0 {
		t.Errorf("%d queries for %d targets, %d REST; want 3 for 250, none", c.GraphQL, c.Aliases, c.REST)
	}
}

func TestBatchFailuresFallBackToREST(t *testing.T) {
	f := fixture(t)
	f.Break("/repos/"+kk+"/issues/101", githubtest.Status(http.StatusBadGateway))
	s := source(f, WithRetries(0))
	s.Prefetch(context.Background(), []verify.Target{refT(100), refT(101)})
	if _, err := s.Fetch(context.Background(), refT(101)); err == nil || !strings.Contains(err.Error(), "502") {
		t.Errorf("#101, failing in GraphQL and REST: err = %v, want REST's 502", err)
	}
	if a := fetch(t, s, refT(100)); !a.Found || f.HitsOf("/repos/"+kk+"/issues/100") != 0 {
		t.Errorf("#100: %+v after %d REST requests; want the batch's answer", a, f.HitsOf("/repos/"+kk+"/issues/100"))
	}

	// A query GitHub fails as a whole: every target is asked over REST.
	g := fixture(t)
	g.Script("/graphql", githubtest.Status(http.StatusBadGateway))
	if a := prefetchAll(t, source(g, WithRetries(0)), []verify.Target{refT(100)}); !a[0].Found || g.HitsOf("/repos/"+kk+"/issues/100") != 1 {
		t.Errorf("after a failed query: %+v, %d REST requests", a[0], g.HitsOf("/repos/"+kk+"/issues/100"))
	}
}

func TestFailingBatchesStopEarly(t *testing.T) {
	f := fixture(t)
	var targets []verify.Target
	for n := 1000; n < 1500; n++ {
		f.repo.Issues[n] = githubtest.Issue{Number: n, State: "open", Title: "many"}
		targets = append(targets, refT(n))
	}
	f.Script("/graphql", githubtest.Always(10, githubtest.Status(http.StatusUnauthorized))...)
	s := source(f)
	s.Prefetch(context.Background(), targets)
	if c := f.Counts(); c.GraphQL > 2 || c.GraphQL == 0 {
		t.Errorf("%d queries after the first failed, want at most the two in flight", c.GraphQL)
	}
	// Without a token GitHub's GraphQL answers no one: REST only, from the start.
	g := fixture(t)
	g.Token = ""
	prefetchAll(t, New(WithBaseURL(g.URL), WithClock(g.clock.Now, g.clock.Sleep)), []verify.Target{refT(100), commitT(sha1)})
	if c := g.Counts(); c.GraphQL != 0 || c.REST != 2 {
		t.Errorf("without a token: %d queries, %d REST requests; want 0 and 2", c.GraphQL, c.REST)
	}
}

func TestGraphQLRateLimitsAreWaitedOut(t *testing.T) {
	for name, fl := range map[string]githubtest.Fault{
		"secondary 403":     githubtest.SecondaryLimit(5),
		"429":               githubtest.TooMany(5),
		"RATE_LIMITED 200":  githubtest.GraphQLRateLimited(5 * time.Second),
		"502, then retried": githubtest.Status(http.StatusBadGateway),
	} {
		t.Run(name, func(t *testing.T) {
			f := fixture(t)
			f.Script("/graphql", fl)
			a := prefetchAll(t, source(f), []verify.Target{refT(100)})
			if c := f.Counts(); !a[0].Found || c.GraphQL != 2 || c.REST != 0 {
				t.Errorf("%+v after %d queries, %d REST requests; want the second query's answer", a[0], c.GraphQL, c.REST)
			}
			if sl := f.clock.Sleeps(); len(sl) != 1 || sl[0] < time.Second {
				t.Errorf("slept %v, want one wait", sl)
			}
		})
	}
	f := fixture(t)
	f.Script("/graphql", githubtest.GraphQLRateLimited(time.Hour))
	s := source(f)
	s.Prefetch(context.Background(), []verify.Target{refT(100)})
	var rl *verify.RateLimitError
	if _, err := s.Fetch(context.Background(), refT(100)); !errors.As(err, &rl) {
		t.Errorf("after an hour-long GraphQL limit: err = %v, want *verify.RateLimitError", err)
	}
	if c := f.Counts(); c.REST != 0 {
		t.Errorf("%d REST requests after the limit", c.REST)
	}
}

func TestEnterpriseGraphQLURL(t *testing.T) {
	f := fixture(t)
	mux := http.NewServeMux()
	mux.Handle("/api/v3/", http.StripPrefix("/api/v3", f.Handler()))
	mux.Handle("/api/graphql", http.StripPrefix("/api", f.Handler()))
	ghe := httptest.NewServer(mux)
	defer ghe.Close()
	s := New(WithBaseURL(ghe.URL+"/api/v3"), WithToken(testToken), WithClock(f.clock.Now, f.clock.Sleep))
	if a := prefetchAll(t, s, []verify.Target{refT(103)}); a[0].Observed.Kind != "issue" || f.Counts().GraphQL != 1 {
		t.Errorf("through /api/graphql: %+v, %d queries", a[0], f.Counts().GraphQL)
	}
	for base, want := range map[string]string{"https://api.github.com/": "https://api.github.com/graphql",
		"https://ghe.example.com/api/v3/": "https://ghe.example.com/api/graphql"} {
		if got := New(WithBaseURL(base)).gqlURL; got != want {
			t.Errorf("GraphQL URL for %s = %s, want %s", base, got, want)
		}
	}
}

// rerun makes each target's Prev what a run recorded from answers, checked at.
func rerun(targets []verify.Target, answers []verify.Answer, checked string) []verify.Target {
	out := make([]verify.Target, len(targets))
	for i, tg := range targets {
		a := answers[i]
		tg.Prev = &evidence.Entry{Observed: a.Observed, ETag: a.ETag, Source: evidence.SourceGitHub, CheckedAt: checked}
		out[i] = tg
	}
	return out
}

func TestRerunOfUnchangedTargetsCostsNothing(t *testing.T) {
	f := fixture(t)
	targets := []verify.Target{refT(100), refT(102), refT(103), commitT(sha1), commitT(sha2[:10]),
		fileT(evictionPath, "2026-05-10"), fileT(evictionPath, sha1), fileT(evictionPath, sha1[:8]), fileT(evictionPath, ""),
		fileT("crlf.txt", ""), fileT("no/such.go", sha2)}
	for _, n := range []int{100, 102, 103} {
		is := f.repo.Issues[n]
		is.CreatedAt, is.UpdatedAt = "2026-05-01T10:00:00Z", "2026-05-10T10:00:00Z"
		f.repo.Issues[n] = is
	}
	first := prefetchAll(t, source(f), targets)
	f.Take()
	// The lock was written two days after 2026-05-10 ended: that day's last commit is final.
	next := rerun(targets, first, "2026-05-13T00:00:00Z")
	second := prefetchAll(t, source(f), next)
	c := f.Take()
	if c.Points != 0 || c.GraphQL != 0 {
		t.Errorf("re-run: %d points, %d GraphQL queries; want none", c.Points, c.GraphQL)
	}
	// Three PRs and issues asked "modified since?"; the head, once, "still this SHA?".
	if c.REST != 4 || len(c.NotMod) != 4 || c.Hits["/repos/"+kk+"/commits/HEAD"] != 1 {
		t.Errorf("re-run: %d REST requests %v, %d answered 304; want 4 304s", c.REST, c.Hits, len(c.NotMod))
	}
	for i, a := range second {
		if !a.NotModified && !a.Cached {
			t.Errorf("%s at %q: %+v, want unchanged", targets[i].Ref, targets[i].At, a)
		}
		if a.Found != first[i].Found || a.Observed.SHA != first[i].Observed.SHA || a.Text != nil {
			t.Errorf("%s at %q: %+v; want the lock's answer without text", targets[i].Ref, targets[i].At, a)
		}
	}

	// Then the branch moves and #103 gains a label: those are read again, the rest stays free.
	f.Mu.Lock()
	sha4 := strings.Repeat("c4", 20)
	f.repo.Commits = append([]githubtest.Commit{{SHA: sha4, Author: "Dan", Message: "Fourth", Date: time.Date(2026, 5, 13, 9, 0, 0, 0, time.UTC)}}, f.repo.Commits...)
	f.repo.Files[sha4] = map[string]string{evictionPath: "package eviction\n\n// v4\n", "crlf.txt": "a\r\nb\r\n"}
	is := f.repo.Issues[103]
	is.Labels, is.UpdatedAt = append(is.Labels, "triage/accepted"), "2026-05-12T10:00:00Z"
	f.repo.Issues[103] = is
	f.Mu.Unlock()
	next[2].History = true // #103 claimed as of a date: its timeline comes in the batch, not over REST
	third := prefetchAll(t, source(f), next)
	c = f.Take()
	if n := c.Hits["/repos/"+kk+"/issues/103/timeline?per_page=100"]; n != 0 || third[2].Observed.CreatedAt == "" {
		t.Errorf("#103 changed: %d REST timeline requests, created %q; want the batch's history", n, third[2].Observed.CreatedAt)
	}
	if c.GraphQL != 2 || c.Aliases != 3 {
		t.Errorf("after changes: %d GraphQL queries for %d targets, want 2 for 3 (#103, then the two files at the new head)", c.GraphQL, c.Aliases)
	}
	if got := third[2].Observed.Labels; !reflect.DeepEqual(got, []string{"kind/flake", "sig/node", "triage/accepted"}) || third[2].NotModified || third[2].ETag == "" {
		t.Errorf("#103 after a label: %+v", third[2])
	}
	if h := third[8]; h.Observed.SHA != sha4 || !reflect.DeepEqual(h.Text, []string{"package eviction", "", "// v4"}) {
		t.Errorf("file at the moved head: %+v", h)
	}
	if third[0].NotModified != true || third[5].Cached != true {
		t.Errorf("unchanged targets after the changes: %+v, %+v", third[0], third[5])
	}
}

// TestQueryText checks what GitHub's validator would refuse: unbalanced braces, an unused
// fragment, a fragment defined twice, a string not escaped.
func TestQueryText(t *testing.T) {
	noop := func(json.RawMessage, bool) {}
	q, aliases := query([]*gqlTarget{
		{owner: "kubernetes", name: "kubernetes", field: "issueOrPullRequest(number: 1) { ...ref }", fragment: "ref", done: noop},
		{owner: "kubernetes", name: "test-infra", field: "object(expression: " + gqlString("main:a \"quoted\"\\path") + ") { ...blob }", fragment: "blob", done: noop},
		{owner: "kubernetes", name: "kubernetes", field: "issueOrPullRequest(number: 2) { ...ref }", fragment: "ref", done: noop},
	})
	if strings.Count(q, "{") != strings.Count(q, "}") {
		t.Errorf("unbalanced braces:\n%s", q)
	}
	for name, want := range map[string]int{"ref": 1, "blob": 1, "commit": 0, "head": 0} {
		if got := strings.Count(q, "fragment "+name+" on"); got != want {
			t.Errorf("fragment %s defined %d times, want %d:\n%s", name, got, want, q)
		}
	}
	if !strings.Contains(q, `object(expression: "main:a \"quoted\"\\path")`) {
		t.Errorf("the path is not escaped as a GraphQL string:\n%s", q)
	}
	// One block per repository, in first-seen order; aliases unique across the query.
	if len(aliases) != 2 || len(aliases["r0"]) != 2 || len(aliases["r1"]) != 1 ||
		strings.Index(q, `r0: repository(owner: "kubernetes", name: "kubernetes")`) > strings.Index(q, `r1: repository(owner: "kubernetes", name: "test-infra")`) {
		t.Errorf("aliases %v for\n%s", aliases, q)
	}
	issue, pr, _ := strings.Cut(fragRef, "... on PullRequest")
	if !strings.Contains(pr, " prState: state ") || strings.Contains(strings.ReplaceAll(pr, "prState: state", ""), " state ") {
		t.Errorf("a PR's state must be aliased: IssueState and PullRequestState cannot share a response key")
	}
	for _, event := range []string{"MergedEvent", "ConvertToDraftEvent", "ReadyForReviewEvent"} {
		if strings.Contains(issue, event) || !strings.Contains(pr, event) {
			t.Errorf("%s: an issue's timeline cannot hold it, a PR's must ask for it", event)
		}
	}
	for _, f := range []string{fragRef, fragCommit, fragBlob, fragHead} {
		if strings.Count(f, "{") != strings.Count(f, "}") || strings.Contains(f, "\n") {
			t.Errorf("fragment is not one balanced line: %s", f)
		}
	}
}
