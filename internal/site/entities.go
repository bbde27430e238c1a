package site

import (
	"context"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/a-h/templ"

	"github.com/triagesite/triagesite/internal/analyze"
	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/outline"
	"github.com/triagesite/triagesite/internal/snapshot"
	"github.com/triagesite/triagesite/internal/view"
	"github.com/triagesite/triagesite/templates"
)

func (b *builder) home(ctx context.Context) error {
	const path = "index.html"
	h := view.Home{Page: b.page("Kubernetes CI triage", path, "home"), OnFire: b.statusCards(path), Statuses: b.homeStatusLinks(path),
		StatusIndex: view.Link{Href: statusIndexPath, Text: "every status page"}}
	for i := len(b.tree.Reports) - 1; i >= 0; i-- { // newest first
		r := b.tree.Reports[i]
		h.Reports = append(h.Reports, b.reportCard(r, path))
	}
	for _, ds := range datasets {
		if d, ok := b.index.latest(ds); ok {
			sev := buckets(analyze.Distribution(d.Snapshot()))
			h.Datasets = append(h.Datasets, view.DatasetCard{
				Dataset: string(ds), Date: d.Date(), Jobs: d.Len(),
				Severity: sev, Chart: severityChart(sev),
				JobsLink: view.Link{Href: "jobs/index.html", Text: "all jobs"},
			})
			h.Datasets[len(h.Datasets)-1].Age, _ = b.snapshotAgeOf(ds, d.Date(), path)
		}
	}
	for _, p := range b.tree.Patterns {
		h.Patterns = append(h.Patterns, b.patternCard(p, path))
	}
	sortCards(h.Patterns)
	for _, s := range b.tree.SIGs {
		h.SIGs = append(h.SIGs, view.SIGCard{Link: view.Link{Href: sigPath(s.ID), Text: s.Name}, Digest: view.Link{Href: digestPath(s.ID), Text: "weekly digest"}, ID: s.ID,
			Patterns: len(b.index.sigPatterns[s.ID]), Jobs: len(b.index.sigJobs[s.ID])})
	}
	h.DriftIndex = view.Link{Href: driftIndexPath, Text: "every drift page (" + strconv.Itoa(len(b.allDrifts())) + ")"}
	for _, d := range b.newestDrifts(homeDrifts) {
		h.Drifts = append(h.Drifts, view.DriftCard{
			Link:    view.Link{Href: driftPath(string(d.h.Dataset), d.From, d.To), Text: string(d.h.Dataset) + " " + d.From + " → " + d.To},
			Dataset: string(d.h.Dataset), Added: d.Added, Removed: d.Removed, NotGrown: d.NotGrown, Empty: d.Empty,
		})
	}
	h.Inputs = b.inputLinks(path)
	return b.render(ctx, path, templates.Home(h))
}

func (b *builder) reportCard(r *content.Report, from string) view.ReportCard {
	c := view.ReportCard{Link: view.Link{Href: rel(from, reportPath(r.ID)), Text: r.Title}, Date: r.Date, Dataset: r.Dataset,
		Patterns: len(r.Patterns), Headline: b.block(r.TLDR.Headline, r.DefaultRepo, from)}
	if s := b.reportSnapshot(r); s != nil {
		c.Jobs = s.Jobs.Len()
		c.Stored = b.stored(snapshot.Dataset(r.Dataset), r.Snapshot, c.Jobs)
	}
	for _, rp := range r.Patterns {
		if p := b.tree.Pattern(rp.Pattern); p != nil {
			c.SubPatterns += len(p.SubPatterns)
		}
	}
	return c
}

func (b *builder) patternCard(p *content.Pattern, from string) view.PatternCard {
	c := view.PatternCard{Link: view.Link{Href: rel(from, patternPath(p.Slug)), Text: p.Title}, Dataset: p.Dataset,
		Jobs: len(b.index.patternJobs(p)), SubPatterns: len(p.SubPatterns)}
	for _, pl := range b.index.patternReports[p.Slug] {
		c.Reports = append(c.Reports, view.Link{Href: rel(from, reportPath(pl.Report.ID)), Text: pl.Report.Date + " " + pl.Report.Dataset + " " + pl.Letter})
	}
	return c
}

