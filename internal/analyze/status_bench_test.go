package analyze_test

import (
	"os"
	"testing"

	"github.com/triagesite/triagesite/internal/analyze"
	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/snapshot"
	"github.com/triagesite/triagesite/internal/synth"
)

// BenchmarkStatusAll judges every stored snapshot of a quarter of synthetic history (1,500
// jobs a day in 1,000 patterns, both datasets), as a build does for its status pages.
func BenchmarkStatusAll(b *testing.B) {
	dir := b.TempDir()
	if err := synth.Write(dir, synth.Sizes{Jobs: 1500, Days: 91, Patterns: 1000, CitationsPerPattern: 1}); err != nil {
		b.Fatal(err)
	}
	tree, err := content.Load(os.DirFS(dir), "content")
	if err != nil {
		b.Fatal(err)
	}
	placer := analyze.NewPlacer(tree.Patterns)
	var hs []*snapshot.History
	var ps []*analyze.Placements
	statuses := 0
	for _, ds := range []snapshot.Dataset{snapshot.Failures, snapshot.Flakes} {
		h := tree.History(ds)
		hs, ps = append(hs, h), append(ps, placer.PlaceAll(h))
		statuses += h.Len()
	}
	// all: every list built out, as for the newest snapshot's page; top-20: as for the others.
	for _, c := range []struct {
		name string
		top  int
	}{{"all", 0}, {"top-20", 20}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				for k, h := range hs {
					for i := range h.Len() {
						analyze.StatusOf(h, i, ps[k], analyze.StatusOptions{Blocking: func(string) bool { return false }, Top: c.top})
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*statuses), "ns/status")
		})
	}
}
