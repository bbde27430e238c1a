package importcmd

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/triagesite/triagesite/internal/citation"
	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/mdreport"
	"github.com/triagesite/triagesite/internal/snapshot"
)

var (
	patternHeadRe = regexp.MustCompile(`^(?:(?:Sub-)?[Pp]attern\s+)?([A-Z][A-Za-z0-9]*(?:\.[A-Za-z0-9]+)*)\s+[—–-]+\s+(.+)$`)
	jobsSuffixRe  = regexp.MustCompile(`\s*\(~?([0-9]+)\s+jobs?\)\s*$`)
	sigIDRe       = regexp.MustCompile(`\b(?:sig|wg|committee)-[a-z0-9-]+\b`)
)

func (c *converter) patternSection(s *mdreport.Section) {
	r := c.report
	for _, b := range s.Blocks {
		if b.Kind != mdreport.Break {
			appendMD(&r.PatternsIntro, renderBlock(b))
		}
	}
	for _, ch := range s.Children {
		m := patternHeadRe.FindStringSubmatch(ch.Title)
		if m == nil {
			appendMD(&r.Appendix, c.note(ch.Pos, "a heading in the patterns section without \"Pattern X — name\"", renderSection(ch)))
			continue
		}
		c.pattern(ch, m[1], m[2])
	}
}

func (c *converter) pattern(s *mdreport.Section, letter, heading string) {
	p := &content.Pattern{Dataset: c.dataset}
	meta := map[string]string{}
	c.body(&p.Body, s.Blocks, meta)
	p.DefaultRepo = meta["default repository"]
	repo := p.DefaultRepo
	if repo == "" {
		repo = c.report.DefaultRepo
	}
	p.Title = meta["title"]
	if p.Title == "" {
		p.Title = strings.TrimSpace(jobsSuffixRe.ReplaceAllString(heading, ""))
	}
	if m := jobsSuffixRe.FindStringSubmatch(heading); m != nil && p.JobCount == 0 {
		if n, _ := strconv.Atoi(m[1]); n > len(p.Jobs) {
			p.JobCount = n
		}
	}
	ids := map[string]bool{}
	var tail []mdreport.Block // the pattern's own closing fields, written after its sub-patterns
	for _, ch := range s.Children {
		m := patternHeadRe.FindStringSubmatch(ch.Title)
		if m == nil {
			appendMD(&p.Details, renderSection(ch))
			continue
		}
		sp := content.SubPattern{Label: m[1]}
		sm := map[string]string{}
		own, rest := splitOverall(ch.Blocks)
		tail = append(tail, rest...)
		c.body(&sp.Body, own, sm)
		if sm["citations"] == "" {
			c.proseCitations(&sp.Body, repo)
		}
		sp.Title = strings.TrimSpace(m[2])
		sp.ID = sm["id"]
		if sp.ID == "" {
			sp.ID = slugify(sp.Title)
		}
		for base, n := sp.ID, 2; ids[sp.ID]; n++ {
			sp.ID = fmt.Sprintf("%s-%d", base, n)
		}
		ids[sp.ID] = true
		for _, gch := range ch.Children {
			appendMD(&sp.Details, renderSection(gch))
		}
		p.SubPatterns = append(p.SubPatterns, sp)
	}
	if len(tail) > 0 {
		c.body(&p.Body, tail, meta)
	}
	if meta["citations"] == "" {
		c.proseCitations(&p.Body, repo)
	}
	p.Slug = meta["slug"]
	rp := content.ReportPattern{Letter: letter, Pattern: p.Slug, Note: md(meta["report note"])}
	if heading != p.Title {
		rp.Heading = heading
	}
	c.placements = append(c.placements, placement{pos: s.Pos, rp: rp})
	c.patterns = append(c.patterns, p)
}

// splitOverall splits a sub-pattern's blocks where the template goes back to the pattern:
// "**Fix shape (overall)**" and "**Status (as of …)**" follow the last sub-pattern but are
// the pattern's own.
func splitOverall(blocks []mdreport.Block) (own, rest []mdreport.Block) {
	for i, b := range blocks {
		if name, _, ok := label(b); ok && (strings.HasPrefix(name, "fix shape (overall") || strings.HasPrefix(name, "status (as of")) {
			return blocks[:i], blocks[i:]
		}
	}
	return blocks, nil
}

