package snapshot

import (
	"fmt"
	"iter"
	"slices"
	"sort"
	"time"
)

// History is every stored snapshot of one dataset in date order, held as columns. Two years
// of daily dashboards are millions of job entries; as Job values they would cost hundreds of
// MB, as columns of job ids and figures a few tens. Test flakes are kept only for each
// job's newest appearance, the one readers look at.
//
// Add snapshots oldest first, then Seal; a sealed History is read-only and safe to share.
type History struct {
	Dataset Dataset
	names   []string         // every job name; once sealed, sorted, so ids follow name order
	ids     map[string]int32 // name -> id while adding; nil once sealed
	days    []column
	tests   [][]TestFlake // by id: the test flakes of the job's newest appearance
	// seen[seenAt[id]:seenAt[id+1]] are the job's appearances, oldest first.
	seen   []place
	seenAt []int32
}

// column is one snapshot: its jobs by id, ascending once sealed, and their figures.
type column struct {
	date string
	ord  int32 // days since 1970-01-01, for calendar arithmetic without parsing dates
	ids  []int32
	n    []int32   // failing_days (failures) or flakes
	c    []float64 // consistency (flakes only)
}

// place is a job's position in one snapshot.
type place struct{ day, pos int32 }

// NewHistory starts an empty history of a dataset.
func NewHistory(ds Dataset) *History {
	return &History{Dataset: ds, ids: map[string]int32{}}
}

// HistoryOf builds a sealed history from snapshots and their dates, oldest first.
func HistoryOf(ds Dataset, dates []string, snaps []*Snapshot) (*History, error) {
	h := NewHistory(ds)
	for i := range snaps {
		if err := h.Add(dates[i], snaps[i]); err != nil {
			return nil, err
		}
	}
	h.Seal()
	return h, nil
}

// Add appends the snapshot taken on date (YYYY-MM-DD), which must be later than the last one.
// The snapshot is copied; the caller may drop it.
func (h *History) Add(date string, s *Snapshot) error {
	if h.ids == nil {
		return fmt.Errorf("history of %s: add %s after seal", h.Dataset, date)
	}
	if s.Dataset != h.Dataset {
		return fmt.Errorf("history of %s: add a %s snapshot (%s)", h.Dataset, s.Dataset, date)
	}
	t, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return fmt.Errorf("history of %s: date %q: %w", h.Dataset, date, err)
	}
	if err := h.follows(date); err != nil {
		return err
	}
	col := column{date: date, ord: int32(t.Unix() / 86400), ids: make([]int32, len(s.Jobs)), n: make([]int32, len(s.Jobs))}
	if h.Dataset == Flakes {
		col.c = make([]float64, len(s.Jobs))
	}
	var prev []int32 // the day before's jobs, in name order as a snapshot lists them
	if n := len(h.days); n > 0 {
		prev = h.days[n-1].ids
	}
	at := 0
	for k, j := range s.Jobs {
		var id int32
		id, at = h.idAfter(j.Name, prev, at)
		col.ids[k] = id
		if h.Dataset == Flakes {
			col.n[k], col.c[k] = int32(j.Flakes), j.Consistency
			h.tests[id] = j.TestFlakes
		} else {
			col.n[k] = int32(j.FailingDays)
		}
	}
	h.days = append(h.days, col)
	return nil
}

// follows refuses a date that is not after the newest day held. Days are refused rather than
// sorted in: Find, LastSeenBefore and the newest test flakes rely on date order, and the one
// caller that reads days from disk, the content loader, adds them in file name order, which
// for YYYY-MM-DD.json is date order; a day out of order is a caller's bug to name.
func (h *History) follows(date string) error {
	n := len(h.days)
	switch {
	case n == 0 || date > h.days[n-1].date: // YYYY-MM-DD: text order is date order
		return nil
	case date == h.days[n-1].date:
		return fmt.Errorf("history of %s: %s added twice", h.Dataset, date)
	default:
		return fmt.Errorf("history of %s: %s added after %s (days are added oldest first)", h.Dataset, date, h.days[n-1].date)
	}
}

