package site

import (
	"context"
	"sort"
	"strings"

	"github.com/triagesite/triagesite/internal/analyze"
	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/snapshot"
	"github.com/triagesite/triagesite/internal/view"
	"github.com/triagesite/triagesite/templates"
)

const releasePath = "release.html"

// releaseMark labels a job on a release dashboard: "release-blocking", "release-informing"
// or "".
func (b *builder) releaseMark(job string) string {
	if k := b.release.Kind(job); k != "" {
		return "release-" + k
	}
	return ""
}

// releasePage renders the jobs of the release dashboards and sig-release's criteria.
func (b *builder) releasePage(ctx context.Context) error {
	v := view.Release{Page: b.page("Release-blocking jobs", releasePath, "release"), Known: b.release.Known()}
	for _, c := range analyze.BlockingCriteria {
		rc := view.ReleaseCriterion{ID: c.ID, Text: c.Text, How: c.Why}
		if c.Computed {
			v.Computed = append(v.Computed, rc)
		} else {
			v.Uncounted = append(v.Uncounted, rc)
		}
	}
	if tg := b.release.Source(); tg != nil {
		v.Source, v.Commit, v.CommitDate = tg.Source, tg.Commit, tg.CommitDate
	}
	failures, fok := analyze.NewestListing(b.index.history[snapshot.Failures])
	flakes, _ := analyze.NewestListing(b.index.history[snapshot.Flakes])
	if fok {
		v.Failures = failures.Date()
	}
	if !flakes.IsZero() {
		v.Flakes = flakes.Date()
	}
	for _, job := range b.release.ReleaseJobNames(content.Blocking) {
		row := b.releaseJobRow(job, failures, flakes)
		if fok {
			partial := b.tree.Snapshot(snapshot.Failures, failures.Date()).Meta.Partial
			c := analyze.CheckPassing(b.index.names.inSnapshots(job), failures, partial)
			row.Passing, row.PassingNote = c.Verdict, c.Evidence
			if c.Verdict == analyze.Breached {
				v.Breached++
			}
		}
		v.Blocking = append(v.Blocking, row)
	}
	for _, job := range b.release.ReleaseJobNames(content.Informing) {
		if b.release.Kind(job) == content.Informing { // a job on both kinds is listed as blocking
			v.Informing = append(v.Informing, b.releaseJobRow(job, failures, flakes))
		}
	}
	sortReleaseRows(v.Blocking)
	return b.render(ctx, releasePath, templates.ReleasePage(v))
}

func (b *builder) releaseJobRow(job string, failures, flakes snapshot.Day) view.ReleaseJobRow {
	row := view.ReleaseJobRow{Link: view.Link{Text: job}}
	if b.hasJobPage(job) {
		row.Link.Href = rel(releasePath, b.jobPath(job))
	}
	var names []string
	for _, d := range b.release.Dashboards(job) {
		names = append(names, d.Name)
	}
	row.Dashboards = strings.Join(names, ", ")
	kettle := b.index.names.inSnapshots(job)
	if j, ok := failures.Job(kettle); ok {
		row.Failing, row.Severity = figure(snapshot.Failures, j), string(analyze.SeverityOf(snapshot.Failures, j))
	}
	if j, ok := flakes.Job(kettle); ok {
		row.Flaking = figure(snapshot.Flakes, j)
	}
	return row
}

// sortReleaseRows puts breached jobs first, then those at risk, keeping name order within.
func sortReleaseRows(rows []view.ReleaseJobRow) {
	rank := map[string]int{analyze.Breached: 0, analyze.AtRisk: 1}
	sort.SliceStable(rows, func(i, j int) bool {
		ri, ok := rank[rows[i].Passing]
		if !ok {
			ri = 2
		}
		rj, ok := rank[rows[j].Passing]
		if !ok {
			rj = 2
		}
		return ri < rj
	})
}

// hasJobPage reports whether the site has a page for the job (by its Prow name).
func (b *builder) hasJobPage(name string) bool {
	i := sort.SearchStrings(b.index.jobs, name)
	return i < len(b.index.jobs) && b.index.jobs[i] == name
}