// body reads a pattern's or a sub-pattern's labelled paragraphs ("**Root cause**: …"),
// tables and code into b; meta receives the labels that name the pattern itself.
func (c *converter) body(b *content.Body, blocks []mdreport.Block, meta map[string]string) {
	var field *content.Markdown // the labelled paragraph later paragraphs continue
	expect := ""                // what the block after a label is: jobs, citations, match, causal, fix
	fixFile := ""
	c.samples = nil
	defer func() {
		// The jobs table's sampled builds, unless the citations already hold them.
		for _, cl := range c.samples {
			b.Citations = addClaim(b.Citations, cl)
		}
	}()
	for i, blk := range blocks {
		if name, rest, ok := label(blk); ok {
			field, expect = c.labelled(b, blk, name, rest, meta)
			continue
		}
		switch {
		case blk.Kind == mdreport.Break:
		case expect == "jobs" && blk.Kind == mdreport.Table:
			c.jobsTable(b, blk)
		case expect == "citations" && blk.Kind == mdreport.Table:
			b.Citations = append(b.Citations, c.citationTable(blk)...)
		case expect == "match" && blk.Kind == mdreport.Code:
			if err := yaml.Unmarshal([]byte(blk.Text), &b.Match); err != nil {
				c.errorf(blk.Pos, "match: %v", err)
			}
		case expect == "causal" && blk.Kind == mdreport.List:
			c.causal(b, blk)
		case expect == "fix" && blk.Kind == mdreport.Code:
			b.Fix.Sketches = append(b.Fix.Sketches, content.Sketch{File: fixFile, Lang: blk.Lang, Code: blk.Text})
			fixFile = ""
		case expect == "fix" && blk.Kind == mdreport.Para && soleCodeSpan(blk.Text) != "" && i+1 < len(blocks) && blocks[i+1].Kind == mdreport.Code:
			fixFile = soleCodeSpan(blk.Text)
		case field != nil:
			appendMD(field, renderBlock(blk))
		default:
			appendMD(&b.Details, renderBlock(blk))
		}
	}
}

// labelled places one labelled paragraph and says what may follow it.
func (c *converter) labelled(b *content.Body, blk mdreport.Block, name, rest string, meta map[string]string) (*content.Markdown, string) {
	switch {
	case name == "slug" || name == "title" || name == "id" || name == "default repository" || name == "report note":
		meta[name] = strings.Trim(strings.TrimSpace(rest), "`")
		return nil, ""
	case name == "one-line summary" || name == "summary":
		appendMD(&b.Summary, rest)
		return &b.Summary, ""
	case name == "root cause" || name == "root":
		appendMD(&b.RootCause, rest)
		return &b.RootCause, ""
	case name == "details":
		appendMD(&b.Details, rest)
		return &b.Details, ""
	case name == "causal chain":
		return nil, "causal"
	case name == "affected jobs":
		return nil, "jobs"
	case name == "citations":
		meta["citations"] = "table"
		return nil, "citations"
	case name == "match":
		return nil, "match"
	case name == "job count":
		n, err := strconv.Atoi(strings.TrimSpace(rest))
		if err != nil {
			c.errorf(blk.Pos, "job count %q is not a number", rest)
		}
		b.JobCount = n
		return nil, ""
	case name == "by design":
		b.ByDesign = strings.EqualFold(strings.TrimSpace(rest), "yes")
		return nil, ""
	case name == "fix pr":
		appendMD(&b.Fix.Summary, rest)
		c.samples = append(c.samples, c.prose(rest, "fix", "")...)
		return &b.Fix.Summary, "fix"
	case strings.HasPrefix(name, "fix shape"):
		appendMD(&b.Fix.Summary, rest)
		return &b.Fix.Summary, "fix"
	case name == "tracker":
		appendMD(&b.Tracker, rest)
		return &b.Tracker, ""
	case strings.HasPrefix(name, "status"):
		appendMD(&b.Status, rest)
		return &b.Status, ""
	case strings.HasPrefix(name, "owner"):
		c.owners(b, blk, rest)
		return nil, ""
	case name == "cross-lists":
		b.CrossLists = append(b.CrossLists, mdreport.CellItems(rest)...)
		return nil, ""
	}
	if name == "build" || name == "sampled build" {
		c.samples = append(c.samples, c.prose(rest, "sample", "")...)
	}
	// Anything else (**Build**, **Evidence**, …) is prose of the author's: kept whole in details.
	appendMD(&b.Details, blk.Text)
	return &b.Details, ""
}

