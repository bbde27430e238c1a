package analyze

import (
	"time"

	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/snapshot"
)

// DefaultStaleAfter is how old the newest snapshot of a dataset may be before it is flagged:
// CI fetches one a day, so two days old means at least one fetch went missing.
const DefaultStaleAfter = 48 * time.Hour

// Health is how fit every stored snapshot is to be judged: its age, and whether it is empty,
// lost most of its jobs overnight, or has jobs back that had vanished.
type Health struct {
	// Now is the time ages are measured at; StaleAfter the age from which a newest snapshot
	// is stale.
	Now        time.Time
	StaleAfter time.Duration
	Snapshots  []SnapshotHealth // by dataset, then date
	at         map[healthKey]int
}

type healthKey struct {
	ds   snapshot.Dataset
	date string
}

// SnapshotHealth is one stored snapshot as an input.
type SnapshotHealth struct {
	Dataset snapshot.Dataset
	Date    string
	Jobs    int
	// AsOf is when the dashboard wrote the file: the GCS object's update time when the meta
	// file records it, else the snapshot's date at 00:00 UTC. (fetched_at dates the fetch,
	// which may be long after: `snapshot fetch --from FILE --date D`.)
	AsOf       time.Time
	FromObject bool  // AsOf is the object's own update time
	Generation int64 // the GCS object's generation, 0 when not recorded
	Age        time.Duration
	Latest     bool // the newest snapshot of its dataset
	Stale      bool // Latest, and older than StaleAfter
	Empty      Emptiness
	// Previous is the newest earlier snapshot that lists jobs, the one this is compared with;
	// empty snapshots in between are skipped, so they do not make every job "come back".
	Previous     string
	PreviousJobs int
	Dropped      bool       // lists fewer than half of Previous's jobs
	Returned     []Returned // jobs not in Previous that an older snapshot listed
}

// Emptiness says how a snapshot that lists no jobs was written.
type Emptiness string

const (
	NotEmpty    Emptiness = ""
	EmptyNull   Emptiness = "null"
	EmptyObject Emptiness = "{}"
)

// Returned is a job that vanished from a dataset and came back.
type Returned struct {
	Job      string
	LastSeen string // the newest earlier snapshot that listed it
}

// Flagged reports whether anything is wrong with the snapshot as an input.
func (s SnapshotHealth) Flagged() bool {
	return s.Stale || s.Empty != NotEmpty || s.Dropped || len(s.Returned) > 0
}

// HealthOf judges every stored snapshot of the tree at now (zero: the newest snapshot's time,
// so that the same content always gives the same verdicts). staleAfter 0 is DefaultStaleAfter.
func HealthOf(t *content.Tree, now time.Time, staleAfter time.Duration) Health {
	if staleAfter <= 0 {
		staleAfter = DefaultStaleAfter
	}
	h := Health{StaleAfter: staleAfter, at: map[healthKey]int{}}
	for i, s := range t.Snapshots {
		sh := snapshotHealth(s)
		h.at[healthKey{sh.Dataset, sh.Date}] = i
		h.Snapshots = append(h.Snapshots, sh)
	}
	h.Now = newest(now, h.Snapshots)
	for _, ds := range []snapshot.Dataset{snapshot.Failures, snapshot.Flakes} {
		h.compare(t.History(ds))
	}
	for i := range h.Snapshots {
		s := &h.Snapshots[i]
		s.Age = max(0, h.Now.Sub(s.AsOf))
		s.Stale = s.Latest && s.Age > staleAfter
	}
	return h
}

// newest is now, or when it is zero the latest AsOf of all snapshots.
func newest(now time.Time, snaps []SnapshotHealth) time.Time {
	if !now.IsZero() {
		return now.UTC()
	}
	for _, s := range snaps {
		if s.AsOf.After(now) {
			now = s.AsOf
		}
	}
	return now
}

func snapshotHealth(s *content.Snapshot) SnapshotHealth {
	ds, _ := snapshot.ParseDataset(s.Meta.Dataset)
	out := SnapshotHealth{Dataset: ds, Date: s.Meta.Date, Jobs: s.Jobs.Len(), Generation: s.Meta.ObjectGeneration}
	out.AsOf, _ = time.Parse(time.DateOnly, s.Meta.Date)
	if u, err := time.Parse(time.RFC3339, s.Meta.ObjectUpdated); err == nil {
		out.AsOf, out.FromObject = u.UTC(), true
	}
	switch {
	case s.Jobs.Len() > 0:
	case s.Null:
		out.Empty = EmptyNull
	default:
		out.Empty = EmptyObject
	}
	return out
}

// compare fills in each of a dataset's snapshots what it lost and got back since the
// previous snapshot that lists jobs.
func (h *Health) compare(hist *snapshot.History) {
	prev := -1
	for i := range hist.Len() {
		day := hist.Day(i)
		s := h.find(hist.Dataset, day.Date())
		if s == nil {
			continue
		}
		s.Latest = i == hist.Len()-1
		if day.Len() == 0 {
			continue
		}
		if prev >= 0 {
			p := hist.Day(prev)
			s.Previous, s.PreviousJobs = p.Date(), p.Len()
			s.Dropped = 2*day.Len() < p.Len()
			s.Returned = returned(hist, p, day)
		}
		prev = i
	}
}

// returned lists day's jobs that p does not list but an older snapshot did.
func returned(hist *snapshot.History, p, day snapshot.Day) []Returned {
	var out []Returned
	merge(p, day, func(int) {}, func(k int) {
		name := day.At(k).Name
		if seen, ok := hist.LastSeenBefore(name, p.Index()); ok {
			out = append(out, Returned{Job: name, LastSeen: seen.Date()})
		}
	}, func(int, int) {})
	return out
}

// find is the health of a dataset's snapshot of a date.
func (h *Health) find(ds snapshot.Dataset, date string) *SnapshotHealth {
	if i, ok := h.at[healthKey{ds, date}]; ok {
		return &h.Snapshots[i]
	}
	return nil
}

// Find is the health of a dataset's snapshot of a date: what a status page shows beside it.
func (h *Health) Find(ds snapshot.Dataset, date string) (SnapshotHealth, bool) {
	if s := h.find(ds, date); s != nil {
		return *s, true
	}
	return SnapshotHealth{}, false
}

// Latest is the health of a dataset's newest snapshot.
func (h *Health) Latest(ds snapshot.Dataset) (SnapshotHealth, bool) {
	for i := len(h.Snapshots) - 1; i >= 0; i-- {
		if s := h.Snapshots[i]; s.Dataset == ds && s.Latest {
			return s, true
		}
	}
	return SnapshotHealth{}, false
}
