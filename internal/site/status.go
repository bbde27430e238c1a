package site

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/a-h/templ"

	"github.com/triagesite/triagesite/internal/analyze"
	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/evidence"
	"github.com/triagesite/triagesite/internal/outline"
	"github.com/triagesite/triagesite/internal/snapshot"
	"github.com/triagesite/triagesite/internal/view"
	"github.com/triagesite/triagesite/templates"
)

// How many rows each list of a status page shows. A status page is built for every stored
// snapshot (1,460 on two years of both datasets), so an older one is a short summary; the
// newest of each dataset, the one readers work from, lists far more. Totals are always given,
// and the jobs index has every job.
const (
	newestOnFireRows = 50
	newestListRows   = 500
	olderOnFireRows  = 10
	olderListRows    = 20
	homeOnFireRows   = 10
	homeStatuses     = 10
)

const statusIndexPath = "status/index.html"

func statusPath(ds snapshot.Dataset, date string) string {
	return "status/" + string(ds) + "-" + date + ".html"
}

func statusMarkdownPath(ds snapshot.Dataset, date string) string {
	return "status/" + string(ds) + "-" + date + ".md"
}

// statusRef is one stored snapshot, for listing status pages newest first.
type statusRef struct {
	ds   snapshot.Dataset
	i    int
	date string
}

// statusRefs lists every snapshot of both datasets, newest first, failures before flakes on a day.
func (b *builder) statusRefs() []statusRef {
	var out []statusRef
	for _, ds := range datasets {
		h := b.index.history[ds]
		for i := range h.Len() {
			out = append(out, statusRef{ds, i, h.Day(i).Date()})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].date > out[j].date })
	return out
}

func (b *builder) statuses(ctx context.Context) error {
	l := view.List{Page: b.page("Status", statusIndexPath, "status"), Heading: "Status of every snapshot, newest first",
		Intro:   "Each stored snapshot judged against the patterns: what is on fire, new, recovered and unexplained.",
		Columns: []string{"Snapshot", "Dataset", "Jobs", "Stored"}}
	for _, r := range b.statusRefs() {
		path, md := statusPath(r.ds, r.date), statusMarkdownPath(r.ds, r.date)
		// The page and its markdown sit in one directory, so one view serves both; it is
		// judged once, on whichever worker gets there first.
		v := sync.OnceValue(func() view.Status { return b.statusView(r.ds, r.i, path) })
		if err := b.renderLazy(path, func() templ.Component { return templates.StatusPage(v()) }); err != nil {
			return err
		}
		if err := b.writeLazy(md, func() []byte { return statusMarkdown(v(), b.opts.BaseURL) }); err != nil {
			return err
		}
		d := b.index.history[r.ds].Day(r.i)
		l.Rows = append(l.Rows, view.Row{Link: view.Link{Href: rel(statusIndexPath, path), Text: string(r.ds) + " " + r.date},
			Cells: []string{string(r.ds), strconv.Itoa(d.Len()), b.stored(r.ds, r.date, d.Len())}})
	}
	return b.render(ctx, statusIndexPath, templates.List(l))
}

// stored says how much of the dashboard a snapshot holds: "" when whole, else "from 36 of 231 jobs stored".
func (b *builder) stored(ds snapshot.Dataset, date string, n int) string {
	m := b.index.metas[ds][date]
	if m == nil || !m.Partial {
		return ""
	}
	if m.JobsInSource > 0 {
		return "from " + strconv.Itoa(n) + " of " + strconv.Itoa(m.JobsInSource) + " jobs stored"
	}
	return "from " + strconv.Itoa(n) + " jobs stored; the dashboard had more"
}

func (b *builder) partial(ds snapshot.Dataset, date string) bool {
	m := b.index.metas[ds][date]
	return m != nil && m.Partial
}

// status judges snapshot i of a dataset, keeping the first top jobs of each list (all: 0),
// and only the live counts that changed when liveChanged is set.
func (b *builder) status(ds snapshot.Dataset, i, top int, liveChanged bool) analyze.Status {
	h := b.index.history[ds]
	opts := analyze.StatusOptions{CurPartial: b.partial(ds, h.Day(i).Date()), Top: top, LiveChanged: liveChanged}
	if b.release != nil && b.release.Known() {
		opts.Blocking = func(name string) bool { return b.release.Kind(name) == content.Blocking }
	}
	if i > 0 {
		opts.PrevPartial = b.partial(ds, h.Day(i-1).Date())
	}
	return analyze.StatusOf(h, i, b.index.placements[ds], opts)
}

