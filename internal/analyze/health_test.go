package analyze_test

import (
	"os"
	"testing"
	"time"

	"github.com/triagesite/triagesite/internal/analyze"
	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/snapshot"
	"github.com/triagesite/triagesite/internal/txtarfs"
)

// healthTree is the minimal content tree with the snapshots of testdata/health.txtar.
func healthTree(t *testing.T) *content.Tree {
	t.Helper()
	var archives []string
	for _, name := range []string{"../content/testdata/minimal.txtar", "testdata/health.txtar"} {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		archives = append(archives, string(data))
	}
	tree, err := content.Load(txtarfs.FS(archives...), ".")
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return tree
}

func TestHealthFlagsEveryInputProblem(t *testing.T) {
	h := analyze.HealthOf(healthTree(t), time.Time{}, 0)
	get := func(ds snapshot.Dataset, date string) analyze.SnapshotHealth {
		t.Helper()
		s, ok := h.Find(ds, date)
		if !ok {
			t.Fatalf("no health for %s %s", ds, date)
		}
		return s
	}
	if s := get(snapshot.Failures, "2026-05-05"); s.Flagged() {
		t.Errorf("05-05 flagged: %+v", s)
	}
	if s := get(snapshot.Failures, "2026-05-06"); s.Empty != analyze.EmptyObject || s.Jobs != 0 {
		t.Errorf("{} snapshot: %+v", s)
	}
	// The {} day is skipped: 05-07 is compared with 05-05, and nothing "comes back".
	if s := get(snapshot.Failures, "2026-05-07"); s.Previous != "2026-05-05" || s.Flagged() {
		t.Errorf("05-07 after the {} day: %+v", s)
	}
	if s := get(snapshot.Failures, "2026-05-08"); !s.Dropped || s.PreviousJobs != 6 || s.Jobs != 2 {
		t.Errorf("05-08 lost 4 of 6 jobs: %+v", s)
	}
	if s := get(snapshot.Failures, "2026-05-09"); s.Flagged() {
		t.Errorf("05-09 flagged: %+v", s)
	}
	s := get(snapshot.Failures, "2026-05-10")
	if len(s.Returned) != 1 || s.Returned[0] != (analyze.Returned{Job: "ci-c", LastSeen: "2026-05-07"}) || s.Dropped {
		t.Errorf("05-10: ci-c came back after 05-07: %+v", s)
	}
	if !s.FromObject || s.Generation != 1778392800000000 || !s.AsOf.Equal(time.Date(2026, 5, 10, 6, 0, 0, 0, time.UTC)) {
		t.Errorf("05-10 is dated by its object: %+v", s)
	}
	if f := get(snapshot.Flakes, "2026-05-10"); f.Empty != analyze.EmptyNull || !f.Latest {
		t.Errorf("null flakes snapshot: %+v", f)
	}
	// Without a clock, ages run to the newest snapshot's time: nothing is stale.
	if !h.Now.Equal(s.AsOf) || s.Stale || s.Age != 0 {
		t.Errorf("no clock: now %v, 05-10 %+v", h.Now, s)
	}
	if f := get(snapshot.Flakes, "2026-05-10"); f.Age != 6*time.Hour || f.Stale {
		t.Errorf("flakes 05-10 at 06:00: age %v, stale %v", f.Age, f.Stale)
	}
}

func TestHealthStaleness(t *testing.T) {
	tree := healthTree(t)
	now := time.Date(2026, 5, 12, 6, 0, 1, 0, time.UTC)
	h := analyze.HealthOf(tree, now, 0)
	if s, _ := h.Latest(snapshot.Failures); !s.Stale || s.Age != 48*time.Hour+time.Second {
		t.Errorf("two days and a second old, stale after two days: %+v", s)
	}
	if s, _ := h.Find(snapshot.Failures, "2026-05-05"); s.Stale {
		t.Errorf("only a dataset's newest snapshot is stale: %+v", s)
	}
	h = analyze.HealthOf(tree, now, 72*time.Hour)
	if s, _ := h.Latest(snapshot.Failures); s.Stale {
		t.Errorf("stale after three days: %+v", s)
	}
}

func TestDriftRefusesAnEmptySnapshot(t *testing.T) {
	hist := healthTree(t).History(snapshot.Failures)
	d := analyze.Compare(hist, 0, 1)
	if len(d.Empty) != 1 || d.Empty[0] != "2026-05-06" || len(d.Removed) != 0 || len(d.Added) != 0 {
		t.Errorf("drift to a {} snapshot: %+v", d)
	}
	if c := analyze.Count(hist, 1, 2); !c.Empty || c.Added != 0 {
		t.Errorf("count from a {} snapshot: %+v", c)
	}
}
