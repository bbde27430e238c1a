package site_test

import (
	"strconv"
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
}

// everyField cites k/k#2NN once in every field of a report and a pattern that the markdown
// export writes, N counting the fields.
const everyField = `
-- patterns/node-flake.yaml --
slug: node-flake
dataset: failures
default_repo: kubernetes/kubernetes
title: Node e2e times out
summary: "Summary #201."
root_cause: "Root cause #202."
causal_chain:
  introduced_by: "#203"
  exposed_by: "#204"
details: "Details #205."
jobs:
  - name: ci-node-e2e-a
    note: "Job note #206."
citations:
  - ref: k/k:test/e2e_node/a_test.go:207
    note: "Claim note #208."
    acknowledged: "Kept, see #209."
  - ref: gs://kubernetes-ci-logs/logs/ci-node-e2e-a/2053609951732961280
    job: ci-node-e2e-a
    role: sample
fix:
  summary: "Fix #210."
  sketches:
    - file: k/k:test/e2e_node/a_test.go:211
      code: x
tracker: "Tracker #212."
status: "Status #213."
owner_sigs: [sig-node]
subpatterns:
  - id: sub
    label: A.1
    title: Sub
    summary: "Sub summary #214."
    citations:
      - ref: "#215"
-- reports/2026-05-10-failures.yaml --
title: Failures triage
date: "2026-05-10"
dataset: failures
snapshot: "2026-05-10"
default_repo: kubernetes/kubernetes
method: "Method #220."
banner: ["Banner #221."]
status:
  clusters:
    - label: A
      name: node
      highlight: "Highlight #222."
  nudge_targets:
    - refs: ["#223"]
      pattern: node-flake
      state: "State #224."
      block: "Block #225."
      cleared: "Cleared #226."
  open_work: ["Open work #227."]
  notes: "Status notes #228."
tldr:
  headline: "Headline #229."
  takeaways: ["Takeaway #230."]
  notes: "TLDR notes #231."
patterns_intro: "Intro #232."
patterns:
  - letter: A
    pattern: node-flake
    note: "Report note #233."
misclassifications:
  - entry: "Entry #234."
    jobs: [e2e-kops-new]
    reality: "Reality #235."
tiers:
  - tier: 0
    items:
      - id: "0.1"
        action: "Action #236."
        cleared: "Cleared #237."
        block: "Block #238."
        where: "Where #239."
        owner: "Owner #240."
        status: "Status #241."
        why: "Why #242."
        refs: ["#243"]
    notes: ["Tier note #244."]
methodology: ["Methodology #245."]
metric_notes: "Metric #246."
drift:
  summary: "Drift #247."
  notes: ["Drift note #248."]
verifications:
  - id: Q1
    question: "Question #249?"
    verdict: CONFIRMED
    detail: "Detail #250."
open_questions: ["Open question #251."]
appendix: "Appendix #252."
citations:
  - ref: "#253"
    note: "Report claim note #254."
`

// TestMarkdownExportLinksEveryField: the export links the citations of every field it
// writes, each found by the field's YAML path.
func TestMarkdownExportLinksEveryField(t *testing.T) {
	md := string(build(t, fixture(t, everyField), site.Options{})["reports/2026-05-10-failures.md"])
	for n := 201; n <= 254; n++ {
		if n >= 216 && n < 220 {
			continue
		}
		url := "](https://github.com/kubernetes/kubernetes/issues/" + strconv.Itoa(n) + ")"
		if n == 207 || n == 211 { // file citations
			url = "](https://github.com/kubernetes/kubernetes/blob/HEAD/test/e2e_node/a_test.go#L" + strconv.Itoa(n) + ")"
		}
		if !strings.Contains(md, url) {
			t.Errorf("the markdown export does not link the citation numbered %d", n)
		}
	}
	if want := "[`gs://kubernetes-ci-logs/logs/ci-node-e2e-a/2053609951732961280`](https://prow.k8s.io/view/gs/kubernetes-ci-logs/logs/ci-node-e2e-a/2053609951732961280)"; strings.Count(md, want) != 2 {
		t.Errorf("the sampled build is not linked in both the jobs table and the citations:\n%s", md)
	}
}

// TestMarkdownTableCellsPairBackticksAlone: a backtick left unpaired in one cell of a table
// row does not pair with one in another, as GitHub reads a table, so the row's other
// citations are still linked.
func TestMarkdownTableCellsPairBackticksAlone(t *testing.T) {
	md := string(build(t, fixture(t, `
-- reports/2026-05-10-failures.yaml --
title: Failures triage
date: "2026-05-10"
dataset: failures
snapshot: "2026-05-10"
default_repo: kubernetes/kubernetes
tiers:
  - tier: 0
    items:
      - id: "0.1"
        action: "Run `+"`"+`make"
        why: "See #300."
        refs: ["#301"]
`), site.Options{})["reports/2026-05-10-failures.md"])
	for _, want := range []string{"| Run `make | See [#300](https://github.com/kubernetes/kubernetes/issues/300)", "[`#301`](https://"} {
		if !strings.Contains(md, want) {
			t.Errorf("the markdown export lacks %q:\n%s", want, md)
		}
	}
}
