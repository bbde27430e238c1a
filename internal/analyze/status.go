package analyze

import (
	"cmp"
	"fmt"
	"slices"
	"sync"

	"github.com/triagesite/triagesite/internal/snapshot"
)

// Trend is how a job moved since the previous snapshot.
type Trend string

const (
	TrendNew     Trend = "new"     // not in the previous snapshot, which is whole
	TrendGrowing Trend = "growing" // more failing days, or lower consistency
	TrendSteady  Trend = "steady"  // no worse
	// TrendUnstored: not in the previous snapshot, which is partial, so not known to be new.
	// It ranks like steady: a job a partial snapshot left out is no news.
	TrendUnstored Trend = "unstored"
)

// trendRank orders trends for the on-fire list: new, then growing, then the rest (steady,
// unstored).
func trendRank(t Trend) int {
	switch t {
	case TrendNew:
		return 0
	case TrendGrowing:
		return 1
	}
	return 2
}

// StatusJob is one job of a status: its figure, where it is placed, and how it moved.
type StatusJob struct {
	Job      snapshot.Job
	Before   *snapshot.Job // as the previous snapshot listed it; nil when it did not
	Severity Severity
	Trend    Trend
	Claims   []Claim
	ByDesign bool
	// ReleaseBlocking is set by a caller that knows the release-blocking dashboards; it ranks
	// a job first among jobs of its severity.
	ReleaseBlocking bool
}

// LiveCount is a pattern's or sub-pattern's jobs across two snapshots. Of is how many jobs
// it claimed in the previous snapshot; Failing of them still fail (or flake), Recovered do
// not; NewlyMatched are claimed now and were not listed before.
type LiveCount struct {
	Claim                                     Claim // Sub nil: the whole pattern, sub-patterns included
	Failing, Of, Recovered, NewlyMatched, Now int
}

// StatusOptions say what the stored files allow: a partial snapshot lists only some jobs,
// so a job missing from it is not known to be absent.
type StatusOptions struct {
	PrevPartial, CurPartial bool
	// Blocking reports a release-blocking job; nil means none is known.
	Blocking func(name string) bool
	// Top, when above zero, keeps only the first Top jobs of each list; Status.Counts still
	// counts them all. A status is built for every stored snapshot, and the page of an older
	// one shows only its worst few jobs.
	Top int
	// LiveChanged keeps in Status.Live only the counts with a job recovered or newly matched
	// (Status.LivePatterns still counts them all): the page of an older snapshot lists only
	// what changed, and most patterns do not change from one day to the next.
	LiveChanged bool
	// ChangesOnly builds out only New, Recovered and Unexplained, leaving Ranked and ByDesign
	// nil (Status.Counts still counts them): a digest reads only what changed, SIG after SIG.
	ChangesOnly bool
}

// Status is one snapshot judged against the patterns and an earlier snapshot, most often
// the one before it.
type Status struct {
	Dataset    snapshot.Dataset
	Date, Prev string // Prev is "" when nothing was compared with, as for the first snapshot
	Days       int
	Jobs       int
	// NewKnown: the previous snapshot is whole, so a job it lacks is new; otherwise New holds
	// the jobs it does not store, which may or may not be new. RecoveredKnown: this one is
	// whole, so a job it lacks recovered; otherwise Recovered holds the jobs it does not store.
	NewKnown, RecoveredKnown bool
	Ranked                   []StatusJob // every job not failing by design, on fire first
	ByDesign                 []StatusJob
	New, Recovered           []StatusJob // Recovered as the previous snapshot listed them
	Unexplained              []StatusJob // no pattern claims them, worst first
	Counts                   StatusCounts
	Live                     []LiveCount // by pattern slug, each pattern before its sub-patterns
	LivePatterns             int         // patterns of the dataset with a job now or before
}

// StatusCounts are the lengths of a status's lists, whatever StatusOptions.Top kept of them.
type StatusCounts struct {
	Ranked, ByDesign, New, Recovered, Unexplained int
	OnFire                                        int // of Ranked, the jobs not rated good
}

// judged is one job of a status as it is ranked, before it is built out as a StatusJob: a
// status is built for every stored snapshot, and only the jobs a caller keeps are built out.
// Its fields are ordered so that it packs into 32 bytes.
type judged struct {
	k, a               int32 // its position in this snapshot and in the previous one; -1: not listed
	id                 int32
	sev, trend         uint8 // indexes in severities and trends: a judged job holds no pointer
	byDesign, blocking bool
	days               int // its figure: failing days, or consistency
	consistency        float64
}

