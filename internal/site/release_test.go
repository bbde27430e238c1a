package site_test

import (
	"strings"
	"testing"

	"github.com/triagesite/triagesite/internal/site"
)

func TestReleasePage(t *testing.T) {
	out := build(t, livingFixture(t, "testdata/release.txtar"), site.Options{Minify: true})
	page := string(out["release.html"])
	assertContains(t, out, "release.html",
		"as kubernetes/test-infra configured them at 9cd5798cbb4f26d5665c6a8d0ebe9e23f95a99a6",
		`<h2 id="blocking">Release-blocking (4)</h2>`, "2 breach the passing criterion",
		`<a href="jobs/ci-node-e2e-a.html">ci-node-e2e-a</a></td><td>sig-release-master-blocking, sig-release-master-informing</td><td class="sev-low">10d</td>`,
		"<strong>breached</strong>: failing for 10 days on 2026-05-10",
		"<strong>at risk</strong>: failing for 0 days on 2026-05-10: too short to tell",
		"<td>ci-green</td>", "<strong>no breach seen</strong>: not on the failures dashboard of 2026-05-10",
		`<h2 id="informing">Release-informing only (1)</h2>`,
		`<a href="jobs/pull-flaky-c.html">pull-flaky-c</a></td><td>sig-release-master-informing</td><td class="muted">not listed</td><td>c=0.7, flakes=6</td>`,
		`id="criterion-passing"`, `id="criterion-frequency"`, "the snapshots hold no run durations")
	// Breached first, in name order; then at risk; then the rest.
	order := []string{"ci-node-e2e-a.html", "ci-test-infra-x.html", "e2e-kops-new.html", "<td>ci-green</td>"}
	for i := 1; i < len(order); i++ {
		if strings.Index(page, order[i-1]) > strings.Index(page, order[i]) {
			t.Errorf("%s listed after %s", order[i-1], order[i])
		}
	}
	assertContains(t, out, "jobs/ci-node-e2e-a.html", `<span class="kind">release-blocking</span>`)
	assertContains(t, out, "jobs/pull-flaky-c.html", `<span class="kind">release-informing</span>`)
	assertContains(t, out, "jobs/index.html", `ci-node-e2e-a</a><span class="kind">release-blocking</span>`)
	assertContains(t, out, "drift/failures-2026-05-09-to-2026-05-10.html", `e2e-kops-new</a><span class="kind">release-blocking</span>`)
	assertContains(t, out, "index.html", `<a href="release.html">Release-blocking jobs</a>`)
	assertMinified(t, out, "release.html", "jobs/", "drift/", "index.html")
	checkLinks(t, out)

	// Without testgrid.yaml the page says where the list comes from, and no job is marked.
	bare := build(t, fixture(t, ""), site.Options{})
	assertContains(t, bare, "release.html", "The content has no <code>testgrid.yaml</code>")
	if strings.Contains(string(bare["jobs/ci-node-e2e-a.html"]), "release-blocking") {
		t.Error("a job is marked without testgrid.yaml")
	}
}
