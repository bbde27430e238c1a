package lint

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/triagesite/triagesite/internal/analyze"
	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/snapshot"
)

var ruleCounts = Rule{
	ID: "P9-counts", Title: "stated counts agree with what they count", Severity: Error,
	Doc: "Errors: \"N jobs\" in a pattern or sub-pattern title or a report heading vs the jobs listed or job_count " +
		"(N+ means at least N); a TL;DR headline's \"the N … jobs\", \"N of M\" (M is the snapshot's jobs, jobs_in_source " +
		"for a partial one), its percentage, and \"K patterns\"; drift prose's \"net +N\" and \"A→B\" vs the two " +
		"snapshots' totals, and \"N added\"/\"N removed\" vs the computed drift when neither snapshot is partial; a " +
		"snapshot note's \"N of the M jobs\" and a whole snapshot's jobs_in_source. Warning: \"N sub-patterns\" in a " +
		"heading vs the sub-patterns (labels V4.a, V4.b count once), since reports count them by their own labels; a " +
		"pattern's job_count vs the jobs its names and matchers place in the report's snapshot, when that snapshot is whole.",
	Check: checkCounts,
}

func checkCounts(c *Context) []Finding {
	var out []Finding
	out = append(out, c.countTitles()...)
	for _, r := range c.Tree.Reports {
		out = append(out, c.countPlaced(r)...)
		out = append(out, c.countHeadings(r)...)
		out = append(out, c.countTLDR(r)...)
		out = append(out, c.countDrift(r)...)
	}
	for _, s := range c.Tree.Snapshots {
		out = append(out, c.countSnapshot(s)...)
	}
	return out
}

var (
	approxRe = regexp.MustCompile(`(?i)(?:~|≈|about|around|roughly|some|over|nearly|almost|at least|more than|up to)\s*$`)
	// A figure starts a word: the 35 of "-ko35 jobs" is part of a name.
	jobsRe     = regexp.MustCompile(`(?:^|[^\w.,/-])(\d+)(\+)? (?:[A-Za-z-]+ )?jobs?\b`)
	subsRe     = regexp.MustCompile(`(?:^|[^\w.,/-])(\d+) (?:[A-Za-z-]+ )?sub-patterns?\b`)
	ofRe       = regexp.MustCompile(`(?:^|[^\w.,/-])(\d+) of (?:the )?(\d+)\b`)
	theJobsRe  = regexp.MustCompile(`\b[Tt]he (\d+) (?:[A-Za-z-]+ )?(?:jobs|entries)\b`)
	pctRe      = regexp.MustCompile(`^[^.]{0,40}?\((\d+(?:\.\d+)?)%\)`)
	patternsRe = regexp.MustCompile(`(?:^|[^\w.,/-])(\d+) patterns\b`)
	netRe      = regexp.MustCompile(`(?i:\bnet) ([+−-])(\d+)`)
	arrowRe    = regexp.MustCompile(`(\d+) ?(?:→|->) ?(\d+)`)
	addedRe    = regexp.MustCompile(`(?:^|[^\w.,/-])(\d+) (?:jobs )?(?:were |are |was |is )?added\b`)
	removedRe  = regexp.MustCompile(`(?:^|[^\w.,/-])(\d+) (?:jobs )?(?:were |are |was |is )?removed\b`)
	holdsRe    = regexp.MustCompile(`(?:^|[^\w.,/-])(\d+) of the (\d+) jobs\b`)
	subStemRe  = regexp.MustCompile(`^(.*\d)[a-z]$`)
)

// figure is a number stated in text, with where it stands.
type figure struct {
	n, off int
	plus   bool // "N+": at least N
}

// figures finds every non-approximate match of re; group picks the number.
func figures(text string, re *regexp.Regexp, group int) []figure {
	var out []figure
	for _, m := range re.FindAllStringSubmatchIndex(text, -1) {
		s, e := m[2*group], m[2*group+1]
		if approxRe.MatchString(text[:m[0]]) {
			continue
		}
		n, _ := strconv.Atoi(text[s:e])
		plus := len(m) > 5 && m[5] > m[4] // only jobsRe has a second group: "+"
		out = append(out, figure{n: n, off: s, plus: plus})
	}
	return out
}

// jobsAgree accepts a stated job count equal to the list or to job_count, or below either for "N+".
func jobsAgree(f figure, b *content.Body) bool {
	if f.plus {
		return f.n <= max(len(b.Jobs), b.JobCount)
	}
	return f.n == len(b.Jobs) || (b.JobCount > 0 && f.n == b.JobCount)
}

func jobsWord(b *content.Body) string {
	if b.JobCount > 0 {
		return fmt.Sprintf("%d listed, job_count %d", len(b.Jobs), b.JobCount)
	}
	return fmt.Sprintf("%d listed", len(b.Jobs))
}

