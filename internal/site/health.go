package site

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"

	"github.com/triagesite/triagesite/internal/analyze"
	"github.com/triagesite/triagesite/internal/snapshot"
	"github.com/triagesite/triagesite/internal/view"
	"github.com/triagesite/triagesite/templates"
)

const healthPath = "health.html"

// returnedWindow bounds the returning jobs the health page names: each dataset's newest
// snapshots only. Two years of daily snapshots have jobs coming back on most days, and the
// drift pages already list them pair by pair.
const returnedWindow = 30

// namedJobs is how many of a problem's jobs the health page names before "and N more".
const namedJobs = 10

// inputHealth renders the input-health page.
func (b *builder) inputHealth(ctx context.Context) error {
	h := b.health
	v := view.Health{Page: b.page("Input health", healthPath, "health"), Now: h.Now.Format(time.RFC3339),
		NowSource: "the build's --now or SOURCE_DATE_EPOCH", StaleAfter: ageText(h.StaleAfter), Checked: len(h.Snapshots), ReturnedWindow: returnedWindow}
	if b.opts.Now.IsZero() {
		v.NowSource = "the newest snapshot's time, as the build was given no --now"
	}
	for _, ds := range datasets {
		if s, ok := h.Latest(ds); ok {
			v.Latest = append(v.Latest, b.snapshotAge(s, healthPath))
		}
	}
	recent := b.recentSnapshots()
	for _, s := range h.Snapshots {
		v.Problems = append(v.Problems, b.inputProblems(s, recent[s.Dataset], healthPath)...)
	}
	return b.render(ctx, healthPath, templates.HealthPage(v))
}

// driftPage is a drift's page, or, when a snapshot of the pair lists no jobs, a page that
// says so instead of listing every job as removed.
func (b *builder) driftPage(d analyze.Drift, path string) templ.Component {
	if len(d.Empty) == 0 {
		return templates.DriftPage(b.driftView(d, path))
	}
	v := view.Drift{Page: b.page(string(d.Dataset)+" drift "+d.From+" → "+d.To, path, "drift"), Dataset: string(d.Dataset), From: d.From, To: d.To}
	return templates.DriftUnusablePage(v, strings.Join(d.Empty, " and "), view.Link{Href: rel(path, healthPath), Text: "input health"})
}

// recentSnapshots is the index of the first snapshot of each dataset whose returning jobs
// the health page names.
func (b *builder) recentSnapshots() map[snapshot.Dataset]int {
	out := map[snapshot.Dataset]int{}
	for _, ds := range datasets {
		out[ds] = b.index.history[ds].Len() - returnedWindow
	}
	return out
}

// snapshotAgeOf is a snapshot's age and freshness as the page at from shows it; ok is false
// for a snapshot the content does not hold.
func (b *builder) snapshotAgeOf(ds snapshot.Dataset, date, from string) (view.SnapshotAge, bool) {
	s, ok := b.health.Find(ds, date)
	if !ok {
		return view.SnapshotAge{}, false
	}
	return b.snapshotAge(s, from), true
}

func (b *builder) snapshotAge(s analyze.SnapshotHealth, from string) view.SnapshotAge {
	v := view.SnapshotAge{Dataset: string(s.Dataset), Date: s.Date, Jobs: s.Jobs, Age: ageText(s.Age), Stale: s.Stale,
		Empty: string(s.Empty), Health: view.Link{Href: rel(from, healthPath), Text: "input health"}}
	v.AsOf = s.AsOf.Format("2006-01-02 15:04 UTC") + " (the snapshot's date; no object time recorded)"
	if s.FromObject {
		v.AsOf = s.AsOf.Format("2006-01-02 15:04 UTC") + " (the GCS object's update time)"
	}
	if s.Generation != 0 {
		v.Generation = strconv.FormatInt(s.Generation, 10)
	}
	return v
}

