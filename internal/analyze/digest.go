package analyze

import (
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/triagesite/triagesite/internal/citation"
	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/evidence"
	"github.com/triagesite/triagesite/internal/snapshot"
)

// DigestDays is the default window of a digest: the last week of snapshots.
const DigestDays = 7

// DigestInput is what a digest reads: the tree, every dataset's history and placements, the
// categorizer and the verification lock (what GitHub answered, never what a report claims).
type DigestInput struct {
	Tree       *content.Tree
	History    map[snapshot.Dataset]*snapshot.History
	Placements map[snapshot.Dataset]*Placements
	Categories *Categorizer
	Lock       *evidence.Lock
}

// Digest is one SIG's week: its jobs newly failing or recovered, the fixes merged for it, the
// PRs waiting on someone, and the jobs in its area no pattern explains.
type Digest struct {
	SIG       string
	Since, To string // the window, both days included
	Datasets  []DigestDataset
	Fixes     []DigestFix
	Nudges    []DigestNudge
}

// DigestDataset is a SIG's jobs of one dataset across the window: the newest snapshot
// compared with the one before the window (or, when the history starts inside it, its first).
type DigestDataset struct {
	Dataset          snapshot.Dataset
	Baseline, End    string
	Compared         bool // the window holds an earlier snapshot than End to compare with
	NewKnown         bool // the baseline is whole, so a job it lacks is new
	RecoveredKnown   bool // the end is whole, so a job it lacks recovered
	New, Recovered   []StatusJob
	Unexplained      []StatusJob // in the end snapshot, in the SIG's categories or job prefixes
	JobsOwned, Total int         // jobs of the end snapshot the SIG owns first, and all its jobs
}

// NewNote says why New cannot be known, "" when it can: there is nothing to compare with, or
// the baseline is partial. The CLI digest and the digest page both give it in these words.
func (dd DigestDataset) NewNote() string {
	switch {
	case !dd.Compared:
		return "no earlier snapshot to compare with"
	case !dd.NewKnown:
		return "the " + dd.Baseline + " snapshot is partial, so a job it lacks may not be new"
	}
	return ""
}

// RecoveredNote says why Recovered cannot be known, "" when it can, as NewNote does.
func (dd DigestDataset) RecoveredNote() string {
	switch {
	case !dd.Compared:
		return "no earlier snapshot to compare with"
	case !dd.RecoveredKnown:
		return "the " + dd.End + " snapshot is partial, so a job it lacks may still fail"
	}
	return ""
}

// DigestFix is a fix the lock records as merged inside the window.
type DigestFix struct {
	Ref      citation.Ref
	MergedAt string
	Title    string
	Where    string // "pattern <slug>", "sub-pattern <slug>/<id>" or "action <report> <id>"
}

// DigestNudge is a PR a report asks someone to push, in a pattern the SIG owns first.
type DigestNudge struct {
	Refs    []citation.Ref
	Pattern string
	Report  string
	State   string // as the lock records it: "open", "draft", "merged", … or "not verified"
	Block   content.Markdown
}

// DigestOf computes a SIG's digest for the window that ends with the newest snapshot and
// starts at since ("" for DigestDays before it).
func DigestOf(in DigestInput, sig, since string) Digest {
	d := Digest{SIG: sig}
	for _, h := range in.History {
		if day, ok := h.Latest(); ok && day.Date() > d.To {
			d.To = day.Date()
		}
	}
	d.Since = since
	if d.Since == "" && d.To != "" {
		t, _ := time.Parse(time.DateOnly, d.To)
		d.Since = t.AddDate(0, 0, -(DigestDays - 1)).Format(time.DateOnly)
	}
	for _, ds := range []snapshot.Dataset{snapshot.Failures, snapshot.Flakes} {
		if dd, ok := digestDataset(in, ds, sig, d.Since); ok {
			d.Datasets = append(d.Datasets, dd)
		}
	}
	d.Fixes = digestFixes(in, sig, d.Since, d.To)
	d.Nudges = digestNudges(in, sig)
	return d
}

