package site

import (
	"context"
	"strconv"

	"github.com/a-h/templ"

	"github.com/triagesite/triagesite/internal/analyze"
	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/outline"
	"github.com/triagesite/triagesite/internal/snapshot"
	"github.com/triagesite/triagesite/internal/view"
	"github.com/triagesite/triagesite/templates"
)

var tierNames = []string{"Done", "Nudge already-written fixes", "Mechanical fixes", "Real bugs", "Strategic and governance", "Delete or leave alone"}

func (b *builder) reports(ctx context.Context) error {
	for _, r := range b.tree.Reports {
		if err := b.renderLazy(reportPath(r.ID), func() templ.Component { return templates.ReportPage(b.reportView(r)) }); err != nil {
			return err
		}
		if err := b.writeLazy("reports/"+r.ID+".md", func() []byte { return []byte(b.reportMarkdown(r)) }); err != nil {
			return err
		}
	}
	return b.reportIndex(ctx)
}

func (b *builder) reportSnapshot(r *content.Report) *content.Snapshot {
	return b.tree.Snapshot(snapshot.Dataset(r.Dataset), r.Snapshot)
}

func (b *builder) reportView(r *content.Report) view.Report {
	path := reportPath(r.ID)
	repo := r.DefaultRepo
	snap := b.reportSnapshot(r)
	owners := []content.Owner{content.ReportOwner(r.ID)}
	for _, rp := range r.Patterns {
		owners = append(owners, content.PatternOwner(rp.Pattern))
	}
	v := view.Report{
		Page:    b.page(r.Title, path, "reports"),
		Heading: r.Title, Date: r.Date, Dataset: r.Dataset, Version: r.Version, Author: r.Author,
		SourceURL:     r.SourceURL,
		Markdown:      view.Link{Href: r.ID + ".md", Text: "markdown"},
		Snapshot:      view.Link{Href: rel(path, "jobs/index.html"), Text: r.Dataset + " " + r.Snapshot},
		Method:        b.block(r.Method, repo, path),
		Banner:        b.inlines(r.Banner, repo, path),
		OpenWork:      b.inlines(r.Status.OpenWork, repo, path),
		StatusNotes:   b.block(r.Status.Notes, repo, path),
		Headline:      b.block(r.TLDR.Headline, repo, path),
		Takeaways:     b.inlines(r.TLDR.Takeaways, repo, path),
		TLDRNotes:     b.block(r.TLDR.Notes, repo, path),
		PatternsIntro: b.block(r.PatternsIntro, repo, path),
		Methodology:   b.inlines(r.Methodology, repo, path),
		MetricNotes:   b.block(r.MetricNotes, repo, path),
		DriftSummary:  b.block(r.Drift.Summary, repo, path),
		DriftNotes:    b.inlines(r.Drift.Notes, repo, path),
		OpenQuestions: b.inlines(r.OpenQuestions, repo, path),
		Appendix:      b.block(r.Appendix, repo, path),
	}
	if snap != nil {
		jobs := snap.Jobs.Snapshot()
		v.SnapshotJobs = len(jobs.Jobs)
		v.SnapshotStored = b.stored(snapshot.Dataset(r.Dataset), r.Snapshot, v.SnapshotJobs)
		v.SnapshotNote = b.block(snap.Meta.Note, repo, path)
		v.Severity = buckets(analyze.Distribution(jobs))
		for _, row := range analyze.Categorize(b.cats, jobs) {
			v.Categories = append(v.Categories, categoryRow(jobs.Dataset, row))
		}
		v.SeverityChart = severityChart(v.Severity)
		v.CategoryChart = categoryChart(v.Categories)
	}
	v.Page.Unchecked = b.unchecked(owners...)
	b.reportStatus(r, path, &v)
	b.reportPatterns(r, path, snap, &v)
	for i := range v.Patterns {
		v.Page.Highlight = v.Page.Highlight || v.Patterns[i].Highlighted()
	}
	b.reportDrift(r, path, &v)
	v.Facts = reportFacts(&v)
	for _, m := range r.Misclassified {
		mv := view.Misclassified{Entry: b.inline(m.Entry, repo, path), Reality: b.inline(m.Reality, repo, path)}
		for _, j := range m.Jobs {
			j = b.index.names.of(j)
			mv.Jobs = append(mv.Jobs, view.Link{Href: rel(path, b.jobPath(j)), Text: j})
		}
		v.Misclassified = append(v.Misclassified, mv)
	}
	for _, t := range r.Tiers {
		v.Tiers = append(v.Tiers, b.tierView(r, t, path))
	}
	for _, q := range r.Verifications {
		v.Verifications = append(v.Verifications, view.Verification{
			Anchor: outline.QuestionAnchor(q.ID), ID: q.ID, Verdict: q.Verdict, VerdictNote: q.VerdictNote,
			Question: b.inline(q.Question, repo, path), Detail: b.block(q.Detail, repo, path),
		})
	}
	for i := range r.Citations {
		v.Citations = append(v.Citations, b.citationRow(&r.Citations[i], repo, path))
	}
	return v
}

