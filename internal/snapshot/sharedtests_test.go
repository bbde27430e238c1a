package snapshot_test

import (
	"reflect"
	"testing"

	"github.com/triagesite/triagesite/internal/snapshot"
)

// TestNamesShareUnchangedTestFlakes: a job whose test flakes are the same as in the
// document parsed before with the same names gets the same list back; a changed list is a
// new one, and neither parse's values change.
func TestNamesShareUnchangedTestFlakes(t *testing.T) {
	day1 := []byte(`{"a": {"consistency": 1, "flakes": 2, "test_flakes": {"T2": 1, "T1": 1}},
		"b": {"consistency": 1, "flakes": 1, "test_flakes": {"T1": 1}}}`)
	day2 := []byte(`{"a": {"consistency": 1, "flakes": 2, "test_flakes": {"T1": 1, "T2": 1}},
		"b": {"consistency": 1, "flakes": 1, "test_flakes": {"T1": 2}}}`)
	names := snapshot.NewNames()
	s1, err := snapshot.ParseNames(snapshot.Flakes, day1, names)
	if err != nil {
		t.Fatal(err)
	}
	s2, err := snapshot.ParseNames(snapshot.Flakes, day2, names)
	if err != nil {
		t.Fatal(err)
	}
	if &s1.Jobs[0].TestFlakes[0] != &s2.Jobs[0].TestFlakes[0] {
		t.Errorf("job a: equal test flakes not shared")
	}
	if &s1.Jobs[1].TestFlakes[0] == &s2.Jobs[1].TestFlakes[0] {
		t.Errorf("job b: changed test flakes shared")
	}
	for _, c := range []struct {
		doc  []byte
		snap *snapshot.Snapshot
	}{{day1, s1}, {day2, s2}} {
		fresh, err := snapshot.Parse(snapshot.Flakes, c.doc)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(c.snap, fresh) {
			t.Errorf("parse with shared names = %+v, want %+v", c.snap, fresh)
		}
	}
}