func soleCodeSpan(s string) string {
	s = strings.TrimSpace(s)
	if m := codeSpanRe.FindStringSubmatch(s); m != nil && m[0] == s {
		return m[1]
	}
	return ""
}

func (c *converter) causal(b *content.Body, list mdreport.Block) {
	for _, it := range list.Items {
		low := strings.ToLower(it.Text)
		switch {
		case strings.HasPrefix(low, "introduced by:"):
			b.Causal.IntroducedBy = md(it.Text[len("introduced by:"):])
		case strings.HasPrefix(low, "exposed by:"):
			b.Causal.ExposedBy = md(it.Text[len("exposed by:"):])
		default:
			appendMD(&b.Details, "- "+it.Text)
		}
	}
}

// owners takes the SIG ids sigs.yaml defines; an owner line saying more is kept in details.
func (c *converter) owners(b *content.Body, blk mdreport.Block, rest string) {
	left := rest
	for _, id := range sigIDRe.FindAllString(rest, -1) {
		if c.tree.SIG(id) != nil {
			b.OwnerSIGs = append(b.OwnerSIGs, id)
			left = strings.Replace(left, id, "", 1)
		}
	}
	if strings.Trim(left, " ,;/`") != "" {
		appendMD(&b.Details, blk.Text)
	}
}

var jobColumns = []columnSpec{
	{field: "job", names: []string{"job"}, required: true},
	{field: "reported", names: []string{"reported", "days", "consistency", "failing days", "days|consistency"}},
	{field: "build", names: []string{"sampled build", "build"}},
	{field: "note", names: []string{"top-test signature", "signature", "note"}},
	{field: "flags", names: []string{"flags"}},
}

func (c *converter) jobsTable(b *content.Body, blk mdreport.Block) {
	idx, extra, ok := c.columns(blk, jobColumns)
	if !ok {
		return
	}
	for _, row := range blk.Rows {
		j := content.JobRef{Name: strings.Trim(get(row, idx, "job"), "` "), Reported: get(row, idx, "reported"), Note: md(get(row, idx, "note"))}
		flags := get(row, idx, "flags")
		j.NotInSnapshot = strings.Contains(flags, "not in snapshot")
		j.ByDesign = strings.Contains(flags, "by design")
		c.extraCells(&j.Note, row, blk, extra)
		b.Jobs = append(b.Jobs, j)
		for _, cl := range c.prose(get(row, idx, "build"), "sample", "") {
			cl.Job = j.Name
			c.samples = append(c.samples, cl)
		}
	}
}

var citationColumns = []columnSpec{
	{field: "ref", names: []string{"citation", "ref"}, required: true},
	{field: "role", names: []string{"role"}}, {field: "claim", names: []string{"claim"}}, {field: "note", names: []string{"note"}},
	{field: "acknowledged", names: []string{"acknowledged"}},
}

// citationTables reads every citation table among blocks; other blocks become notes in the appendix.
func (c *converter) citationTables(blocks []mdreport.Block) []content.Claim {
	var out []content.Claim
	for _, b := range blocks {
		if b.Kind == mdreport.Table {
			out = append(out, c.citationTable(b)...)
		} else if b.Kind != mdreport.Break {
			appendMD(&c.report.Appendix, c.note(b.Pos, "text in the citations section outside its table", renderBlock(b)))
		}
	}
	return out
}