func (b *builder) reportIndex(ctx context.Context) error {
	const path = "reports/index.html"
	l := view.List{Page: b.page("Reports", path, "reports"), Heading: "Reports", Columns: []string{"Report", "Date", "Dataset", "Patterns"}}
	for i := len(b.tree.Reports) - 1; i >= 0; i-- {
		r := b.tree.Reports[i]
		l.Rows = append(l.Rows, view.Row{Link: view.Link{Href: rel(path, reportPath(r.ID)), Text: r.Title}, Cells: []string{r.Date, r.Dataset, strconv.Itoa(len(r.Patterns))}})
	}
	return b.render(ctx, path, templates.List(l))
}

func (b *builder) patternIndex(ctx context.Context) error {
	const path = "patterns/index.html"
	l := view.List{Page: b.page("Patterns", path, "patterns"), Heading: "Patterns", Columns: []string{"Pattern", "Dataset", "Jobs", "Sub-patterns", "Reports"}}
	var cards []view.PatternCard
	for _, p := range b.tree.Patterns {
		cards = append(cards, b.patternCard(p, path))
	}
	sortCards(cards)
	for _, c := range cards {
		l.Rows = append(l.Rows, view.Row{Link: c.Link, Cells: []string{c.Dataset, strconv.Itoa(c.Jobs), strconv.Itoa(c.SubPatterns), strconv.Itoa(len(c.Reports))}})
	}
	return b.render(ctx, path, templates.List(l))
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if len(s) >= len(p) && s[:len(p)] == p {
			return true
		}
	}
	return false
}

func (b *builder) sigs(ctx context.Context) error {
	for i := range b.tree.SIGs {
		s := &b.tree.SIGs[i]
		path := sigPath(s.ID)
		if err := b.renderLazy(path, func() templ.Component { return templates.SIGPage(b.sigView(s, path)) }); err != nil {
			return err
		}
	}
	const path = "sigs/index.html"
	l := view.List{Page: b.page("SIGs", path, "sigs"), Heading: "SIGs", Columns: []string{"SIG", "Id", "Patterns", "Sub-patterns", "Jobs"}}
	var idle []string
	for i := range b.tree.SIGs {
		s := &b.tree.SIGs[i]
		patterns, subs, jobs := len(b.index.sigPatterns[s.ID]), len(b.index.sigSubs[s.ID]), len(b.index.sigJobs[s.ID])
		if patterns == 0 && subs == 0 && jobs == 0 {
			idle = append(idle, s.Name) // a row of 0 and 0 says nothing; one line names them all
			continue
		}
		l.Rows = append(l.Rows, view.Row{Link: view.Link{Href: rel(path, sigPath(s.ID)), Text: s.Name},
			Cells: []string{s.ID, strconv.Itoa(patterns), strconv.Itoa(subs), strconv.Itoa(jobs)}})
	}
	if len(idle) > 0 {
		l.Intro = "Not listed: " + strings.Join(idle, ", ") + ", which own no pattern, sub-pattern or job in these reports."
	}
	return b.render(ctx, path, templates.List(l))
}

func (b *builder) sigView(s *content.SIG, path string) view.SIG {
	v := view.SIG{Page: b.page(s.Name, path, "sigs"), Digest: view.Link{Href: rel(path, digestPath(s.ID)), Text: "Weekly digest"}, ID: s.ID, Name: s.Name, Label: s.Label, Description: b.block(s.Description, "", path)}
	var owned []*content.Pattern
	for _, slug := range b.index.sigPatterns[s.ID] {
		p := b.tree.Pattern(slug)
		owned = append(owned, p)
		v.Patterns = append(v.Patterns, b.patternCard(p, path))
		b.sigRefs(s.ID, p, path, &v)
	}
	for _, o := range b.index.sigSubs[s.ID] {
		v.SubPatterns = append(v.SubPatterns, view.OwnedSubPattern{
			Link:  view.Link{Href: rel(path, patternPath(o.Pattern.Slug)) + "#" + outline.SubPatternAnchor(o.Pattern.Slug, o.Sub.ID), Text: o.Sub.Title},
			Label: o.Sub.Label, Dataset: o.Pattern.Dataset, Jobs: len(o.Sub.Jobs),
			Pattern: view.Link{Href: rel(path, patternPath(o.Pattern.Slug)), Text: o.Pattern.Title},
		})
		v.OpenRefs = b.openRefs(v.OpenRefs, o.Sub.Citations, o.Pattern.DefaultRepo, path)
	}
	for _, name := range b.index.sigJobs[s.ID] {
		v.Jobs = append(v.Jobs, b.latestJobRow(name, path))
	}
	b.sigActions(s, path, &v)
	v.Fixes = b.fixRows(path, owned)
	return v
}

