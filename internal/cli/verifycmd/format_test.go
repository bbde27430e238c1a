package verifycmd_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/triagesite/triagesite/internal/cli/iostreams"
	"github.com/triagesite/triagesite/internal/cli/verifycmd"
	"github.com/triagesite/triagesite/internal/evidence"
)

// TestGitHubFormat: each place citing a contradicted or missing citation gets an annotation
// at its content path:line:col with what the source said, and the step summary lists them.
func TestGitHubFormat(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	h := newHarness(t)
	// #101, cited in a pattern the 2026-05-10 report places, closed two days later: news.
	closed := issueJSON(101, "closed", "arm64 node e2e", "2026-05-12T10:00:00Z")
	closed.UpdatedAt = "2026-05-12T10:00:00Z"
	closed.Timeline = []evidence.Event{{Type: evidence.EventClosed, At: "2026-05-12T10:00:00Z"}}
	h.gh.Repo(kk).Issues[101] = closed
	summary := filepath.Join(t.TempDir(), "summary.md")
	h.env = map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary}
	ro := h.exec("--fail-on", "contradicted")
	if !errors.Is(ro.err, verifycmd.ErrNotAllVerified) {
		t.Fatalf("err = %v\nstderr: %s", ro.err, ro.stderr)
	}
	want := map[string]string{
		// A contradiction fails the run (--fail-on): an error; missing does not: a warning.
		"::error file=content/patterns/verify-e2e.yaml,line=14,col=5,title=verify%3A kubernetes/kubernetes#2 is contradicted::claimed merged, but it is closed": "",
		"::warning file=content/patterns/verify-e2e.yaml,line=41,col=5,title=verify%3A kubernetes/kubernetes#404 is missing::no such PR or issue at github":     "",
	}
	line := regexp.MustCompile(`^::(error|warning) file=content/[^,]+\.yaml,line=[1-9][0-9]*,col=[1-9][0-9]*,title=verify%3A \S+ is (contradicted|missing)::.+$`)
	for _, l := range strings.Split(strings.TrimSpace(ro.stdout), "\n") {
		if !line.MatchString(l) {
			t.Errorf("stdout line %q is not an annotation of a contradicted or missing citation", l)
		}
		delete(want, l)
		if strings.Contains(l, "unverifiable") || strings.Contains(l, "#500") {
			t.Errorf("annotated what no source could answer: %s", l)
		}
	}
	for l := range want {
		t.Errorf("no annotation %q in:\n%s", l, ro.stdout)
	}
	if !strings.Contains(ro.stderr, " citations: ") {
		t.Errorf("stderr has no count line: %s", ro.stderr)
	}
	data, err := os.ReadFile(summary)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"## triagesite verify", "| contradicted | 10 |", "### Not verified",
		"| `content/patterns/verify-e2e.yaml:14:5` | `kubernetes/kubernetes#2` | contradicted | claimed merged, but it is closed |",
		"### Since the reports", "| `kubernetes/kubernetes#101` | 2026-05-10 | closed 2026-05-12 |"} {
		if !strings.Contains(string(data), w) {
			t.Errorf("step summary lacks %q:\n%s", w, data)
		}
	}
	tokenFree(t, "the step summary", string(data))
	tokenFree(t, "the annotations", ro.stdout)
}

func TestFormatChoice(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	h := newHarness(t)
	if ro := h.exec("--format", "yaml"); ro.err == nil || !strings.Contains(ro.err.Error(), `--format "yaml"`) {
		t.Errorf("--format yaml: %v", ro.err)
	}
	if ro := h.exec("--json", "--format", "text"); ro.err == nil {
		t.Error("--json --format text: no error")
	}
	if ro := h.exec("--format", "json"); !strings.HasPrefix(ro.stdout, "{") {
		t.Errorf("--format json printed %.80q", ro.stdout)
	}
}

// TestOnlyMissingFileIsAnError: a typo in --only would verify nothing and pass.
func TestOnlyMissingFileIsAnError(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	h := newHarness(t)
	ro := h.exec("--only", "content/patterns/node-flake.yaml,content/patterns/typo.yaml")
	if ro.err == nil || !strings.Contains(ro.err.Error(), "--only: no such file: content/patterns/typo.yaml") {
		t.Fatalf("err = %v, want --only: no such file", ro.err)
	}
	if len(ro.hits) != 0 {
		t.Errorf("asked GitHub %d times before refusing", len(ro.hits))
	}
	if _, err := os.Stat(filepath.Join(h.dir, "content", "evidence.lock.json")); err == nil {
		t.Error("wrote a lock before refusing")
	}
	// A content file named relative to the content directory is found.
	if ro := h.exec("--only", "patterns/node-flake.yaml"); ro.err != nil {
		t.Errorf("--only patterns/node-flake.yaml: %v", ro.err)
	}
}

// TestFormatIsTheRunsOwn: the format a run resolves stays in the run; the --json flag keeps
// meaning what was typed (Run used to set it from --format json).
func TestFormatIsTheRunsOwn(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	h := newHarness(t)
	io, out, _ := iostreams.Test()
	opts := &verifycmd.Options{IO: io, ContentDir: "content", Offline: true, Format: "json", Sources: h.sources}
	if err := verifycmd.Run(context.Background(), opts); err != nil && !errors.Is(err, verifycmd.ErrNotAllVerified) {
		t.Fatal(err)
	}
	if opts.JSON || opts.Format != "json" {
		t.Errorf("after the run: JSON %v, Format %q; want the flags as given", opts.JSON, opts.Format)
	}
	if !strings.HasPrefix(out.String(), "{") {
		t.Errorf("--format json printed %.80q", out.String())
	}
}