// reportFacts is the line under a report's title: when, what, by whom, from which snapshot.
func reportFacts(v *view.Report) []view.Fact {
	text := func(s string) view.Fact { return view.Fact{Link: view.Link{Text: s}} }
	fs := []view.Fact{text(v.Date), text(v.Dataset)}
	if v.Version != "" { // a report need not name its version
		fs = append(fs, text(v.Version))
	}
	if v.Author != "" {
		fs = append(fs, text("by "+v.Author))
	}
	stored := strconv.Itoa(v.SnapshotJobs) + " jobs"
	if v.SnapshotStored != "" {
		stored = v.SnapshotStored + "; its figures are not the dashboard's"
	}
	fs = append(fs, view.Fact{Before: "snapshot ", Link: v.Snapshot, After: " (" + stored + ")"})
	if v.Prior != nil {
		fs = append(fs, view.Fact{Before: "prior ", Link: *v.Prior})
	}
	fs = append(fs, view.Fact{Link: v.Markdown})
	if v.SourceURL != "" {
		fs = append(fs, view.Fact{Link: view.Link{Href: v.SourceURL, Text: "source"}})
	}
	return fs
}

func buckets(ds []analyze.SeverityCount) []view.Bucket {
	out := make([]view.Bucket, len(ds))
	for i, d := range ds {
		out[i] = view.Bucket{Name: string(d.Severity), Count: d.Count}
	}
	return out
}

func categoryRow(ds snapshot.Dataset, r analyze.CategoryRow) view.CategoryRow {
	worst := strconv.FormatFloat(r.Worst, 'f', -1, 64)
	if ds == snapshot.Failures {
		worst += "d"
	} else {
		worst = "c=" + worst
	}
	return view.CategoryRow{Category: r.Category, Count: len(r.Jobs), Worst: worst, Score: strconv.FormatFloat(r.Score, 'f', 2, 64)}
}

func (b *builder) reportStatus(r *content.Report, path string, v *view.Report) {
	repo := r.DefaultRepo
	// Investigation clusters carry their own letters, which need not match the patterns'.
	for _, c := range r.Status.Clusters {
		v.Clusters = append(v.Clusters, view.Cluster{Label: c.Label, Name: c.Name, SubPatterns: c.SubPatterns, Highlight: b.inline(c.Highlight, repo, path)})
	}
	for _, n := range r.Status.NudgeTargets {
		nv := view.Nudge{Pattern: n.Pattern, State: b.inline(n.State, repo, path), Block: b.inline(n.Block, repo, path), Cleared: b.inline(n.Cleared, repo, path)}
		for _, ref := range n.Refs {
			nv.Refs = append(nv.Refs, b.inline(content.Markdown(ref), repo, path))
		}
		nv.Since = b.nudgeNews(r, n)
		v.Nudges = append(v.Nudges, nv)
	}
}