// sigRefs adds the open PRs and issues of a pattern the SIG owns: the pattern's own, and
// those of its sub-patterns but the ones other SIGs own alone.
func (b *builder) sigRefs(sig string, p *content.Pattern, path string, v *view.SIG) {
	v.OpenRefs = b.openRefs(v.OpenRefs, p.Citations, p.DefaultRepo, path)
	for _, s := range p.SubPatterns {
		if len(s.OwnerSIGs) == 0 || slices.Contains(s.OwnerSIGs, sig) {
			v.OpenRefs = b.openRefs(v.OpenRefs, s.Citations, p.DefaultRepo, path)
		}
	}
}

// openRefs appends the PRs and issues the report calls open or draft that are still open now:
// a merged one is news on the pattern page, not something to wait for.
func (b *builder) openRefs(rows []view.CitationRow, cs []content.Claim, repo, path string) []view.CitationRow {
	for i := range cs {
		if (cs[i].State == "open" || cs[i].State == "draft") && b.stillOpen(cs[i].Parsed) {
			rows = append(rows, b.citationRow(&cs[i], repo, path))
		}
	}
	return rows
}

func (b *builder) sigActions(s *content.SIG, path string, v *view.SIG) {
	for _, r := range b.tree.Reports {
		for _, t := range r.Tiers {
			if t.Tier == 0 {
				continue // done
			}
			for _, a := range t.Items {
				if !slices.Contains(b.actionOwners(a), s.ID) {
					continue
				}
				v.Actions = append(v.Actions, view.ActionRow{
					Report: view.Link{Href: rel(path, reportPath(r.ID)) + "#tier-" + strconv.Itoa(t.Tier), Text: r.Date + " " + r.Dataset},
					Tier:   actionLabel(t.Tier, a.ID), Action: b.inline(a.Action, r.DefaultRepo, path), Status: b.inline(a.Status, r.DefaultRepo, path),
				})
			}
		}
	}
}

// latestJobRow is a job with its figure in the newest snapshot that lists it.
func (b *builder) latestJobRow(name, path string) view.JobRow {
	for _, ds := range datasets {
		if d, ok := b.index.latest(ds); ok {
			if _, ok := d.Job(b.index.names.inSnapshots(name)); ok {
				return b.jobRow(name, path, d)
			}
		}
	}
	return b.jobRow(name, path, snapshot.Day{})
}

func (b *builder) jobs(ctx context.Context) error {
	for _, name := range b.index.jobs {
		path := b.jobPath(name)
		if err := b.renderLazy(path, func() templ.Component { return templates.JobPage(b.jobView(name, path)) }); err != nil {
			return err
		}
	}
	const path = "jobs/index.html"
	v := view.JobIndex{Page: b.page("Jobs", path, "jobs"),
		Intro: strconv.Itoa(len(b.index.jobs)) + " jobs: every job in a stored snapshot or named by a pattern, worst first."}
	for _, name := range b.index.jobs {
		v.Rows = append(v.Rows, b.jobIndexRow(name, path))
	}
	sort.SliceStable(v.Rows, func(i, j int) bool { return worseFirst(v.Rows[i], v.Rows[j]) })
	return b.render(ctx, path, templates.JobIndexPage(v))
}

