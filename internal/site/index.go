package site

import (
	"slices"
	"sort"

	"github.com/triagesite/triagesite/internal/analyze"
	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/snapshot"
)

// index is the cross-reference of the content, computed once per build.
type index struct {
	history        map[snapshot.Dataset]*snapshot.History
	jobs           []string               // every job name the site has a page for
	jobFiles       map[string]string      // job -> its page's file name in jobs/, without .html
	names          *jobNames              // any spelling of a job → its page name
	jobPatterns    map[string][]string    // job -> pattern slugs
	jobReports     map[string][]string    // job -> report ids
	patternReports map[string][]placement // slug -> where reports carry it
	sigPatterns    map[string][]string    // SIG id -> slugs of the patterns it owns as a whole
	sigSubs        map[string][]ownedSub  // SIG id -> sub-patterns it owns in patterns it does not
	category       map[string]string      // job -> category
	sigJobs        map[string][]string    // SIG id -> jobs it owns, sorted
	jobSIGs        map[string][]string    // job -> SIG ids that own it, in registry order
	drifts         []driftPair            // consecutive snapshot pairs, failures then flakes
	// placements place every job of each dataset's history in its patterns, once per name.
	placements map[snapshot.Dataset]*analyze.Placements
	patternIDs map[snapshot.Dataset]map[*content.Pattern][]int32     // the jobs each pattern claims
	metas      map[snapshot.Dataset]map[string]*content.SnapshotMeta // by date
}

// ownedSub is a sub-pattern a SIG owns inside a pattern whose other parts it does not.
type ownedSub struct {
	Pattern *content.Pattern
	Sub     *content.SubPattern
}

// placement is a pattern's place in a report.
type placement struct {
	Report *content.Report
	Letter string
}

var datasets = []snapshot.Dataset{snapshot.Failures, snapshot.Flakes}

func buildIndex(t *content.Tree, cats *analyze.Categorizer) *index {
	ix := &index{
		history:        map[snapshot.Dataset]*snapshot.History{},
		jobPatterns:    map[string][]string{},
		jobReports:     map[string][]string{},
		patternReports: map[string][]placement{},
		sigPatterns:    map[string][]string{},
		sigSubs:        map[string][]ownedSub{},
		category:       map[string]string{},
	}
	placer := analyze.NewPlacer(t.Patterns)
	ix.placements, ix.metas = map[snapshot.Dataset]*analyze.Placements{}, map[snapshot.Dataset]map[string]*content.SnapshotMeta{}
	ix.patternIDs = map[snapshot.Dataset]map[*content.Pattern][]int32{}
	for _, ds := range datasets {
		ix.metas[ds] = map[string]*content.SnapshotMeta{}
	}
	for _, s := range t.Snapshots {
		if m := ix.metas[snapshot.Dataset(s.Meta.Dataset)]; m != nil {
			m[s.Meta.Date] = &s.Meta
		}
	}
	var inSnapshots, others []string
	for _, ds := range datasets {
		ix.history[ds] = t.History(ds)
		ix.placements[ds] = placer.PlaceAll(ix.history[ds])
		ix.patternIDs[ds] = analyze.PatternIDs(ix.placements[ds])
		inSnapshots = append(inSnapshots, ix.history[ds].Names()...)
	}
	for _, p := range t.Patterns {
		others = append(others, patternJobs(p)...)
	}
	for _, r := range t.Reports {
		for _, m := range r.Misclassified {
			others = append(others, m.Jobs...)
		}
	}
	ix.names = newJobNames(inSnapshots, others)
	names := map[string]bool{}
	for _, name := range inSnapshots {
		names[ix.names.of(name)] = true
	}
	for _, p := range t.Patterns {
		for _, name := range ix.patternJobs(p) {
			names[name] = true
			ix.jobPatterns[name] = appendOnce(ix.jobPatterns[name], p.Slug)
		}
		ix.addOwners(p)
	}
	for _, r := range t.Reports {
		for _, rp := range r.Patterns {
			ix.patternReports[rp.Pattern] = append(ix.patternReports[rp.Pattern], placement{r, rp.Letter})
			if p := t.Pattern(rp.Pattern); p != nil {
				for _, name := range ix.patternJobs(p) {
					ix.jobReports[name] = appendOnce(ix.jobReports[name], r.ID)
				}
			}
		}
		for _, m := range r.Misclassified {
			for _, name := range m.Jobs {
				name = ix.names.of(name)
				names[name] = true
				ix.jobReports[name] = appendOnce(ix.jobReports[name], r.ID)
			}
		}
	}
	for name := range names {
		ix.jobs = append(ix.jobs, name)
		// Categories are written against the snapshots' spelling ("pr:pull-kubernetes-").
		ix.category[name] = cats.Category(ix.names.inSnapshots(name))
	}
	sort.Strings(ix.jobs)
	ix.jobFiles = fileNames(ix.jobs, JobSlug)
	ix.ownership(t)
	for _, ds := range datasets {
		for i := 1; i < ix.history[ds].Len(); i++ {
			h := ix.history[ds]
			ix.drifts = append(ix.drifts, driftPair{h: h, from: i - 1, to: i, From: h.Day(i - 1).Date(), To: h.Day(i).Date(),
				DriftCounts: analyze.Count(h, i-1, i)})
		}
	}
	return ix
}

