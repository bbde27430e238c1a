package checkout

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triagesite/triagesite/internal/citation"
	"github.com/triagesite/triagesite/internal/claim"
	"github.com/triagesite/triagesite/internal/evidence"
	"github.com/triagesite/triagesite/internal/verify"
)

// merges is a main branch that got PR #12 by a merge commit on May 12, PR #1234 on May 13,
// and a squashed change whose subject names #77 without being a merge.
type merges struct {
	*fixture
	base, side, merge12 string
}

func mergeHistory(t *testing.T) merges {
	f := newFixture(t)
	m := merges{fixture: f}
	m.base = f.commit("2026-05-08T09:00:00Z", "Add file", map[string]string{"f.go": "base\n"})
	f.git("", "checkout", "-q", "-b", "fix")
	m.side = f.commit("2026-05-09T09:00:00Z", "Fix the flake", map[string]string{"f.go": "fixed\n"})
	f.git("", "checkout", "-q", "main")
	f.git("2026-05-12T10:30:00Z", "merge", "-q", "--no-ff", "-m", "Merge pull request #12 from someone/fix\n\nFix the flake", "fix")
	m.merge12 = f.git("", "rev-parse", "HEAD")
	f.git("", "checkout", "-q", "-b", "other", m.base)
	f.commit("2026-05-12T11:00:00Z", "Other work", map[string]string{"g.go": "g\n"})
	f.git("", "checkout", "-q", "main")
	f.git("2026-05-13T08:00:00Z", "merge", "-q", "--no-ff", "-m", "Merge pull request #1234 from someone/other", "other")
	f.commit("2026-05-14T08:00:00Z", "Squashed change (#77)", map[string]string{"h.go": "h\n"})
	return m
}

func prTarget(t *testing.T, cite string) verify.Target {
	t.Helper()
	ref, err := citation.Parse(cite)
	if err != nil {
		t.Fatal(err)
	}
	return verify.Target{Ref: ref}
}

func TestPullRequestMergedFromMergeCommit(t *testing.T) {
	m := mergeHistory(t)
	s := New(map[string]string{repoName: m.dir}, WithPullRequests())
	a := fetch(t, s, prTarget(t, "kubernetes/test-infra#12"))
	want := evidence.Observed{Exists: true, Kind: "pr", State: "closed", Merged: true, MergedAt: "2026-05-12T10:30:00Z", SHA: m.merge12}
	if !a.Found || a.Observed.Exists != want.Exists || a.Observed.Kind != want.Kind || !a.Observed.Merged ||
		a.Observed.MergedAt != want.MergedAt || a.Observed.SHA != want.SHA {
		t.Fatalf("observed = %+v, want %+v", a.Observed, want)
	}
	ref := prTarget(t, "kubernetes/test-infra#12").Ref
	for _, c := range []struct {
		claim claim.Claim
		want  evidence.Status
		msg   string
	}{
		{claim.Claim{State: "merged", MergedAt: "2026-05-12"}, evidence.Verified, "merged at 2026-05-12T10:30:00Z"},
		{claim.Claim{State: "merged", MergedAt: "2026-05-11"}, evidence.Contradicted, "landed at 2026-05-12T10:30:00Z"},
		// GitHub stamps merged_at apart from the merge commit, a second or so later.
		{claim.Claim{MergedAt: "2026-05-12T10:30:01Z"}, evidence.Verified, "merged at 2026-05-12T10:30:00Z"},
		{claim.Claim{MergedAt: "2026-05-12T10:35:00Z"}, evidence.Contradicted, "claimed merged at 2026-05-12T10:35:00Z"},
		{claim.Claim{Kind: "issue"}, evidence.Contradicted, "claimed an issue"},
		{claim.Claim{State: "draft"}, evidence.Unverifiable, "whether it was draft"},
		// As of a day: merged by then, or not yet (judgeMergeCommitOn).
		{claim.Claim{State: "merged", AsOf: "2026-05-12"}, evidence.Verified, "as of 2026-05-12: pr merged at 2026-05-12T10:30:00Z"},
		{claim.Claim{State: "merged", AsOf: "2026-05-11"}, evidence.Contradicted, "its merge commit landed at 2026-05-12T10:30:00Z, after 2026-05-11"},
		{claim.Claim{State: "draft", AsOf: "2026-05-11"}, evidence.Unverifiable, "a merge commit cannot show its state on 2026-05-11"},
		{claim.Claim{State: "open", AsOf: "2026-05-13"}, evidence.Contradicted, "claimed open, but it had merged"},
		{claim.Claim{State: "merged", Labels: []string{"lgtm"}}, evidence.Unverifiable, "its labels"},
	} {
		st, msg, _ := verify.Judge(ref, c.claim, a)
		if st != c.want || !strings.Contains(msg, c.msg) {
			t.Errorf("Judge(%+v) = %s %q, want %s containing %q", c.claim, st, msg, c.want, c.msg)
		}
	}
}