func (c *Context) countTitles() []Finding {
	var out []Finding
	for _, b := range c.bodies() {
		for _, f := range figures(b.Body.Title, jobsRe, 1) {
			if !jobsAgree(f, b.Body) {
				out = append(out, at(Error, c.Tree.PosOf(&b.Body.Title, b.Pos), fmt.Sprintf("%s title says %d jobs; it has %s", b.name(), f.n, jobsWord(b.Body))))
			}
		}
	}
	return out
}

func (c *Context) countHeadings(r *content.Report) []Finding {
	var out []Finding
	for i := range r.Patterns {
		rp := &r.Patterns[i]
		p := c.Tree.Pattern(rp.Pattern)
		if p == nil {
			continue
		}
		heading := c.Tree.PosOf(&rp.Heading, rp.Pos)
		for _, f := range figures(rp.Heading, jobsRe, 1) {
			if !jobsAgree(f, &p.Body) {
				out = append(out, at(Error, heading, fmt.Sprintf("pattern %s heading says %d jobs; %s has %s", rp.Letter, f.n, p.Slug, jobsWord(&p.Body))))
			}
		}
		for _, f := range figures(rp.Heading, subsRe, 1) {
			if n, stems := len(p.SubPatterns), subStems(p); f.n != n && f.n != stems {
				out = append(out, at(Warning, heading, fmt.Sprintf("pattern %s heading says %d sub-patterns; %s has %d", rp.Letter, f.n, p.Slug, n)))
			}
		}
	}
	return out
}

// subStems counts sub-patterns with lettered variants (V4.a, V4.b) counted once.
func subStems(p *content.Pattern) int {
	seen := map[string]bool{}
	for _, s := range p.SubPatterns {
		label := strings.ReplaceAll(s.Label, ".", "")
		seen[subStemRe.ReplaceAllString(label, "$1")] = true
	}
	return len(seen)
}

func (c *Context) reportSnapshot(r *content.Report, date string) *content.Snapshot {
	ds, err := snapshot.ParseDataset(r.Dataset)
	if err != nil || date == "" {
		return nil
	}
	return c.Tree.Snapshot(ds, date)
}

func (c *Context) countTLDR(r *content.Report) []Finding {
	s := c.reportSnapshot(r, r.Snapshot)
	text := r.TLDR.Headline
	if s == nil || text == "" {
		return nil
	}
	total := snapshotTotal(s)
	pos := func(off int) content.Pos { return c.posIn(r.Pos.File, text, off, r.Pos) }
	var out []Finding
	for _, f := range figures(string(text), theJobsRe, 1) {
		if f.n != total {
			out = append(out, at(Error, pos(f.off), fmt.Sprintf("TL;DR says %d jobs; snapshot %s has %d", f.n, s.Meta.Date, total)))
		}
	}
	out = append(out, c.countOf(string(text), total, s.Meta.Date, pos)...)
	for _, f := range figures(string(text), patternsRe, 1) {
		if f.n != len(r.Patterns) {
			out = append(out, at(Error, pos(f.off), fmt.Sprintf("TL;DR says %d patterns; the report places %d", f.n, len(r.Patterns))))
		}
	}
	return out
}

// countOf checks "N of M (P%)": M is the snapshot's total, N at most M, P its share.
func (c *Context) countOf(text string, total int, date string, pos func(int) content.Pos) []Finding {
	var out []Finding
	for _, m := range ofRe.FindAllStringSubmatchIndex(text, -1) {
		n, _ := strconv.Atoi(text[m[2]:m[3]])
		of, _ := strconv.Atoi(text[m[4]:m[5]])
		if of != total {
			out = append(out, at(Error, pos(m[4]), fmt.Sprintf("TL;DR says %d of %d; snapshot %s has %d jobs", n, of, date, total)))
			continue
		}
		pm := pctRe.FindStringSubmatchIndex(text[m[1]:])
		if pm == nil || of == 0 {
			continue
		}
		pct, _ := strconv.ParseFloat(text[m[1]+pm[2]:m[1]+pm[3]], 64)
		if exact := float64(n) * 100 / float64(of); pct < exact-1 || pct > exact+1 {
			out = append(out, at(Error, pos(m[1]+pm[2]), fmt.Sprintf("TL;DR says %d of %d is %s%%; it is %.1f%%", n, of, text[m[1]+pm[2]:m[1]+pm[3]], exact)))
		}
	}
	return out
}