func digestDataset(in DigestInput, ds snapshot.Dataset, sig, since string) (DigestDataset, bool) {
	h := in.History[ds]
	end, ok := h.Latest()
	if !ok || end.Date() < since {
		return DigestDataset{}, false
	}
	base := sort.Search(h.Len(), func(i int) bool { return h.Day(i).Date() >= since }) - 1
	if base < 0 {
		base = 0
	}
	partial := func(date string) bool {
		s := in.Tree.Snapshot(ds, date)
		return s != nil && s.Meta.Partial
	}
	b := h.Day(base)
	dd := DigestDataset{Dataset: ds, Baseline: b.Date(), End: end.Date(), Compared: base != end.Index()}
	dd.NewKnown = dd.Compared && !partial(b.Date())
	dd.RecoveredKnown = dd.Compared && !partial(end.Date())
	ps := in.Placements[ds]
	owns := func(name string, claims []Claim) (primary, area bool) {
		reg := RegistrySIGs(in.Tree.SIGs, in.Categories.Category(name), name)
		return OwnershipOf(claims, reg).Primary == sig, slices.Contains(reg, sig)
	}
	job := func(j snapshot.Job, id int32, before *snapshot.Job) StatusJob {
		sj := StatusJob{Job: j, Before: before, Severity: SeverityOf(ds, j), Claims: ps.ByID(id), Trend: trendOf(ds, before, j)}
		switch { // as StatusOf judges the trend
		case !dd.Compared:
			sj.Trend = TrendSteady // nothing to compare with
		case before == nil && !dd.NewKnown:
			sj.Trend = TrendUnstored
		}
		return sj
	}
	// Each job of the end snapshot, with its figure in the baseline (nil: not listed there).
	endJob := func(k int, before *snapshot.Job) {
		j := end.At(k)
		claims := ps.ByID(end.ID(k))
		primary, area := owns(j.Name, claims)
		if primary {
			dd.JobsOwned++
		}
		if len(claims) == 0 && area {
			dd.Unexplained = append(dd.Unexplained, job(j, end.ID(k), before))
		}
		if primary && before == nil && dd.NewKnown {
			dd.New = append(dd.New, job(j, end.ID(k), nil))
		}
	}
	dd.Total = end.Len()
	if !dd.Compared {
		for k := range end.Len() {
			endJob(k, nil)
		}
	} else {
		merge(b, end,
			func(i int) {
				j := b.At(i)
				if p, _ := owns(j.Name, ps.ByID(b.ID(i))); p && dd.RecoveredKnown {
					dd.Recovered = append(dd.Recovered, job(j, b.ID(i), &j))
				}
			},
			func(k int) { endJob(k, nil) },
			func(i, k int) {
				before := b.At(i)
				endJob(k, &before)
			})
	}
	for _, l := range [][]StatusJob{dd.New, dd.Recovered, dd.Unexplained} {
		worstFirst(ds, l)
	}
	return dd, true
}

// primaryOwner is a body's first owner SIG: the sub-pattern's, else its pattern's.
func primaryOwner(p *content.Pattern, sub *content.SubPattern) string {
	if owners := (Claim{Pattern: p, Sub: sub}).Owners(); len(owners) > 0 {
		return owners[0]
	}
	return ""
}

