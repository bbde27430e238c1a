package snapshot_test

import (
	"reflect"
	"testing"
	"unsafe"

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
	if unsafe.StringData(s1.Jobs[1].TestFlakes[0].Test) != unsafe.StringData(s2.Jobs[1].TestFlakes[0].Test) {
		t.Errorf("job b: test name T1 not interned")
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

// TestNamesInternJobsAcrossDocuments: job names read from a later document, whatever jobs
// came and went, are the strings of the earlier one, and each parse reads what a fresh one
// does.
func TestNamesInternJobsAcrossDocuments(t *testing.T) {
	docs := [][]byte{
		[]byte(`{"b": {"failing_days": 1}, "d": {"failing_days": 2}}`),
		[]byte(`{"a": {"failing_days": 3}, "b": {"failing_days": 4}, "c": {"failing_days": 5}}`),
		[]byte(`{"d": {"failing_days": 6}}`),
		[]byte(`{"a": {"failing_days": 7}, "b": {"failing_days": 8}, "d": {"failing_days": 9}, "e": {"failing_days": 1}}`),
	}
	names := snapshot.NewNames()
	first := map[string]*byte{}
	for _, doc := range docs {
		s, err := snapshot.ParseNames(snapshot.Failures, doc, names)
		if err != nil {
			t.Fatal(err)
		}
		fresh, err := snapshot.Parse(snapshot.Failures, doc)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(s, fresh) {
			t.Errorf("parse with names = %+v, want %+v", s, fresh)
		}
		for _, j := range s.Jobs {
			p := unsafe.StringData(j.Name)
			if q, ok := first[j.Name]; ok && q != p {
				t.Errorf("job %s: a new string, not the interned one", j.Name)
			}
			first[j.Name] = p
		}
	}
}
