package content_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/txtarfs"
)

// minimal returns the valid fixture tree with the files of override replacing or adding files.
func minimal(t *testing.T, override string) fstest.MapFS {
	t.Helper()
	data, err := os.ReadFile("testdata/minimal.txtar")
	if err != nil {
		t.Fatal(err)
	}
	return txtarfs.FS(string(data), override)
}

func TestLoadMinimal(t *testing.T) {
	tree, err := content.Load(minimal(t, ""), "content")
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if got := len(tree.Snapshots); got != 2 {
		t.Errorf("snapshots = %d, want 2", got)
	}
	p := tree.Pattern("node-flake")
	if p == nil || len(p.SubPatterns) != 1 || p.SubPatterns[0].Label != "A.1" {
		t.Fatalf("pattern node-flake not loaded as written: %+v", p)
	}
	if got := p.Citations[0].Parsed.String(); got != "kubernetes/kubernetes#100" {
		t.Errorf("claim resolved to %q", got)
	}
	// Inline citations carry the exact position they stand at in the block scalar.
	want := map[string]string{
		"kubernetes/kubernetes#101":                                      "content/patterns/node-flake.yaml:6:45",
		"kubernetes/kubernetes:test/e2e_node/a_test.go:12":               "content/patterns/node-flake.yaml:7:3",
		"kubernetes/kubernetes@abcdef1234":                               "content/patterns/node-flake.yaml:10:18",
		"gs://kubernetes-ci-logs/logs/ci-node-e2e-a/2053609951732961280": "content/patterns/node-flake.yaml:24:5",
	}
	for _, c := range tree.Citations {
		if pos, ok := want[c.Ref.String()]; ok && c.Pos.String() == pos {
			delete(want, c.Ref.String())
		}
	}
	for ref, pos := range want {
		t.Errorf("no citation of %s at %s; citations: %v", ref, pos, positions(tree))
	}
}

