package snapshot_test

import (
	"reflect"
	"testing"

	"github.com/triagesite/triagesite/internal/snapshot"
)

// TestRecycleGivesEachParseItsOwnJobs holds Recycle to its promise: a given-back job list
// serves one later parse, whose result is what a fresh parse gives.
func TestRecycleGivesEachParseItsOwnJobs(t *testing.T) {
	for _, ds := range []snapshot.Dataset{snapshot.Failures, snapshot.Flakes} {
		big, small := benchDoc(ds, 300), benchDoc(ds, 40)
		want, err := snapshot.Parse(ds, small)
		if err != nil {
			t.Fatal(err)
		}
		for range 3 {
			s, err := snapshot.Parse(ds, big)
			if err != nil {
				t.Fatal(err)
			}
			snapshot.Recycle(s)
			if s.Jobs != nil {
				t.Errorf("%s: a recycled snapshot keeps its jobs", ds)
			}
			a, errA := snapshot.Parse(ds, small)
			b, errB := snapshot.Parse(ds, small)
			if errA != nil || errB != nil {
				t.Fatal(errA, errB)
			}
			if !reflect.DeepEqual(a, want) || !reflect.DeepEqual(b, want) {
				t.Fatalf("%s: a parse into a recycled list differs from a fresh one", ds)
			}
			a.Jobs[0].Name = "changed"
			if b.Jobs[0].Name == "changed" {
				t.Fatalf("%s: two parses share one job list", ds)
			}
		}
	}
}
