package site

import (
	"context"
	"strings"

	"github.com/a-h/templ"

	"github.com/triagesite/triagesite/internal/analyze"
	"github.com/triagesite/triagesite/internal/citation"
	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/evidence"
	"github.com/triagesite/triagesite/internal/outline"
	"github.com/triagesite/triagesite/internal/snapshot"
	"github.com/triagesite/triagesite/internal/view"
	"github.com/triagesite/triagesite/templates"
)

func (b *builder) patterns(ctx context.Context) error {
	for _, p := range b.tree.Patterns {
		if err := b.renderLazy(patternPath(p.Slug), func() templ.Component { return b.patternPage(p) }); err != nil {
			return err
		}
	}
	return b.patternIndex(ctx)
}

// patternPage is the page of one pattern.
func (b *builder) patternPage(p *content.Pattern) templ.Component {
	path := patternPath(p.Slug)
	v := b.patternView(p, path, b.latestFor(p.Dataset))
	v.Page = b.page(p.Title, path, "patterns")
	v.Lifecycle = b.lifecycle(p)
	v.Fixes = b.fixRows(path, []*content.Pattern{p})
	v.Page.Unchecked = b.unchecked(content.PatternOwner(p.Slug))
	v.Page.Highlight = v.Highlighted()
	for _, pl := range b.index.patternReports[p.Slug] {
		v.Reports = append(v.Reports, view.Link{Href: rel(path, reportPath(pl.Report.ID)), Text: pl.Report.Title + " (Pattern " + pl.Letter + ")"})
	}
	return templates.PatternPage(v)
}

func (b *builder) latestFor(ds string) snapshot.Day {
	d, _ := b.index.latest(snapshot.Dataset(ds))
	return d
}

// patternView prepares a pattern for the page at path, with job figures from snap.
func (b *builder) patternView(p *content.Pattern, path string, snap snapshot.Day) view.Pattern {
	v := view.Pattern{
		Slug: p.Slug, Dataset: p.Dataset,
		Link: view.Link{Href: rel(path, patternPath(p.Slug)), Text: "pattern page"},
		Body: b.body(&p.Body, p.DefaultRepo, path, snap),
	}
	for _, s := range p.SubPatterns {
		v.SubPatterns = append(v.SubPatterns, view.SubPattern{
			Anchor: outline.SubPatternAnchor(p.Slug, s.ID), Label: s.Label,
			Body: b.body(&s.Body, p.DefaultRepo, path, snap),
		})
	}
	return v
}

func (b *builder) body(c *content.Body, repo, path string, snap snapshot.Day) view.Body {
	v := view.Body{
		Title:        c.Title,
		Summary:      b.block(c.Summary, repo, path),
		RootCause:    b.inline(c.RootCause, repo, path),
		IntroducedBy: b.inline(c.Causal.IntroducedBy, repo, path),
		ExposedBy:    b.inline(c.Causal.ExposedBy, repo, path),
		Details:      b.block(c.Details, repo, path),
		JobCount:     c.JobCount,
		FixSummary:   b.block(c.Fix.Summary, repo, path),
		Tracker:      b.inline(c.Tracker, repo, path),
		Status:       b.inline(c.Status, repo, path),
		CrossLists:   c.CrossLists,
	}
	for _, j := range c.Jobs {
		row := b.jobRow(j.Name, path, snap)
		row.Reported = j.Reported
		row.Note = b.inline(j.Note, repo, path)
		v.Jobs = append(v.Jobs, row)
	}
	for _, s := range c.Fix.Sketches {
		code := strings.TrimRight(s.Code, "\n")
		v.Sketches = append(v.Sketches, view.Sketch{File: s.File, Lang: s.Lang, Code: code, Highlighted: highlight(s.Lang, code)})
	}
	for _, id := range c.OwnerSIGs {
		if s := b.tree.SIG(id); s != nil {
			v.SIGs = append(v.SIGs, view.Link{Href: rel(path, sigPath(id)), Text: s.Name})
		}
	}
	for i := range c.Citations {
		v.Citations = append(v.Citations, b.citationRow(&c.Citations[i], repo, path))
	}
	return v
}