// inputProblems lists what is wrong with one snapshot; returning jobs only for the newest
// snapshots of its dataset (from index recent on).
func (b *builder) inputProblems(s analyze.SnapshotHealth, recent int, from string) []view.InputProblem {
	var out []view.InputProblem
	add := func(kind, text string) *view.InputProblem {
		out = append(out, view.InputProblem{Anchor: string(s.Dataset) + "-" + s.Date + "-" + kind, Dataset: string(s.Dataset), Date: s.Date, Kind: kind, Text: text})
		return &out[len(out)-1]
	}
	if s.Stale {
		add("stale", "The newest "+string(s.Dataset)+" snapshot is "+ageText(s.Age)+" old, older than "+ageText(b.health.StaleAfter)+": the daily fetch has not stored a newer one.")
	}
	switch s.Empty {
	case analyze.EmptyNull:
		add("empty", "The file is null: the dashboard published nothing. Drift and counts skip it.")
	case analyze.EmptyObject:
		add("empty", "The file is {}: no jobs at all, which no real dashboard day has. Drift and counts skip it.")
	}
	if s.Dropped {
		add("drop", "Lists "+strconv.Itoa(s.Jobs)+" jobs, down from "+strconv.Itoa(s.PreviousJobs)+" on "+s.Previous+": it lost more than half overnight, more likely a broken export than half of CI recovering.")
	}
	if day, ok := b.index.history[s.Dataset].Find(s.Date); len(s.Returned) > 0 && ok && day.Index() >= recent {
		p := add("returned", count(len(s.Returned), "job", "jobs")+" missing from "+s.Previous+" came back:")
		for i, r := range s.Returned {
			if i == namedJobs {
				p.More = len(s.Returned) - namedJobs
				break
			}
			p.Jobs = append(p.Jobs, view.Link{Href: rel(from, b.jobPath(r.Job)), Text: r.Job + " (last seen " + r.LastSeen + ")"})
		}
	}
	return out
}

// healthFlag is what a status page says of its snapshot as an input, in one line (see
// health.html for the whole story); "" when nothing is flagged.
func (b *builder) healthFlag(ds snapshot.Dataset, date string) string {
	s, ok := b.health.Find(ds, date)
	if !ok || !s.Flagged() {
		return ""
	}
	var parts []string
	if s.Stale {
		parts = append(parts, "stale, "+ageText(s.Age)+" old at build time (flagged from "+ageText(b.health.StaleAfter)+")")
	}
	if s.Empty != analyze.NotEmpty {
		parts = append(parts, "the file is "+string(s.Empty)+" and lists no jobs")
	}
	if s.Dropped {
		parts = append(parts, "lists "+strconv.Itoa(s.Jobs)+" jobs, down from "+strconv.Itoa(s.PreviousJobs)+" on "+s.Previous+", more than half gone overnight")
	}
	if len(s.Returned) > 0 {
		parts = append(parts, count(len(s.Returned), "job", "jobs")+" missing from "+s.Previous+" came back")
	}
	return strings.Join(parts, "; ") + "."
}

// inputLinks are the home page's links to the pages computed from the snapshots alone, and
// the datasets whose newest snapshot is stale.
func (b *builder) inputLinks(from string) view.InputLinks {
	v := view.InputLinks{Links: []view.Link{{Href: rel(from, healthPath), Text: "Input health"}, {Href: rel(from, flakyTestsPath), Text: "Flaky tests"},
		{Href: rel(from, releasePath), Text: "Release-blocking jobs"}}}
	for _, ds := range datasets {
		if s, ok := b.health.Latest(ds); ok && s.Stale {
			v.Stale = append(v.Stale, b.snapshotAge(s, from))
		}
	}
	return v
}

// ageText says a duration in days and hours.
func ageText(d time.Duration) string {
	days, hours := int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour)
	switch {
	case days == 0:
		return count(hours, "hour", "hours")
	case hours == 0:
		return count(days, "day", "days")
	}
	return count(days, "day", "days") + " " + count(hours, "hour", "hours")
}