// TestPullRequestWithoutMergeCommitIsNoAnswer: a squash merge, an open PR and an issue all
// lack a merge commit, so the checkout must pass rather than say "missing" or "open".
func TestPullRequestWithoutMergeCommitIsNoAnswer(t *testing.T) {
	m := mergeHistory(t)
	s := New(map[string]string{repoName: m.dir}, WithPullRequests())
	for _, cite := range []string{"kubernetes/test-infra#77", "kubernetes/test-infra#123", "kubernetes/test-infra#1"} {
		if _, err := s.Fetch(context.Background(), prTarget(t, cite)); !errors.Is(err, verify.ErrCannotAnswer) {
			t.Errorf("%s: err = %v, want ErrCannotAnswer", cite, err)
		}
	}
	// #1234's merge is there, and #123 must not be read off it.
	if a := fetch(t, s, prTarget(t, "kubernetes/test-infra#1234")); a.Observed.MergedAt != "2026-05-13T08:00:00Z" {
		t.Errorf("#1234 merged at %q, want 2026-05-13T08:00:00Z", a.Observed.MergedAt)
	}
}

func TestPullRequestsOnlyWhenAsked(t *testing.T) {
	m := mergeHistory(t)
	if _, err := m.source().Fetch(context.Background(), prTarget(t, "kubernetes/test-infra#12")); !errors.Is(err, verify.ErrCannotAnswer) {
		t.Errorf("without WithPullRequests: err = %v, want ErrCannotAnswer", err)
	}
}

func TestPullRequestNumberMergedTwiceIsNoAnswer(t *testing.T) {
	m := mergeHistory(t)
	m.git("", "checkout", "-q", "-b", "again", m.base)
	m.commit("2026-05-15T08:00:00Z", "Imported work", map[string]string{"i.go": "i\n"})
	m.git("", "checkout", "-q", "main")
	m.git("2026-05-15T09:00:00Z", "merge", "-q", "--no-ff", "-m", "Merge pull request #12 from elsewhere/imported", "again")
	s := New(map[string]string{repoName: m.dir}, WithPullRequests())
	if _, err := s.Fetch(context.Background(), prTarget(t, "kubernetes/test-infra#12")); !errors.Is(err, verify.ErrCannotAnswer) {
		t.Errorf("two merge commits for #12: err = %v, want ErrCannotAnswer", err)
	}
}

// TestBareMirror reads a bare clone, as a mirror is: no work tree, branches under refs/heads.
func TestBareMirror(t *testing.T) {
	m := mergeHistory(t)
	bare := filepath.Join(t.TempDir(), "repo.git")
	m.git("", "clone", "-q", "--mirror", m.dir, bare)
	s := New(map[string]string{repoName: bare}, WithPullRequests())
	if a := fetch(t, s, prTarget(t, "kubernetes/test-infra#12")); a.Observed.SHA != m.merge12 {
		t.Errorf("bare: #12 merged by %q, want %s", a.Observed.SHA, m.merge12)
	}
	tg := fileTarget(t, "kubernetes/test-infra:f.go:1", "2026-05-11")
	tg.Branch = "main"
	if a := fetch(t, s, tg); !a.Found || len(a.Text) != 1 || a.Text[0] != "base" {
		t.Errorf("bare: f.go on May 11 = %+v, want base", a)
	}
}

func TestIsAncestor(t *testing.T) {
	m := mergeHistory(t)
	s := m.source()
	ctx := context.Background()
	for _, c := range []struct {
		anc, desc string
		is, ok    bool
	}{
		{m.merge12, "HEAD", true, true},
		{m.side, m.merge12, true, true},
		{m.merge12, m.base, false, true},
		{m.merge12, m.side, false, true},
		{"0123456789abcdef0123456789abcdef01234567", m.merge12, false, false},
	} {
		desc := c.desc
		if desc == "HEAD" {
			desc = m.git("", "rev-parse", "HEAD")
		}
		is, ok, err := s.IsAncestor(ctx, repoName, c.anc, desc)
		if err != nil || is != c.is || ok != c.ok {
			t.Errorf("IsAncestor(%.8s, %.8s) = %v, %v, %v; want %v, %v", c.anc, desc, is, ok, err, c.is, c.ok)
		}
	}
	if _, ok, err := s.IsAncestor(ctx, "kubernetes/other", m.base, m.merge12); ok || err != nil {
		t.Errorf("no checkout: ok=%v err=%v, want not ok", ok, err)
	}
}