// jobIndexRow is a job with its newest figure and everything the index filters it by.
func (b *builder) jobIndexRow(name, path string) view.JobIndexRow {
	r := view.JobIndexRow{JobRow: view.JobRow{Link: view.Link{Href: rel(path, b.jobPath(name)), Text: name}, Category: b.index.category[name]}, Rank: len(severityRank)}
	for _, ds := range datasets {
		if d, ok := b.index.latest(ds); ok {
			if j, ok := d.Job(b.index.names.inSnapshots(name)); ok {
				r.JobRow = b.jobRowOf(j, ds, path)
				r.Dataset, r.Rank = string(ds), severityRank[analyze.SeverityOf(ds, j)]
				r.Value = strconv.FormatFloat(value(ds, j), 'f', -1, 64)
				break
			}
		}
	}
	var ids, slugs []string
	for _, id := range b.index.jobSIGs[name] {
		r.SIGs = append(r.SIGs, view.Link{Href: rel(path, sigPath(id)), Text: b.tree.SIG(id).Name})
		ids = append(ids, id)
	}
	for _, slug := range b.index.jobPatterns[name] {
		r.Patterns = append(r.Patterns, view.Link{Href: rel(path, patternPath(slug)), Text: b.tree.Pattern(slug).Title})
		slugs = append(slugs, slug)
	}
	r.SIGIDs, r.Slugs, r.Explained = strings.Join(ids, "|"), strings.Join(slugs, "|"), len(slugs) > 0
	r.Release = b.releaseMark(name)
	return r
}

// severityRank orders severities worst first; a job no snapshot lists comes last.
var severityRank = map[analyze.Severity]int{analyze.Critical: 0, analyze.Severe: 1, analyze.Warning: 2, analyze.Moderate: 3, analyze.Low: 4, analyze.Good: 4}

// worseFirst is the order a reader scans for what is on fire: severity, then the figure
// (more failing days, lower consistency), then the name.
func worseFirst(a, b view.JobIndexRow) bool {
	if a.Rank != b.Rank {
		return a.Rank < b.Rank
	}
	if a.Dataset != b.Dataset {
		return a.Dataset < b.Dataset
	}
	av, _ := strconv.ParseFloat(a.Value, 64)
	bv, _ := strconv.ParseFloat(b.Value, 64)
	if av != bv {
		if a.Dataset == string(snapshot.Flakes) {
			return av < bv
		}
		return av > bv
	}
	return a.Text < b.Text
}

func (b *builder) jobView(name, path string) view.Job {
	v := view.Job{Page: b.page(name, path, "jobs"), Name: name, Category: b.index.category[name],
		Elsewhere: jobLinks(name, b.index.names.presubmit(name))}
	// The points are read here only (the runs and the chart copy what they keep), so one
	// buffer from the pool serves every job page a worker builds.
	buf := pointBufs.Get().(*[]point)
	for _, ds := range datasets {
		points := jobPoints(*buf, b.index.history[ds], b.index.names.inSnapshots(name))
		v.History = historyRuns(v.History, ds, points)
		v.Chart += historyChart(ds, points)
		if cap(points) > cap(*buf) {
			*buf = points[:0]
		}
	}
	pointBufs.Put(buf)
	for _, slug := range b.index.jobPatterns[name] {
		v.Patterns = append(v.Patterns, view.Link{Href: rel(path, patternPath(slug)), Text: b.tree.Pattern(slug).Title})
	}
	// Patterns whose rules claim the job, beside those that name it.
	for _, ds := range datasets {
		for _, c := range b.index.placements[ds].Of(b.index.names.inSnapshots(name)) {
			if !slices.Contains(b.index.jobPatterns[name], c.Pattern.Slug) {
				v.Patterns = append(v.Patterns, b.claimLink(c, path))
			}
		}
	}
	for _, id := range b.index.jobReports[name] {
		v.Reports = append(v.Reports, view.Link{Href: rel(path, reportPath(id)), Text: id})
	}
	for _, id := range b.jobOwners(name) {
		v.SIGs = append(v.SIGs, view.Link{Href: rel(path, sigPath(id)), Text: b.tree.SIG(id).Name})
	}
	v.Tests = b.jobTests(b.index.names.inSnapshots(name), path)
	v.Release = b.releaseMark(name)
	return v
}

func (b *builder) allDrifts() []driftPair { return b.index.drifts }

// homeDrifts is how many of each dataset's newest comparisons the home page lists, a week of
// daily snapshots: with a snapshot a day, listing all of them grew the page by two links a
// day. The drift index lists every one.
const homeDrifts = 7

const driftIndexPath = "drift/index.html"

