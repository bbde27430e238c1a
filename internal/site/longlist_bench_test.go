package site_test

import (
	"context"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/site"
	"github.com/triagesite/triagesite/internal/txtarfs"
)

// BenchmarkLongLists builds a site with one pattern that claims 100,000 jobs and is
// cross-listed with 100,000 others: the time per item must stay flat as the lists grow
// (a list built with += took 21 s at 40,000 items). The jobs stand in the snapshot and a
// glob claims them: a pattern file naming each would pass the 1 MiB cap on content files.
func BenchmarkLongLists(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) { benchLongLists(b, n) })
	}
}

func benchLongLists(b *testing.B, n int) {
	var pattern strings.Builder
	pattern.WriteString("-- snapshots/failures/2026-05-10.json --\n" +
		`{"ci-node-e2e-a": {"failing_days": 10}, "e2e-kops-new": {"failing_days": 0}, "ci-test-infra-x": {"failing_days": 2}`)
	for i := range n {
		pattern.WriteString(`, "ci-long-` + strconv.Itoa(i) + `": {"failing_days": 5}`)
	}
	pattern.WriteString("}\n-- snapshots/failures/2026-05-10.meta.yaml --\ndataset: failures\ndate: \"2026-05-10\"\n" +
		"source: gs://k8s-metrics/failures-latest.json\nfetched_at: 2026-05-10T06:00:00Z\nsha256: auto\njobs_in_source: " + strconv.Itoa(n+3) + "\n")
	pattern.WriteString("-- patterns/long.yaml --\nslug: long\ndataset: failures\ntitle: A long list\nsummary: Many jobs.\nmatch:\n  - glob: ci-long-*\n")
	pattern.WriteString("subpatterns:\n  - id: part\n    label: L.1\n    title: Part\n    summary: Part of it.\n    cross_lists: [")
	for i := range n {
		if i > 0 {
			pattern.WriteString(", ")
		}
		pattern.WriteString("x" + strconv.Itoa(i))
	}
	pattern.WriteString("]\n")
	tree, err := content.Load(txtarfs.FS(minimalFixture(b), pattern.String()), "content")
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		var out discard
		if err := site.Build(context.Background(), tree, site.Options{Minify: true}, &out); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(out.pages.Load()), "pages")
		b.ReportMetric(float64(out.bytes.Load())/1e6, "out-MB")
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N)/float64(2*n)*1e9, "ns/item")
}

// discard counts pages and keeps none: the disk is not what this benchmark measures.
type discard struct{ pages, bytes atomic.Int64 }

func (d *discard) WritePage(_ string, data []byte) error {
	d.pages.Add(1)
	d.bytes.Add(int64(len(data)))
	return nil
}
