package audit_test

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/triagesite/triagesite/internal/cli/audit"
	"github.com/triagesite/triagesite/internal/cli/iostreams"
	"github.com/triagesite/triagesite/internal/cli/verifycmd"
	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/evidence"
	"github.com/triagesite/triagesite/internal/sourcedoc"
	"github.com/triagesite/triagesite/internal/txtarfs"
	"github.com/triagesite/triagesite/internal/verify"
	"github.com/triagesite/triagesite/internal/verify/github"
	"github.com/triagesite/triagesite/internal/verify/github/githubtest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

const token = "audit-test-token"

// draftGitHub is the shared fake GitHub (REST and GraphQL) holding what the draft cites; every
// status in the golden files follows from it.
func draftGitHub(t *testing.T) *githubtest.Server {
	gh := githubtest.New(t, token)
	kk := gh.Repo("kubernetes/kubernetes")
	kk.DefaultBranch = "master"
	// Merged, but a day later than the draft says: contradicted.
	kk.Issues[100] = githubtest.Issue{Number: 100, PR: true, State: "closed", Title: "node: longer wait",
		CreatedAt: "2026-05-01T00:00:00Z", UpdatedAt: "2026-05-10T10:00:00Z", ClosedAt: "2026-05-10T10:00:00Z", MergedAt: "2026-05-10T10:00:00Z",
		Timeline: []evidence.Event{{Type: evidence.EventMerged, At: "2026-05-10T10:00:00Z"}, {Type: evidence.EventClosed, At: "2026-05-10T10:00:00Z"}}}
	// Opened as a draft and held on the 9th: verified as of the 10th.
	kk.Issues[101] = githubtest.Issue{Number: 101, PR: true, Draft: true, State: "open", Title: "Revert the wait",
		CreatedAt: "2026-05-01T00:00:00Z", UpdatedAt: "2026-05-09T12:00:00Z", Labels: []string{"do-not-merge/hold"},
		Timeline: []evidence.Event{{Type: evidence.EventLabeled, At: "2026-05-09T12:00:00Z", Label: "do-not-merge/hold"}}}
	wait := "abcdef1234567890abcdef1234567890abcdef12"
	head := "1111111111111111111111111111111111111111"
	kk.Commits = []githubtest.Commit{
		{SHA: head, Author: "Bob", Message: "Tidy", Date: time.Date(2026, 5, 9, 9, 0, 0, 0, time.UTC)},
		{SHA: wait, Author: "Alice", Message: "Wait ten seconds", Date: time.Date(2026, 5, 8, 10, 0, 0, 0, time.UTC)},
	}
	lines := strings.Repeat("\n", 11) + "\ttimeout := 10 * time.Second\n" + strings.Repeat("\n", 38)
	kk.Files[head] = map[string]string{"test/e2e_node/a_test.go": lines}
	kk.Files[wait] = map[string]string{"test/e2e_node/a_test.go": lines}
	ti := gh.Repo("kubernetes/test-infra")
	ti.DefaultBranch = "master"
	ti.Issues[7] = githubtest.Issue{Number: 7, PR: true, State: "closed", Title: "config: node interval",
		CreatedAt: "2026-05-01T00:00:00Z", UpdatedAt: "2026-05-08T09:00:00Z", ClosedAt: "2026-05-08T09:00:00Z", MergedAt: "2026-05-08T09:00:00Z",
		Timeline: []evidence.Event{{Type: evidence.EventMerged, At: "2026-05-08T09:00:00Z"}, {Type: evidence.EventClosed, At: "2026-05-08T09:00:00Z"}}}
	ti.Issues[8] = githubtest.Issue{Number: 8, State: "open", Title: "Follow-up", CreatedAt: "2026-05-02T00:00:00Z", UpdatedAt: "2026-05-02T00:00:00Z"}
	// #9 does not exist: missing. The job config has 30 lines on the day: line 40 is missing.
	cfg := "2222222222222222222222222222222222222222"
	ti.Commits = []githubtest.Commit{{SHA: cfg, Author: "Carol", Message: "Jobs", Date: time.Date(2026, 5, 7, 9, 0, 0, 0, time.UTC)}}
	ti.Files[cfg] = map[string]string{"config/jobs/node.yaml": strings.Repeat("x: y\n", 30)}
	return gh
}

func runDraft(t *testing.T, format string) (string, error) {
	t.Helper()
	dir := t.TempDir()
	data, err := os.ReadFile("testdata/draft.txtar")
	if err != nil {
		t.Fatal(err)
	}
	if err := txtarfs.Write(dir, txtarfs.FS(string(data))); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	gh := draftGitHub(t)
	var out bytes.Buffer
	opts := &audit.Options{
		IO: &iostreams.IO{Out: &out, ErrOut: &out}, Files: []string{"draft.md"}, ContentDir: "content",
		Format: format, DefaultRepo: "k/k", Concurrency: 2,
		Sources: func(context.Context, *verifycmd.Options, *content.Tree) ([]verify.Source, error) {
			return []verify.Source{github.New(github.WithBaseURL(gh.URL+"/"), github.WithToken(token), github.WithRetries(0))}, nil
		},
	}
	err = audit.Run(context.Background(), opts)
	return out.String(), err
}

