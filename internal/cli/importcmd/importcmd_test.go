package importcmd_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triagesite/triagesite/internal/cli/build"
	"github.com/triagesite/triagesite/internal/cli/importcmd"
	"github.com/triagesite/triagesite/internal/cli/iostreams"
	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/evidence"
	"github.com/triagesite/triagesite/internal/lint"
	"github.com/triagesite/triagesite/internal/txtarfs"
)

// tree writes testdata/tree.txtar into a temporary content directory.
func tree(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("testdata/tree.txtar")
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "content")
	if err := txtarfs.Write(dir, txtarfs.FS(string(data))); err != nil {
		t.Fatal(err)
	}
	return dir
}

func runImport(t *testing.T, file, dataset, dir string, force bool) (string, error) {
	t.Helper()
	io, out, _ := iostreams.Test()
	err := importcmd.Run(context.Background(), &importcmd.Options{IO: io, File: file, Dataset: dataset, ContentDir: dir, Force: force})
	return out.String(), err
}

// checkTree loads and builds a content directory, and lints it: with strict, a lint error fails.
func checkTree(t *testing.T, dir string, strict bool) *content.Tree {
	t.Helper()
	tr, err := content.Load(os.DirFS(dir), dir)
	if err != nil {
		t.Fatalf("the imported tree does not load:\n%v", err)
	}
	lock, err := evidence.Read(filepath.Join(dir, evidence.FileName))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range lint.Run(tr, lock, lint.Options{}) {
		if strict && f.Severity == lint.Error {
			t.Errorf("lint error: %s: %s [%s]", f.Pos, f.Message, f.Rule)
		}
	}
	io, _, _ := iostreams.Test()
	if err := build.Run(context.Background(), &build.Options{IO: io, ContentDir: dir, OutDir: filepath.Join(t.TempDir(), "site"), Now: "2026-05-18"}); err != nil {
		t.Fatalf("the imported tree does not build: %v", err)
	}
	return tr
}

// TestTemplateReport imports a report written fresh from the runbook's Appendix B template.
func TestTemplateReport(t *testing.T) {
	dir := tree(t)
	out, err := runImport(t, "testdata/template.md", "failures", dir, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"new       patterns/linter-image-tag-moves-under-job.yaml", "new       patterns/node-e2e-pod-start-timeout.yaml", "new       reports/2026-05-17-failures.yaml", "import notes"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// A two-pattern report breaks P9-min-patterns and its lessons R11: lint errors are the author's.
	tr := checkTree(t, dir, false)
	r := tr.Reports[0]
	if r.Date != "2026-05-17" || len(r.Patterns) != 2 || r.Patterns[0].Letter != "A" || r.Patterns[1].Pattern != "linter-image-tag-moves-under-job" {
		t.Errorf("report: date %s, patterns %+v", r.Date, r.Patterns)
	}
	if len(r.Tiers) != 6 || len(r.Tiers[5].Notes) != 1 || r.Tiers[1].Items[0].Block != "approver" {
		t.Errorf("tiers: %+v", r.Tiers)
	}
	if len(r.OpenQuestions) != 3 || len(r.Verifications) != 1 || r.Verifications[0].Verdict != "CONFIRMED" || len(r.TLDR.Takeaways) != 3 {
		t.Errorf("verifications %+v, open questions %q, takeaways %q", r.Verifications, r.OpenQuestions, r.TLDR.Takeaways)
	}
	if len(r.Banner) != 1 || !strings.Contains(string(r.Status.Notes), "Pin the linter image") || r.Status.NudgeTargets[0].Pattern != "linter-image-tag-moves-under-job" {
		t.Errorf("banner %q, status %+v", r.Banner, r.Status)
	}
	// Lessons and the Effort column have no place in the model: kept as marked notes.
	if !strings.Contains(string(r.Appendix), "**Import note** (testdata/template.md:174:1)") || !strings.Contains(string(r.Appendix), "The first pass blamed the kernel") {
		t.Errorf("the lessons are not kept as an import note:\n%s", r.Appendix)
	}
	if !strings.Contains(string(r.Tiers[2].Items[0].Why), `column "Effort"`) {
		t.Errorf("the Effort cell is not kept: %+v", r.Tiers[2].Items[0])
	}
	p := tr.Pattern("node-e2e-pod-start-timeout")
	if p.Title != "Node e2e pod-start timeout" || len(p.Jobs) != 2 || len(p.SubPatterns) != 1 || p.SubPatterns[0].Label != "A.1" || len(p.SubPatterns[0].Fix.Sketches) != 1 {
		t.Fatalf("pattern A: %+v", p)
	}
	if p.OwnerSIGs[0] != "sig-node" || !strings.HasPrefix(string(p.Causal.IntroducedBy), "k/k#119500") || p.Causal.ExposedBy != "unknown" {
		t.Errorf("pattern A: owners %q, causal chain %+v", p.OwnerSIGs, p.Causal)
	}
	roles := map[string]string{}
	for _, c := range p.Citations {
		roles[c.Ref+" "+c.Role] = c.State + c.Job
	}
	for _, want := range []string{
		"kubernetes/kubernetes#119500 introduced",
		"kubernetes/kubernetes#120001 fix",
		"kubernetes/kubernetes:test/e2e_node/pod_start_test.go:88 evidence",
		"gs://kubernetes-ci-logs/logs/ci-node-e2e-arm64/2054000000000000002 sample",
	} {
		if _, ok := roles[want]; !ok {
			t.Errorf("pattern A lacks citation %q; has %q", want, roles)
		}
	}
	if roles["kubernetes/kubernetes#120001 fix"] != "merged" || roles["gs://kubernetes-ci-logs/logs/ci-node-e2e-arm64/2054000000000000002 sample"] != "ci-node-e2e-arm64" {
		t.Errorf("claims: %q", roles)
	}
	data, err := os.ReadFile(filepath.Join(dir, "patterns", "node-e2e-pod-start-timeout.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(data), "# yaml-language-server: $schema=../../schema/pattern.json\n") {
		t.Errorf("no modeline:\n%s", data)
	}
	// A second import would replace the report: refused without --force, nothing written.
	if _, err := runImport(t, "testdata/template.md", "failures", dir, false); err == nil || !strings.Contains(err.Error(), "--force") {
		t.Errorf("re-import without --force: %v", err)
	}
}

// TestBadInput: each malformed variant of the template is refused at its line:col, and
// nothing is written.
func TestBadInput(t *testing.T) {
	for _, tc := range []struct{ file, want string }{
		{"testdata/template-truncated.md", "testdata/template-truncated.md:70:1: code fence ``` is never closed (is the file truncated?)"},
		{"testdata/template-truncated.md", `testdata/template-truncated.md:72:1: the report ends here without its "## 3. Action plan" section: is the file truncated?`},
		{"testdata/template-missing-column.md", "testdata/template-missing-column.md:64:33: table row has 3 cells, its header (line 61) has 4: a missing column"},
		{"testdata/not-a-report.md", `testdata/not-a-report.md:1:1: not a runbook report`},
	} {
		dir := tree(t)
		_, err := runImport(t, tc.file, "failures", dir, false)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v\nwant %s", tc.file, err, tc.want)
		}
		if entries, _ := os.ReadDir(filepath.Join(dir, "reports")); len(entries) > 0 {
			t.Errorf("%s: wrote %d reports after an error", tc.file, len(entries))
		}
	}
}
