package site_test

import (
	"strings"
	"testing"

	"github.com/triagesite/triagesite/internal/citation"
	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/evidence"
	"github.com/triagesite/triagesite/internal/site"
)

// placesReport cites refs from fields all over a report, each once, so that a ref page's
// "Cited in" shows the section the loader's YAML path places it in.
const placesReport = `
-- reports/2026-05-10-failures.yaml --
title: Failures triage
date: "2026-05-10"
dataset: failures
snapshot: "2026-05-10"
default_repo: kubernetes/kubernetes
status:
  nudge_targets:
    - refs: [k/k#105]
      pattern: node-flake
      state: A draft.
patterns:
  - letter: A
    pattern: node-flake
    note: "Fixed by k/k#111."
misclassifications:
  - entry: e2e-kops-new (0d)
    jobs: [e2e-kops-new]
    reality: "Tracked in k/k#112."
tiers:
  - tier: 0
    items:
      - id: "0.1"
        action: "Land k/k#105"
        refs: [k/k#106]
verifications:
  - id: Q1
    question: Is the wait ten seconds?
    verdict: CONFIRMED
    detail: "See k/k#113."
citations:
  - ref: k/k#114
    note: "Same as k/k#115."
`

// newsOf is evidence that says every ref merged on 2026-05-12.
type newsOf struct{}

func (newsOf) Status(citation.Ref, *content.Claim) (evidence.Status, string) {
	return evidence.Verified, "merged"
}
func (newsOf) Since(ref citation.Ref, day string) []string { return []string{"merged 2026-05-12"} }
func (newsOf) OpenNow(citation.Ref) (open, known bool)     { return false, true }

func TestRefPlacesFollowYAMLPaths(t *testing.T) {
	out := build(t, fixture(t, placesReport), site.Options{})
	for ref, want := range map[string]string{
		"105": `href="../reports/2026-05-10-failures.html#status"`,
		"106": `href="../reports/2026-05-10-failures.html#tier-0-0.1"`,
		"111": `href="../reports/2026-05-10-failures.html#node-flake"`,
		"112": `href="../reports/2026-05-10-failures.html#misclassifications"`,
		"113": `href="../reports/2026-05-10-failures.html#q-q1"`,
		"114": `href="../reports/2026-05-10-failures.html#report-citations"`,
		"115": `href="../reports/2026-05-10-failures.html"`, // a claim's note: no section of its own
	} {
		page := string(out["refs/kubernetes-kubernetes-"+ref+".html"])
		if !strings.Contains(page, want) {
			t.Errorf("k/k#%s: its ref page lacks %s", ref, want)
		}
	}
	if !strings.Contains(string(out["refs/kubernetes-kubernetes-105.html"]), "A draft.") {
		t.Error("k/k#105: its ref page does not show the nudge target that names it")
	}
}

// TestNewsOfARowIsWhatTheLoaderFoundInIt: a tier row's news covers its refs: and then the
// refs its action cites; a nudge target's covers its refs.
func TestNewsOfARowIsWhatTheLoaderFoundInIt(t *testing.T) {
	out := build(t, fixture(t, placesReport), site.Options{Evidence: newsOf{}})
	report := out["reports/2026-05-10-failures.html"]
	if want := "fixed since the report: k/k#106 merged 2026-05-12; k/k#105 merged 2026-05-12"; !strings.Contains(section(t, report, "action-plan"), want) {
		t.Errorf("the tier row lacks %q", want)
	}
	if want := "fixed since the report: k/k#105 merged 2026-05-12"; !strings.Contains(section(t, report, "status"), want) {
		t.Errorf("the nudge target lacks %q", want)
	}
}

// TestMarkdownExportLinksWhatTheLoaderFound: the report's markdown links the citations the
// loader indexed, resolved as everywhere else; what only looks like one (a bare #N where the
// pattern names no repository, a claim's title) stays text, as on the HTML pages.
func TestMarkdownExportLinksWhatTheLoaderFound(t *testing.T) {
	out := build(t, fixture(t, `
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
citations:
  - ref: kubernetes/kubernetes#100
    title: Revert kubernetes/kubernetes#99
    note: "Same as #12."
owner_sigs: [sig-node]
`), site.Options{})
	md := string(out["reports/2026-05-10-failures.md"])
	for _, want := range []string{
		"Upstream tracks it in [foo/bar#7](https://github.com/foo/bar/issues/7)",
		"[`kubernetes/kubernetes#100`](https://github.com/kubernetes/kubernetes/issues/100)",
		"title: Revert kubernetes/kubernetes#99 |",
		"| Same as #12. |",
		"[k/k#100](https://github.com/kubernetes/kubernetes/issues/100)", // the report's own banner
	} {
		if !strings.Contains(md, want) {
			t.Errorf("the markdown export lacks %q", want)
		}
	}
	if strings.ContainsAny(md, "\x02\x03\x04") {
		t.Error("the markdown export keeps a citation mark")
	}
}
