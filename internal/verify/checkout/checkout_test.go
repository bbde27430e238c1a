package checkout

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/triagesite/triagesite/internal/citation"
	"github.com/triagesite/triagesite/internal/claim"
	"github.com/triagesite/triagesite/internal/evidence"
	"github.com/triagesite/triagesite/internal/verify"
)

const repoName = "kubernetes/test-infra"

// fixture is a temporary git repository with deterministic commits.
type fixture struct {
	t   *testing.T
	dir string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{t: t, dir: t.TempDir()}
	f.git("", "init", "-q", "-b", "main")
	return f
}

// git runs git in the fixture with the user's configuration shut out, committing as
// a fixed author at date (RFC 3339) when one is given.
func (f *fixture) git(date string, args ...string) string {
	f.t.Helper()
	cmd := exec.Command("git", append([]string{"-C", f.dir}, args...)...)
	cmd.Env = append(ownEnv(), "GIT_CONFIG_GLOBAL="+os.DevNull, "GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=Paco Xu", "GIT_AUTHOR_EMAIL=paco@example.com",
		"GIT_COMMITTER_NAME=Merge Bot", "GIT_COMMITTER_EMAIL=bot@example.com",
		"GIT_AUTHOR_DATE="+date, "GIT_COMMITTER_DATE="+date)
	out, err := cmd.CombinedOutput()
	if err != nil {
		f.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// commit writes files (path -> content) and commits them at date; it returns the SHA.
func (f *fixture) commit(date, title string, files map[string]string) string {
	f.t.Helper()
	for path, content := range files {
		full := filepath.Join(f.dir, path)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			f.t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			f.t.Fatal(err)
		}
	}
	f.git("", "add", "-A")
	f.git(date, "commit", "-q", "--allow-empty", "-m", title)
	return f.git("", "rev-parse", "HEAD")
}

func (f *fixture) source() *Source { return New(map[string]string{repoName: f.dir}) }

func fileTarget(t *testing.T, cite, at string) verify.Target {
	t.Helper()
	ref, err := citation.Parse(cite)
	if err != nil {
		t.Fatal(err)
	}
	return verify.Target{Ref: ref, At: at}
}

func fetch(t *testing.T, s *Source, tg verify.Target) verify.Answer {
	t.Helper()
	a, err := s.Fetch(context.Background(), tg)
	if err != nil {
		t.Fatalf("Fetch(%s at %q): %v", tg.Ref, tg.At, err)
	}
	if a.Source != evidence.SourceCheckout {
		t.Errorf("Source = %q, want %q", a.Source, evidence.SourceCheckout)
	}
	return a
}

// history is three days of one file: v1 on May 8, v2 on May 10, v3 on May 11.
func history(t *testing.T) (*fixture, []string) {
	f := newFixture(t)
	shas := []string{
		f.commit("2026-05-08T09:00:00Z", "Add config", map[string]string{"config/jobs.yaml": "version: v1\n"}),
		f.commit("2026-05-10T22:30:00Z", "Bump config", map[string]string{"config/jobs.yaml": "version: v2\n"}),
		f.commit("2026-05-11T00:30:00Z", "Bump config again", map[string]string{"config/jobs.yaml": "version: v3\n"}),
	}
	return f, shas
}

func TestFileAtDateReadsThatDaysCommit(t *testing.T) {
	f, shas := history(t)
	for _, c := range []struct{ at, want, sha string }{
		{"2026-05-10", "version: v2", shas[1]},
		{"2026-05-09", "version: v1", shas[0]},
		{"2026-05-10T12:00:00Z", "version: v1", shas[0]},
		{"2026-06-01", "version: v3", shas[2]},
		{"", "version: v3", shas[2]},
	} {
		a := fetch(t, f.source(), fileTarget(t, "kubernetes/test-infra:config/jobs.yaml:1", c.at))
		if !a.Found || !a.Observed.Exists || !slices.Equal(a.Text, []string{c.want}) || a.Observed.SHA != c.sha {
			t.Errorf("at %q: found=%v text=%q sha=%s, want %q at %s", c.at, a.Found, a.Text, a.Observed.SHA, c.want, c.sha)
		}
	}
}

func TestFileAtSHA(t *testing.T) {
	f, shas := history(t)
	a := fetch(t, f.source(), fileTarget(t, "kubernetes/test-infra:config/jobs.yaml:1", shas[0][:10]))
	if !a.Found || !slices.Equal(a.Text, []string{"version: v1"}) || a.Observed.SHA != shas[0] {
		t.Errorf("answer = %+v, want v1 at %s", a, shas[0])
	}
}

func TestFileAtDateFollowsTheBranchNotMergedSideCommits(t *testing.T) {
	f := newFixture(t)
	f.commit("2026-05-08T09:00:00Z", "Add file", map[string]string{"f.go": "base\n"})
	f.git("", "checkout", "-q", "-b", "feature")
	f.commit("2026-05-09T09:00:00Z", "Work on a branch", map[string]string{"f.go": "feature\n"})
	f.git("", "checkout", "-q", "main")
	f.git("2026-05-11T09:00:00Z", "merge", "-q", "--no-ff", "-m", "Merge feature", "feature")
	// The side commit is dated May 9, but main only got it on May 11.
	a := fetch(t, f.source(), fileTarget(t, "kubernetes/test-infra:f.go:1", "2026-05-10"))
	if !slices.Equal(a.Text, []string{"base"}) {
		t.Errorf("main on May 10 = %q, want base", a.Text)
	}
}

func TestFileOnNamedBranch(t *testing.T) {
	f, _ := history(t)
	f.git("", "branch", "release-1.0", "HEAD~2")
	tg := fileTarget(t, "kubernetes/test-infra:config/jobs.yaml:1", "")
	tg.Branch = "release-1.0"
	if a := fetch(t, f.source(), tg); !slices.Equal(a.Text, []string{"version: v1"}) {
		t.Errorf("release-1.0 = %q, want v1", a.Text)
	}
	tg.Branch = "no-such-branch"
	if _, err := f.source().Fetch(context.Background(), tg); err == nil || !strings.Contains(err.Error(), "no branch no-such-branch") {
		t.Errorf("err = %v, want no branch", err)
	}
}

func TestFileDefaultBranchIsOrigins(t *testing.T) {
	origin, _ := history(t)
	clone := &fixture{t: t, dir: filepath.Join(t.TempDir(), "clone")}
	origin.git("", "clone", "-q", origin.dir, clone.dir)
	clone.commit("2026-05-12T09:00:00Z", "Local work", map[string]string{"config/jobs.yaml": "version: local\n"})
	a := fetch(t, clone.source(), fileTarget(t, "kubernetes/test-infra:config/jobs.yaml:1", ""))
	if !slices.Equal(a.Text, []string{"version: v3"}) {
		t.Errorf("default branch = %q, want origin's v3, not the local commit", a.Text)
	}
}

func TestFileMissing(t *testing.T) {
	f, shas := history(t)
	f.commit("2026-05-12T09:00:00Z", "Add a directory", map[string]string{"config/sub/a.yaml": "a\n"})
	for _, c := range []struct{ cite, at string }{
		{"kubernetes/test-infra:config/nope.yaml:1", ""},
		{"kubernetes/test-infra:config/jobs.yaml:1", "2026-05-01"}, // before the first commit
		{"kubernetes/test-infra:config/jobs.yaml:1", "0123456789abcdef0123456789abcdef01234567"},
		{"kubernetes/test-infra:config/nope.yaml:1", shas[0]},
		{"kubernetes/test-infra:config/sub:1", ""}, // a directory is not a file
	} {
		a := fetch(t, f.source(), fileTarget(t, c.cite, c.at))
		if a.Found || a.Observed.Exists {
			t.Errorf("%s at %q: answer = %+v, want not found", c.cite, c.at, a)
		}
	}
}

func TestFileBadAt(t *testing.T) {
	f, _ := history(t)
	_, err := f.source().Fetch(context.Background(), fileTarget(t, "kubernetes/test-infra:config/jobs.yaml:1", "last tuesday"))
	if err == nil || !strings.Contains(err.Error(), "neither a date") {
		t.Errorf("err = %v, want a complaint about at", err)
	}
}

func TestCommit(t *testing.T) {
	f, shas := history(t)
	ref, _ := citation.Parse("kubernetes/test-infra@" + shas[1][:11])
	a := fetch(t, f.source(), verify.Target{Ref: ref})
	want := evidence.Observed{Exists: true, SHA: shas[1], Author: "Paco Xu", Date: "2026-05-10T22:30:00Z", Title: "Bump config"}
	if !a.Found || a.Observed.SHA != want.SHA || a.Observed.Author != want.Author || a.Observed.Date != want.Date || a.Observed.Title != want.Title {
		t.Errorf("observed = %+v, want %+v", a.Observed, want)
	}
	st, msg, _ := verify.Judge(ref, claim.Claim{Author: "paco xu", Date: "2026-05-10", Title: "Bump config"}, a)
	if st != evidence.Verified {
		t.Errorf("Judge = %s %q, want verified", st, msg)
	}
}

func TestCommitUnknown(t *testing.T) {
	f, _ := history(t)
	ref, _ := citation.Parse("kubernetes/test-infra@0123456789ab")
	a := fetch(t, f.source(), verify.Target{Ref: ref})
	if a.Found {
		t.Fatalf("answer = %+v, want not found", a)
	}
	if st, _, _ := verify.Judge(ref, claim.Claim{}, a); st != evidence.Missing {
		t.Errorf("Judge = %s, want missing", st)
	}
}

func TestShallowCheckoutCannotAnswerForOlderHistory(t *testing.T) {
	origin, shas := history(t)
	clone := &fixture{t: t, dir: filepath.Join(t.TempDir(), "clone")}
	origin.git("", "clone", "-q", "--depth=1", "file://"+origin.dir, clone.dir)
	s := clone.source()
	old, _ := citation.Parse("kubernetes/test-infra@" + shas[0])
	if _, err := s.Fetch(context.Background(), verify.Target{Ref: old}); !errors.Is(err, verify.ErrCannotAnswer) {
		t.Errorf("old commit: err = %v, want ErrCannotAnswer", err)
	}
	if _, err := s.Fetch(context.Background(), fileTarget(t, "kubernetes/test-infra:config/jobs.yaml:1", "2026-05-09")); !errors.Is(err, verify.ErrCannotAnswer) {
		t.Errorf("file before the shallow history: err = %v, want ErrCannotAnswer", err)
	}
	head, _ := citation.Parse("kubernetes/test-infra@" + shas[2])
	if a := fetch(t, s, verify.Target{Ref: head}); !a.Found {
		t.Errorf("the clone's own commit: answer = %+v, want found", a)
	}
}

func TestPartialCloneDoesNotFetch(t *testing.T) {
	origin, shas := history(t)
	origin.git("", "config", "uploadpack.allowFilter", "true")
	clone := &fixture{t: t, dir: filepath.Join(t.TempDir(), "clone")}
	origin.git("", "clone", "-q", "--filter=blob:none", "file://"+origin.dir, clone.dir)
	s := clone.source()
	// The checkout downloaded the blobs of its tip only; an older one must not be fetched.
	if _, err := s.Fetch(context.Background(), fileTarget(t, "kubernetes/test-infra:config/jobs.yaml:1", shas[0])); !errors.Is(err, verify.ErrCannotAnswer) {
		t.Errorf("older blob: err = %v, want ErrCannotAnswer", err)
	}
	if a := fetch(t, s, fileTarget(t, "kubernetes/test-infra:config/nope.yaml:1", shas[0])); a.Found {
		t.Errorf("missing path: answer = %+v, want not found (trees are all there)", a)
	}
	if a := fetch(t, s, fileTarget(t, "kubernetes/test-infra:config/jobs.yaml:1", "")); !slices.Equal(a.Text, []string{"version: v3"}) {
		t.Errorf("tip = %q, want v3", a.Text)
	}
}

func TestOtherReposAndKindsCannotAnswer(t *testing.T) {
	f, _ := history(t)
	for _, c := range []string{"kubernetes/kubernetes@0123456789ab", "kubernetes/kubernetes:go.mod:1", "kubernetes/test-infra#12", "gs://b/logs/job/2053226169234362368"} {
		ref, _ := citation.Parse(c)
		if _, err := f.source().Fetch(context.Background(), verify.Target{Ref: ref}); !errors.Is(err, verify.ErrCannotAnswer) {
			t.Errorf("%s: err = %v, want ErrCannotAnswer", c, err)
		}
	}
}

func TestBrokenCheckoutIsAnError(t *testing.T) {
	s := New(map[string]string{repoName: t.TempDir()}) // not a git repository
	ref, _ := citation.Parse("kubernetes/test-infra@0123456789ab")
	_, err := s.Fetch(context.Background(), verify.Target{Ref: ref})
	if err == nil || errors.Is(err, verify.ErrCannotAnswer) {
		t.Errorf("err = %v, want git's complaint", err)
	}
}

func TestJudgeOffByOneQuote(t *testing.T) {
	f := newFixture(t)
	f.commit("2026-05-09T09:00:00Z", "Add presubmit", map[string]string{"config/presubmits.yaml": strings.Join([]string{
		"presubmits:", "  kubernetes/kubernetes:", "  - name: pull-kubernetes-unit", "    always_run: true", "    timeout: 120m", ""}, "\r\n")})
	tg := fileTarget(t, "kubernetes/test-infra:config/presubmits.yaml:4", "2026-05-10")
	a := fetch(t, f.source(), tg)
	st, msg, o := verify.Judge(tg.Ref, claim.Claim{At: "2026-05-10", Quote: "timeout: 120m"}, a)
	if st != evidence.Contradicted || !strings.Contains(msg, "it is on line 5") || !slices.Equal(o.QuoteAt, []int{5}) || o.Lines != 5 {
		t.Errorf("Judge = %s %q (quote at %v, %d lines), want contradicted: on line 5 of 5", st, msg, o.QuoteAt, o.Lines)
	}
	tg.Ref.Lines[0] = citation.LineRange{Start: 5, End: 5}
	if st, msg, _ := verify.Judge(tg.Ref, claim.Claim{Quote: "timeout: 120m"}, a); st != evidence.Verified {
		t.Errorf("line 5: Judge = %s %q, want verified", st, msg)
	}
}

// TestCommitAsOfItsDay: a commit made on a side branch on May 9 and merged into main on
// May 11 was not on main at the end of May 10, though it existed.
func TestCommitAsOfItsDay(t *testing.T) {
	f := newFixture(t)
	f.commit("2026-05-08T09:00:00Z", "Add file", map[string]string{"f.go": "base\n"})
	f.git("", "checkout", "-q", "-b", "feature")
	side := f.commit("2026-05-09T09:00:00Z", "Work on a branch", map[string]string{"f.go": "feature\n"})
	f.git("", "checkout", "-q", "main")
	f.git("2026-05-11T09:00:00Z", "merge", "-q", "--no-ff", "-m", "Merge feature", "feature")
	ref, err := citation.Parse("kubernetes/test-infra@" + side[:10])
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		day  string
		want evidence.Status
		msg  string
	}{
		{"2026-05-10", evidence.Contradicted, "it was not on the default branch by the end of 2026-05-10"},
		{"2026-05-11", evidence.Verified, "on the default branch by then"},
		{"2026-05-08", evidence.Contradicted, "it was authored 2026-05-09T09:00:00Z, after 2026-05-08"},
	} {
		a := fetch(t, f.source(), verify.Target{Ref: ref, At: tc.day})
		st, msg, _ := verify.Judge(ref, claim.Claim{AsOf: tc.day}, a)
		if st != tc.want || !strings.Contains(msg, tc.msg) {
			t.Errorf("as of %s: %s %q; want %s %q", tc.day, st, msg, tc.want, tc.msg)
		}
	}
	if a := fetch(t, f.source(), verify.Target{Ref: ref}); a.Observed.BranchAt != "" {
		t.Errorf("undated: ancestry checked anyway: %+v", a.Observed)
	}
}