// statusView prepares the status page of snapshot i of a dataset for the page at path.
func (b *builder) statusView(ds snapshot.Dataset, i int, path string) view.Status {
	h := b.index.history[ds]
	newest := i == h.Len()-1
	fire, rows := olderOnFireRows, olderListRows
	if newest {
		fire, rows = newestOnFireRows, newestListRows
	}
	st := b.status(ds, i, max(fire, rows), !newest) // liveRows lists only changes on an older page
	v := view.Status{
		Page:    b.page(string(ds)+" status "+st.Date, path, "status"),
		Dataset: string(ds), Date: st.Date, Jobs: st.Jobs,
		Markdown:   view.Link{Href: strings.TrimSuffix(path[strings.LastIndexByte(path, '/')+1:], ".html") + ".md", Text: "markdown"},
		Stored:     b.stored(ds, st.Date, st.Jobs),
		Thresholds: analyze.Thresholds(ds),
		Health:     b.healthWords(ds, st.Date),
	}
	if i > 0 {
		v.Prev = view.Link{Href: rel(path, statusPath(ds, st.Prev)), Text: st.Prev}
		v.Drift = view.Link{Href: rel(path, driftPath(string(ds), st.Prev, st.Date)), Text: "drift " + st.Prev + " → " + st.Date}
		if !st.NewKnown {
			v.NewNote = "The previous snapshot, " + st.Prev + ", is partial (" + b.stored(ds, st.Prev, h.Day(i-1).Len()) + "): these jobs were not stored in it, and some may have been on the dashboard already. They are not counted as new."
			v.NewHeading = "Not in the partial snapshot of " + st.Prev
		}
		if !st.RecoveredKnown {
			v.RecoveredNote = "This snapshot is partial (" + v.Stored + "): these jobs of " + st.Prev + " are not stored in it, and may still fail. They are not counted as recovered."
			v.RecoveredHeading = "Not stored in this partial snapshot"
		}
	} else {
		v.NewNote = "This is the first stored snapshot; there is nothing to compare it with."
		v.RecoveredNote = v.NewNote
	}
	if i+1 == h.Len() { // fix checks are news of now, not of an older snapshot
		v.Fixes = b.fixRows(path, b.datasetPatterns(string(ds)))
	}
	if i+1 < h.Len() {
		next := h.Day(i + 1).Date()
		v.Next = view.Link{Href: rel(path, statusPath(ds, next)), Text: next}
	}
	v.OnFire = b.statusList(ds, onFire(st.Ranked), fire, path)
	v.New = b.statusList(ds, st.New, rows, path)
	v.Recovered = b.statusList(ds, st.Recovered, rows, path)
	v.Unexplained = b.statusList(ds, st.Unexplained, rows, path)
	v.ByDesign = b.statusList(ds, st.ByDesign, rows, path)
	// The status kept only the rows shown; the totals are of every job.
	v.OnFire.Total, v.New.Total, v.Recovered.Total = st.Counts.OnFire, st.Counts.New, st.Counts.Recovered
	v.Unexplained.Total, v.ByDesign.Total = st.Counts.Unexplained, st.Counts.ByDesign
	v.Full = newest
	for k := range v.Recovered.Rows {
		v.Recovered.Rows[k].ChangeWords = "recovered"
	}
	v.Patterns = b.liveRows(st, newest, path)
	// The patterns with no job now or before are quiet.
	for _, p := range b.tree.Patterns {
		if p.Dataset == string(ds) {
			v.QuietPatterns++
		}
	}
	v.QuietPatterns -= st.LivePatterns
	return v
}

func (b *builder) statusList(ds snapshot.Dataset, jobs []analyze.StatusJob, n int, path string) view.StatusList {
	l := view.StatusList{Total: len(jobs)}
	jobs = jobs[:min(n, len(jobs))]
	l.Rows = slices.Grow(l.Rows, len(jobs))
	for _, sj := range jobs {
		l.Rows = append(l.Rows, b.statusRow(ds, sj, path))
	}
	return l
}

// statusRow is one judged job as shown on the page at path.
func (b *builder) statusRow(ds snapshot.Dataset, sj analyze.StatusJob, path string) view.StatusRow {
	c := b.jobCellsOf(sj, path)
	r := view.StatusRow{
		Job: c.job, Figure: figure(ds, sj.Job),
		Severity: string(sj.Severity), Trend: string(sj.Trend), Category: c.category,
		ByDesign: sj.ByDesign, ReleaseBlocking: sj.ReleaseBlocking, Overlap: len(sj.Claims) > 1,
		ChangeWords: changeOf(ds, sj), Placed: c.placed, Owner: c.owner, Also: c.also, Fix: c.fix,
	}
	if sj.Before != nil {
		r.Before = figure(ds, *sj.Before)
	}
	return r
}

// jobCells are the cells of a status row that depend on the job and its placement alone, not
// on the snapshot: a job is listed on status page after status page, so they are made once.
type jobCells struct {
	job, owner    view.Link
	category, fix string
	placed, also  []view.Link // shared by every row of the job: read only
}