// severities and trends are what judged's indexes stand for.
var (
	severities = [...]Severity{Critical, Severe, Warning, Moderate, Low, Good}
	trends     = [...]Trend{"", TrendNew, TrendGrowing, TrendSteady, TrendUnstored}
)

func indexOf[T comparable](list []T, v T) uint8 {
	for i, x := range list {
		if x == v {
			return uint8(i)
		}
	}
	panic(fmt.Sprintf("analyze: %v not in %v", v, list))
}

// judgedBufs hold *[]judged buffers for StatusAgainst.
var judgedBufs = sync.Pool{New: func() any { return new([]judged) }}

// StatusOf judges snapshot i of a history against the snapshot before it.
func StatusOf(h *snapshot.History, i int, ps *Placements, opts StatusOptions) Status {
	return StatusAgainst(h, i-1, i, ps, opts)
}

// StatusAgainst judges snapshot i of a history with one merge walk against snapshot base, an
// earlier one: the status pages compare adjacent snapshots, a digest the end of its window
// with the snapshot before it. Base -1 compares with nothing; opts.PrevPartial speaks of base.
func StatusAgainst(h *snapshot.History, base, i int, ps *Placements, opts StatusOptions) Status {
	cur := h.Day(i)
	s := Status{Dataset: h.Dataset, Date: cur.Date(), Jobs: cur.Len()}
	var prev snapshot.Day
	compared := base >= 0
	if compared {
		prev = h.Day(base)
		s.Prev, s.Days = prev.Date(), daysBetween(prev.Date(), cur.Date())
		s.NewKnown, s.RecoveredKnown = !opts.PrevPartial, !opts.CurPartial
	}
	// Live counts by slot (see Placements): jobs claimed now, before, and in both.
	n := len(ps.live)
	counts := make([]int32, 3*n)
	now, of, both := counts[:n], counts[n:2*n], counts[2*n:]
	count := func(c []int32, id int32) {
		for _, sl := range ps.slots[id] {
			c[sl]++
		}
	}
	// Jobs come in id order, which is name order: a job's place in these lists breaks ties
	// as its name would.
	// This snapshot's jobs, in a buffer from the pool: they are read only until the lists
	// are built out below, and a status is judged for every stored snapshot.
	buf := judgedBufs.Get().(*[]judged)
	js := slices.Grow((*buf)[:0], cur.Len())
	defer func() { *buf = js[:0]; judgedBufs.Put(buf) }()
	var gone []judged // the previous snapshot's jobs this one lacks
	judge := func(d snapshot.Day, k, a int, j snapshot.Job) judged {
		e := judged{k: int32(k), a: int32(a), id: d.ID(k), days: j.FailingDays, consistency: j.Consistency, sev: indexOf(severities[:], SeverityOf(h.Dataset, j))}
		e.byDesign = ps.byDesign[e.id]
		e.blocking = opts.Blocking != nil && opts.Blocking(j.Name)
		return e
	}
	if !compared {
		for k := range cur.Len() {
			e := judge(cur, k, -1, cur.At(k))
			e.trend = indexOf(trends[:], TrendSteady) // nothing to compare with
			js = append(js, e)
			count(now, e.id)
		}
	} else {
		unlisted := indexOf(trends[:], TrendNew)
		if opts.PrevPartial {
			unlisted = indexOf(trends[:], TrendUnstored)
		}
		merge(prev, cur,
			func(a int) {
				e := judge(prev, a, -1, prev.At(a))
				e.k, e.a = -1, int32(a)
				gone = append(gone, e)
				count(of, e.id)
			},
			func(k int) {
				e := judge(cur, k, -1, cur.At(k))
				e.trend = unlisted
				js = append(js, e)
				count(now, e.id)
			},
			func(a, k int) {
				j, before := cur.At(k), prev.At(a)
				e := judge(cur, k, a, j)
				e.trend = indexOf(trends[:], trendOf(h.Dataset, &before, j))
				js = append(js, e)
				count(of, e.id)
				count(now, e.id)
				count(both, e.id)
			})
	}
	var byDesign, added, unexplained []int32
	ranked := make([]int32, 0, len(js)) // nearly every job: only a few fail by design
	for x, e := range js {
		if e.byDesign {
			byDesign = append(byDesign, int32(x))
		} else {
			ranked = append(ranked, int32(x))
		}
		if compared && e.a < 0 {
			added = append(added, int32(x))
		}
		if len(ps.ByID(e.id)) == 0 {
			unexplained = append(unexplained, int32(x))
		}
	}
	recovered := make([]int32, len(gone))
	for x := range gone {
		recovered[x] = int32(x)
	}
	s.Counts = StatusCounts{Ranked: len(ranked), ByDesign: len(byDesign), New: len(added), Recovered: len(gone), Unexplained: len(unexplained)}
	for _, x := range ranked {
		if severities[js[x].sev] != Good {
			s.Counts.OnFire++
		}
	}
	// Only the first Top of each list are built out, so only they need sorting.
	for _, l := range [][]int32{added, unexplained} {
		worstJudged(h.Dataset, js, l, opts.Top)
	}
	worstJudged(h.Dataset, gone, recovered, opts.Top)
	out := statusJobs{h: h, ps: ps, prev: prev, cur: cur, top: opts.Top}
	if !opts.ChangesOnly {
		rank(h.Dataset, js, ranked, opts.Top)
		worstJudged(h.Dataset, js, byDesign, opts.Top)
		s.Ranked, s.ByDesign = out.build(js, ranked), out.build(js, byDesign)
		if s.Ranked == nil {
			s.Ranked = []StatusJob{}
		}
	}
	s.New, s.Unexplained = out.build(js, added), out.build(js, unexplained)
	s.Recovered = out.build(gone, recovered)
	s.Live, s.LivePatterns = liveCounts(h.Dataset, ps.live, now, of, both, compared, opts.LiveChanged)
	return s
}

