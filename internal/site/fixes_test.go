package site_test

import (
	"bytes"
	"html"
	"strings"
	"testing"

	"github.com/tdewolff/minify/v2"
	mhtml "github.com/tdewolff/minify/v2/html"

	"github.com/triagesite/triagesite/internal/evidence"
	"github.com/triagesite/triagesite/internal/site"
)

// TestFixesThatDidNotFix: a fix check recorded in the lock shows on the pattern, report and
// SIG pages, and a job still failing with the fix heads the "fixes that did not fix" list.
func TestFixesThatDidNotFix(t *testing.T) {
	lock := evidence.New(nil)
	lock.PutFix(evidence.FixCheck{PR: "kubernetes/kubernetes#100", Job: "ci-node-e2e-a", MergedAt: "2026-05-10T04:57:45Z",
		Verdict: evidence.FixStillFailing, Message: "2 of 3 builds since the merge tested it, and all 2 failed <b>"})
	lock.PutFix(evidence.FixCheck{PR: "kubernetes/kubernetes#999", Job: "ci-node-e2e-a", Verdict: evidence.FixFixed,
		Message: "a PR this content does not cite as a fix"})
	out := build(t, fixture(t, ""), site.Options{Evidence: site.LockEvidence{Lock: lock}})
	for _, page := range []string{"patterns/node-flake.html", "reports/2026-05-10-failures.html", "sigs/sig-node.html", "verification.html", "status/failures-2026-05-10.html"} {
		got := string(out[page])
		for _, want := range []string{
			`<h3 id="fixes-not-fixed">Fixes that did not fix</h3>`,
			`>k/k#100</a> merged 2026-05-10T04:57:45Z; <a href="` + strings.Repeat("../", strings.Count(page, "/")) + `jobs/ci-node-e2e-a.html">ci-node-e2e-a</a> still fails: 2 of 3 builds`,
			`<span class="badge badge-fix-still_failing">still failing with the fix</span>`,
			`all 2 failed &lt;b&gt;`,
		} {
			if !strings.Contains(got, want) {
				t.Errorf("%s lacks %q", page, want)
			}
		}
		if strings.Contains(got, "k/k#999") {
			t.Errorf("%s lists a fix check of a PR it does not cite as a fix", page)
		}
		start := strings.Index(got, `<section aria-labelledby="fixes">`)
		section := got[start : start+strings.Index(got[start:], "</section>")+len("</section>")]
		m := minify.New()
		m.Add("text/html", &mhtml.Minifier{KeepDocumentTags: true, KeepEndTags: true, KeepQuotes: true})
		var minified bytes.Buffer
		if err := m.Minify("text/html", &minified, strings.NewReader(section)); err != nil {
			t.Fatal(err)
		}
		if html.UnescapeString(section) != html.UnescapeString(minified.String()) {
			a, b := html.UnescapeString(section), html.UnescapeString(minified.String())
			i := 0
			for i < len(a) && i < len(b) && a[i] == b[i] {
				i++
			}
			t.Errorf("%s with fix checks is not minified at\n%q\n%q", page, a[max(0, i-80):min(len(a), i+40)], b[max(0, i-80):min(len(b), i+40)])
		}
	}
	if older, ok := out["status/failures-2026-05-09.html"]; !ok || strings.Contains(string(older), `id="fixes"`) {
		t.Error("an older snapshot's status page shows today's fix checks")
	}
	plain := build(t, fixture(t, ""), site.Options{})
	if strings.Contains(string(plain["patterns/node-flake.html"]), `id="fixes"`) {
		t.Error("with no fix checks recorded, the pattern page still has a fixes section")
	}
}