func positions(tree *content.Tree) []string {
	var out []string
	for _, c := range tree.Citations {
		out = append(out, c.Ref.String()+"@"+c.Pos.String())
	}
	return out
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name     string
		override string
		want     []string // every error, exactly, in order
	}{
		{
			name: "unknown keys everywhere are all reported",
			override: `
-- patterns/node-flake.yaml --
slug: node-flake
dataset: failures
title: T
colour: red
jobs:
  - name: ci-node-e2e-a
    day: 3
citations:
  - ref: k/k#100
    stat: merged
`,
			want: []string{
				`content/patterns/node-flake.yaml:4:1: unknown key "colour"`,
				`content/patterns/node-flake.yaml:7:5: unknown key "day"`,
				`content/patterns/node-flake.yaml:10:5: unknown key "stat"`,
			},
		},
		{
			name: "matchers that do not compile, at their position",
			override: `
-- patterns/node-flake.yaml --
slug: node-flake
dataset: failures
title: T
match:
  - glob: ci-node-e2e-*
  - regexp: ci-(node
  - glob: ci-[node
  - glob: a
    regexp: b
  - test: Test*
subpatterns:
  - id: s
    title: S
    match:
      - regexp: x++
        dataset: nightly
`,
			want: []string{
				`content/patterns/node-flake.yaml:6:5: pattern node-flake: matcher: regexp "ci-(node" does not compile: missing closing ): ` + "`" + `^(?:ci-(node)$` + "`" + ``,
				`content/patterns/node-flake.yaml:7:5: pattern node-flake: matcher: glob "ci-[node" does not compile: unterminated [ at offset 3`,
				`content/patterns/node-flake.yaml:8:5: pattern node-flake: matcher: set exactly one of glob, regexp, test`,
				`content/patterns/node-flake.yaml:10:5: pattern node-flake: a test matcher needs the flakes dataset`,
				`content/patterns/node-flake.yaml:15:9: sub-pattern s: matcher: regexp "x++" does not compile: invalid nested repetition operator: ` + "`" + `++` + "`",
				`content/patterns/node-flake.yaml:15:9: sub-pattern s: matcher dataset "nightly": want failures or flakes`,
			},
		},
		{
			name: "wrong kinds and bad claims",
			override: `
-- patterns/node-flake.yaml --
slug: node-flake
dataset: nightly
title: T
job_count: many
owner_sigs: [sig-nope]
citations:
  - ref: k/k#100
    state: landed
  - ref: nope#5
  - ref: k/k:a.go:9
    state: merged
  - ref: gs://kubernetes-ci-logs/logs/job-a/2053609951732961280
    job: job-b
`,
			want: []string{
				`content/patterns/node-flake.yaml:2:10: pattern node-flake: unknown dataset "nightly": want failures or flakes`,
				`content/patterns/node-flake.yaml:4:12: want a whole number, got "many"`,
				`content/patterns/node-flake.yaml:5:14: pattern node-flake names owner SIG "sig-nope", which sigs.yaml does not define`,
				`content/patterns/node-flake.yaml:8:12: k/k#100: state "landed" must be merged, closed, open or draft`,
				`content/patterns/node-flake.yaml:9:10: nope#5: unknown repository "nope": add it (or an alias) to content/repos.yaml`,
				`content/patterns/node-flake.yaml:11:12: k/k:a.go:9: a file citation cannot claim "state" (it may claim at, quote, acknowledged)`,
				`content/patterns/node-flake.yaml:13:10: gs://kubernetes-ci-logs/logs/job-a/2053609951732961280: the address names job "job-a", but the claim says "job-b"`,
			},
		},
		{
			name: "acknowledged goes on a commit, file or build claim and says why",
			override: `
-- patterns/node-flake.yaml --
slug: node-flake
dataset: failures
title: T
citations:
  - ref: k/k#100
    acknowledged: The report says so.
  - ref: k/k:a.go:9
    acknowledged: "  "
  - ref: k/k:a.go:10
    quote: x
    acknowledged: The report is off by one.
`,
			want: []string{
				`content/patterns/node-flake.yaml:6:19: k/k#100: a ref citation cannot claim "acknowledged" (it may claim kind, title, state, merged_at, closed_at, labels, at)`,
				`content/patterns/node-flake.yaml:8:19: k/k:a.go:9: acknowledged must say why the contradiction is kept`,
			},
		},
		{
			name: "report cross-references",
			override: `
-- reports/2026-05-10-failures.yaml --
title: R
date: "2026-05-10"
dataset: failures
snapshot: "2026-05-11"
prior_snapshot: "2026-05-01"
patterns:
  - letter: A
    pattern: no-such-pattern
verifications:
  - id: Q1
    verdict: MAYBE
`,
			want: []string{
				`content/reports/2026-05-10-failures.yaml:4:11: snapshot "2026-05-11": no snapshots/failures/2026-05-11.json`,
				`content/reports/2026-05-10-failures.yaml:5:17: prior_snapshot "2026-05-01": no snapshots/failures/2026-05-01.json`,
				`content/reports/2026-05-10-failures.yaml:8:14: pattern "no-such-pattern": no patterns/no-such-pattern.yaml`,
				`content/reports/2026-05-10-failures.yaml:11:14: verdict "MAYBE" must be CONFIRMED, PARTIAL or REFUTED`,
			},
		},
		{
			name: "a job the snapshot lacks",
			override: `
-- patterns/extra.yaml --
slug: extra
dataset: failures
title: Extra
jobs:
  - name: ci-node-e2e-a
  - name: ci-not-there
  - name: ci-cross-canary
    not_in_snapshot: true
-- reports/2026-05-10-failures.yaml --
title: R
date: "2026-05-10"
dataset: failures
snapshot: "2026-05-10"
patterns:
  - letter: A
    pattern: extra
`,
			want: []string{
				`content/patterns/extra.yaml:6:11: job "ci-not-there" is not in snapshot failures/2026-05-10; mark it not_in_snapshot: true if the report discusses a job the dashboard does not list`,
			},
		},
		{
			name: "snapshot shape and provenance",
			override: `
-- snapshots/failures/2026-05-10.json --
{"ci-node-e2e-a": {"failing_days": "ten"}}
-- snapshots/failures/2026-05-09.meta.yaml --
dataset: flakes
date: "2026-05-08"
source: gs://k8s-metrics/failures-latest.json
sha256: "00"
`,
			// The broken snapshot is reported once, at the value, with no follow-on
			// "no snapshots/failures/2026-05-10.json" from the report that names it.
			want: []string{
				`content/snapshots/failures/2026-05-09.meta.yaml:1:10: dataset "flakes" does not match the folder "failures"`,
				`content/snapshots/failures/2026-05-09.meta.yaml:2:7: date "2026-05-08" does not match the file name "2026-05-09"`,
				`content/snapshots/failures/2026-05-09.meta.yaml:4:9: sha256 "00" does not match 2026-05-09.json (its sha256 is`,
				`content/snapshots/failures/2026-05-10.json:1:36: snapshot: job "ci-node-e2e-a": field "failing_days": want a whole number, got the string "ten"`,
			},
		},
		{
			name: "invalid YAML keeps its line",
			override: `
-- sigs.yaml --
sigs:
  - id: sig-node
     name: broken
`,
			want: []string{
				`content/sigs.yaml:3:1: invalid YAML: mapping values are not allowed in this context`,
			},
		},
		{
			name: "testgrid.yaml: a short commit, an unknown kind, a dashboard listed twice",
			override: `
-- testgrid.yaml --
source: kubernetes/test-infra
commit: 9cd5798
dashboards:
  - name: sig-release-master-blocking
    kind: blocking
    jobs: [ci-a]
  - name: sig-release-master-blocking
    kind: blocker
`,
			want: []string{
				`content/testgrid.yaml:1:1: commit "9cd5798" is not a full 40-character commit SHA`,
				`content/testgrid.yaml:7:5: dashboard "sig-release-master-blocking": kind "blocker": want blocking or informing`,
				`content/testgrid.yaml:7:5: dashboard name "sig-release-master-blocking" is empty or listed twice`,
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := content.Load(minimal(t, tc.override), "content")
			var errs content.Errors
			if !errors.As(err, &errs) {
				t.Fatalf("Load error = %v, want content.Errors", err)
			}
			got := strings.Split(errs.Error(), "\n")
			if len(got) != len(tc.want) {
				t.Fatalf("got %d errors, want %d:\n%s", len(got), len(tc.want), errs.Error())
			}
			for i := range got {
				if !strings.HasPrefix(got[i], tc.want[i]) {
					t.Errorf("error %d:\n got %s\nwant %s", i, got[i], tc.want[i])
				}
			}
		})
	}
}