// statusJobs builds judged jobs out as StatusJobs.
type statusJobs struct {
	h         *snapshot.History
	ps        *Placements
	prev, cur snapshot.Day
	top       int
}

// build builds out the jobs of a list, or its first top; nil when it is empty.
func (o statusJobs) build(from []judged, list []int32) []StatusJob {
	if o.top > 0 && len(list) > o.top {
		list = list[:o.top]
	}
	if len(list) == 0 {
		return nil
	}
	out := make([]StatusJob, len(list))
	// One allocation for the previous figures of every job in the list.
	befores := make([]snapshot.Job, 0, len(list))
	for x, y := range list {
		e := &from[y]
		sj := StatusJob{Severity: severities[e.sev], Trend: trends[e.trend], Claims: o.ps.ByID(e.id), ByDesign: e.byDesign, ReleaseBlocking: e.blocking}
		if e.a >= 0 {
			befores = append(befores, o.prev.At(int(e.a)))
			sj.Before = &befores[len(befores)-1]
		}
		if e.k >= 0 {
			sj.Job = o.cur.At(int(e.k))
		} else { // recovered: as the previous snapshot listed it
			sj.Job = *sj.Before
		}
		out[x] = sj
	}
	return out
}

// liveCounts lists the patterns and sub-patterns with a job now or before, in slot order (only
// those that changed, when changed is set), and counts the patterns of ds among them.
func liveCounts(ds snapshot.Dataset, live []Claim, now, of, both []int32, compared, changed bool) ([]LiveCount, int) {
	n, patterns := 0, 0
	for sl, c := range live {
		if now[sl] == 0 && of[sl] == 0 {
			continue
		}
		if c.Sub == nil && c.Pattern.Dataset == string(ds) {
			patterns++
		}
		if !changed || liveChanged(now[sl], of[sl], both[sl], compared) {
			n++
		}
	}
	out := make([]LiveCount, 0, n)
	for sl, c := range live {
		if now[sl] == 0 && of[sl] == 0 || changed && !liveChanged(now[sl], of[sl], both[sl], compared) {
			continue
		}
		lc := LiveCount{Claim: c, Failing: int(both[sl]), Of: int(of[sl]), Now: int(now[sl])}
		lc.Recovered = lc.Of - lc.Failing
		if compared {
			lc.NewlyMatched = lc.Now - lc.Failing
		}
		out = append(out, lc)
	}
	return out, patterns
}

// liveChanged reports whether a slot's counts have a job recovered or newly matched.
func liveChanged(now, of, both int32, compared bool) bool {
	return of != both || compared && now != both
}