// newestDrifts is the last n comparisons of each dataset, in allDrifts' order.
func (b *builder) newestDrifts(n int) []driftPair {
	all := b.allDrifts()
	total := map[snapshot.Dataset]int{}
	for _, d := range all {
		total[d.h.Dataset]++
	}
	seen := map[snapshot.Dataset]int{}
	var out []driftPair
	for _, d := range all {
		if seen[d.h.Dataset]++; total[d.h.Dataset]-seen[d.h.Dataset] < n {
			out = append(out, d)
		}
	}
	return out
}

func (b *builder) drifts(ctx context.Context) error {
	const index = driftIndexPath
	l := view.List{Page: b.page("Drift", index, "drift"), Heading: "Drift between consecutive snapshots", Columns: []string{"Snapshots", "Dataset", "Added", "Removed", "Not grown as expected"}}
	for _, d := range b.allDrifts() {
		path := driftPath(string(d.h.Dataset), d.From, d.To)
		if err := b.renderLazy(path, func() templ.Component { return b.driftPage(d.compare(), path) }); err != nil {
			return err
		}
		cells := []string{string(d.h.Dataset), strconv.Itoa(d.Added), strconv.Itoa(d.Removed), strconv.Itoa(d.NotGrown)}
		if d.Empty {
			cells = []string{string(d.h.Dataset), "not compared: an empty snapshot", "", ""}
		}
		l.Rows = append(l.Rows, view.Row{Link: view.Link{Href: rel(index, path), Text: d.From + " → " + d.To}, Cells: cells})
	}
	return b.render(ctx, index, templates.List(l))
}

func (b *builder) driftView(d analyze.Drift, path string) view.Drift {
	to := b.tree.Snapshot(d.Dataset, d.To).Jobs
	v := view.Drift{Page: b.page(string(d.Dataset)+" drift "+d.From+" → "+d.To, path, "drift"),
		Dataset: string(d.Dataset), From: d.From, To: d.To, Days: d.Days, Common: d.Common,
		FromLink: view.Link{Href: rel(path, "jobs/index.html"), Text: d.From}, ToLink: view.Link{Href: rel(path, "jobs/index.html"), Text: d.To}}
	// Each list is allocated once, at its length: a flakes drift changes nearly every job.
	v.Added, v.Removed = slices.Grow(v.Added, len(d.Added)), slices.Grow(v.Removed, len(d.Removed))
	v.NotGrown, v.Reappeared = slices.Grow(v.NotGrown, len(d.NotGrown)), slices.Grow(v.Reappeared, len(d.Reappeared))
	v.Consistency = slices.Grow(v.Consistency, len(d.Consistency))
	for _, j := range d.Added {
		v.Added = append(v.Added, b.jobRowOf(j, d.Dataset, path))
	}
	for _, j := range d.Removed {
		v.Removed = append(v.Removed, b.jobRowOf(j, d.Dataset, path))
	}
	for _, c := range d.NotGrown {
		name := b.index.names.of(c.Job)
		v.NotGrown = append(v.NotGrown, view.DayRow{Link: view.Link{Href: rel(path, b.jobPath(name)), Text: name}, Before: c.Before, After: c.After, Expected: c.Expected, Growth: c.Growth.Says()})
	}
	for _, r := range d.Reappeared {
		row := b.jobRow(r.Job, path, to)
		row.Reported = "last seen " + r.LastSeen
		v.Reappeared = append(v.Reappeared, row)
	}
	for _, c := range d.Consistency {
		// Nearly every flakes job changes consistency every day: when c names the job as To
		// lists it, c has what the row needs, so skip the lookup; its figure is set below, so
		// it is not formatted here.
		var row view.JobRow
		if b.index.names.inSnapshots(b.index.names.of(c.Job)) == c.Job {
			cells := b.jobRowCellsOf(c.Job, path)
			row = view.JobRow{Link: cells.link, Category: cells.category, InSnapshot: true, Release: cells.release,
				Severity: string(analyze.SeverityOf(d.Dataset, snapshot.Job{Name: c.Job, Consistency: c.After}))}
		} else {
			row = b.jobRow(c.Job, path, to)
		}
		// Appended into one buffer: one allocation for a row, of a million over two years.
		var buf [64]byte
		fig := strconv.AppendFloat(buf[:0], c.Before, 'f', -1, 64)
		fig = strconv.AppendFloat(append(fig, " → "...), c.After, 'f', -1, 64)
		row.Figure = string(fig)
		v.Consistency = append(v.Consistency, row)
	}
	for _, r := range b.tree.Reports {
		if r.Dataset == string(d.Dataset) && (r.Snapshot == d.To || r.Snapshot == d.From) {
			v.Reports = append(v.Reports, view.Link{Href: rel(path, reportPath(r.ID)), Text: r.Title})
		}
	}
	bars := []bar{
		{label: "added", value: float64(len(v.Added)), text: strconv.Itoa(len(v.Added)), class: "drift-added"},
		{label: "removed", value: float64(len(v.Removed)), text: strconv.Itoa(len(v.Removed)), class: "drift-removed"},
		{label: "in both", value: float64(d.Common), text: strconv.Itoa(d.Common), class: "drift-common"},
	}
	if d.Dataset == "failures" {
		bars = append(bars, bar{label: "days not grown as expected", value: float64(len(v.NotGrown)), text: strconv.Itoa(len(v.NotGrown)), class: "drift-notgrown"})
	} else {
		bars = append(bars, bar{label: "consistency changed", value: float64(len(v.Consistency)), text: strconv.Itoa(len(v.Consistency)), class: "drift-consistency"})
	}
	bars = append(bars, bar{label: "reappeared after a gap", value: float64(len(v.Reappeared)), text: strconv.Itoa(len(v.Reappeared)), class: "drift-reappeared"})
	v.Chart = barChart("Jobs between "+d.From+" and "+d.To, bars)
	return v
}

