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

// digestDataset judges the end snapshot against the window's baseline, as a status page
// judges a snapshot against the one before it, and keeps the SIG's jobs: new and recovered
// ones it owns first, unexplained ones in its area.
func digestDataset(in DigestInput, ds snapshot.Dataset, sig, since string) (DigestDataset, bool) {
	h := in.History[ds]
	end, ok := h.Latest()
	if !ok || end.Date() < since {
		return DigestDataset{}, false
	}
	base := max(sort.Search(h.Len(), func(i int) bool { return h.Day(i).Date() >= since })-1, 0)
	partial := func(date string) bool {
		s := in.Tree.Snapshot(ds, date)
		return s != nil && s.Meta.Partial
	}
	opts := StatusOptions{CurPartial: partial(end.Date()), ChangesOnly: true}
	against := -1 // the history starts with the end snapshot: nothing to compare with
	if base != end.Index() {
		against, opts.PrevPartial = base, partial(h.Day(base).Date())
	}
	ps := in.Placements[ds]
	st := StatusAgainst(h, against, end.Index(), ps, opts)
	dd := DigestDataset{Dataset: ds, Baseline: h.Day(base).Date(), End: end.Date(), Compared: against >= 0,
		NewKnown: st.NewKnown, RecoveredKnown: st.RecoveredKnown, Total: end.Len()}
	own := newOwnership(in, sig)
	for k := range end.Len() {
		if own.of(end.At(k).Name, ps.ByID(end.ID(k))).primary {
			dd.JobsOwned++
		}
	}
	primary := func(j StatusJob) bool { return own.of(j.Job.Name, j.Claims).primary }
	if dd.NewKnown { // otherwise st.New holds jobs the baseline may have left out
		dd.New = keepJobs(st.New, primary)
	}
	if dd.RecoveredKnown {
		dd.Recovered = keepJobs(st.Recovered, primary)
	}
	dd.Unexplained = keepJobs(st.Unexplained, func(j StatusJob) bool { return own.of(j.Job.Name, j.Claims).area })
	return dd, true
}

// keepJobs is the jobs keep accepts, in their order. The digest has never marked a job failing
// by design (its tables carry no badge for it), so ByDesign is cleared.
func keepJobs(jobs []StatusJob, keep func(StatusJob) bool) []StatusJob {
	var out []StatusJob
	for _, j := range jobs {
		if keep(j) {
			j.ByDesign = false
			out = append(out, j)
		}
	}
	return out
}

// ownership judges whether jobs are a SIG's: owned first (the SIG is its primary owner), or
// in its area (sigs.yaml gives the SIG its category or a prefix of its name). Each job is
// judged once, as the categorizer matches every rule against its name; a job's claims are
// the same on every snapshot of a history, so its name is key enough.
type ownership struct {
	in     DigestInput
	sig    string
	judged map[string]owned
}

type owned struct{ primary, area bool }

func newOwnership(in DigestInput, sig string) ownership {
	return ownership{in: in, sig: sig, judged: map[string]owned{}}
}

func (o ownership) of(name string, claims []Claim) owned {
	if w, ok := o.judged[name]; ok {
		return w
	}
	reg := RegistrySIGs(o.in.Tree.SIGs, o.in.Categories.Category(name), name)
	w := owned{primary: OwnershipOf(claims, reg).Primary == o.sig, area: slices.Contains(reg, o.sig)}
	o.judged[name] = w
	return w
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
