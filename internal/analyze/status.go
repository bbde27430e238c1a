package analyze

import (
	"cmp"
	"slices"
	"strings"

	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/snapshot"
)

// Trend is how a job moved since the previous snapshot.
type Trend string

const (
	TrendNew     Trend = "new"     // not in the previous snapshot
	TrendGrowing Trend = "growing" // more failing days, or lower consistency
	TrendSteady  Trend = "steady"  // no worse
)

// trendRank orders trends for the on-fire list: new, then growing, then the rest.
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
}

// Status is one snapshot judged against the patterns and the snapshot before it.
type Status struct {
	Dataset    snapshot.Dataset
	Date, Prev string // Prev is "" for the first snapshot
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
	Live                     []LiveCount // by pattern slug, each pattern before its sub-patterns
}

// StatusOf judges snapshot i of a history with one merge walk against snapshot i-1.
func StatusOf(h *snapshot.History, i int, ps *Placements, opts StatusOptions) Status {
	cur := h.Day(i)
	s := Status{Dataset: h.Dataset, Date: cur.Date(), Jobs: cur.Len()}
	lv := liveCounts{}
	placed := func(j snapshot.Job, id int32, before *snapshot.Job) StatusJob {
		sj := StatusJob{Job: j, Before: before, Severity: SeverityOf(h.Dataset, j), Claims: ps.ByID(id), Trend: trendOf(h.Dataset, before, j)}
		sj.ByDesign = slices.ContainsFunc(sj.Claims, func(c Claim) bool { return c.ByDesign })
		sj.ReleaseBlocking = opts.Blocking != nil && opts.Blocking(j.Name)
		return sj
	}
	var rankedIDs []int32
	add := func(sj StatusJob, id int32) {
		if sj.ByDesign {
			s.ByDesign = append(s.ByDesign, sj)
		} else {
			s.Ranked = append(s.Ranked, sj)
			rankedIDs = append(rankedIDs, id)
		}
		if len(sj.Claims) == 0 {
			s.Unexplained = append(s.Unexplained, sj)
		}
	}
	if i == 0 {
		for k := range cur.Len() {
			sj := placed(cur.At(k), cur.ID(k), nil)
			sj.Trend = TrendSteady // nothing to compare with
			add(sj, cur.ID(k))
			lv.count(sj.Claims, func(c *LiveCount) { c.Now++ })
		}
	} else {
		prev := h.Day(i - 1)
		s.Prev, s.Days = prev.Date(), daysBetween(prev.Date(), cur.Date())
		s.NewKnown, s.RecoveredKnown = !opts.PrevPartial, !opts.CurPartial
		merge(prev, cur,
			func(k int) {
				j := prev.At(k)
				sj := placed(j, prev.ID(k), &j)
				sj.Trend = ""
				s.Recovered = append(s.Recovered, sj)
				lv.count(sj.Claims, func(c *LiveCount) { c.Of++; c.Recovered++ })
			},
			func(k int) {
				sj := placed(cur.At(k), cur.ID(k), nil)
				add(sj, cur.ID(k))
				s.New = append(s.New, sj)
				lv.count(sj.Claims, func(c *LiveCount) { c.NewlyMatched++; c.Now++ })
			},
			func(a, k int) {
				before := prev.At(a)
				sj := placed(cur.At(k), cur.ID(k), &before)
				add(sj, cur.ID(k))
				lv.count(sj.Claims, func(c *LiveCount) { c.Of++; c.Failing++; c.Now++ })
			})
	}
	rank(h.Dataset, s.Ranked, rankedIDs)
	for _, list := range [][]StatusJob{s.ByDesign, s.New, s.Recovered, s.Unexplained} {
		worstFirst(h.Dataset, list)
	}
	s.Live = lv.sorted()
	return s
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

// rank orders the on-fire list: severity, then release-blocking, then trend (new, growing),
// then the worse figure, then the name. A status is built for every stored snapshot, so the
// order is packed into one integer per job and the integers sorted: job ids follow name
// order, so the id breaks ties as the name would.
func rank(ds snapshot.Dataset, jobs []StatusJob, ids []int32) {
	keys := make([]uint64, len(jobs))
	for i, j := range jobs {
		k := uint64(sevRank(j.Severity)) << 61
		if !j.ReleaseBlocking {
			k |= 1 << 60
		}
		k |= uint64(trendRank(j.Trend)) << 58
		if ds == snapshot.Flakes {
			k |= uint64(min(j.Job.Consistency, 1)*(1<<24)) << 32 // lower consistency first
		} else {
			k |= uint64((1<<24)-1-min(j.Job.FailingDays, (1<<24)-1)) << 32 // more days first
		}
		keys[i] = k | uint64(uint32(ids[i]))
	}
	order := make([]int, len(jobs))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(keys[a], keys[b]) })
	sorted := make([]StatusJob, len(jobs))
	for i, o := range order {
		sorted[i] = jobs[o]
	}
	copy(jobs, sorted)
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

func worstFirst(ds snapshot.Dataset, jobs []StatusJob) {
	slices.SortFunc(jobs, func(a, b StatusJob) int { return compareWorst(ds, a.Job, b.Job) })
}

// compareWorst is SortWorstFirst's order.
func compareWorst(ds snapshot.Dataset, a, b snapshot.Job) int {
	if ds == snapshot.Flakes {
		if c := cmp.Compare(a.Consistency, b.Consistency); c != 0 {
			return c
		}
	} else if c := cmp.Compare(b.FailingDays, a.FailingDays); c != 0 {
		return c
	}
	return strings.Compare(a.Name, b.Name)
}

// liveCounts gathers LiveCounts by pattern and by sub-pattern.
type liveCounts map[liveKey]*LiveCount

type liveKey struct {
	p *content.Pattern
	s *content.SubPattern
}

// count applies f once to each pattern that claims the job and once to each claiming sub-pattern.
func (lv liveCounts) count(claims []Claim, f func(*LiveCount)) {
	for k, c := range claims {
		if k == 0 || claims[k-1].Pattern != c.Pattern {
			f(lv.get(Claim{Pattern: c.Pattern}))
		}
		if c.Sub != nil {
			f(lv.get(Claim{Pattern: c.Pattern, Sub: c.Sub}))
		}
	}
}

func (lv liveCounts) get(c Claim) *LiveCount {
	k := liveKey{c.Pattern, c.Sub}
	if lc := lv[k]; lc != nil {
		return lc
	}
	lc := &LiveCount{Claim: c}
	lv[k] = lc
	return lc
}

func (lv liveCounts) sorted() []LiveCount {
	out := make([]LiveCount, 0, len(lv))
	for _, c := range lv {
		out = append(out, *c)
	}
	slices.SortFunc(out, func(a, b LiveCount) int {
		if c := strings.Compare(a.Claim.Pattern.Slug, b.Claim.Pattern.Slug); c != 0 {
			return c
		}
		return cmp.Compare(subIndex(a.Claim), subIndex(b.Claim))
	})
	return out
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
