package site_test

import (
	"strings"
	"testing"

	"github.com/triagesite/triagesite/internal/site"
)

// TestSIGPagesOwnPerSubPattern: a SIG that owns one sub-pattern of another SIG's pattern sees
// that part on its page (its jobs, its open PRs), not the whole pattern; and the pattern's
// owner no longer answers for the jobs of the part it does not own.
func TestSIGPagesOwnPerSubPattern(t *testing.T) {
	// The minimal pattern gains a sub-pattern, owned by sig-testing alone, that claims the
	// kops job and cites an open PR.
	pattern := strings.Replace(minimalFixture(t), "subpatterns:\n", `subpatterns:
  - id: kops-part
    label: A.2
    title: The kops lane
    summary: A part sig-testing owns.
    owner_sigs: [sig-testing]
    jobs:
      - name: e2e-kops-new
    citations:
      - ref: k/k#102
        kind: pr
        state: open
        role: fix
`, 1)
	out := build(t, fixture(t, pattern), site.Options{Minify: true})

	testing_ := string(out["sigs/sig-testing.html"])
	subs := section(t, []byte(testing_), "subpatterns")
	for _, want := range []string{`href="../patterns/node-flake.html#node-flake--kops-part"`, "A.2 The kops lane", "Node e2e times out"} {
		if !strings.Contains(subs, want) {
			t.Errorf("sig-testing's sub-patterns lack %q:\n%s", want, subs)
		}
	}
	if owned := section(t, []byte(testing_), "patterns"); strings.Contains(owned, "node-flake.html") {
		t.Errorf("sig-testing lists the whole pattern it owns one part of:\n%s", owned)
	}
	if jobs := section(t, []byte(testing_), "jobs"); !strings.Contains(jobs, "e2e-kops-new") {
		t.Errorf("sig-testing's jobs lack the job its sub-pattern claims:\n%s", text(jobs))
	}
	if refs := section(t, []byte(testing_), "waiting"); !strings.Contains(refs, "#102") || strings.Contains(refs, "#101") {
		t.Errorf("sig-testing's open PRs should be its part's alone:\n%s", text(refs))
	}

	node := string(out["sigs/sig-node.html"])
	if !strings.Contains(section(t, []byte(node), "patterns"), "node-flake.html") {
		t.Error("sig-node, the pattern's owner, does not list it")
	}
	if strings.Contains(node, `id="subpatterns"`) {
		t.Error("sig-node lists sub-patterns of a pattern it owns whole")
	}
	if jobs := section(t, []byte(node), "jobs"); strings.Contains(jobs, "e2e-kops-new") {
		t.Errorf("sig-node answers for a job of the part sig-testing owns:\n%s", text(jobs))
	}
	if refs := section(t, []byte(node), "waiting"); strings.Contains(refs, "#102") {
		t.Errorf("sig-node waits on the PR of the part it does not own:\n%s", text(refs))
	}
	if row := out["sigs/index.html"]; !strings.Contains(text(string(row)), "sig-testing01") {
		t.Errorf("the SIG list does not count sig-testing's sub-pattern:\n%s", text(string(row)))
	}
}