func (b *builder) reportPatterns(r *content.Report, path string, snap *content.Snapshot, v *view.Report) {
	var data snapshot.Day
	if snap != nil {
		data = snap.Jobs
	}
	named := map[string]bool{}
	var placed []*content.Pattern
	for _, rp := range r.Patterns {
		p := b.tree.Pattern(rp.Pattern)
		placed = append(placed, p)
		pv := b.patternView(p, path, data)
		pv.Anchor, pv.Letter = p.Slug, rp.Letter
		pv.Heading = p.Title
		if rp.Heading != "" {
			pv.Heading = rp.Heading
		}
		pv.Note = b.block(rp.Note, r.DefaultRepo, path)
		pv.SinceReport = b.sinceReport(p, r)
		v.Patterns = append(v.Patterns, pv)
		for _, j := range b.index.patternJobs(p) {
			named[j] = true
		}
	}
	v.Fixes = b.fixRows(path, placed)
	for _, m := range r.Misclassified {
		for _, j := range m.Jobs {
			named[b.index.names.of(j)] = true
		}
	}
	for j := range data.All() {
		if !named[b.index.names.of(j.Name)] {
			v.Uncovered = append(v.Uncovered, b.jobRow(j.Name, path, data))
		}
	}
}

func (b *builder) reportDrift(r *content.Report, path string, v *view.Report) {
	if r.PriorSnapshot == "" {
		return
	}
	ds := snapshot.Dataset(r.Dataset)
	hist := b.index.history[ds]
	if day, ok := hist.Find(r.Snapshot); ok && day.Index() > 0 {
		d := analyze.Compare(hist, day.Index()-1, day.Index())
		link := view.Link{Href: rel(path, driftPath(r.Dataset, d.From, d.To)), Text: d.From + " → " + d.To}
		v.Prior = &view.Link{Href: link.Href, Text: d.From}
		v.Drift = &link
		v.Computed = &view.DriftFigures{Link: link, Added: len(d.Added), Removed: len(d.Removed), Common: d.Common, NotGrown: len(d.NotGrown), Reappeared: len(d.Reappeared)}
	}
}

func (b *builder) tierView(r *content.Report, t content.Tier, path string) view.Tier {
	repo := r.DefaultRepo
	heading := "Tier " + strconv.Itoa(t.Tier)
	if t.Title != "" {
		heading += " — " + t.Title
	} else if t.Tier >= 0 && t.Tier < len(tierNames) {
		heading += " — " + tierNames[t.Tier]
	}
	tv := view.Tier{Anchor: outline.TierAnchor(t.Tier), Heading: heading, Notes: nil}
	for _, n := range t.Notes {
		tv.Notes = append(tv.Notes, b.block(n, repo, path))
	}
	type column struct {
		name string
		get  func(a content.Action) content.Markdown
	}
	cols := []column{
		{"#", func(a content.Action) content.Markdown { return content.Markdown(a.ID) }},
		{"Action", func(a content.Action) content.Markdown { return a.Action }},
		{"Cleared", func(a content.Action) content.Markdown { return a.Cleared }},
		{"Block", func(a content.Action) content.Markdown { return a.Block }},
		{"File:line", func(a content.Action) content.Markdown { return a.Where }},
		{"Owner", func(a content.Action) content.Markdown { return a.Owner }},
		{"Status", func(a content.Action) content.Markdown { return a.Status }},
		{"Why", func(a content.Action) content.Markdown { return a.Why }},
	}
	var used []column
	for _, c := range cols {
		for _, a := range t.Items {
			if c.get(a) != "" {
				used = append(used, c)
				break
			}
		}
	}
	for _, c := range used {
		tv.Columns = append(tv.Columns, c.name)
	}
	ids := map[string]bool{}
	for _, a := range t.Items {
		row := make([]view.HTML, len(used))
		for i, c := range used {
			row[i] = b.inline(c.get(a), repo, path)
		}
		tv.Rows = append(tv.Rows, row)
		anchor := ""
		if a.ID != "" && !ids[a.ID] {
			ids[a.ID] = true
			anchor = outline.ActionAnchor(t.Tier, a.ID)
		}
		tv.RowAnchors = append(tv.RowAnchors, anchor)
		tv.RowNews = append(tv.RowNews, b.actionNews(r, a))
	}
	return tv
}