// idAfter is the id of name, looked for first in prev from at on: consecutive days list
// mostly the same jobs in the same order, so walking the day before alongside finds most
// names by one comparison, without hashing. It returns where to look for the next name.
func (h *History) idAfter(name string, prev []int32, at int) (int32, int) {
	for ; at < len(prev); at++ {
		if h.names[prev[at]] == name { // tested first: the common case, and the cheaper test
			return prev[at], at + 1
		}
		if h.names[prev[at]] > name {
			break
		} // else a job the day before listed and this day does not
	}
	return h.id(name), at
}

func (h *History) id(name string) int32 {
	if id, ok := h.ids[name]; ok {
		return id
	}
	id := int32(len(h.names))
	h.ids[name] = id
	h.names = append(h.names, name)
	h.tests = append(h.tests, nil)
	return id
}

// Seal renumbers jobs in name order and indexes each job's appearances.
func (h *History) Seal() {
	if h.ids == nil {
		return
	}
	order := make([]int32, len(h.names)) // new id -> old id
	for i := range order {
		order[i] = int32(i)
	}
	sort.Slice(order, func(a, b int) bool { return h.names[order[a]] < h.names[order[b]] })
	renumber := make([]int32, len(order)) // old id -> new id
	names, tests := make([]string, len(order)), make([][]TestFlake, len(order))
	for nw, old := range order {
		renumber[old] = int32(nw)
		names[nw], tests[nw] = h.names[old], h.tests[old]
	}
	h.names, h.tests, h.ids = names, tests, nil
	for _, col := range h.days {
		for k, old := range col.ids {
			col.ids[k] = renumber[old]
		}
	}
	h.index()
}

// index lays out every job's appearances, grouped by job, with one counting pass.
func (h *History) index() {
	h.seenAt = make([]int32, len(h.names)+1)
	for _, col := range h.days {
		for _, id := range col.ids {
			h.seenAt[id+1]++
		}
	}
	for i := 1; i < len(h.seenAt); i++ {
		h.seenAt[i] += h.seenAt[i-1]
	}
	h.seen = make([]place, h.seenAt[len(h.names)])
	next := slices.Clone(h.seenAt[:len(h.names)])
	for d, col := range h.days {
		for k, id := range col.ids {
			h.seen[next[id]] = place{int32(d), int32(k)}
			next[id]++
		}
	}
}

// Len is the number of snapshots.
func (h *History) Len() int { return len(h.days) }

// Day is the i-th snapshot, oldest first.
func (h *History) Day(i int) Day { return Day{h, i} }

// Latest is the newest snapshot; ok is false when the history is empty.
func (h *History) Latest() (Day, bool) {
	if h == nil || len(h.days) == 0 {
		return Day{}, false
	}
	return h.Day(len(h.days) - 1), true
}

// Find returns the snapshot taken on date.
func (h *History) Find(date string) (Day, bool) {
	if h == nil {
		return Day{}, false
	}
	i := sort.Search(len(h.days), func(i int) bool { return h.days[i].date >= date })
	if i < len(h.days) && h.days[i].date == date {
		return h.Day(i), true
	}
	return Day{}, false
}

// Names lists every job any snapshot lists, sorted.
func (h *History) Names() []string { return h.names }

// Appearances yields each snapshot that lists a job (its index in the history) and the job
// as listed there, oldest first, without test flakes.
func (h *History) Appearances(name string) iter.Seq2[int, Job] {
	return func(yield func(int, Job) bool) {
		id, ok := h.lookup(name)
		if !ok {
			return
		}
		for _, p := range h.seen[h.seenAt[id]:h.seenAt[id+1]] {
			if !yield(int(p.day), h.job(int(p.day), int(p.pos))) {
				return
			}
		}
	}
}

