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

// BenchmarkLongLists builds a site with one pattern that lists 100,000 jobs and is
// cross-listed with 100,000 others: the time per item must stay flat as the lists grow
// (a list built with += took 21 s at 40,000 items).
func BenchmarkLongLists(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) { benchLongLists(b, n) })
	}
}

func benchLongLists(b *testing.B, n int) {
	var pattern strings.Builder
	pattern.WriteString("-- patterns/long.yaml --\nslug: long\ndataset: failures\ntitle: A long list\nsummary: Many jobs.\njobs:\n")
	for i := range n {
		pattern.WriteString("  - name: ci-long-" + strconv.Itoa(i) + "\n    not_in_snapshot: true\n")
	}
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
