package snapshot_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/triagesite/triagesite/internal/snapshot"
)

func flakesDay(jobs ...snapshot.Job) *snapshot.Snapshot { return snapshot.New(snapshot.Flakes, jobs) }

func TestHistoryReadsBackWhatWasAdded(t *testing.T) {
	tf := func(test string, n int) []snapshot.TestFlake { return []snapshot.TestFlake{{Test: test, Count: n}} }
	snaps := []*snapshot.Snapshot{
		// "zeta" is met first, so before sealing it has the smallest id; sealing renumbers by name.
		flakesDay(snapshot.Job{Name: "zeta", Consistency: 0.5, Flakes: 3, TestFlakes: tf("Old", 1)}),
		flakesDay(snapshot.Job{Name: "alpha", Consistency: 0.9, Flakes: 1}),
		flakesDay(snapshot.Job{Name: "alpha", Consistency: 0.8, Flakes: 2}, snapshot.Job{Name: "zeta", Consistency: 0.25, Flakes: 7, TestFlakes: tf("New", 4)}),
	}
	h, err := snapshot.HistoryOf(snapshot.Flakes, []string{"2026-05-08", "2026-05-09", "2026-05-10"}, snaps)
	if err != nil {
		t.Fatal(err)
	}
	if got := h.Names(); !reflect.DeepEqual(got, []string{"alpha", "zeta"}) {
		t.Errorf("names %v", got)
	}
	last, ok := h.Latest()
	if !ok || last.Date() != "2026-05-10" || last.Len() != 2 {
		t.Fatalf("latest %v %v", last, ok)
	}
	want := &snapshot.Snapshot{Dataset: snapshot.Flakes, Jobs: []snapshot.Job{
		{Name: "alpha", Consistency: 0.8, Flakes: 2}, {Name: "zeta", Consistency: 0.25, Flakes: 7}}}
	if got := last.Snapshot(); !reflect.DeepEqual(got, want) {
		t.Errorf("latest snapshot %+v, want %+v", got, want)
	}
	if j, ok := h.Day(0).Job("zeta"); !ok || j.Flakes != 3 {
		t.Errorf("zeta on day 0: %+v %v", j, ok)
	}
	if _, ok := h.Day(0).Job("alpha"); ok {
		t.Error("alpha found on a day that does not list it")
	}
	var days []int
	var newest snapshot.Job
	for day, j := range h.Appearances("zeta") {
		days, newest = append(days, day), j
	}
	if !reflect.DeepEqual(days, []int{0, 2}) || newest.Consistency != 0.25 || newest.Name != "zeta" {
		t.Errorf("zeta appears on days %v, last as %+v", days, newest)
	}
	days = nil
	for day := range h.DaysListing(1) { // zeta's id: ids follow name order
		days = append(days, day)
	}
	if !reflect.DeepEqual(days, []int{0, 2}) {
		t.Errorf("zeta listed on days %v", days)
	}
	if d, ok := h.LastSeenBefore("zeta", 2); !ok || d.Date() != "2026-05-08" {
		t.Errorf("zeta last seen before day 2: %v %v", d, ok)
	}
	if _, ok := h.LastSeenBefore("alpha", 1); ok {
		t.Error("alpha seen before its first day")
	}
	if got := h.TestFlakes("zeta"); len(got) != 1 || got[0].Test != "New" {
		t.Errorf("zeta test flakes %+v, want the newest", got)
	}
	if d, ok := h.Find("2026-05-09"); !ok || d.Index() != 1 {
		t.Errorf("find: %v %v", d, ok)
	}
	if _, ok := h.Find("2026-05-11"); ok {
		t.Error("found a date the history does not have")
	}
}

// TestHistoryRefusesOutOfOrder: days come oldest first, each once (the loader adds them in
// file name order, which is date order); a day out of order is refused, saying which, and
// leaves the history as it was, so the days it holds still read back.
func TestHistoryRefusesOutOfOrder(t *testing.T) {
	h := snapshot.NewHistory(snapshot.Failures)
	day := func(names ...string) *snapshot.Snapshot {
		s := snapshot.New(snapshot.Failures, nil)
		for _, n := range names {
			s.Jobs = append(s.Jobs, snapshot.Job{Name: n, FailingDays: 1})
		}
		return s
	}
	if err := h.Add("2026-05-10", day("b")); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		date string
		snap *snapshot.Snapshot
		want string
	}{
		{"2026-05-09", day("a"), "history of failures: 2026-05-09 added after 2026-05-10 (days are added oldest first)"},
		{"2026-05-10", day("c"), "history of failures: 2026-05-10 added twice"},
		{"2026-05-1", day("c"), `history of failures: date "2026-05-1"`}, // not a date, whatever its order
		{"2026-05-11", flakesDay(), "add a flakes snapshot"},
	} {
		if err := h.Add(c.date, c.snap); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("add %s: %v, want %q", c.date, err, c.want)
		}
	}
	if err := h.Add("2026-05-12", day("b", "d")); err != nil {
		t.Fatalf("a later day after refusals: %v", err)
	}
	h.Seal()
	if err := h.Add("2026-05-13", day()); err == nil {
		t.Error("added to a sealed history")
	}
	if got := h.Names(); !reflect.DeepEqual(got, []string{"b", "d"}) {
		t.Errorf("names %v: a refused day's jobs were kept", got)
	}
	var dates []string
	for i := range h.Len() {
		dates = append(dates, h.Day(i).Date())
	}
	if !reflect.DeepEqual(dates, []string{"2026-05-10", "2026-05-12"}) {
		t.Errorf("days %v", dates)
	}
	if d, ok := h.LastSeenBefore("b", 1); !ok || d.Date() != "2026-05-10" {
		t.Errorf("b last seen before the newest day: %v %v", d, ok)
	}
}

// TestHistoryFollowsJobsComingAndGoing: each day reads back exactly its own jobs whether
// they are the day before's, new, or dropped.
func TestHistoryFollowsJobsComingAndGoing(t *testing.T) {
	days := [][]string{
		{"b", "d", "f"},
		{"a", "b", "c", "f", "g"}, // new before, between and after; "d" dropped
		{"g"},
		{"a", "b", "c", "d", "e", "f", "g"},
		{"a", "e", "f"},
	}
	var snaps []*snapshot.Snapshot
	var dates []string
	for i, names := range days {
		s := &snapshot.Snapshot{Dataset: snapshot.Failures}
		for k, n := range names {
			s.Jobs = append(s.Jobs, snapshot.Job{Name: n, FailingDays: 10*i + k})
		}
		snaps = append(snaps, s)
		dates = append(dates, "2026-05-0"+string(rune('1'+i)))
	}
	h, err := snapshot.HistoryOf(snapshot.Failures, dates, snaps)
	if err != nil {
		t.Fatal(err)
	}
	for i, names := range days {
		for k, n := range names {
			if j, ok := h.Day(i).Job(n); !ok || j.FailingDays != 10*i+k {
				t.Errorf("day %d job %s: %+v %v, want failing_days %d", i, n, j, ok, 10*i+k)
			}
		}
		if got := h.Day(i).Len(); got != len(names) {
			t.Errorf("day %d lists %d jobs, want %d", i, got, len(names))
		}
	}
	if got := h.Names(); !reflect.DeepEqual(got, []string{"a", "b", "c", "d", "e", "f", "g"}) {
		t.Errorf("names %v", got)
	}
}