// jobRow is a job with its figure in snap (nil: no figure).
func (b *builder) jobRow(name, path string, snap snapshot.Day) view.JobRow {
	name = b.index.names.of(name)
	if j, ok := snap.Job(b.index.names.inSnapshots(name)); ok {
		return b.jobRowOf(j, snap.Dataset(), path)
	}
	return view.JobRow{Link: view.Link{Href: rel(path, b.jobPath(name)), Text: name}, Category: b.index.category[name], Release: b.releaseMark(name)}
}

// jobRowOf is jobRow for a job already looked up in a snapshot of ds.
func (b *builder) jobRowOf(j snapshot.Job, ds snapshot.Dataset, path string) view.JobRow {
	c := b.jobRowCellsOf(j.Name, path)
	return view.JobRow{Link: c.link, Category: c.category,
		InSnapshot: true, Figure: figure(ds, j), Severity: string(analyze.SeverityOf(ds, j)), Release: c.release}
}

// jobRowCells are a job row's cells that depend on the job's name and the page's depth
// alone. Drift pages list most flakes jobs every day, a million rows over two years, so
// they are made once.
type jobRowCells struct {
	link              view.Link
	category, release string
}

func (b *builder) jobRowCellsOf(spelling, path string) jobRowCells {
	k := [2]string{spelling, rootOf(path)}
	if c, ok := b.rowCells.Load(k); ok {
		return c.(jobRowCells)
	}
	name := b.index.names.of(spelling)
	c := jobRowCells{link: view.Link{Href: rel(path, b.jobPath(name)), Text: name}, category: b.index.category[name], release: b.releaseMark(name)}
	b.rowCells.Store(k, c)
	return c
}

// citationRow is a structured claim as shown on the page at path.
func (b *builder) citationRow(c *content.Claim, repo, path string) view.CitationRow {
	st, msg := b.opts.Evidence.Status(c.Parsed, c)
	day := claimDay(c)
	page := ""
	if p := b.refs.pathOf(c.Parsed); p != "" {
		page = rel(path, p)
	}
	return view.CitationRow{
		Target: view.Link{Href: b.citationURL(c.Parsed, c), Text: c.Parsed.Short(b.tree.Alias(c.Parsed.Repo))},
		Page:   page,
		Kind:   claimKind(c),
		Role:   c.Role,
		Claim:  claimSummary(c),
		Status: string(st),
		Dated:  b.dated(st, c.Parsed, day),
		Note:   b.inline(c.Note, repo, path),

		Acknowledged: b.inline(c.Acknowledged, repo, path),
		Found:        found(st, msg),
	}
}

// found is the lock's message for a claim judged wrong, missing or not finished; "" otherwise.
func found(st evidence.Status, msg string) string {
	switch st {
	case evidence.Contradicted, evidence.Missing, evidence.Error:
		return msg
	}
	return ""
}

func claimKind(c *content.Claim) string {
	if c.Parsed.Kind == citation.KindRef {
		if c.Kind != "" {
			return c.Kind
		}
		return "PR or issue"
	}
	return c.Parsed.Kind.String()
}

// claimSummary says in a few words what the report asserts.
func claimSummary(c *content.Claim) string {
	var parts []string
	add := func(label, v string) {
		if v != "" {
			parts = append(parts, label+v)
		}
	}
	// "merged 2026-05-05" says the state too; "merged; merged 2026-05-05" says it twice.
	switch {
	case c.State == "merged" && c.MergedAt != "":
		add("merged ", c.MergedAt)
	case c.State == "closed" && c.ClosedAt != "":
		add("closed ", c.ClosedAt)
	default:
		add("", c.State)
		add("merged ", c.MergedAt)
		add("closed ", c.ClosedAt)
	}
	if len(c.Labels) > 0 {
		parts = append(parts, "labels "+strings.Join(c.Labels, ", "))
	}
	add("“", quoteEnd(c.Title))
	add("by ", c.Author)
	add("on ", c.Date)
	add("at ", c.At)
	add("job ", c.Job)
	add("", c.Result)
	add("quote “", quoteEnd(c.Quote))
	if len(parts) == 0 {
		return "exists"
	}
	return strings.Join(parts, "; ")
}

func quoteEnd(s string) string {
	if s == "" {
		return ""
	}
	return s + "”"
}
