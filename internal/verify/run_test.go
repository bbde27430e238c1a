package verify_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/triagesite/triagesite/internal/citation"
	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/evidence"
	"github.com/triagesite/triagesite/internal/txtarfs"
	"github.com/triagesite/triagesite/internal/verify"
)

func tree(t *testing.T) *content.Tree {
	t.Helper()
	base, err := os.ReadFile("../content/testdata/minimal.txtar")
	if err != nil {
		t.Fatal(err)
	}
	claims, err := os.ReadFile("testdata/claims.txtar")
	if err != nil {
		t.Fatal(err)
	}
	tr, err := content.Load(txtarfs.FS(string(base), string(claims)), "content")
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// fakeGitHub answers PRs, issues, commits and files like GitHub would, counting fetches.
type fakeGitHub struct {
	mu      sync.Mutex
	fetches map[string]int
	fail    map[string]error
}

func (f *fakeGitHub) Name() string { return "github" }

func (f *fakeGitHub) Fetch(_ context.Context, t verify.Target) (verify.Answer, error) {
	f.mu.Lock()
	f.fetches[t.Ref.String()]++
	f.mu.Unlock()
	if err := f.fail[t.Ref.String()]; err != nil {
		return verify.Answer{}, err
	}
	a := verify.Answer{Source: "github", Found: true}
	o := &a.Observed
	o.Exists = true
	switch t.Ref.Kind {
	case citation.KindRef:
		switch t.Ref.Number {
		case 1:
			*o = evidence.Observed{Exists: true, Kind: "pr", State: "closed", Merged: true, MergedAt: "2026-05-10T04:57:45Z"}
		case 2:
			*o = evidence.Observed{Exists: true, Kind: "pr", State: "closed"} // closed without merging
		case 3:
			*o = evidence.Observed{Exists: true, Kind: "pr", State: "open", Draft: true, Labels: []string{"do-not-merge/work-in-progress"}}
		case 4:
			*o = evidence.Observed{Exists: true, Kind: "pr", State: "open", Labels: []string{"lgtm"}}
		case 5:
			*o = evidence.Observed{Exists: true, Kind: "issue", State: "open"}
		case 6:
			*o = evidence.Observed{Exists: true, Kind: "pr", State: "closed", Merged: true, MergedAt: "2026-05-10T04:58:00Z"}
		case 404:
			return verify.Answer{Source: "github"}, nil
		default:
			return verify.Answer{}, errors.New("500 Internal Server Error after 3 retries")
		}
	case citation.KindCommit:
		if t.Ref.SHA == "0000000000" {
			return verify.Answer{Source: "github"}, nil
		}
		o.SHA, o.Author, o.Date = t.Ref.SHA+"ffffffff", "Davanum Srinivas", "2026-05-10T20:19:15Z"
	case citation.KindFile:
		if t.Ref.Path != "pkg/a.go" {
			return verify.Answer{Source: "github"}, nil
		}
		o.SHA = "abc123abc123abc123"
		a.Text = []string{"package a", "", "func f() {", "\ttimeout := 10 * time.Second", "}"}
	default:
		return verify.Answer{}, verify.ErrCannotAnswer
	}
	return a, nil
}

// fakeGCS serves build logs.
type fakeGCS struct{}

func (fakeGCS) Name() string { return "gcs" }

func (fakeGCS) Fetch(_ context.Context, t verify.Target) (verify.Answer, error) {
	if t.Ref.Kind != citation.KindBuild {
		return verify.Answer{}, verify.ErrCannotAnswer
	}
	if strings.HasSuffix(t.Ref.Object, "282") {
		return verify.Answer{Source: "gcs"}, nil
	}
	a := verify.Answer{Source: "gcs", Found: true, QuoteAt: map[string][]int{}}
	a.Observed = evidence.Observed{Exists: true, Object: "gs://" + t.Ref.Bucket + "/" + t.Ref.Object + "/build-log.txt"}
	for _, q := range t.Quotes {
		if strings.HasPrefix(q, "FAIL") {
			a.QuoteAt[q] = []int{7}
		}
	}
	return a, nil
}

func run(t *testing.T, gh *fakeGitHub, prev *evidence.Lock) *verify.Report {
	t.Helper()
	now := func() time.Time { return time.Date(2026, 5, 11, 0, 0, 0, 0, time.UTC) }
	return verify.Run(context.Background(), tree(t), prev, verify.Options{Sources: []verify.Source{gh, fakeGCS{}}, Now: now, Concurrency: 3})
}

func newGH() *fakeGitHub { return &fakeGitHub{fetches: map[string]int{}, fail: map[string]error{}} }

// TestEveryStatus runs claims wrong in each distinct way and checks every verdict.
func TestEveryStatus(t *testing.T) {
	gh := newGH()
	rep := run(t, gh, evidence.New(nil))
	want := map[string]string{ // target + claim fragment → status and a message fragment
		"kubernetes/kubernetes#1 merged":                                "verified",
		"kubernetes/kubernetes#1 {}":                                    "verified",
		"kubernetes/kubernetes#2 merged":                                "contradicted|claimed merged, but it is closed",
		"kubernetes/kubernetes#3 draft":                                 "verified",
		"kubernetes/kubernetes#4 needs-ok-to-test":                      "contradicted|claimed label needs-ok-to-test",
		"kubernetes/kubernetes#5 issue":                                 "verified",
		"kubernetes/kubernetes#6 merged":                                "contradicted|claimed merged at 2026-05-10T04:57:45Z",
		"kubernetes/kubernetes#404 {}":                                  "missing",
		"kubernetes/kubernetes#500 {}":                                  "error|500",
		"kubernetes/kubernetes@4c7f84c517c Davanum":                     "verified",
		"kubernetes/kubernetes@daa2e07f08c Someone":                     "contradicted|claimed author Someone Else",
		"kubernetes/kubernetes@0000000000 {}":                           "missing",
		"kubernetes/kubernetes:pkg/a.go:3 quote":                        "contradicted|it is on line 4",
		"kubernetes/kubernetes:pkg/a.go:2 quote":                        "contradicted|it is on line 4",
		"kubernetes/kubernetes:pkg/a.go:40 2026":                        "missing|past the end",
		"kubernetes/kubernetes:pkg/missing.go:1 2026":                   "missing",
		"gs://kubernetes-ci-logs/logs/job-a/2053609951732961280 FAIL":   "verified|line 7",
		"gs://kubernetes-ci-logs/logs/job-a/2053609951732961281 not in": "contradicted|not in the build log",
		"gs://kubernetes-ci-logs/logs/job-a/2053609951732961282 job-a":  "missing",
		"other/repo#9 {}":                                               "error",
	}
	for key, w := range want {
		target, frag, _ := strings.Cut(key, " ")
		status, msg, _ := strings.Cut(w, "|")
		found := false
		for _, r := range rep.Results {
			claim := r.Claim.Key(citation.Ref{})
			if r.Target != target || !(frag == "{}" && claim == "" || frag != "{}" && strings.Contains(claim, frag)) {
				continue
			}
			found = true
			if string(r.Status) != status || !strings.Contains(r.Message, msg) {
				t.Errorf("%s: got %s %q, want %s containing %q", key, r.Status, r.Message, status, msg)
			}
			if len(r.Locations) == 0 || !strings.HasPrefix(r.Locations[0].File, "content/patterns/p.yaml") {
				t.Errorf("%s: locations %v", key, r.Locations)
			}
		}
		if !found {
			t.Errorf("no result for %s", key)
		}
	}
	// Each distinct target is fetched once however often it is cited (k/k#1: three times;
	// pkg/a.go at one date: three claims on three lines). A file cited inline, without a
	// date, is read at the branch head: a second, different fetch.
	if n := gh.fetches["kubernetes/kubernetes:pkg/a.go:3"] + gh.fetches["kubernetes/kubernetes:pkg/a.go:2"] + gh.fetches["kubernetes/kubernetes:pkg/a.go:40"]; n != 1 {
		t.Errorf("pkg/a.go at 2026-05-10 fetched %d times", n)
	}
	for target, n := range gh.fetches {
		if n != 1 && !strings.Contains(target, "a_test.go") {
			t.Errorf("%s fetched %d times", target, n)
		}
	}
}

// TestFailedRunKeepsEvidence: what a later run could not refresh stays in the lock, and is
// reported from the lock rather than invented. The two failures run separately: with both in
// one run, a rate limit met first stops the run before the other target is asked at all, and
// that target is then rightly reported from the lock.
func TestFailedRunKeepsEvidence(t *testing.T) {
	first := run(t, newGH(), evidence.New(nil))
	// kept checks that every entry the first run recorded for target is still in the lock.
	kept := func(t *testing.T, second *verify.Report, target string) {
		t.Helper()
		n := 0
		for _, a := range first.Lock.Entries {
			if a.Target != target {
				continue
			}
			n++
			b, ok := second.Lock.Get(a.Key)
			if !ok || a.Status != b.Status || a.CheckedAt != b.CheckedAt || a.Observed.State != b.Observed.State {
				t.Errorf("entry %s was not kept: before %+v after %+v", a.Key, a, b)
			}
		}
		if n == 0 {
			t.Fatalf("the first run recorded nothing for %s", target)
		}
	}
	t.Run("source error", func(t *testing.T) {
		gh := newGH()
		gh.fail["kubernetes/kubernetes#1"] = errors.New("502 Bad Gateway after 3 retries")
		second := run(t, gh, first.Lock)
		kept(t, second, "kubernetes/kubernetes#1")
		seen := false
		for _, r := range second.Results {
			if r.Target == "kubernetes/kubernetes#1" {
				seen = true
				if r.Status != evidence.Error {
					t.Errorf("a failing source must give error, got %s", r.Status)
				}
			}
		}
		if !seen {
			t.Error("no result for kubernetes/kubernetes#1")
		}
	})
	t.Run("long rate limit", func(t *testing.T) {
		gh := newGH()
		gh.fail["kubernetes/kubernetes#2"] = &verify.RateLimitError{Until: time.Date(2026, 5, 11, 1, 0, 0, 0, time.UTC)}
		second := run(t, gh, first.Lock)
		if second.Stopped == nil {
			t.Error("a long rate limit did not stop the run")
		}
		kept(t, second, "kubernetes/kubernetes#2")
	})
}

// TestLockDropsUncited: entries for citations no longer cited go.
func TestLockDropsUncited(t *testing.T) {
	stale := evidence.Entry{Key: "kubernetes/kubernetes#999999", Target: "kubernetes/kubernetes#999999", Status: evidence.Verified}
	rep := run(t, newGH(), evidence.New([]evidence.Entry{stale}))
	if _, ok := rep.Lock.Get(stale.Key); ok {
		t.Error("an entry for a citation no longer cited was kept")
	}
}

// TestNoSourceIsUnverifiable: with nothing to ask, nothing is verified, and the lock holds
// no invented evidence.
func TestNoSourceIsUnverifiable(t *testing.T) {
	rep := verify.Run(context.Background(), tree(t), evidence.New(nil), verify.Options{})
	for _, r := range rep.Results {
		if r.Status != evidence.Unverifiable || r.Source != evidence.SourceNone {
			t.Errorf("%s: %s from %s, want unverifiable from none", r.Target, r.Status, r.Source)
		}
	}
	if len(rep.Lock.Entries) != 0 {
		t.Errorf("the lock recorded %d entries with no source answering", len(rep.Lock.Entries))
	}
}

func mustParse(t *testing.T, s string) citation.Ref {
	r, err := citation.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