func (c *Context) countDrift(r *content.Report) []Finding {
	cur, prior := c.reportSnapshot(r, r.Snapshot), c.reportSnapshot(r, r.PriorSnapshot)
	if cur == nil || prior == nil {
		return nil
	}
	var d *analyze.Drift
	if !cur.Meta.Partial && !prior.Meta.Partial {
		dd := analyze.Compare(c.Tree.History(snapshot.Dataset(r.Dataset)), prior.Jobs.Index(), cur.Jobs.Index())
		d = &dd
	}
	var out []Finding
	for _, t := range append([]content.Markdown{r.Drift.Summary}, r.Drift.Notes...) {
		out = append(out, c.countDriftText(r, t, snapshotTotal(prior), snapshotTotal(cur), d)...)
	}
	return out
}

func (c *Context) countDriftText(r *content.Report, text content.Markdown, from, to int, d *analyze.Drift) []Finding {
	s := string(text)
	pos := func(off int) content.Pos { return c.posIn(r.Pos.File, text, off, r.Pos) }
	var out []Finding
	for _, m := range netRe.FindAllStringSubmatchIndex(s, -1) {
		n, _ := strconv.Atoi(s[m[4]:m[5]])
		if s[m[2]:m[3]] != "+" {
			n = -n
		}
		if n != to-from {
			out = append(out, at(Error, pos(m[2]), fmt.Sprintf("drift says net %+d; the snapshots hold %d then %d jobs (%+d)", n, from, to, to-from)))
		}
	}
	for _, m := range arrowRe.FindAllStringSubmatchIndex(s, -1) {
		a, _ := strconv.Atoi(s[m[2]:m[3]])
		b, _ := strconv.Atoi(s[m[4]:m[5]])
		if a != from || b != to {
			out = append(out, at(Error, pos(m[2]), fmt.Sprintf("drift says %d→%d; the snapshots hold %d then %d jobs", a, b, from, to)))
		}
	}
	if d == nil {
		return out
	}
	out = append(out, driftFigures(s, addedRe, "added", len(d.Added), pos)...)
	return append(out, driftFigures(s, removedRe, "removed", len(d.Removed), pos)...)
}

func driftFigures(s string, re *regexp.Regexp, what string, want int, pos func(int) content.Pos) []Finding {
	var out []Finding
	for _, f := range figures(s, re, 1) {
		if f.n != want {
			out = append(out, at(Error, pos(f.off), fmt.Sprintf("drift says %d %s; comparing the snapshots gives %d", f.n, what, want)))
		}
	}
	return out
}

func (c *Context) countSnapshot(s *content.Snapshot) []Finding {
	var out []Finding
	m := s.Meta
	if !m.Partial && m.JobsInSource != 0 && m.JobsInSource != s.Jobs.Len() {
		out = append(out, at(Error, m.Pos, fmt.Sprintf("jobs_in_source is %d, but %s is whole and holds %d jobs", m.JobsInSource, s.Path, s.Jobs.Len())))
	}
	text := string(m.Note)
	for _, sm := range holdsRe.FindAllStringSubmatchIndex(text, -1) {
		n, _ := strconv.Atoi(text[sm[2]:sm[3]])
		of, _ := strconv.Atoi(text[sm[4]:sm[5]])
		if n != s.Jobs.Len() || (m.JobsInSource != 0 && of != m.JobsInSource) {
			out = append(out, at(Error, c.posIn(m.Pos.File, m.Note, sm[2], m.Pos),
				fmt.Sprintf("note says %d of the %d jobs; %s holds %d and jobs_in_source is %d", n, of, s.Path, s.Jobs.Len(), m.JobsInSource)))
		}
	}
	return out
}

// countPlaced compares a pattern's typed job_count with the jobs placed in it in the report's
// snapshot. A partial snapshot holds only some jobs, so it is never compared.
func (c *Context) countPlaced(r *content.Report) []Finding {
	s := c.reportSnapshot(r, r.Snapshot)
	if s == nil || s.Meta.Partial {
		return nil
	}
	ds := snapshot.Dataset(r.Dataset)
	placer := analyze.NewPlacer(c.Tree.Patterns)
	h := c.Tree.History(ds)
	placed := map[string]int{}
	for j := range s.Jobs.All() {
		seen := map[string]bool{}
		for _, cl := range placer.Place(ds, j.Name, h.TestFlakes(j.Name)) {
			if !seen[cl.Pattern.Slug] {
				seen[cl.Pattern.Slug] = true
				placed[cl.Pattern.Slug]++
			}
		}
	}
	var out []Finding
	for _, rp := range r.Patterns {
		p := c.Tree.Pattern(rp.Pattern)
		if p == nil || p.JobCount == 0 || p.Dataset != r.Dataset || placed[p.Slug] == p.JobCount {
			continue
		}
		out = append(out, at(Warning, p.Pos, fmt.Sprintf("pattern %s says job_count %d; its names and matchers place %d jobs of snapshot %s, which is whole",
			p.Slug, p.JobCount, placed[p.Slug], s.Meta.Date)))
	}
	return out
}
