package analyze_test

import (
	"fmt"
	"testing"

	"github.com/triagesite/triagesite/internal/analyze"
	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/snapshot"
)

// BenchmarkPlaceAll places the distinct jobs of two years of synthetic history (2,500 names)
// in 1,000 patterns, each with a name list, a glob and a regexp on two sub-patterns.
func BenchmarkPlaceAll(b *testing.B) {
	var patterns []*content.Pattern
	for i := range 1000 {
		stem := fmt.Sprintf("ci-kubernetes-e2e-topic%03d", i%400)
		p := &content.Pattern{Slug: fmt.Sprintf("p%04d", i), Dataset: "failures",
			Body: content.Body{Jobs: []content.JobRef{{Name: fmt.Sprintf("%s-lane-%d", stem, i%7)}}}}
		p.SubPatterns = []content.SubPattern{
			{ID: "a", Body: content.Body{Match: []content.JobMatcher{{Glob: stem + "-lane-*"}, {Glob: "*-canary", Exclude: true}}}},
			{ID: "b", Body: content.Body{Match: []content.JobMatcher{{Regexp: stem + `-lane-\d(-release-\d+)?`}}}},
		}
		patterns = append(patterns, p)
	}
	var jobs []snapshot.Job
	for i := range 2500 {
		jobs = append(jobs, snapshot.Job{Name: fmt.Sprintf("ci-kubernetes-e2e-topic%03d-lane-%d", i%500, i%11), FailingDays: i})
	}
	// Names repeat across i, as they would across days; New keeps the unique ones sorted.
	seen := map[string]bool{}
	var uniq []snapshot.Job
	for _, j := range jobs {
		if !seen[j.Name] {
			seen[j.Name] = true
			uniq = append(uniq, j)
		}
	}
	h, err := snapshot.HistoryOf(snapshot.Failures, []string{"2026-05-10"}, []*snapshot.Snapshot{snapshot.New(snapshot.Failures, uniq)})
	if err != nil {
		b.Fatal(err)
	}
	placer := analyze.NewPlacer(patterns)
	b.ReportMetric(float64(len(uniq)), "names")
	for b.Loop() {
		placer.PlaceAll(h)
	}
}