// jobCellsKey names a job's cells: its name, its claims (nil: unexplained) and how links
// climb to the root from the page.
type jobCellsKey struct {
	name, root string
	claims     *analyze.Claim
}

func (b *builder) jobCellsOf(sj analyze.StatusJob, path string) jobCells {
	name := sj.Job.Name
	k := jobCellsKey{name: name, root: rootOf(path)}
	if len(sj.Claims) > 0 {
		k.claims = &sj.Claims[0]
	}
	if c, ok := b.cells.Load(k); ok {
		return c.(jobCells)
	}
	cat := b.index.category[name]
	c := jobCells{job: view.Link{Href: rel(path, b.jobPath(name)), Text: name}, category: cat, fix: b.fixState(sj.Claims)}
	for _, cl := range sj.Claims {
		c.placed = append(c.placed, b.claimLink(cl, path))
	}
	own := analyze.OwnershipOf(sj.Claims, analyze.RegistrySIGs(b.tree.SIGs, cat, name))
	c.owner = b.sigLink(own.Primary, path)
	for _, id := range own.Also {
		if l := b.sigLink(id, path); l.Href != "" {
			c.also = append(c.also, l)
		}
	}
	b.cells.Store(k, c)
	return c
}

// onFire is the ranked list without the flakes jobs rated good (consistency ≥ 0.95): they
// rank last, so the list is cut where they start.
func onFire(ranked []analyze.StatusJob) []analyze.StatusJob {
	for i, j := range ranked {
		if j.Severity == analyze.Good {
			return ranked[:i]
		}
	}
	return ranked
}

// changeOf says how a job moved since the previous snapshot: new (or not stored in the partial
// previous snapshot), or the change in its figure.
func changeOf(ds snapshot.Dataset, sj analyze.StatusJob) string {
	switch {
	case sj.Trend == analyze.TrendUnstored:
		return "not stored before"
	case sj.Before == nil:
		return string(sj.Trend)
	}
	if ds == snapshot.Flakes {
		d := sj.Job.Consistency - sj.Before.Consistency
		if d == 0 {
			return "unchanged"
		}
		return "consistency " + strconv.FormatFloat(d, 'f', 3, 64)
	}
	d := sj.Job.FailingDays - sj.Before.FailingDays
	switch {
	case d > 0:
		return "+" + strconv.Itoa(d) + "d"
	case d < 0:
		return strconv.Itoa(d) + "d: passed in between"
	}
	return "unchanged"
}

func (b *builder) sigLink(id, path string) view.Link {
	if s := b.tree.SIG(id); s != nil {
		return view.Link{Href: rel(path, sigPath(id)), Text: s.ID}
	}
	return view.Link{}
}

// claimLink links the sub-pattern, or the pattern, that claims a job.
func (b *builder) claimLink(c analyze.Claim, path string) view.Link {
	href := rel(path, patternPath(c.Pattern.Slug))
	if c.Sub == nil {
		return view.Link{Href: href, Text: c.Pattern.Title}
	}
	text := c.Sub.Title
	if c.Sub.Label != "" {
		text = c.Sub.Label + " " + text
	}
	return view.Link{Href: href + "#" + outline.SubPatternAnchor(c.Pattern.Slug, c.Sub.ID), Text: text}
}

// fixState says whether anyone is fixing a job: the fix its placing sub-pattern or pattern
// cites, as the report claims it and as verification found it.
func (b *builder) fixState(claims []analyze.Claim) string {
	if len(claims) == 0 {
		return "unexplained: no pattern, no fix"
	}
	c := claims[0]
	bodies := []*content.Body{&c.Pattern.Body}
	if c.Sub != nil {
		bodies = []*content.Body{&c.Sub.Body, &c.Pattern.Body}
	}
	for _, want := range []string{"merged", "open", "draft"} {
		for _, body := range bodies {
			for _, cl := range body.FixPRs() {
				if cl.State != want {
					continue
				}
				words := map[string]string{"merged": "fix merged", "open": "fix in review", "draft": "fix drafted"}[want]
				s := words + ": " + cl.Parsed.Short(b.tree.Alias(cl.Parsed.Repo))
				if st, _ := b.opts.Evidence.Status(cl.Parsed, cl); st != evidence.Verified {
					s += " (" + string(st) + ")"
				}
				return s
			}
		}
	}
	for _, body := range bodies {
		if body.Fix.Summary != "" || len(body.Fix.Sketches) > 0 {
			return "fix shape written, no PR cited"
		}
	}
	return "no fix cited"
}

