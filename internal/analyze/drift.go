package analyze

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/triagesite/triagesite/internal/snapshot"
)

// Drift is what changed between two snapshots of one dataset.
type Drift struct {
	Dataset  snapshot.Dataset
	From, To string
	Days     int // calendar days between the snapshots
	Added    []snapshot.Job
	Removed  []snapshot.Job // as they stood in From
	Common   int
	// NotGrown lists common failures jobs whose failing_days did not grow by exactly Days,
	// with how they moved instead.
	NotGrown []DayChange
	// Reappeared lists added jobs that an earlier snapshot than From already had.
	Reappeared []Reappearance
	// Consistency lists common flakes jobs whose consistency changed, largest change first.
	Consistency []ConsistencyChange
	// Empty lists the dates of the two snapshots that list no jobs (a null or {} file). Such a
	// pair is not compared: every job would read as removed, or added, by a broken input.
	Empty []string
}

// DayChange is a failures job whose failing_days moved by other than the days elapsed.
type DayChange struct {
	Job      string
	Before   int
	After    int
	Expected int
	Growth   Growth
}

// Growth is how a failures job's failing_days moved, when not with the calendar.
type Growth string

const (
	Faster    Growth = "faster"    // grew by more than the days elapsed
	Slower    Growth = "slower"    // grew, by fewer than the days elapsed, and not from a restart
	Unchanged Growth = "unchanged" // stood still, longer than a restart in between could explain
	Reset     Growth = "reset"     // went back: the job passed in between, then failed again
)

// Says puts a growth in words.
func (g Growth) Says() string {
	switch g {
	case Faster:
		return "grew faster than the calendar"
	case Slower:
		return "grew more slowly than the calendar"
	case Unchanged:
		return "unchanged: the dashboard did not count these days"
	case Reset:
		return "reset: it passed in between"
	}
	return string(g)
}

// growthOf classifies a change over days that is not the calendar's. A figure no larger than
// the days elapsed is a count that restarted in between, whatever it was before.
func growthOf(before, after, days int) Growth {
	switch {
	case after > before+days:
		return Faster
	case after <= days || after < before:
		return Reset
	case after == before:
		return Unchanged
	}
	return Slower
}

// Reappearance is a job that left the dashboard and came back.
type Reappearance struct {
	Job      string
	LastSeen string // date of the latest earlier snapshot that had it
}

// ConsistencyChange is a flakes job whose consistency moved.
type ConsistencyChange struct {
	Job           string
	Before, After float64
}

// Delta is After − Before.
func (c ConsistencyChange) Delta() float64 { return c.After - c.Before }

// Compare computes the drift from snapshot from to snapshot to of a history (from < to,
// usually consecutive). Jobs are merged in id order, which is name order; the history's
// index of appearances finds where an added job was last seen.
func Compare(h *snapshot.History, from, to int) Drift {
	a, b := h.Day(from), h.Day(to)
	d := Drift{Dataset: h.Dataset, From: a.Date(), To: b.Date(), Days: daysBetween(a.Date(), b.Date())}
	if d.Empty = emptyOf(a, b); d.Empty != nil {
		return d
	}
	merge(a, b,
		func(i int) { d.Removed = append(d.Removed, a.At(i)) },
		func(k int) { d.added(h, b.At(k), from) },
		func(i, k int) { d.common(a.At(i), b.At(k)) })
	SortWorstFirst(d.Dataset, d.Added)
	SortWorstFirst(d.Dataset, d.Removed)
	// Names are unique in a snapshot, so the order is total and needs no stable sort.
	slices.SortFunc(d.Consistency, func(a, b ConsistencyChange) int {
		if c := cmp.Compare(abs(b.Delta()), abs(a.Delta())); c != 0 {
			return c
		}
		return strings.Compare(a.Job, b.Job)
	})
	return d
}

// DriftCounts is the size of a drift's lists, as Compare would make them.
type DriftCounts struct {
	Added, Removed, Common, NotGrown int
	Empty                            bool // one of the snapshots lists no jobs; nothing was compared
}

// Count sizes the drift from snapshot from to snapshot to without making its lists: a site
// lists every pair of consecutive snapshots, and two years of them as Drift values would be
// tens of MB held for the whole build.
func Count(h *snapshot.History, from, to int) DriftCounts {
	a, b := h.Day(from), h.Day(to)
	days := daysBetween(a.Date(), b.Date())
	var c DriftCounts
	if c.Empty = emptyOf(a, b) != nil; c.Empty {
		return c
	}
	merge(a, b,
		func(int) { c.Removed++ },
		func(int) { c.Added++ },
		func(i, k int) {
			c.Common++
			if h.Dataset == snapshot.Failures && !grown(a.At(i), b.At(k), days) {
				c.NotGrown++
			}
		})
	return c
}

// emptyOf lists the dates of those of a and b that list no jobs.
func emptyOf(a, b snapshot.Day) []string {
	var out []string
	for _, d := range []snapshot.Day{a, b} {
		if d.Len() == 0 {
			out = append(out, d.Date())
		}
	}
	return out
}

// merge walks two snapshots' jobs in id order, which is name order, and calls removed for a
// job only a has, added for one only b has, and common for one in both.
func merge(a, b snapshot.Day, removed func(i int), added func(k int), common func(i, k int)) {
	i, k := 0, 0
	for i < a.Len() || k < b.Len() {
		switch {
		case k == b.Len() || (i < a.Len() && a.ID(i) < b.ID(k)):
			removed(i)
			i++
		case i == a.Len() || b.ID(k) < a.ID(i):
			added(k)
			k++
		default:
			common(i, k)
			i, k = i+1, k+1
		}
	}
}

// grown reports whether a failures job's failing_days grew by exactly the days between.
func grown(prev, j snapshot.Job, days int) bool { return j.FailingDays == prev.FailingDays+days }

func (d *Drift) added(h *snapshot.History, j snapshot.Job, from int) {
	d.Added = append(d.Added, j)
	if seen, ok := h.LastSeenBefore(j.Name, from); ok {
		d.Reappeared = append(d.Reappeared, Reappearance{Job: j.Name, LastSeen: seen.Date()})
	}
}

func (d *Drift) common(prev, j snapshot.Job) {
	d.Common++
	if d.Dataset == snapshot.Failures {
		if want := prev.FailingDays + d.Days; !grown(prev, j, d.Days) {
			d.NotGrown = append(d.NotGrown, DayChange{j.Name, prev.FailingDays, j.FailingDays, want, growthOf(prev.FailingDays, j.FailingDays, d.Days)})
		}
	} else if j.Consistency != prev.Consistency {
		d.Consistency = append(d.Consistency, ConsistencyChange{j.Name, prev.Consistency, j.Consistency})
	}
}

func daysBetween(a, b string) int {
	ta, err1 := time.Parse("2006-01-02", a)
	tb, err2 := time.Parse("2006-01-02", b)
	if err1 != nil || err2 != nil {
		return 0
	}
	return int(tb.Sub(ta).Hours() / 24)
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}
