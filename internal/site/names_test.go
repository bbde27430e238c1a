package site_test

import (
	"strings"
	"testing"

	"github.com/triagesite/triagesite/internal/site"
)

// clashing is the minimal tree with jobs whose names slug alike, or differ only in case,
// or take a list page's name, and a pattern slugged index.
const clashing = `
-- snapshots/failures/2026-05-10.json --
{"ci-node-e2e-a": {"failing_days": 10}, "e2e-kops-new": {"failing_days": 0}, "ci-test-infra-x": {"failing_days": 2},
 "pr:pull-x": {"failing_days": 3}, "pr_pull-x": {"failing_days": 4}, "pr?pull-x": {"failing_days": 5},
 "Ci-Upper": {"failing_days": 6}, "ci-upper": {"failing_days": 7}, "index": {"failing_days": 8}}
-- snapshots/failures/2026-05-10.meta.yaml --
dataset: failures
date: "2026-05-10"
source: gs://k8s-metrics/failures-latest.json
fetched_at: 2026-05-10T06:00:00Z
sha256: auto
jobs_in_source: 9
-- patterns/index.yaml --
slug: index
dataset: failures
title: A pattern slugged index
summary: Cites a-b/c#1 and a/b-c#1, two repositories whose ref pages would share a name.
jobs:
  - name: index
  - name: pr:pull-x
`

// TestClashingNamesGetPagesOfTheirOwn: every job and pattern has its own page, headed with
// its own name; the list pages stay list pages; every link resolves.
func TestClashingNamesGetPagesOfTheirOwn(t *testing.T) {
	out := build(t, fixture(t, clashing), site.Options{})
	for path, heading := range map[string]string{
		"jobs/pr_pull-x.html":   "<h1><code>pr_pull-x</code></h1>", // its name is its slug: it keeps the plain file
		"jobs/pull-x.html":      "<h1><code>pull-x</code></h1>",    // pr:pull-x is the presubmit pull-x: Prow's name, one page
		"jobs/pr_pull-x~2.html": "<h1><code>pr?pull-x</code></h1>",
		"jobs/Ci-Upper.html":    "<h1><code>Ci-Upper</code></h1>",
		"jobs/ci-upper~2.html":  "<h1><code>ci-upper</code></h1>", // one file on a disk that ignores case
		"jobs/index~2.html":     "<h1><code>index</code></h1>",
		"jobs/index.html":       "<h1>Jobs</h1>",
		"patterns/index~2.html": "<h1>A pattern slugged index</h1>",
		"patterns/index.html":   "<h1>Patterns</h1>",
	} {
		page, ok := out[path]
		if !ok {
			t.Errorf("no page %s", path)
			continue
		}
		if !strings.Contains(string(page), heading) {
			t.Errorf("%s does not hold %s", path, heading)
		}
	}
	for _, link := range []string{`href="../jobs/pull-x.html"`, `href="../jobs/index~2.html"`} {
		if !strings.Contains(string(out["patterns/index~2.html"]), link) {
			t.Errorf("the pattern page does not link %s", link)
		}
	}
	refs := 0
	for path := range out {
		if strings.HasPrefix(path, "refs/a-b-c-1") {
			refs++
		}
	}
	if refs != 2 {
		t.Errorf("a-b/c#1 and a/b-c#1 have %d ref pages, want 2", refs)
	}
	checkLinks(t, out)
	checkIndexLinks(t, out, "")
}

// TestClashingNamesAreStable: the same names get the same files in every build, and a
// clashing name added later does not move the page of a name that is its own slug.
func TestClashingNamesAreStable(t *testing.T) {
	first := build(t, fixture(t, clashing), site.Options{})
	again := build(t, fixture(t, clashing), site.Options{})
	for path := range first {
		if _, ok := again[path]; !ok {
			t.Errorf("%s is not in the second build", path)
		}
	}
	fewer := strings.Replace(clashing, `"pr:pull-x": {"failing_days": 3}, `, "", 1)
	fewer = strings.Replace(fewer, "  - name: pr:pull-x\n", "", 1)
	out := build(t, fixture(t, fewer), site.Options{})
	if !strings.Contains(string(out["jobs/pr_pull-x.html"]), "<h1><code>pr_pull-x</code></h1>") {
		t.Error("without pr:pull-x, pr_pull-x moved from its own file")
	}
}