// DaysListing yields the index of each snapshot that lists the job with an id, oldest first.
// It is Appearances for a caller that needs no figures: a pattern's lifecycle counts jobs.
func (h *History) DaysListing(id int32) iter.Seq[int] {
	return func(yield func(int) bool) {
		for _, p := range h.seen[h.seenAt[id]:h.seenAt[id+1]] {
			if !yield(int(p.day)) {
				return
			}
		}
	}
}

// LastSeenBefore is the newest snapshot before day that lists the job.
func (h *History) LastSeenBefore(name string, day int) (Day, bool) {
	id, ok := h.lookup(name)
	if !ok {
		return Day{}, false
	}
	places := h.seen[h.seenAt[id]:h.seenAt[id+1]]
	k := sort.Search(len(places), func(k int) bool { return int(places[k].day) >= day })
	if k == 0 {
		return Day{}, false
	}
	return h.Day(int(places[k-1].day)), true
}

// TestFlakes are a flakes job's test flakes in the newest snapshot that lists it.
func (h *History) TestFlakes(name string) []TestFlake {
	if id, ok := h.lookup(name); ok {
		return h.tests[id]
	}
	return nil
}

func (h *History) lookup(name string) (int32, bool) {
	if h == nil || h.ids != nil {
		return 0, false
	}
	i := sort.SearchStrings(h.names, name)
	return int32(i), i < len(h.names) && h.names[i] == name
}

// job materialises the k-th job of snapshot d; test flakes are left out (see TestFlakes).
func (h *History) job(d, k int) Job {
	col := &h.days[d]
	j := Job{Name: h.names[col.ids[k]]}
	if h.Dataset == Flakes {
		j.Flakes, j.Consistency = int(col.n[k]), col.c[k]
	} else {
		j.FailingDays = int(col.n[k])
	}
	return j
}

// Day is one snapshot of a History, read in place.
type Day struct {
	h *History
	i int
}

// IsZero reports a Day that is no snapshot; it lists no jobs.
func (d Day) IsZero() bool { return d.h == nil }

// Index is the snapshot's position in its history, oldest first.
func (d Day) Index() int { return d.i }

// Date is the day the snapshot was taken.
func (d Day) Date() string { return d.h.days[d.i].date }

// Ordinal is the snapshot's date as days since 1970-01-01: Ordinal differences are calendar days.
func (d Day) Ordinal() int { return int(d.h.days[d.i].ord) }

// Dataset is the snapshot's dataset.
func (d Day) Dataset() Dataset { return d.h.Dataset }

// Len is how many jobs the snapshot lists.
func (d Day) Len() int {
	if d.h == nil {
		return 0
	}
	return len(d.h.days[d.i].ids)
}

// All yields the jobs in name order, without test flakes.
func (d Day) All() iter.Seq[Job] {
	return func(yield func(Job) bool) {
		for k := range d.Len() {
			if !yield(d.At(k)) {
				return
			}
		}
	}
}

// At is the k-th job in name order, without test flakes.
func (d Day) At(k int) Job { return d.h.job(d.i, k) }

// ID is the k-th job's id in its history; ids follow name order.
func (d Day) ID(k int) int32 { return d.h.days[d.i].ids[k] }

// Job returns the named job, without test flakes.
func (d Day) Job(name string) (Job, bool) {
	if d.h == nil {
		return Job{}, false
	}
	id, ok := d.h.lookup(name)
	if !ok {
		return Job{}, false
	}
	ids := d.h.days[d.i].ids
	k, found := slices.BinarySearch(ids, id)
	if !found {
		return Job{}, false
	}
	return d.At(k), true
}

// Snapshot copies the day out as a Snapshot, without test flakes.
func (d Day) Snapshot() *Snapshot {
	jobs := make([]Job, d.Len())
	for k := range jobs {
		jobs[k] = d.At(k)
	}
	return &Snapshot{Dataset: d.h.Dataset, Jobs: jobs}
}
