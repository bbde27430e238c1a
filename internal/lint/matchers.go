package lint

import (
	"fmt"
	"slices"
	"strings"

	"github.com/triagesite/triagesite/internal/analyze"
	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/snapshot"
)

var ruleMatcherUnused = Rule{
	ID: "M-matcher-unused", Title: "every matcher matches a job of the newest snapshot", Severity: Warning,
	Doc: "Warning: a glob, regexp or test matcher (an exclusion too) that matches no job of the newest stored snapshot " +
		"of its dataset. Either the jobs it was written for recovered, or it is misspelled. A partial snapshot holds " +
		"only some jobs, which the message says; no snapshot of the dataset, no finding.",
	Check: checkMatcherUnused,
}

var ruleOverlap = Rule{
	ID: "M-overlap", Title: "no job is claimed by two patterns", Severity: Warning,
	Doc: "Warning: a job of the newest snapshot that two patterns claim (by name or by matcher), at the claim of every " +
		"pattern after the first in slug order: its job entry, or the first matcher that claims it. Sub-patterns of one " +
		"pattern may share a job (the report cross-lists it); two patterns explaining one job is usually a slip.",
	Check: checkOverlap,
}

// latestNames is the newest snapshot of a dataset as job names and, for flakes, test names.
func (c *Context) latest(ds snapshot.Dataset) (*content.Snapshot, []snapshot.Job, bool) {
	d, ok := c.Tree.History(ds).Latest()
	if !ok {
		return nil, nil, false
	}
	jobs := make([]snapshot.Job, 0, d.Len())
	for j := range d.All() {
		if ds == snapshot.Flakes {
			j.TestFlakes = c.Tree.History(ds).TestFlakes(j.Name)
		}
		jobs = append(jobs, j)
	}
	return c.Tree.Snapshot(ds, d.Date()), jobs, true
}

func checkMatcherUnused(c *Context) []Finding {
	var out []Finding
	for _, b := range c.bodies() {
		for _, m := range b.Body.Match {
			ds := snapshot.Dataset(b.Pattern.Dataset)
			if m.Dataset != "" {
				ds = snapshot.Dataset(m.Dataset)
			}
			snap, jobs, ok := c.latest(ds)
			if !ok || matchesAny(m, jobs) {
				continue
			}
			msg := fmt.Sprintf("%s: %s matches no job of the newest %s snapshot, %s", b.name(), m, ds, snap.Meta.Date)
			if snap.Meta.Partial {
				msg += fmt.Sprintf(" (partial: %d of %d jobs stored)", snap.Jobs.Len(), snap.Meta.JobsInSource)
			}
			out = append(out, at(Warning, m.Pos, msg))
		}
	}
	return out
}

func matchesAny(m content.JobMatcher, jobs []snapshot.Job) bool {
	re, err := m.Compile()
	if err != nil {
		return true // the loader reports it
	}
	for _, j := range jobs {
		if m.Test == "" && re.MatchString(j.Name) {
			return true
		}
		if m.Test != "" && slices.ContainsFunc(j.TestFlakes, func(t snapshot.TestFlake) bool { return re.MatchString(t.Test) }) {
			return true
		}
	}
	return false
}

func checkOverlap(c *Context) []Finding {
	placer := analyze.NewPlacer(c.Tree.Patterns)
	var out []Finding
	for _, ds := range []snapshot.Dataset{snapshot.Failures, snapshot.Flakes} {
		_, jobs, ok := c.latest(ds)
		if !ok {
			continue
		}
		for _, j := range jobs {
			claims := placer.Place(ds, j.Name, j.TestFlakes)
			for k, cl := range claims {
				if k == 0 || claims[0].Pattern == cl.Pattern || (k > 0 && claims[k-1].Pattern == cl.Pattern) {
					continue
				}
				var others []string
				for _, o := range claims {
					if o.Pattern != cl.Pattern {
						others = appendOnce(others, "pattern "+o.Pattern.Slug)
					}
				}
				out = append(out, at(Warning, claimPos(cl, j), fmt.Sprintf("job %s (%s) is claimed by pattern %s and also by %s",
					j.Name, ds, cl.Pattern.Slug, strings.Join(others, ", "))))
			}
		}
	}
	return out
}

// claimPos is where a body claims a job: its entry in jobs, or the first matcher that takes it.
func claimPos(cl analyze.Claim, j snapshot.Job) content.Pos {
	b, pos := &cl.Pattern.Body, cl.Pattern.Pos
	if cl.Sub != nil {
		b, pos = &cl.Sub.Body, cl.Sub.Pos
	}
	for _, ref := range b.Jobs {
		if ref.Name == j.Name {
			return ref.Pos
		}
	}
	for _, m := range b.Match {
		if !m.Exclude && matchesAny(m, []snapshot.Job{j}) {
			return m.Pos
		}
	}
	return pos
}

func appendOnce(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}