// digestFixes lists the fixes the SIG owns first, by sub-pattern, pattern or tier action,
// that the lock records as merged inside the window.
func digestFixes(in DigestInput, sig, since, to string) []DigestFix {
	var out []DigestFix
	seen := map[string]bool{}
	add := func(ref citation.Ref, where string) {
		e, ok := in.Lock.Latest(ref.String())
		if !ok || !e.Observed.Merged || seen[ref.String()] {
			return
		}
		day := e.Observed.MergedAt
		if len(day) > 10 {
			day = day[:10]
		}
		if day < since || day > to {
			return
		}
		seen[ref.String()] = true
		out = append(out, DigestFix{Ref: ref, MergedAt: e.Observed.MergedAt, Title: e.Observed.Title, Where: where})
	}
	for _, p := range in.Tree.Patterns {
		bodyFixes(p, nil, sig, add)
		for i := range p.SubPatterns {
			bodyFixes(p, &p.SubPatterns[i], sig, add)
		}
	}
	for _, r := range in.Tree.Reports {
		for _, t := range r.Tiers {
			for _, a := range t.Items {
				if !actionOwnedBy(in.Tree, a, sig) {
					continue
				}
				for _, ref := range in.Tree.FixRefs(r, a) { // role: fix only
					add(ref, "action "+r.ID+" "+a.ID)
				}
			}
		}
	}
	slices.SortFunc(out, func(a, b DigestFix) int {
		if c := strings.Compare(a.MergedAt, b.MergedAt); c != 0 {
			return c
		}
		return strings.Compare(a.Ref.String(), b.Ref.String())
	})
	return out
}

func bodyFixes(p *content.Pattern, sub *content.SubPattern, sig string, add func(citation.Ref, string)) {
	if primaryOwner(p, sub) != sig {
		return
	}
	b, where := &p.Body, "pattern "+p.Slug
	if sub != nil {
		b, where = &sub.Body, "sub-pattern "+p.Slug+"/"+sub.ID
	}
	for _, c := range b.FixPRs() {
		add(c.Parsed, where)
	}
}

// actionOwnedBy: an action is the SIG's when it names the SIG first, or names none and
// belongs to a pattern the SIG owns first.
func actionOwnedBy(t *content.Tree, a content.Action, sig string) bool {
	if len(a.SIGs) > 0 {
		return a.SIGs[0] == sig
	}
	if p := t.Pattern(a.Pattern); p != nil {
		return primaryOwner(p, nil) == sig
	}
	return false
}

// digestNudges lists the nudge targets of patterns the SIG owns first that are still open:
// a target is dropped only when the lock knows every one of its refs is merged or closed. One
// the lock has never checked is listed as not verified.
func digestNudges(in DigestInput, sig string) []DigestNudge {
	var out []DigestNudge
	seen := map[string]bool{}
	for i := len(in.Tree.Reports) - 1; i >= 0; i-- { // newest report first: its words win
		r := in.Tree.Reports[i]
		for _, n := range r.Status.NudgeTargets {
			p := in.Tree.Pattern(n.Pattern)
			if p == nil || primaryOwner(p, nil) != sig {
				continue
			}
			nd := DigestNudge{Pattern: n.Pattern, Report: r.ID, State: "not verified", Block: n.Block}
			open, key := false, ""
			for _, ref := range in.Tree.CitedIn(r, r.NudgePath(n), "refs") {
				if ref.Kind != citation.KindRef {
					continue
				}
				key += ref.String() + " "
				nd.Refs = append(nd.Refs, ref)
				e, _ := in.Lock.Latest(ref.String()) // the zero Entry knows nothing: open for all we know
				if now, known := e.OpenNow(); now || !known {
					open = true
				}
				if st := stateWords(e); st != "" && nd.State == "not verified" {
					nd.State = st
				}
			}
			if len(nd.Refs) == 0 || seen[key] || !open {
				continue
			}
			seen[key] = true
			out = append(out, nd)
		}
	}
	return out
}

// stateWords is a PR's or issue's state as the lock observed it: "merged", "draft", "open",
// "closed"; "" when the entry records no answer.
func stateWords(e evidence.Entry) string {
	switch {
	case !e.Observed.Exists:
		return ""
	case e.Observed.Merged:
		return "merged"
	case e.Observed.Draft:
		return "draft"
	}
	return e.Observed.State
}