// trendOf compares a job with its previous figure.
func trendOf(ds snapshot.Dataset, before *snapshot.Job, j snapshot.Job) Trend {
	switch {
	case before == nil:
		return TrendNew
	case ds == snapshot.Flakes && j.Consistency < before.Consistency,
		ds == snapshot.Failures && j.FailingDays > before.FailingDays:
		return TrendGrowing
	}
	return TrendSteady
}

// rank orders the on-fire list, positions in js: severity, then release-blocking, then
// trend (new, growing), then the worse figure, then the name. The order is packed into one
// integer per job and the integers sorted: js is in name order, so a job's position breaks
// ties as its name would.
func rank(ds snapshot.Dataset, js []judged, list []int32, top int) {
	keys := make([]uint64, len(list))
	for i, x := range list {
		j := &js[x]
		k := uint64(sevRank(severities[j.sev])) << 61
		if !j.blocking {
			k |= 1 << 60
		}
		k |= uint64(trendRank(trends[j.trend])) << 58
		if ds == snapshot.Flakes {
			k |= uint64(min(j.consistency, 1)*(1<<24)) << 32 // lower consistency first
		} else {
			k |= uint64((1<<24)-1-min(j.days, (1<<24)-1)) << 32 // more days first
		}
		keys[i] = k | uint64(uint32(x))
	}
	sortHead(keys, top, cmp.Compare[uint64])
	for i, k := range keys {
		list[i] = int32(uint32(k))
	}
}

// sevRank orders severities worst first; good and low, each of one dataset only, rank last.
func sevRank(s Severity) int {
	switch s {
	case Critical:
		return 0
	case Severe:
		return 1
	case Warning:
		return 2
	case Moderate:
		return 3
	}
	return 4
}

// worstJudged sorts positions in js by SortWorstFirst's order, with ids for names (ids follow
// name order).
func worstJudged(ds snapshot.Dataset, js []judged, list []int32, top int) {
	sortHead(list, top, func(x, y int32) int {
		a, b := &js[x], &js[y]
		if ds == snapshot.Flakes {
			if c := cmp.Compare(a.consistency, b.consistency); c != 0 {
				return c
			}
		} else if c := cmp.Compare(b.days, a.days); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
}

// sortHead sorts the first top elements of list into place, leaving the rest in no order;
// top 0 sorts all of it. A heap of the top smallest seen keeps most elements to one
// comparison, where a status of an older snapshot keeps a few dozen jobs of thousands.
func sortHead[T any](list []T, top int, cmp func(a, b T) int) {
	if top <= 0 || top >= len(list) {
		slices.SortFunc(list, cmp)
		return
	}
	head := list[:top] // a max-heap: its root is the largest of the smallest seen so far
	for i := top/2 - 1; i >= 0; i-- {
		siftDown(head, i, cmp)
	}
	for i := top; i < len(list); i++ {
		if cmp(list[i], head[0]) < 0 {
			list[i], head[0] = head[0], list[i]
			siftDown(head, 0, cmp)
		}
	}
	slices.SortFunc(head, cmp)
}

// siftDown restores the max-heap below position i.
func siftDown[T any](h []T, i int, cmp func(a, b T) int) {
	for {
		big, l := i, 2*i+1
		if l < len(h) && cmp(h[l], h[big]) > 0 {
			big = l
		}
		if r := l + 1; r < len(h) && cmp(h[r], h[big]) > 0 {
			big = r
		}
		if big == i {
			return
		}
		h[i], h[big] = h[big], h[i]
		i = big
	}
}

// subIndex is a claim's sub-pattern's place in its pattern; -1 for the pattern itself.
func subIndex(c Claim) int {
	for i := range c.Pattern.SubPatterns {
		if &c.Pattern.SubPatterns[i] == c.Sub {
			return i
		}
	}
	return -1
}

// Thresholds states the severity rubric of a dataset, worst bucket first, as SeverityOf applies it.
func Thresholds(ds snapshot.Dataset) []string {
	if ds == snapshot.Flakes {
		return []string{"critical: consistency < 0.5", "severe: < 0.7", "warning: < 0.85", "moderate: < 0.95", "good: ≥ 0.95"}
	}
	return []string{"critical: ≥ 365 failing days", "severe: 180–364", "warning: 90–179", "moderate: 30–89", "low: < 30"}
}
