package analyze

import (
	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/snapshot"
)

// LifeState is where a pattern stands in the newest snapshot.
type LifeState string

const (
	NeverSeen LifeState = "never seen" // no snapshot lists a job it claims
	Active    LifeState = "active"     // its jobs fail, and never stopped since first seen
	Resolved  LifeState = "resolved"   // none of its jobs fail any more
	Regressed LifeState = "regressed"  // its jobs fail again after it was resolved
	// Unknown: the newest snapshot is partial and lists none of its jobs, so whether they
	// still fail cannot be told.
	Unknown LifeState = "not known"
)

// Lifecycle is a pattern's jobs over the stored snapshots of a dataset.
type Lifecycle struct {
	Dates     []string // every snapshot, oldest first
	Failing   []int    // how many of its jobs each lists
	FirstSeen string
	State     LifeState
	// Resolved is the first snapshot of the latest run with none of its jobs; ResolvedDays
	// the calendar days from FirstSeen to it. Regressions are the snapshots where its jobs
	// came back after a resolution.
	Resolved     string
	ResolvedDays int
	Regressions  []string
}

// PatternIDs inverts placements: the ids of the jobs each pattern claims (by itself or a sub-pattern).
func PatternIDs(ps *Placements) map[*content.Pattern][]int32 {
	out := map[*content.Pattern][]int32{}
	for id, claims := range ps.claims {
		for k, c := range claims {
			if k == 0 || claims[k-1].Pattern != c.Pattern {
				out[c.Pattern] = append(out[c.Pattern], int32(id))
			}
		}
	}
	return out
}

// LifecycleOf follows the jobs with ids through a history. A snapshot for which partial is
// true holds only some jobs: a zero there resolves nothing.
func LifecycleOf(h *snapshot.History, ids []int32, partial func(date string) bool) Lifecycle {
	l := Lifecycle{Dates: make([]string, h.Len()), Failing: make([]int, h.Len())}
	for i := range h.Len() {
		l.Dates[i] = h.Day(i).Date()
	}
	for _, id := range ids {
		for day := range h.DaysListing(id) {
			l.Failing[day]++
		}
	}
	resolvedAt := -1
	for i, n := range l.Failing {
		switch {
		case n > 0 && l.FirstSeen == "":
			l.FirstSeen = l.Dates[i]
		case n > 0 && resolvedAt >= 0:
			l.Regressions = append(l.Regressions, l.Dates[i])
			resolvedAt = -1
		case n == 0 && l.FirstSeen != "" && resolvedAt < 0 && !partial(l.Dates[i]):
			resolvedAt = i
		}
	}
	last := len(l.Failing) - 1
	switch {
	case l.FirstSeen == "":
		l.State = NeverSeen
	case resolvedAt >= 0:
		l.State, l.Resolved = Resolved, l.Dates[resolvedAt]
		l.ResolvedDays = daysBetween(l.FirstSeen, l.Resolved)
	case l.Failing[last] == 0:
		l.State = Unknown
	case len(l.Regressions) > 0:
		l.State = Regressed
	default:
		l.State = Active
	}
	return l
}
