package site_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/triagesite/triagesite/internal/site"
)

// TestRefPages checks that a reader who starts from a PR or commit reaches every place that
// cites it, that abbreviations of one commit share a page, and that a PR a pattern claims is
// open is a nudge target.
func TestRefPages(t *testing.T) {
	override := `
-- patterns/node-flake.yaml --
slug: node-flake
dataset: failures
default_repo: kubernetes/kubernetes
title: Node e2e times out
summary: The wait came in with k/k@abcdef1 and k/k#100 fixes it.
causal_chain:
  introduced_by: k/k@abcdef1234
  exposed_by: unknown
jobs:
  - name: ci-node-e2e-a
citations:
  - ref: k/k#100
    kind: pr
    state: merged
  - ref: k/k#102
    kind: pr
    state: open
    title: Bump the wait
owner_sigs: [sig-node]
subpatterns:
  - id: the-wait
    label: A.1
    title: The wait itself
    summary: See k/k#100.
`
	out := build(t, fixture(t, override), site.Options{})
	if _, ok := out["refs/kubernetes-kubernetes-commit-abcdef1.html"]; ok {
		t.Error("k/k@abcdef1 has its own page; it abbreviates k/k@abcdef1234")
	}
	commit := string(out["refs/kubernetes-kubernetes-commit-abcdef1234.html"])
	if !strings.Contains(commit, "k/k@abcdef1)") || !strings.Contains(commit, "k/k@abcdef1234)") {
		t.Errorf("the commit page does not list both forms cited")
	}
	pr := string(out["refs/kubernetes-kubernetes-100.html"])
	for _, want := range []string{
		`href="../reports/2026-05-10-failures.html#tier-0-0.1"`, // a tier row
		`href="../reports/2026-05-10-failures.html"`,            // the banner
		`href="../patterns/node-flake.html"`,                    // the pattern's own prose
		`href="../patterns/node-flake.html#node-flake--the-wait"`,
		`href="../sigs/sig-node.html"`,
		`href="https://github.com/kubernetes/kubernetes/issues/100"`,
	} {
		if !strings.Contains(pr, want) {
			t.Errorf("refs/kubernetes-kubernetes-100.html lacks %s", want)
		}
	}
	index := string(out["refs/index.html"])
	nudges, _, _ := strings.Cut(index[strings.Index(index, `id="nudge-targets"`):], "</section>")
	if !strings.Contains(nudges, "k/k#102") || strings.Contains(nudges, "k/k#100<") {
		t.Errorf("nudge targets should list the open k/k#102 and not the merged k/k#100:\n%s", nudges)
	}
	// An inline citation nothing has checked carries no badge (markdown's fixtures test the
	// badge's link to the ref page); the page says once that its citations are unchecked.
	node := string(out["patterns/node-flake.html"])
	if strings.Contains(node, `class="badge badge-unverifiable"`) {
		t.Error("the pattern page shows an unverifiable badge beside an unchecked citation")
	}
	if !strings.Contains(node, `<p class="unchecked">Not yet verified: none of this page`) {
		t.Error("the pattern page does not say once that its citations are unchecked")
	}
}

func TestJobSlugMatchesRegexp(t *testing.T) {
	re := regexp.MustCompile(`[^A-Za-z0-9._-]`)
	for _, name := range []string{"", "ci-kubernetes-e2e-gce", "pr:pull-kubernetes-e2e", "a b/c?d#e", "ünïcode-job", "bad\xffbyte", "x..y__z--"} {
		if got, want := site.JobSlug(name), re.ReplaceAllString(name, "_"); got != want {
			t.Errorf("JobSlug(%q) = %q, want %q", name, got, want)
		}
	}
}

// TestUndeclaredRepositoryIsOneCitation: a citation of a repository repos.yaml does not
// declare (foo/bar#7) is resolved by the one resolver everywhere. It gets its ref page, and
// the pattern's prose links it with a badge, as every other citation, not as plain text.
func TestUndeclaredRepositoryIsOneCitation(t *testing.T) {
	override := `
-- patterns/node-flake.yaml --
slug: node-flake
dataset: failures
title: Node e2e times out
summary: Upstream tracks it in foo/bar#7.
causal_chain:
  introduced_by: unknown
  exposed_by: unknown
jobs:
  - name: ci-node-e2e-a
owner_sigs: [sig-node]
`
	out := build(t, fixture(t, override), site.Options{})
	ref := string(out["refs/foo-bar-7.html"])
	if !strings.Contains(ref, `href="../patterns/node-flake.html"`) {
		t.Errorf("refs/foo-bar-7.html does not say the pattern cites it")
	}
	page := string(out["patterns/node-flake.html"])
	if !strings.Contains(page, `href="https://github.com/foo/bar/issues/7"`) {
		t.Error("the pattern page shows foo/bar#7 without its link")
	}
	// With nothing verified the page carries no badges (quiet verification), so the ref page
	// is reached from the refs index, as every other unchecked citation's.
	if !strings.Contains(string(out["refs/index.html"]), `href="#repo-foo-bar"`) {
		t.Error("the refs index does not list foo/bar#7")
	}
}