func (c *converter) citationTable(b mdreport.Block) []content.Claim {
	idx, extra, ok := c.columns(b, citationColumns)
	if !ok {
		return nil
	}
	var out []content.Claim
	for _, row := range b.Rows {
		claimed, rest := mdreport.ParseClaim(get(row, idx, "claim"))
		cl := content.Claim{
			Ref: strings.Trim(get(row, idx, "ref"), "` "), Role: get(row, idx, "role"), Note: md(get(row, idx, "note")),
			Acknowledged: md(get(row, idx, "acknowledged")), Claim: claimed,
		}
		if rest != "" {
			appendMD(&cl.Note, rest)
		}
		c.extraCells(&cl.Note, row, b, extra)
		out = append(out, cl)
	}
	return out
}

// prose finds the citations in a stretch of prose with mdreport's extractor, each with the
// role its place gives it and what the words around it claim.
func (c *converter) prose(text, role, repo string) []content.Claim {
	if repo == "" {
		repo = c.report.DefaultRepo
	}
	var out []content.Claim
	for _, f := range mdreport.Extract(text, mdreport.Options{Resolver: c.tree, DefaultRepo: repo}) {
		if f.Kind == mdreport.KindJob || f.Problem != "" {
			continue
		}
		cl := content.Claim{Ref: f.Ref.String(), Role: role}
		switch f.Kind {
		case mdreport.KindRef:
			cl.Claim = f.Claim
			if cl.MergedAt != "" && cl.State == "" {
				cl.State = "merged"
			}
		case mdreport.KindFile:
			cl.At = c.date
		case mdreport.KindBuild:
			cl.Claim = f.Claim
			if job, _, ok := f.Ref.Build(); ok {
				cl.Job = job
			}
		}
		out = addClaim(out, cl)
	}
	return out
}

// addClaim appends a claim unless one with its citation and role is there already.
func addClaim(cs []content.Claim, cl content.Claim) []content.Claim {
	for _, x := range cs {
		if sameRef(x.Ref, cl.Ref) && x.Role == cl.Role {
			return cs
		}
	}
	return append(cs, cl)
}

// addRef appends a claim unless its citation is there already, in any role: prose cites a
// thing once, in the role of the first place it is named.
func addRef(cs []content.Claim, cl content.Claim) []content.Claim {
	for _, x := range cs {
		if sameRef(x.Ref, cl.Ref) {
			return cs
		}
	}
	return append(cs, cl)
}

func sameRef(a, b string) bool {
	if a == b {
		return true
	}
	ra, errA := citation.Parse(a)
	rb, errB := citation.Parse(b)
	return errA == nil && errB == nil && ra.String() == rb.String()
}

// proseCitations gives a body whose report listed no citations table the citations its
// prose makes, each with the role of the field it is in.
func (c *converter) proseCitations(b *content.Body, repo string) {
	for _, f := range []struct {
		role string
		text content.Markdown
	}{
		{"introduced", b.Causal.IntroducedBy}, {"exposed", b.Causal.ExposedBy}, {"fix", b.Fix.Summary},
		{"tracker", b.Tracker}, {"evidence", b.Summary}, {"evidence", b.RootCause}, {"evidence", b.Details}, {"evidence", b.Status},
	} {
		for _, cl := range c.prose(string(f.text), f.role, repo) {
			b.Citations = addRef(b.Citations, cl)
		}
	}
	for _, s := range b.Fix.Sketches {
		for _, cl := range c.prose(s.File, "fix", repo) {
			b.Citations = addRef(b.Citations, cl)
		}
	}
}

// markMissingJobs marks the jobs the report's snapshot does not list, as the loader asks. A
// partial reconstruction of a snapshot cannot say a job was not on the dashboard.
func markMissingJobs(b *content.Body, snap *content.Snapshot) {
	if snap == nil || snap.Meta.Partial {
		return
	}
	for i := range b.Jobs {
		if _, ok := snap.Jobs.Job(b.Jobs[i].Name); !ok {
			b.Jobs[i].NotInSnapshot = true
		}
	}
}

// datasetOf parses the --dataset flag.
func datasetOf(s string) (snapshot.Dataset, error) { return snapshot.ParseDataset(s) }
