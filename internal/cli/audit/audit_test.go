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

	"github.com/triagesite/triagesite/internal/cli/audit"
	"github.com/triagesite/triagesite/internal/cli/iostreams"
	"github.com/triagesite/triagesite/internal/cli/verifycmd"
	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/evidence"
	"github.com/triagesite/triagesite/internal/txtarfs"
	"github.com/triagesite/triagesite/internal/verify"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// fakeGitHub answers as GitHub would for the draft's citations, by canonical target.
type fakeGitHub struct{ answers map[string]verify.Answer }

func (fakeGitHub) Name() string { return "fake" }

func (f fakeGitHub) Fetch(_ context.Context, t verify.Target) (verify.Answer, error) {
	key := t.Ref.String()
	if t.At != "" {
		key += "@" + t.At
	}
	a, ok := f.answers[key]
	if !ok {
		return verify.Answer{}, verify.ErrCannotAnswer
	}
	return a, nil
}

func draftSource() fakeGitHub {
	merged := func(at string) verify.Answer {
		return verify.Answer{Source: "github", Found: true, Observed: evidence.Observed{Exists: true, Kind: "pr", State: "closed", Merged: true, MergedAt: at}}
	}
	lines := make([]string, 50)
	lines[11] = "\ttimeout := 10 * time.Second"
	lines[39] = "  interval: 2h"
	return fakeGitHub{answers: map[string]verify.Answer{
		// Merged, but a day later than the draft says: contradicted.
		"kubernetes/kubernetes#100": merged("2026-05-10T10:00:00Z"),
		// A draft with the hold label: verified.
		// Opened as a draft on the 1st and held on the 9th: its timeline says so as of the 10th.
		"kubernetes/kubernetes#101": {Source: "github", Found: true, Observed: evidence.Observed{Exists: true, Kind: "pr", State: "open", Draft: true,
			Labels: []string{"do-not-merge/hold"}, CreatedAt: "2026-05-01T00:00:00Z",
			Timeline: []evidence.Event{{Type: evidence.EventLabeled, At: "2026-05-09T12:00:00Z", Label: "do-not-merge/hold"}}}},
		"kubernetes/test-infra#7": merged("2026-05-08T09:00:00Z"),
		"kubernetes/test-infra#8": {Source: "github", Found: true, Observed: evidence.Observed{Exists: true, Kind: "issue", State: "open"}},
		// #9 does not exist: missing.
		"kubernetes/test-infra#9": {Source: "github", Found: false},
		// On the default branch by the end of the 10th.
		"kubernetes/kubernetes@abcdef1234@2026-05-10": {Source: "github", Found: true, Observed: evidence.Observed{Exists: true, SHA: "abcdef1234567890abcdef1234567890abcdef12",
			Date: "2026-05-08T10:00:00Z", BranchAt: "1111111111111111111111111111111111111111", OnBranch: true}},
		"kubernetes/kubernetes:test/e2e_node/a_test.go:12@2026-05-10":    {Source: "github", Found: true, Text: lines, Observed: evidence.Observed{Exists: true, SHA: "1111111111111111111111111111111111111111", Lines: 50}},
		"kubernetes/kubernetes:test/e2e_node/a_test.go:12-14@2026-05-10": {Source: "github", Found: true, Text: lines, Observed: evidence.Observed{Exists: true, SHA: "1111111111111111111111111111111111111111", Lines: 50}},
		// The file has 30 lines on that day: line 40 is missing.
		"kubernetes/test-infra:config/jobs/node.yaml:40@2026-05-10": {Source: "github", Found: true, Text: lines[:30], Observed: evidence.Observed{Exists: true, SHA: "2222222222222222222222222222222222222222", Lines: 30}},
	}}
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
	var out bytes.Buffer
	opts := &audit.Options{
		IO: &iostreams.IO{Out: &out, ErrOut: &out}, Files: []string{"draft.md"}, ContentDir: "content",
		Format: format, DefaultRepo: "k/k", Concurrency: 2,
		Sources: func(context.Context, *verifycmd.Options, *content.Tree) ([]verify.Source, error) {
			return []verify.Source{draftSource()}, nil
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
	src := findSource(t, wd)
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
}

const sourceDoc = "shared/source/k8s-ci-triage-gist-2026-05-10.txt"

// findSource looks for the source document above dir; CI has it at ../../../../shared/source.
func findSource(t *testing.T, dir string) string {
	t.Helper()
	for d := dir; ; d = filepath.Dir(d) {
		if p := filepath.Join(d, sourceDoc); fileExists(p) {
			return p
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("source document %s not found above %s", sourceDoc, dir)
	}
	t.Skipf("source document %s not found above %s", sourceDoc, dir)
	return ""
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