// driftPair is two consecutive snapshots and the size of their drift. The drift itself is
// computed when its page renders, and dropped with it.
type driftPair struct {
	h        *snapshot.History
	from, to int
	From, To string
	analyze.DriftCounts
}

func (p driftPair) compare() analyze.Drift { return analyze.Compare(p.h, p.from, p.to) }

// addOwners files a pattern under the SIGs that own it as a whole, and each sub-pattern under
// the SIGs that own only it: ownership is per sub-pattern, so a SIG that owns one part of a
// pattern is not shown the whole.
func (ix *index) addOwners(p *content.Pattern) {
	for _, id := range p.OwnerSIGs {
		ix.sigPatterns[id] = appendOnce(ix.sigPatterns[id], p.Slug)
	}
	for i := range p.SubPatterns {
		s := &p.SubPatterns[i]
		for _, id := range s.OwnerSIGs {
			if !slices.Contains(p.OwnerSIGs, id) && !slices.ContainsFunc(ix.sigSubs[id], func(o ownedSub) bool { return o.Sub == s }) {
				ix.sigSubs[id] = append(ix.sigSubs[id], ownedSub{p, s})
			}
		}
	}
}

// ownership decides once which SIG owns which job: by category, by name prefix, or because
// a pattern or sub-pattern it owns claims the job.
func (ix *index) ownership(t *content.Tree) {
	ix.sigJobs, ix.jobSIGs = map[string][]string{}, map[string][]string{}
	claimed := ix.claimedBy(t)
	for _, s := range t.SIGs {
		cats := map[string]bool{}
		for _, c := range s.Categories {
			cats[c] = true
		}
		for _, name := range ix.jobs {
			if cats[ix.category[name]] || claimed[s.ID][name] || hasAnyPrefix(name, s.JobPrefixes) || hasAnyPrefix(ix.names.inSnapshots(name), s.JobPrefixes) {
				ix.sigJobs[s.ID] = append(ix.sigJobs[s.ID], name)
				ix.jobSIGs[name] = append(ix.jobSIGs[name], s.ID)
			}
		}
	}
}

// claimedBy gives, per SIG, the jobs claimed by what it owns: listed in a pattern or
// sub-pattern, or placed there by its matchers. A sub-pattern's own owners answer for its
// jobs (analyze.Claim.Owners), not every owner of the pattern around it.
func (ix *index) claimedBy(t *content.Tree) map[string]map[string]bool {
	out := map[string]map[string]bool{}
	add := func(owners []string, name string) {
		for _, id := range owners {
			if out[id] == nil {
				out[id] = map[string]bool{}
			}
			out[id][name] = true
		}
	}
	for _, p := range t.Patterns {
		for _, j := range p.Jobs {
			add(p.OwnerSIGs, ix.names.of(j.Name))
		}
		for i := range p.SubPatterns {
			owners := analyze.Claim{Pattern: p, Sub: &p.SubPatterns[i]}.Owners()
			for _, j := range p.SubPatterns[i].Jobs {
				add(owners, ix.names.of(j.Name))
			}
		}
	}
	for _, name := range ix.jobs {
		snap := ix.names.inSnapshots(name)
		for _, ds := range datasets {
			for _, c := range ix.placements[ds].Of(snap) {
				add(c.Owners(), name)
			}
		}
	}
	return out
}

// latest is the newest snapshot of a dataset, or nil.
func (ix *index) latest(ds snapshot.Dataset) (snapshot.Day, bool) {
	return ix.history[ds].Latest()
}

// patternJobs lists every job a pattern and its sub-patterns name, once each, in order.
func patternJobs(p *content.Pattern) []string {
	var out []string
	seen := map[string]bool{}
	add := func(js []content.JobRef) {
		for _, j := range js {
			if !seen[j.Name] {
				seen[j.Name] = true
				out = append(out, j.Name)
			}
		}
	}
	add(p.Jobs)
	for _, s := range p.SubPatterns {
		add(s.Jobs)
	}
	return out
}

// patternJobs is patternJobs with each job under its page name.
func (ix *index) patternJobs(p *content.Pattern) []string {
	var out []string
	for _, name := range patternJobs(p) {
		out = appendOnce(out, ix.names.of(name))
	}
	return out
}

// patternSIGs lists the owner SIGs of a pattern and its sub-patterns, once each.
func patternSIGs(p *content.Pattern) []string {
	var out []string
	for _, id := range p.OwnerSIGs {
		out = appendOnce(out, id)
	}
	for _, s := range p.SubPatterns {
		for _, id := range s.OwnerSIGs {
			out = appendOnce(out, id)
		}
	}
	return out
}

func appendOnce(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}
