package site_test

import (
	"strings"
	"testing"

	"github.com/triagesite/triagesite/internal/site"
	"github.com/triagesite/triagesite/internal/sitetest"
)

// The day after the bundled reports, the dashboards publish {} and null. The build flags
// both, on the health page, the home page and their status pages, and does not drift them;
// nothing on the way crashes or prints NaN.
func TestEmptyLatestSnapshots(t *testing.T) {
	s := sitetest.BuildFS(t, bundledPlus(t, `-- snapshots/failures/2026-05-11.json --
{}
-- snapshots/failures/2026-05-11.meta.yaml --
dataset: failures
date: "2026-05-11"
source: gs://k8s-metrics/failures-latest.json
sha256: auto
-- snapshots/flakes/2026-05-11.json --
null
-- snapshots/flakes/2026-05-11.meta.yaml --
dataset: flakes
date: "2026-05-11"
source: gs://k8s-metrics/flakes-latest.json
sha256: auto
`), site.Options{Minify: true})
	s.AssertFileContent("health.html", `id="failures-2026-05-11-empty"`, `id="flakes-2026-05-11-empty"`)
	s.AssertFileContent("index.html", "empty ({})", "empty (null)")
	s.AssertFileContent("drift/failures-2026-05-10-to-2026-05-11.html", "Not compared")
	s.AssertFileContent("drift/flakes-2026-05-10-to-2026-05-11.html", "Not compared")
	for _, p := range []string{"status/failures-2026-05-11.html", "status/flakes-2026-05-11.html", "index.html"} {
		page := text(string(s.Page(p)))
		if !strings.Contains(page, "Input health:") || !strings.Contains(page, "the dashboard published") {
			t.Errorf("%s does not flag the empty snapshot", p)
		}
	}
	if !strings.Contains(text(string(s.Page("status/failures-2026-05-11.html"))), "0 jobs in the snapshot") {
		t.Error("the empty failures snapshot has no status page saying so")
	}
	for p, data := range s.Pages() {
		if strings.HasSuffix(p, ".html") && strings.Contains(string(data), "NaN") {
			t.Errorf("%s shows NaN", p)
		}
	}
	checkLinks(t, s.Pages())
}