func TestMatcher(t *testing.T) {
	tree, err := content.Load(minimal(t, ""), "content")
	if err != nil {
		t.Fatal(err)
	}
	rules := tree.Categories.Rules
	cases := map[string]string{"ci-node-e2e-a": "k/k-node-e2e", "e2e-kops-x": "kops", "ci-kops-grid-1": "kops", "ci-kops-1": ""}
	for job, want := range cases {
		got := ""
		for _, r := range rules {
			if r.Matcher.Match(job) {
				got = r.Category
				break
			}
		}
		if got != want {
			t.Errorf("%s: category %q, want %q", job, got, want)
		}
	}
}

// TestMissingContentDirectory: a content directory that is not there is said once, not as
// every file the tree needs reported missing.
func TestMissingContentDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nope")
	_, err := content.Load(os.DirFS(dir), dir)
	if err == nil || !strings.Contains(err.Error(), "no such content directory") || strings.Contains(err.Error(), "repos.yaml") {
		t.Errorf("Load of a missing directory: %v", err)
	}
}

// TestRenderOnly keeps the citations and drops what only lint reads.
func TestRenderOnly(t *testing.T) {
	full, err := content.Load(os.DirFS("../../content"), "content")
	if err != nil {
		t.Fatal(err)
	}
	slim, err := content.Load(os.DirFS("../../content"), "content", content.RenderOnly())
	if err != nil {
		t.Fatal(err)
	}
	if len(slim.Citations) != len(full.Citations) || len(full.Citations) == 0 {
		t.Errorf("citations: %d render-only, %d in full; want the same, more than none", len(slim.Citations), len(full.Citations))
	}
	p := full.Patterns[0]
	fallback := content.Pos{File: "fallback"}
	if got := full.PosOf(&p.Title, fallback); got == fallback {
		t.Errorf("the full tree has no position for pattern %s's title", p.Slug)
	}
	if got := slim.PosOf(&slim.Patterns[0].Title, fallback); got != fallback {
		t.Errorf("the render-only tree answers %v for a position; want the fallback", got)
	}
	if len(slim.Prose) != 0 {
		t.Errorf("the render-only tree keeps %d prose spans", len(slim.Prose))
	}
}

// TestRenderOnlyErrorsKeepPositions: a render-only load drops its positions only once it has
// loaded, so a tree with errors is reported exactly as a full load reports it, every error at
// its path:line:col.
func TestRenderOnlyErrorsKeepPositions(t *testing.T) {
	// The second k/k alias is reported where it stands (6:15), which only the positions
	// give; the pattern's date, at its own line.
	fsys := minimal(t, "-- repos.yaml --\nrepos:\n  - repo: kubernetes/kubernetes\n    aliases: [k/k]\n    default_branch: master\n"+
		"  - repo: kubernetes/test-infra\n    aliases: [k/k]\n"+
		"-- patterns/node-flake.yaml --\n"+asOfPattern("as_of: last week\n", "abcdef1234"))
	_, full := content.Load(fsys, "content")
	_, slim := content.Load(fsys, "content", content.RenderOnly())
	if full == nil || !strings.Contains(full.Error(), "content/patterns/node-flake.yaml:") || !strings.Contains(full.Error(), "content/repos.yaml:6:15:") {
		t.Fatalf("the full load says %v; want errors in node-flake.yaml and at the alias, repos.yaml:6:15", full)
	}
	if slim == nil || slim.Error() != full.Error() {
		t.Errorf("the render-only load says:\n%v\nthe full load:\n%v", slim, full)
	}
}

// TestReportByID: Report finds a loaded report by its ID (its file name), as Pattern finds
// a pattern by slug, and in a tree a test builds by hand as well.
func TestReportByID(t *testing.T) {
	tree, err := content.Load(minimal(t, ""), "content")
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if r := tree.Report("2026-05-10-failures"); r == nil || r != tree.Reports[0] {
		t.Errorf("Report(2026-05-10-failures) = %v, want the loaded report", r)
	}
	if r := tree.Report("2026-05-10-flakes"); r != nil {
		t.Errorf("Report of an ID no file has = %v, want nil", r)
	}
	byHand := &content.Tree{Reports: []*content.Report{{ID: "a"}, {ID: "b"}}}
	if r := byHand.Report("b"); r != byHand.Reports[1] {
		t.Errorf("Report(b) on a tree made by hand = %v", r)
	}
}