// notFound is served for any missing address, at any depth (/reports/nope.html too), where
// links relative to the page would break. Its links start at the site's root path ("/", or
// the base URL's path), with no host, so they work on a deploy preview or a local server too.
func (b *builder) notFound(ctx context.Context) error {
	p := b.page("Not found", "404.html", "")
	p.Root = "/"
	if u, err := url.Parse(b.opts.BaseURL); err == nil && u.Path != "" {
		p.Root = strings.TrimSuffix(u.Path, "/") + "/"
	}
	l := view.List{Page: p, Heading: "Page not found",
		Intro:   "No page lives at this address. Start from the reports, patterns, SIGs, jobs or cited PRs, or search.",
		Columns: []string{"Section"}}
	for _, s := range []view.Link{{Href: "reports/index.html", Text: "Reports"}, {Href: "patterns/index.html", Text: "Patterns"}, {Href: "sigs/index.html", Text: "SIGs"},
		{Href: "jobs/index.html", Text: "Jobs"}, {Href: refsIndexPath, Text: "Cited PRs, issues and commits"}, {Href: actionsPath, Text: "Actions"}, {Href: searchPath, Text: "Everything, A–Z"}} {
		l.Rows = append(l.Rows, view.Row{Link: view.Link{Href: p.Root + s.Href, Text: s.Text}})
	}
	return b.render(ctx, "404.html", templates.List(l))
}

// sortCards orders patterns for readers: by dataset, then title (slugs are for links, not reading).
func sortCards(cards []view.PatternCard) {
	sort.SliceStable(cards, func(i, j int) bool {
		if cards[i].Dataset != cards[j].Dataset {
			return cards[i].Dataset < cards[j].Dataset
		}
		return strings.ToLower(cards[i].Text) < strings.ToLower(cards[j].Text)
	})
}

// jobOwners lists a job's SIGs with its primary owner first: the owner of the sub-pattern that
// places it, else of its pattern, else the registry's first (see analyze.OwnershipOf); then
// every other SIG with a claim on it.
func (b *builder) jobOwners(name string) []string {
	snap := b.index.names.inSnapshots(name)
	var claims []analyze.Claim
	for _, ds := range datasets {
		if claims = b.index.placements[ds].Of(snap); len(claims) > 0 {
			break
		}
	}
	own := analyze.OwnershipOf(claims, analyze.RegistrySIGs(b.tree.SIGs, b.index.category[name], snap))
	var out []string
	if own.Primary != "" {
		out = append(out, own.Primary)
	}
	out = append(out, own.Also...)
	for _, id := range b.index.jobSIGs[name] {
		out = appendOnce(out, id)
	}
	return slices.DeleteFunc(out, func(id string) bool { return b.tree.SIG(id) == nil })
}