// liveRows puts each pattern's live counts in words, sub-patterns under their pattern.
// On an older status page only what changed is listed.
func (b *builder) liveRows(st analyze.Status, all bool, path string) []view.LiveRow {
	verb := st.Dataset.Verb()
	var out []view.LiveRow
	for _, l := range st.Live {
		// A pattern's row always shows; a sub-pattern's only when its jobs changed, so a
		// page over a thousand patterns stays readable (and small).
		if l.Recovered == 0 && l.NewlyMatched == 0 && (l.Claim.Sub != nil || !all) {
			continue
		}
		var w string
		if st.Prev == "" {
			w = fmt.Sprintf("%d %s", l.Now, verb)
		} else {
			w = fmt.Sprintf("%d of %d still %s", l.Failing, l.Of, verb)
			if st.RecoveredKnown {
				w += fmt.Sprintf(", %d recovered", l.Recovered)
			}
			if st.NewKnown {
				w += fmt.Sprintf(", %d newly matched", l.NewlyMatched)
			} else if l.NewlyMatched > 0 {
				w += fmt.Sprintf(", %d more not in the partial previous snapshot", l.NewlyMatched)
			}
		}
		out = append(out, view.LiveRow{Link: b.claimLink(l.Claim, path), Sub: l.Claim.Sub != nil, Words: w, Now: l.Now})
	}
	return out
}

// statusCards summarise the newest status of each dataset for the home page.
func (b *builder) statusCards(path string) []view.StatusCard {
	var out []view.StatusCard
	for _, ds := range datasets {
		h := b.index.history[ds]
		if h.Len() == 0 {
			continue
		}
		i := h.Len() - 1
		st := b.status(ds, i, 0, true) // changeWords counts every job; no live counts are shown
		c := view.StatusCard{Dataset: string(ds), Date: st.Date, Link: view.Link{Href: rel(path, statusPath(ds, st.Date)), Text: string(ds) + " status " + st.Date},
			Stored: b.stored(ds, st.Date, st.Jobs), Thresholds: analyze.Thresholds(ds), OnFire: b.statusList(ds, onFire(st.Ranked), homeOnFireRows, path)}
		c.Change = changeWords(st)
		c.Health = b.healthWords(ds, st.Date)
		out = append(out, c)
	}
	return out
}

// changeWords says what changed since the previous snapshot, only as far as the snapshots allow.
func changeWords(st analyze.Status) string {
	if st.Prev == "" {
		return "The first stored snapshot: nothing to compare with."
	}
	parts := []string{}
	if st.NewKnown {
		parts = append(parts, count(len(st.New), "new job", "new jobs"))
	}
	if st.RecoveredKnown {
		parts = append(parts, count(len(st.Recovered), "job recovered", "jobs recovered"))
	}
	still, worse := 0, 0
	for _, j := range append(st.Ranked[:len(st.Ranked):len(st.Ranked)], st.ByDesign...) {
		if j.Before != nil {
			still++
		}
		if j.Trend == analyze.TrendGrowing {
			worse++
		}
	}
	parts = append(parts, count(still, "job still "+st.Dataset.Verb(), "jobs still "+st.Dataset.Verb()))
	if st.Dataset == snapshot.Flakes {
		parts = append(parts, strconv.Itoa(worse)+" of them less consistent")
	}
	s := "Since " + st.Prev + ": " + strings.Join(parts, ", ") + "."
	if !st.NewKnown || !st.RecoveredKnown {
		s += " New and recovered jobs are counted only between whole snapshots."
	}
	return s
}

func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// homeStatuses links the newest status pages from the home page.
func (b *builder) homeStatusLinks(path string) []view.Link {
	var out []view.Link
	for _, r := range b.statusRefs() {
		if len(out) == homeStatuses {
			break
		}
		out = append(out, view.Link{Href: rel(path, statusPath(r.ds, r.date)), Text: string(r.ds) + " " + r.date})
	}
	return out
}

// healthWords flags a snapshot the input-health check found wrong, in a sentence; "" when none.
func (b *builder) healthWords(ds snapshot.Dataset, date string) string {
	h, ok := b.health.Find(ds, date)
	if !ok || !h.Flagged() {
		return ""
	}
	var parts []string
	if h.Stale {
		parts = append(parts, "stale: "+ageText(h.Age)+" old, older than "+ageText(b.health.StaleAfter))
	}
	if h.Empty != analyze.NotEmpty {
		parts = append(parts, "the dashboard published "+string(h.Empty)+": no job at all")
	}
	if h.Dropped {
		parts = append(parts, "it lists "+strconv.Itoa(h.Jobs)+" jobs against "+strconv.Itoa(h.PreviousJobs)+" on "+h.Previous+", fewer than half")
	}
	if n := len(h.Returned); n > 0 {
		parts = append(parts, count(n, "job", "jobs")+" came back after a gap")
	}
	return strings.Join(parts, "; ") + "."
}
