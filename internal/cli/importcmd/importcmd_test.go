package importcmd_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
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
	if !strings.Contains(string(r.Appendix), "**Import note** (template.md:174:1)") || !strings.Contains(string(r.Appendix), "The first pass blamed the kernel") {
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

// TestNoSnapshot: a report whose snapshot content lacks is refused at its date, nothing written.
func TestNoSnapshot(t *testing.T) {
	dir := tree(t)
	io, _, _ := iostreams.Test()
	err := importcmd.Run(context.Background(), &importcmd.Options{IO: io, File: "testdata/update.md", Dataset: "failures", ContentDir: dir})
	want := "testdata/update.md:3:1: no snapshots/failures/2026-05-09.json in content: store the snapshot the report read first"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("got %v\nwant %s", err, want)
	}
	if entries, _ := os.ReadDir(filepath.Join(dir, "reports")); len(entries) > 0 {
		t.Errorf("wrote %d reports after an error", len(entries))
	}
}

// TestRefusedWhenItWouldNotLoad: a job listed twice in a pattern's table reads as markdown
// but not as content; the import loads what it would write first, and writes nothing.
func TestRefusedWhenItWouldNotLoad(t *testing.T) {
	data, err := os.ReadFile("testdata/template.md")
	if err != nil {
		t.Fatal(err)
	}
	row := "| ci-test-infra-lint | 3 | gs://kubernetes-ci-logs/logs/ci-test-infra-lint/2054000000000000003 | golangci-lint: unknown linter |\n"
	draft := filepath.Join(t.TempDir(), "draft.md")
	if err := os.WriteFile(draft, []byte(strings.Replace(string(data), row, row+row, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := tree(t)
	_, err = runImport(t, draft, "failures", dir, false)
	if err == nil || !strings.Contains(err.Error(), "the imported content would not load; nothing written") || !strings.Contains(err.Error(), `job "ci-test-infra-lint" is listed twice`) {
		t.Errorf("got %v", err)
	}
	if entries, _ := os.ReadDir(filepath.Join(dir, "patterns")); len(entries) > 0 {
		t.Errorf("wrote %d patterns after an error", len(entries))
	}
}

// TestTableWithoutItsColumn: a jobs table with no Job column is refused at its header.
func TestTableWithoutItsColumn(t *testing.T) {
	data, err := os.ReadFile("testdata/template.md")
	if err != nil {
		t.Fatal(err)
	}
	draft := filepath.Join(t.TempDir(), "draft.md")
	doc := strings.Replace(string(data), "| Job | Days |", "| Lane | Days |", 1)
	if err := os.WriteFile(draft, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = runImport(t, draft, "failures", tree(t), false)
	want := draft + `:61:1: table has no "job" column (its header is | Lane | Days | Sampled build | Top-test signature |)`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("got %v\nwant %s", err, want)
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

// bundled is the repository's content directory.
const bundled = "../../../content"

// copyDir copies the named entries of the bundled content into a new content directory.
func copyDir(t *testing.T, names ...string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "content")
	for _, name := range names {
		err := filepath.WalkDir(filepath.Join(bundled, name), func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, _ := filepath.Rel(bundled, p)
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			if err := os.MkdirAll(filepath.Join(dst, filepath.Dir(rel)), 0o755); err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

// exportBundled builds the bundled content and returns the directory of its reports/*.md.
func exportBundled(t *testing.T) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "site")
	io, _, _ := iostreams.Test()
	if err := build.Run(context.Background(), &build.Options{IO: io, ContentDir: bundled, OutDir: out, Now: "2026-05-11"}); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(out, "reports")
}

// facts are what the fidelity test counts, as one content tree carries them for one report:
// PR and issue references, commits, file:line and builds (structured or in prose, resolved
// to their full repository) and job names, keyed "kind token".
func facts(tr *content.Tree, id string) map[string]bool {
	var r *content.Report
	for _, x := range tr.Reports {
		if x.ID == id {
			r = x
		}
	}
	owners := map[string]bool{"report/" + id: true}
	out := map[string]bool{}
	for _, rp := range r.Patterns {
		owners["pattern/"+rp.Pattern] = true
		p := tr.Pattern(rp.Pattern)
		for _, b := range append([]content.Body{p.Body}, bodies(p.SubPatterns)...) {
			for _, j := range b.Jobs {
				out["job "+j.Name] = true
			}
		}
	}
	for _, c := range tr.Citations {
		if owners[c.Owner.String()] {
			out[fmt.Sprint("cite", c.Ref.Kind)+" "+c.Ref.String()] = true
			if c.Claim != nil && c.Claim.Acknowledged != "" {
				out["acknowledged "+c.Ref.String()] = true
			}
		}
	}
	return out
}

func bodies(subs []content.SubPattern) []content.Body {
	out := make([]content.Body, len(subs))
	for i, s := range subs {
		out[i] = s.Body
	}
	return out
}

// TestRoundTrip imports each bundled report's markdown export into a content tree with no
// patterns and no reports: the tree loads, builds and lints with warnings only, and carries
// at least 95% of the bundled facts of each kind.
func TestRoundTrip(t *testing.T) {
	reports := exportBundled(t)
	orig, err := content.Load(os.DirFS(bundled), bundled)
	if err != nil {
		t.Fatal(err)
	}
	// No lock either: nothing is verified in an empty tree, so evidence findings are warnings.
	dir := copyDir(t, "repos.yaml", "sigs.yaml", "categories.yaml", "snapshots")
	for _, r := range orig.Reports {
		out, err := runImport(t, filepath.Join(reports, r.ID+".md"), r.Dataset, dir, false)
		if err != nil {
			t.Fatalf("import %s: %v", r.ID, err)
		}
		if strings.Contains(out, "import notes") {
			t.Errorf("import %s left notes: the export holds nothing the model cannot place:\n%s", r.ID, out)
		}
	}
	imported := checkTree(t, dir, true)
	for _, r := range orig.Reports {
		want, got := facts(orig, r.ID), facts(imported, r.ID)
		total, carried := map[string]int{}, map[string]int{}
		for f := range want {
			kind := strings.SplitN(f, " ", 2)[0]
			total[kind]++
			if got[f] {
				carried[kind]++
			} else {
				t.Logf("%s: not carried: %s", r.ID, f)
			}
		}
		for kind, n := range total {
			if pct := 100 * carried[kind] / n; pct < 95 {
				t.Errorf("%s: %d of %d %s facts carried (%d%%), want at least 95%%", r.ID, carried[kind], n, kind, pct)
			}
		}
		t.Logf("%s: carried %v of %v", r.ID, carried, total)
		compareShape(t, orig, imported, r.ID)
		if len(total) < 5 {
			t.Errorf("%s: facts of only %d kinds counted: %v", r.ID, len(total), total)
		}
	}
}

// TestReimportUpdates imports a bundled report's export back into the bundled tree: no
// pattern is duplicated, unchanged patterns are not rewritten, and a changed status and a
// new job update the existing pattern file in place, every other line kept.
func TestReimportUpdates(t *testing.T) {
	reports := exportBundled(t)
	dir := copyDir(t, ".")
	patternFiles := func() []string {
		entries, err := os.ReadDir(filepath.Join(dir, "patterns"))
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		return names
	}
	before := patternFiles()
	md := filepath.Join(reports, "2026-05-10-failures.md")
	if _, err := runImport(t, md, "failures", dir, false); err == nil || !strings.Contains(err.Error(), "2026-05-10-failures.yaml already exists") {
		t.Fatalf("import over the bundled report without --force: %v", err)
	}
	out, err := runImport(t, md, "failures", dir, true)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(out, "unchanged patterns/") != 12 || strings.Contains(out, "new       patterns/") || strings.Contains(out, "updated") {
		t.Errorf("re-import of the unchanged export:\n%s", out)
	}
	if after := patternFiles(); strings.Join(after, " ") != strings.Join(before, " ") {
		t.Errorf("pattern files changed from %v to %v", before, after)
	}

	data, err := os.ReadFile(md)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(data), "**Status**: No fix PR for the S3 permission problem.", "**Status**: Still no fix PR for the S3 permission problem.", 1)
	row := "| `ci-kubernetes-e2e-ec2-alpha-enabled-default` | 89d |"
	edited = strings.Replace(edited, row, "| `ci-kubernetes-e2e-ec2-alpha-graduated` | 2d |  |  |  |\n"+row, 1)
	draft := filepath.Join(t.TempDir(), "draft.md")
	if err := os.WriteFile(draft, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	old, err := os.ReadFile(filepath.Join(dir, "patterns", "ec2-alpha-ami-s3-acl.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	out, err = runImport(t, draft, "failures", dir, true)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "updated   patterns/ec2-alpha-ami-s3-acl.yaml") || strings.Count(out, "unchanged patterns/") != 11 {
		t.Errorf("import of the edited export:\n%s", out)
	}
	updated, err := os.ReadFile(filepath.Join(dir, "patterns", "ec2-alpha-ami-s3-acl.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	removed, added := lineDiff(string(old), string(updated))
	wantRemoved := []string{"status: |", "  No fix PR for the S3 permission problem."}
	// The bundled snapshot is a partial reconstruction: a job missing from it is not marked not_in_snapshot.
	wantAdded := []string{"  - name: ci-kubernetes-e2e-ec2-alpha-graduated", "    reported: 2d", "status: Still no fix PR for the S3 permission problem."}
	if strings.Join(removed, "\n") != strings.Join(wantRemoved, "\n") || strings.Join(added, "\n") != strings.Join(wantAdded, "\n") {
		t.Errorf("the update is not the change:\nremoved %q\nadded %q\n%s", removed, added, updated)
	}
	// The bundled tree's own lint errors (its lock's verdicts) are not the import's to fix;
	// the import adds none.
	bundledErrors := lintErrors(t, bundled)
	checkTree(t, dir, false)
	if got := lintErrors(t, dir); strings.Join(got, "\n") != strings.Join(bundledErrors, "\n") {
		removed, added := lineDiff(strings.Join(bundledErrors, "\n"), strings.Join(got, "\n"))
		t.Errorf("lint errors changed: fixed %q, new %q", removed, added)
	}
}

// TestReimportNoticesChangedClaim: a report that claims another title of a PR the pattern
// cites in the same role keeps its claim as an import note on the pattern, beside the
// pattern's own claim, whichever field of the claim differs.
func TestReimportNoticesChangedClaim(t *testing.T) {
	reports := exportBundled(t)
	dir := copyDir(t, ".")
	md := filepath.Join(reports, "2026-05-10-failures.md")
	data, err := os.ReadFile(md)
	if err != nil {
		t.Fatal(err)
	}
	const cell = "kind: pr; state: merged; merged_at: 2025-11-06; title: Update test templates to Windows community gallery images |"
	if !strings.Contains(string(data), cell) {
		t.Fatalf("the export has no claim cell %q", cell)
	}
	edited := strings.Replace(string(data), cell, "kind: pr; state: merged; merged_at: 2025-11-06; title: Move the test templates to gallery images |", 1)
	draft := filepath.Join(t.TempDir(), "draft.md")
	if err := os.WriteFile(draft, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := runImport(t, draft, "failures", dir, true)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "updated   patterns/azure-capz-windows-and-dra-acr.yaml") {
		t.Errorf("import of a changed claim title:\n%s", out)
	}
	updated, err := os.ReadFile(filepath.Join(dir, "patterns", "azure-capz-windows-and-dra-acr.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(updated), "title: Move the test templates to gallery images; the pattern:") {
		t.Errorf("no import note gives the report's claim:\n%s", updated)
	}
}

// lintErrors lists a content directory's lint errors by rule and message, without positions.
func lintErrors(t *testing.T, dir string) []string {
	t.Helper()
	tr, err := content.Load(os.DirFS(dir), dir)
	if err != nil {
		t.Fatal(err)
	}
	lock, err := evidence.Read(filepath.Join(dir, evidence.FileName))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range lint.Run(tr, lock, lint.Options{}) {
		if f.Severity == lint.Error {
			out = append(out, f.Rule+" "+f.Message)
		}
	}
	sort.Strings(out)
	return out
}

// lineDiff gives the lines only a has and the lines only b has, in order, by a longest
// common subsequence of lines.
func lineDiff(a, b string) (removed, added []string) {
	x, y := strings.Split(a, "\n"), strings.Split(b, "\n")
	n, m := len(x), len(y)
	t := make([][]int, n+1)
	for i := range t {
		t[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if x[i] == y[j] {
				t[i][j] = t[i+1][j+1] + 1
			} else {
				t[i][j] = max(t[i+1][j], t[i][j+1])
			}
		}
	}
	i, j := 0, 0
	for i < n && j < m {
		switch {
		case x[i] == y[j]:
			i++
			j++
		case t[i+1][j] >= t[i][j+1]:
			removed = append(removed, x[i])
			i++
		default:
			added = append(added, y[j])
			j++
		}
	}
	return append(removed, x[i:]...), append(added, y[j:]...)
}

func TestImportHelpAndFlags(t *testing.T) {
	io, out, _ := iostreams.Test()
	cmd := importcmd.NewCmdImport(io, nil)
	cmd.SetOut(io.Out)
	cmd.SetArgs([]string{"--help"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"--dataset", "--date", "--content", "--force", "Appendix B", "line:col", "import-note"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("help does not mention %s:\n%s", want, out)
		}
	}
	var got *importcmd.Options
	cmd = importcmd.NewCmdImport(io, func(_ context.Context, o *importcmd.Options) error { got = o; return nil })
	cmd.SetArgs([]string{"draft.md", "--dataset", "flakes", "--date", "2026-05-17", "--content", "c", "--force"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.File != "draft.md" || got.Dataset != "flakes" || got.Date != "2026-05-17" || got.ContentDir != "c" || !got.Force {
		t.Errorf("options: %+v", got)
	}
	cmd = importcmd.NewCmdImport(io, func(context.Context, *importcmd.Options) error { return nil })
	cmd.SetArgs([]string{"draft.md"})
	if err := cmd.Execute(); err == nil || !strings.Contains(err.Error(), "dataset") {
		t.Errorf("no --dataset: %v", err)
	}
}

// TestImportNotesAreLinted: what the template fixture could not place is listed by lint.
func TestImportNotesAreLinted(t *testing.T) {
	dir := tree(t)
	if _, err := runImport(t, "testdata/template.md", "failures", dir, false); err != nil {
		t.Fatal(err)
	}
	tr, err := content.Load(os.DirFS(dir), dir)
	if err != nil {
		t.Fatal(err)
	}
	var notes []string
	for _, f := range lint.Run(tr, nil, lint.Options{Rules: []string{"import-note"}}) {
		notes = append(notes, f.Message)
	}
	want := []string{
		"report/2026-05-17-failures holds an import note (template.md:130:59): column \"Effort\" has no place in the model; move the text where it belongs and delete the note",
		"report/2026-05-17-failures holds an import note (template.md:174:1): a section the report model has no place for; move the text where it belongs and delete the note",
	}
	if strings.Join(notes, "\n") != strings.Join(want, "\n") {
		t.Errorf("import notes:\n%s\nwant:\n%s", strings.Join(notes, "\n"), strings.Join(want, "\n"))
	}
}

// TestTemplateReusesPatterns: a report written from the template, with no slugs, finds the
// bundled patterns it speaks of by title (Pattern A) and by jobs (Pattern B) and updates
// them; a summary that differs from the pattern's is kept as an import note.
func TestTemplateReusesPatterns(t *testing.T) {
	dir := copyDir(t, ".")
	out, err := runImport(t, "testdata/update.md", "failures", dir, false)
	if err != nil {
		t.Fatal(err)
	}
	want := "updated   patterns/ec2-alpha-ami-s3-acl.yaml\nupdated   patterns/gce-windows-linux-image-scheduling.yaml\nnew       reports/2026-05-09-failures.yaml\n"
	if !strings.HasPrefix(out, want) {
		t.Errorf("output:\n%s\nwant it to start:\n%s", out, want)
	}
	tr := checkTree(t, dir, false)
	var r *content.Report
	for _, x := range tr.Reports {
		if x.ID == "2026-05-09-failures" {
			r = x
		}
	}
	if r == nil || r.Patterns[0].Pattern != "ec2-alpha-ami-s3-acl" || r.Patterns[1].Pattern != "gce-windows-linux-image-scheduling" || r.Tiers[0].Items[0].Pattern != "ec2-alpha-ami-s3-acl" {
		t.Fatalf("report: %+v", r)
	}
	if len(tr.Patterns) != 24 {
		t.Errorf("%d patterns, want the bundled 24", len(tr.Patterns))
	}
	p := tr.Pattern("ec2-alpha-ami-s3-acl")
	if !strings.HasPrefix(string(p.Status), "No fix PR yet") || len(p.Jobs) != 2 {
		t.Errorf("ec2: status %q, jobs %+v", p.Status, p.Jobs)
	}
	if !strings.Contains(string(p.Details), "**Import note** (update.md:11:1): the report's summary differs from the pattern's\n\n> The two EC2 alpha lanes still fail in the AMI build.") {
		t.Errorf("ec2 details:\n%s", p.Details)
	}
}

// shape counts a report's parts and lists its patterns' claims, each with its role and what it asserts.
func shape(tr *content.Tree, id string) []string {
	var r *content.Report
	for _, x := range tr.Reports {
		if x.ID == id {
			r = x
		}
	}
	items := 0
	for _, tier := range r.Tiers {
		items += len(tier.Items)
	}
	out := []string{fmt.Sprintf("banner %d, clusters %d, nudges %d, takeaways %d, patterns %d, misclassified %d, tiers %d, items %d, methodology %d, verifications %d, open %d, citations %d",
		len(r.Banner), len(r.Status.Clusters), len(r.Status.NudgeTargets), len(r.TLDR.Takeaways), len(r.Patterns), len(r.Misclassified),
		len(r.Tiers), items, len(r.Methodology), len(r.Verifications), len(r.OpenQuestions), len(r.Citations))}
	out = append(out, r.Title+" "+words(r.Method, r.TLDR.Headline, r.TLDR.Notes, r.PatternsIntro, r.MetricNotes, r.Drift.Summary, r.Appendix, r.Status.Notes))
	for _, list := range [][]content.Markdown{r.Banner, r.TLDR.Takeaways, r.Status.OpenWork, r.Methodology, r.Drift.Notes, r.OpenQuestions} {
		out = append(out, words(list...))
	}
	for _, tier := range r.Tiers {
		for _, a := range tier.Items {
			out = append(out, fmt.Sprintf("tier %d %s %s %v %v %s", tier.Tier, a.ID, words(a.Action, a.Cleared, a.Block, a.Where, a.Owner, a.Status, a.Why), a.Refs, a.SIGs, a.Pattern))
		}
		out = append(out, words(tier.Notes...))
	}
	for _, v := range r.Verifications {
		out = append(out, fmt.Sprintf("%s %s %s %s", v.ID, v.Verdict, v.VerdictNote, words(v.Question, v.Detail)))
	}
	for _, m := range r.Misclassified {
		out = append(out, fmt.Sprintf("%v %s", m.Jobs, words(m.Entry, m.Reality)))
	}
	for _, rp := range r.Patterns {
		p := tr.Pattern(rp.Pattern)
		out = append(out, fmt.Sprintf("%s %s %s %s", rp.Letter, rp.Pattern, rp.Heading, words(rp.Note)))
		out = append(out, fmt.Sprintf("%s %s: %d sub-patterns, %d jobs, owners %v", rp.Letter, p.Slug, len(p.SubPatterns), len(p.Jobs), p.OwnerSIGs))
		for _, b := range append([]content.Body{p.Body}, bodies(p.SubPatterns)...) {
			out = append(out, "  "+b.Title+" "+words(b.Summary, b.RootCause, b.Causal.IntroducedBy, b.Causal.ExposedBy, b.Details, b.Fix.Summary, b.Tracker, b.Status))
			for _, j := range b.Jobs {
				out = append(out, fmt.Sprintf("  job %s %s %v %v %s", j.Name, j.Reported, j.NotInSnapshot, j.ByDesign, words(j.Note)))
			}
			for _, sk := range b.Fix.Sketches {
				out = append(out, fmt.Sprintf("  sketch %s %s %s", sk.File, sk.Lang, words(sk.Code)))
			}
			for _, c := range b.Citations {
				out = append(out, fmt.Sprintf("  %s %s %s %s %s %s %s %v", c.Ref, c.Role, c.State, c.MergedAt, c.Job, c.Result, c.Quote, c.Labels))
			}
		}
	}
	return out
}

// words is prose with its whitespace made single spaces.
func words[T ~string](xs ...T) string {
	var out []string
	for _, x := range xs {
		out = append(out, strings.Join(strings.Fields(string(x)), " "))
	}
	return strings.Join(out, " | ")
}

// compareShape holds the imported report to the bundled one part by part and claim by claim.
func compareShape(t *testing.T, orig, imported *content.Tree, id string) {
	t.Helper()
	want, got := shape(orig, id), shape(imported, id)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		removed, added := lineDiff(strings.Join(want, "\n"), strings.Join(got, "\n"))
		t.Errorf("%s: the import differs from the bundled report:\nlost %q\ngained %q", id, removed, added)
	}
}
