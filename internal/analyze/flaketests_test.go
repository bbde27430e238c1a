package analyze_test

import (
	"reflect"
	"testing"

	"github.com/triagesite/triagesite/internal/analyze"
	"github.com/triagesite/triagesite/internal/snapshot"
)

func TestFlakyTests(t *testing.T) {
	tf := func(tests ...snapshot.TestFlake) []snapshot.TestFlake { return tests }
	job := func(name string, tests []snapshot.TestFlake) snapshot.Job {
		return snapshot.Job{Name: name, Consistency: 0.9, Flakes: 1, TestFlakes: tests}
	}
	hist, err := snapshot.HistoryOf(snapshot.Flakes, []string{"2026-05-09", "2026-05-10", "2026-05-11"}, []*snapshot.Snapshot{
		snapshot.New(snapshot.Flakes, []snapshot.Job{job("ci-gone", tf(snapshot.TestFlake{Test: "TestA", Count: 50}))}),
		snapshot.New(snapshot.Flakes, []snapshot.Job{
			job("ci-a", tf(snapshot.TestFlake{Test: "TestA", Count: 2}, snapshot.TestFlake{Test: "[sig-node] Pods should run", Count: 1})),
			job("ci-b", tf(snapshot.TestFlake{Test: "TestA", Count: 5})),
			job("ci-c", tf(snapshot.TestFlake{Test: "TestB", Count: 9})),
			job("ci-d", tf(snapshot.TestFlake{Test: "TestB", Count: 1}, snapshot.TestFlake{Test: "TestA", Count: 2})),
			job("ci-null", nil),
		}),
		snapshot.New(snapshot.Flakes, nil), // a null day after it
	})
	if err != nil {
		t.Fatal(err)
	}
	day, ok := analyze.NewestListing(hist)
	if !ok || day.Date() != "2026-05-10" {
		t.Fatalf("newest listing: %v %v", day, ok)
	}
	tests := analyze.FlakyTests(hist, day)
	want := []analyze.FlakyTest{
		{Name: "TestA", Total: 9, Jobs: []analyze.TestInJob{{"ci-b", 5}, {"ci-a", 2}, {"ci-d", 2}}},
		{Name: "TestB", Total: 10, Jobs: []analyze.TestInJob{{"ci-c", 9}, {"ci-d", 1}}},
		{Name: "[sig-node] Pods should run", Total: 1, Jobs: []analyze.TestInJob{{"ci-a", 1}}},
	}
	if !reflect.DeepEqual(tests, want) {
		t.Errorf("FlakyTests:\n got %+v\nwant %+v", tests, want)
	}
	// ci-gone's TestA is from an older snapshot: not counted. Three jobs beat more flakes in two.
	if r := analyze.BySpread(tests); len(r) != 2 || r[0].Name != "TestA" || r[1].Name != "TestB" {
		t.Errorf("BySpread: %+v", r)
	}
}
