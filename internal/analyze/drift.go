package analyze

import (
	"sort"
	"time"

	"github.com/triagesite/triagesite/internal/snapshot"
)

// Dated is a snapshot and the day it was taken.
type Dated struct {
	Date string // YYYY-MM-DD
	Snap *snapshot.Snapshot
}

// Drift is what changed between two snapshots of one dataset.
type Drift struct {
	Dataset  snapshot.Dataset
	From, To string
	Days     int // calendar days between the snapshots
	Added    []snapshot.Job
	Removed  []snapshot.Job // as they stood in From
	Common   int
	// NotGrown lists common failures jobs whose failing_days did not grow by exactly Days:
	// a smaller figure means the job passed in between (a reset).
	NotGrown []DayChange
	// Reappeared lists added jobs that an earlier snapshot than From already had.
	Reappeared []Reappearance
	// Consistency lists common flakes jobs whose consistency changed, largest change first.
	Consistency []ConsistencyChange
}

// DayChange is a failures job whose failing_days moved by other than the days elapsed.
type DayChange struct {
	Job      string
	Before   int
	After    int
	Expected int
	Reset    bool // After < Expected: the job passed in between
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

// Compare computes the drift from history[i-1] to history[i]; history is ordered by date and
// the earlier entries are used to spot jobs that reappeared.
func Compare(history []Dated, i int) Drift {
	from, to := history[i-1], history[i]
	d := Drift{Dataset: to.Snap.Dataset, From: from.Date, To: to.Date, Days: daysBetween(from.Date, to.Date)}
	for _, j := range to.Snap.Jobs {
		prev, ok := from.Snap.Job(j.Name)
		if !ok {
			d.Added = append(d.Added, j)
			if seen := lastSeen(history[:i-1], j.Name); seen != "" {
				d.Reappeared = append(d.Reappeared, Reappearance{Job: j.Name, LastSeen: seen})
			}
			continue
		}
		d.Common++
		if d.Dataset == snapshot.Failures {
			want := prev.FailingDays + d.Days
			if j.FailingDays != want {
				d.NotGrown = append(d.NotGrown, DayChange{j.Name, prev.FailingDays, j.FailingDays, want, j.FailingDays < want})
			}
		} else if j.Consistency != prev.Consistency {
			d.Consistency = append(d.Consistency, ConsistencyChange{j.Name, prev.Consistency, j.Consistency})
		}
	}
	for _, j := range from.Snap.Jobs {
		if _, ok := to.Snap.Job(j.Name); !ok {
			d.Removed = append(d.Removed, j)
		}
	}
	SortWorstFirst(d.Dataset, d.Added)
	SortWorstFirst(d.Dataset, d.Removed)
	sort.SliceStable(d.Consistency, func(a, b int) bool {
		da, db := abs(d.Consistency[a].Delta()), abs(d.Consistency[b].Delta())
		if da != db {
			return da > db
		}
		return d.Consistency[a].Job < d.Consistency[b].Job
	})
	return d
}

func lastSeen(earlier []Dated, job string) string {
	for k := len(earlier) - 1; k >= 0; k-- {
		if _, ok := earlier[k].Snap.Job(job); ok {
			return earlier[k].Date
		}
	}
	return ""
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