// TestAuditDraft holds the findings for a small draft in every format: each at its
// markdown line:col, with the status the fake source implies.
func TestAuditDraft(t *testing.T) {
	for _, format := range []string{"text", "json", "github"} {
		t.Run(format, func(t *testing.T) {
			wd, _ := os.Getwd()
			got, err := runDraft(t, format)
			if !errors.Is(err, audit.ErrFindings) {
				t.Errorf("Run: %v, want ErrFindings (the draft has contradicted and missing citations)", err)
			}
			golden(t, filepath.Join(wd, "testdata", "draft."+format+".golden"), got)
		})
	}
}

func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (go test -update rewrites it; review the diff):\n%s", path, got)
	}
}

// TestAuditWantsADate refuses a report with no date rather than judging it as of today.
func TestAuditWantsADate(t *testing.T) {
	dir := t.TempDir()
	data, _ := os.ReadFile("testdata/draft.txtar")
	if err := txtarfs.Write(dir, txtarfs.FS(strings.Replace(string(data), "Date: 2026-05-10", "", 1))); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	var out bytes.Buffer
	err := audit.Run(context.Background(), &audit.Options{IO: &iostreams.IO{Out: &out, ErrOut: &out}, Files: []string{"draft.md"}, ContentDir: "content", Format: "text", Offline: true, Sources: verifycmd.DefaultSources})
	if err == nil || !strings.Contains(err.Error(), `draft.md: no report date`) {
		t.Fatalf("Run: %v, want a missing-date error naming draft.md", err)
	}
}

// TestAuditSourceReports audits the source document (both 2026-05-10 reports, then the
// runbook) against the bundled content's aliases with no source at all: every citation
// is found at its line:col and stays unverifiable, never verified.
func TestAuditSourceReports(t *testing.T) {
	wd, _ := os.Getwd()
	src := sourcedoc.Find(t, wd)
	contentDir, err := filepath.Abs(filepath.Join(wd, "../../../content"))
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(filepath.Dir(src))
	var out bytes.Buffer
	opts := &audit.Options{IO: &iostreams.IO{Out: &out, ErrOut: &out}, Files: []string{filepath.Base(src)}, ContentDir: contentDir,
		Lock: filepath.Join(t.TempDir(), "empty.lock.json"), Format: "text", DefaultRepo: "k/k", Offline: true, Sources: verifycmd.DefaultSources}
	if err := audit.Run(context.Background(), opts); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if strings.Contains(out.String(), " verified ") {
		t.Error("a citation came out verified with no source to answer for it")
	}
	golden(t, filepath.Join(wd, "testdata", "source.text.golden"), out.String())

	// Against a fake GitHub that knows four of the PRs as they stood, and nothing else: those
	// four are judged as of the report's day, every other PR and issue is missing.
	gh := githubtest.New(t, token)
	kops := gh.Repo("kubernetes/kops")
	kops.Issues[18238] = githubtest.Issue{Number: 18238, PR: true, Draft: true, State: "open", Title: "Setup CNI with nft when necessary",
		CreatedAt: "2026-05-01T00:00:00Z", UpdatedAt: "2026-05-10T00:00:00Z"}
	kops.Issues[18296] = githubtest.Issue{Number: 18296, PR: true, State: "closed", Title: "upgrade gossip",
		CreatedAt: "2026-05-08T00:00:00Z", UpdatedAt: "2026-05-10T18:09:46Z", ClosedAt: "2026-05-10T18:09:46Z", MergedAt: "2026-05-10T18:09:46Z",
		Timeline: []evidence.Event{{Type: evidence.EventMerged, At: "2026-05-10T18:09:46Z"}, {Type: evidence.EventClosed, At: "2026-05-10T18:09:46Z"}}}
	kk := gh.Repo("kubernetes/kubernetes")
	kk.Issues[138934] = githubtest.Issue{Number: 138934, PR: true, State: "closed", Title: "coverage",
		CreatedAt: "2026-05-01T00:00:00Z", UpdatedAt: "2026-05-10T11:23:45Z", ClosedAt: "2026-05-10T11:23:45Z", MergedAt: "2026-05-10T11:23:45Z",
		Timeline: []evidence.Event{{Type: evidence.EventMerged, At: "2026-05-10T11:23:45Z"}, {Type: evidence.EventClosed, At: "2026-05-10T11:23:45Z"}}}
	// Claimed still open in the report's drift notes; here it had closed unmerged the day before.
	kk.Issues[138936] = githubtest.Issue{Number: 138936, PR: true, State: "closed", Title: "cleanup",
		CreatedAt: "2026-05-01T00:00:00Z", UpdatedAt: "2026-05-09T00:00:00Z", ClosedAt: "2026-05-09T00:00:00Z",
		Timeline: []evidence.Event{{Type: evidence.EventClosed, At: "2026-05-09T00:00:00Z"}}}
	out.Reset()
	opts.Offline, opts.Format = false, "json"
	opts.Lock = filepath.Join(t.TempDir(), "fake.lock.json")
	opts.Sources = func(context.Context, *verifycmd.Options, *content.Tree) ([]verify.Source, error) {
		return []verify.Source{github.New(github.WithBaseURL(gh.URL+"/"), github.WithToken(token), github.WithRetries(0))}, nil
	}
	if err := audit.Run(context.Background(), opts); err != nil && !errors.Is(err, audit.ErrFindings) {
		t.Fatalf("Run against the fake GitHub: %v", err)
	}
	golden(t, filepath.Join(wd, "testdata", "source.fakegithub.json.golden"), out.String())
}
