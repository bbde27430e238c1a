package lint_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/evidence"
	"github.com/triagesite/triagesite/internal/lint"
)

// TestBrokenTree checks that each break in testdata/broken.txtar is reported, by the rule
// that owns it, at the exact position of the offending node, and that nothing else is.
func TestBrokenTree(t *testing.T) {
	tree, lock := loadFixture(t, "broken.txtar")
	want := []string{
		"content/patterns/mega.yaml:1:1 warning R4-sample-two-builds",   // 11 jobs, builds of one
		"content/patterns/mega.yaml:1:1 error R13-causal-chain",         // no exposed_by
		"content/patterns/mega.yaml:1:1 warning R14-split-mega-pattern", // job_count 11, no sub-patterns
		"content/patterns/mega.yaml:1:1 warning P9-counts",              // job_count 11, 2 placed in a whole snapshot
		"content/patterns/mega.yaml:12:5 warning M-matcher-unused",      // ci-zzz-* matches nothing
		"content/patterns/mega.yaml:17:3 warning import-note",           // a section import could not place
		"content/patterns/split.yaml:5:15 warning R2-code-path-line",    // pkg/foo/bar.go
		"content/patterns/split.yaml:13:12 error P9-counts",             // the title "(3 jobs)" over 2
		"content/patterns/split.yaml:15:9 warning M-overlap",            // ci-a: mega claims it too
		"content/patterns/split.yaml:16:9 warning M-overlap",            // ci-b: mega claims it too
		"content/patterns/split.yaml:22:14 error P9-placeholder",        // TODO
		"content/patterns/split.yaml:29:7 warning R3-log-build",         // fenced log, no build
		"content/patterns/split.yaml:34:11 warning R2-code-path-line",   // sketch file without a line
		"content/patterns/split.yaml:39:13 error Y-prose-comment",       // " #12 upstream." dropped
		"content/reports/2026-05-10-failures.yaml:8:17 error P9-counts", // "The 5 failing jobs" of 4
		"content/reports/2026-05-10-failures.yaml:8:62 error P9-counts", // 3 of 4 is not 80%
		"content/reports/2026-05-10-failures.yaml:10:7 error R11-lessons-need-prior",
		"content/reports/2026-05-10-failures.yaml:12:5 error P9-min-patterns",
		"content/reports/2026-05-10-failures.yaml:17:14 warning P9-counts",    // the heading's "3 sub-patterns" of 2
		"content/reports/2026-05-10-failures.yaml:21:9 error R5-merged-claim", // Tier 0 cites a closed PR
		"content/reports/2026-05-10-failures.yaml:26:9 error R12-fix-shape",   // nothing at all
		"content/reports/2026-05-10-failures.yaml:30:9 warning R12-fix-shape", // where without file:line
		"content/reports/2026-05-10-failures.yaml:38:34 error P9-counts",      // 3 added, drift gives 2
		"content/reports/2026-05-10-failures.yaml:40:5 error R8-open-questions",
		"content/reports/2026-05-10-failures.yaml:43:5 error R5-merged-claim",  // merged claim, closed PR
		"content/reports/2026-05-10-failures.yaml:46:5 error R1-evidence",      // lock: missing
		"content/reports/2026-05-10-failures.yaml:47:5 warning R1-evidence",    // no lock entry
		"content/reports/2026-05-10-failures.yaml:48:5 error D-evidence",       // lock: commit missing
		"content/reports/2026-05-10-failures.yaml:49:5 warning R1-evidence",    // k/k#103: no lock entry
		"content/reports/2026-05-10-failures.yaml:50:16 warning future-date",   // closed_at 2099-01-01
		"content/snapshots/failures/2026-05-10.meta.yaml:7:28 error P9-counts", // 3 of the 4 jobs
	}
	var got []string
	for _, f := range lint.Run(tree, lock, lint.Options{}) {
		got = append(got, fmt.Sprintf("%s %s %s", f.Pos, f.Severity, f.Rule))
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\n\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestEveryRuleBroken keeps the fixture honest: each registered rule finds something in it.
func TestEveryRuleBroken(t *testing.T) {
	tree, lock := loadFixture(t, "broken.txtar")
	seen := map[string]bool{}
	for _, f := range lint.Run(tree, lock, lint.Options{}) {
		seen[f.Rule] = true
	}
	for _, r := range lint.Rules() {
		if !seen[r.ID] {
			t.Errorf("rule %s finds nothing in broken.txtar", r.ID)
		}
	}
}

// TestBundledContent is the acceptance test: the shipped content has no errors but the
// evidence findings, which are the lock's, not the content's form: the bundled lock holds what
// public checkouts showed, including the report's citations they contradict.
func TestBundledContent(t *testing.T) {
	tree, err := content.Load(os.DirFS("../../content"), "content")
	if err != nil {
		t.Fatal(err)
	}
	lock, err := evidence.Read("../../content/" + evidence.FileName)
	if err != nil {
		t.Fatal(err)
	}
	findings := lint.Run(tree, lock, lint.Options{})
	for _, f := range findings {
		switch {
		case f.Severity == lint.Error && f.Rule == "D-evidence":
			t.Logf("evidence finding: %s: %s", f.Pos, f.Message)
		case f.Severity == lint.Error:
			t.Errorf("%s: %s [%s]", f.Pos, f.Message, f.Rule)
		}
	}
	_, warnings := lint.Count(findings)
	t.Logf("%d warnings", warnings)
}

// TestRulesDocumented checks ids are unique and each has an anchor on the documentation page.
func TestRulesDocumented(t *testing.T) {
	doc, err := os.ReadFile("../../" + lint.DocPage)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, r := range lint.Rules() {
		if seen[r.ID] {
			t.Errorf("rule id %s is used twice", r.ID)
		}
		seen[r.ID] = true
		if r.Title == "" || r.Doc == "" || r.Check == nil {
			t.Errorf("rule %s lacks a title, doc or check", r.ID)
		}
		if !strings.Contains(string(doc), `<a id="`+r.ID+`"></a>`) {
			t.Errorf("%s has no anchor for %s", lint.DocPage, r.ID)
		}
	}
}

// TestOptionsRules runs one rule alone.
func TestOptionsRules(t *testing.T) {
	tree, lock := loadFixture(t, "broken.txtar")
	for _, f := range lint.Run(tree, lock, lint.Options{Rules: []string{"R8-open-questions"}}) {
		if f.Rule != "R8-open-questions" {
			t.Errorf("rule %s ran", f.Rule)
		}
	}
}
