package importcmd

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/mdreport"
)

// converter turns a parsed runbook report into a content report and its patterns.
// placement is one pattern heading of the report.
type placement struct {
	pos mdreport.Pos
	rp  content.ReportPattern
}

type converter struct {
	file     string // the markdown file as named on the command line, for positions
	date     string
	dataset  string
	tree     *content.Tree // the content the import goes into: repositories, SIGs, snapshots, patterns
	report   *content.Report
	patterns []*content.Pattern // in report order
	errs     []string
	notes    int
	// samples are the sampled builds of the jobs table being read.
	samples []content.Claim
	// placements are the report's pattern headings, one per entry of patterns.
	placements []placement
	// existing are the patterns already in content that imported ones update, by slug.
	existing map[string]*content.Pattern
	// patternPos is where the pattern being merged starts, for its notes.
	patternPos mdreport.Pos
	// datePos is where the report gives its date (1:1 for --date).
	datePos mdreport.Pos
	// tierPositions are where each tier's heading is.
	tierPositions []mdreport.Pos
	// driftNotes: the methodology's lists after its drift paragraph are the drift's notes.
	driftNotes bool
}

func (c *converter) errorf(p mdreport.Pos, format string, args ...any) {
	c.errs = append(c.errs, fmt.Sprintf("%s:%d:%d: %s", c.file, p.Line, p.Col, fmt.Sprintf(format, args...)))
}

// note is markdown for what the import could not place: marked so lint finds it
// (mdreport.ImportNoteMark), with where it came from, and the text itself quoted.
func (c *converter) note(p mdreport.Pos, why, text string) string {
	// The file's base name: the note is committed with the content, a machine's path is not.
	out := fmt.Sprintf("%s (%s:%d:%d): %s", mdreport.ImportNoteMark, filepath.Base(c.file), p.Line, p.Col, why)
	if text = strings.TrimSpace(text); text != "" {
		out += "\n\n> " + strings.ReplaceAll(text, "\n", "\n> ")
	}
	return out
}

// section kinds, by heading.
const (
	kStatus = "status"
	kTLDR   = "tldr"
	kNav    = "nav"
	kPats   = "patterns"
	kMis    = "misclassifications"
	kPlan   = "plan"
	kMeth   = "methodology"
	kVerif  = "verifications"
	kApp    = "appendix"
	kCites  = "citations"
	kOther  = "other"
)

var numberPrefixRe = regexp.MustCompile(`^[0-9]+\.\s*`)

func sectionKind(title string) string {
	t := strings.ToLower(numberPrefixRe.ReplaceAllString(strings.TrimSpace(title), ""))
	switch {
	case strings.HasPrefix(t, "status"):
		return kStatus
	case strings.HasPrefix(t, "tl;dr") || t == "tldr":
		return kTLDR
	case strings.HasPrefix(t, "quick navigation"):
		return kNav
	case strings.HasPrefix(t, "misclassification"):
		return kMis
	case strings.HasPrefix(t, "action plan"):
		return kPlan
	case strings.HasPrefix(t, "methodology"):
		return kMeth
	case strings.HasPrefix(t, "verification"):
		return kVerif
	case strings.HasPrefix(t, "appendix"):
		return kApp
	case t == "citations":
		return kCites
	case strings.Contains(t, "pattern"):
		return kPats
	}
	return kOther
}

// required are the sections without which a file is not a runbook report, or was cut short.
var required = []struct{ kind, heading string }{
	{kTLDR, "## TL;DR"},
	{kPats, "## 1. The N Patterns"},
	{kPlan, "## " + mdreport.SecActionPlan},
	{kVerif, "## " + mdreport.SecVerifications},
}

func (c *converter) convert(root *mdreport.Section) {
	var doc *mdreport.Section
	for _, s := range root.Children {
		if s.Level == 1 {
			doc = s
			break
		}
	}
	if doc == nil {
		c.errorf(mdreport.Pos{Line: 1, Col: 1}, "not a runbook report: no \"# Kubernetes CI … — Triage Report\" title line")
		return
	}
	r := c.report
	r.Title = doc.Title
	if len(root.Blocks) > 0 {
		appendMD(&r.Appendix, c.note(root.Blocks[0].Pos, "text before the report's title", renderBlocks(root.Blocks)))
	}
	c.header(doc.Blocks)
	if r.DefaultRepo == "" {
		r.DefaultRepo = "kubernetes/kubernetes"
	}
	have := map[string]bool{}
	for _, s := range doc.Children {
		k := sectionKind(s.Title)
		have[k] = true
		switch k {
		case kStatus:
			c.status(s)
		case kTLDR:
			c.tldr(s)
		case kNav:
			// The navigation lists the template's own sections: nothing of the author's to keep.
		case kPats:
			c.patternSection(s)
		case kMis:
			c.misclassified(s)
		case kPlan:
			c.tiers(s)
		case kMeth:
			c.methodology(s)
		case kVerif:
			c.verifications(s)
		case kApp:
			appendMD(&r.Appendix, renderBlocks(s.Blocks))
			for _, ch := range s.Children {
				appendMD(&r.Appendix, renderSection(ch))
			}
		case kCites:
			r.Citations = append(r.Citations, c.citationTables(s.Blocks)...)
		default:
			appendMD(&r.Appendix, c.note(s.Pos, "a section the report model has no place for", renderSection(s)))
		}
	}
	c.checkRequired(doc, have)
}

func (c *converter) checkRequired(doc *mdreport.Section, have map[string]bool) {
	if !have[kTLDR] && !have[kPats] {
		c.errorf(doc.Pos, "not a runbook report: no \"## TL;DR\" and no \"## 1. The N Patterns\" section under %q", doc.Title)
		return
	}
	for _, req := range required {
		if !have[req.kind] {
			c.errorf(doc.End, "the report ends here without its %q section: is the file truncated?", req.heading)
		}
	}
}

var dateRe = regexp.MustCompile(`\b([0-9]{4}-[0-9]{2}-[0-9]{2})\b`)

// header reads the labelled lines under the title (Date, Source, Method, …) and the banner.
func (c *converter) header(blocks []mdreport.Block) {
	r := c.report
	for _, b := range blocks {
		if b.Kind == mdreport.Quote {
			c.banner(b)
			continue
		}
		if b.Kind == mdreport.Break {
			continue
		}
		name, rest, ok := label(b)
		if !ok {
			appendMD(&r.Method, b.Text)
			continue
		}
		switch name {
		case "date":
			if c.date == "" {
				c.date, c.datePos = dateRe.FindString(rest), b.Pos
			}
		case "dataset":
			if d := strings.TrimSpace(rest); d != c.dataset {
				c.errorf(b.Pos, "the report says dataset %q; --dataset says %q", d, c.dataset)
			}
		case "snapshot":
			r.Snapshot = dateRe.FindString(rest)
			if r.Snapshot == "" { // the template's "Snapshot: N jobs." is said in the Source line
				appendMD(&r.Method, b.Text)
			}
		case "prior snapshot":
			r.PriorSnapshot = dateRe.FindString(rest)
		case "version":
			r.Version = strings.TrimSpace(rest)
		case "default repository":
			r.DefaultRepo = strings.TrimSpace(rest)
		case "author":
			r.Author = strings.TrimSpace(rest)
		case "source":
			if u := strings.TrimSpace(rest); !strings.ContainsAny(u, " \t") && strings.HasPrefix(u, "http") {
				r.SourceURL = u
			} else {
				appendMD(&r.Method, b.Text)
			}
		case "method":
			appendMD(&r.Method, rest)
		default:
			appendMD(&r.Method, b.Text)
		}
	}
}

var bannerLeadRe = regexp.MustCompile(`^(?:⚠️\s*)?\*\*Status banner\*\*[^:]*:\s*`)

func (c *converter) banner(b mdreport.Block) {
	text := bannerLeadRe.ReplaceAllString(b.Text, "")
	sub, errs := mdreport.Parse(text)
	for _, e := range errs {
		c.errorf(mdreport.Pos{Line: b.Pos.Line + e.Pos.Line - 1, Col: e.Pos.Col + 2}, "%s", e.Msg)
	}
	for _, bb := range sub.Blocks {
		if bb.Kind == mdreport.List {
			for _, it := range bb.Items {
				c.report.Banner = append(c.report.Banner, md(it.Text))
			}
			continue
		}
		c.report.Banner = append(c.report.Banner, md(renderBlock(bb)))
	}
}

func (c *converter) status(s *mdreport.Section) {
	st := &c.report.Status
	appendMD(&st.Notes, renderBlocks(s.Blocks))
	for _, ch := range s.Children {
		t := strings.ToLower(ch.Title)
		switch {
		case t == strings.ToLower(mdreport.SubClusters):
			c.clusters(ch)
		case strings.Contains(t, "nudge"):
			c.nudges(ch)
		case strings.HasPrefix(t, "open work"):
			for _, b := range ch.Blocks {
				if b.Kind != mdreport.List {
					appendMD(&st.Notes, renderBlock(b))
					continue
				}
				for _, it := range b.Items {
					st.OpenWork = append(st.OpenWork, md(it.Text))
				}
			}
		default: // "Created in this session" and the like: kept as the author wrote them
			appendMD(&st.Notes, renderSection(ch))
		}
	}
}

func (c *converter) clusters(s *mdreport.Section) {
	st := &c.report.Status
	for _, b := range s.Blocks {
		if b.Kind != mdreport.Table {
			appendMD(&st.Notes, renderBlock(b))
			continue
		}
		idx, extra, ok := c.columns(b, []columnSpec{{field: "label", names: []string{"cluster", "label"}, required: true}, {field: "name", names: []string{"name"}}, {field: "sub", names: []string{"sub-patterns", "subpatterns"}}, {field: "hl", names: []string{"highlight"}}})
		if !ok {
			continue
		}
		for _, row := range b.Rows {
			st.Clusters = append(st.Clusters, content.Cluster{Label: get(row, idx, "label"), Name: get(row, idx, "name"), SubPatterns: get(row, idx, "sub"), Highlight: md(get(row, idx, "hl"))})
			c.extraCells(&st.Notes, row, b, extra)
		}
	}
}

func (c *converter) nudges(s *mdreport.Section) {
	st := &c.report.Status
	for _, b := range s.Blocks {
		if b.Kind != mdreport.Table {
			appendMD(&st.Notes, renderBlock(b))
			continue
		}
		idx, extra, ok := c.columns(b, []columnSpec{{field: "pr", names: []string{"pr"}, required: true}, {field: "pattern", names: []string{"pattern"}}, {field: "block", names: []string{"block"}}, {field: "state", names: []string{"status", "state"}}, {field: "cleared", names: []string{"cleared", "clears"}}})
		if !ok {
			continue
		}
		for _, row := range b.Rows {
			st.NudgeTargets = append(st.NudgeTargets, content.NudgeTarget{Refs: mdreport.CellItems(get(row, idx, "pr")), Pattern: get(row, idx, "pattern"), Block: md(get(row, idx, "block")), State: md(get(row, idx, "state")), Cleared: md(get(row, idx, "cleared"))})
			c.extraCells(&st.Notes, row, b, extra)
		}
	}
}

// extraCells keeps the cells of columns the model has no field for, as import notes.
func (c *converter) extraCells(field *content.Markdown, row []mdreport.Cell, b mdreport.Block, extra []int) {
	for _, i := range extra {
		if i < len(row) && row[i].Text != "" {
			appendMD(field, c.note(row[i].Pos, fmt.Sprintf("column %q has no place in the model", b.Head[i].Text), row[i].Text))
		}
	}
}

func (c *converter) tldr(s *mdreport.Section) {
	t := &c.report.TLDR
	takeaways := false
	for _, b := range s.Blocks {
		if name, _, ok := label(b); ok && strings.Contains(name, "takeaway") {
			takeaways = true
			continue
		}
		switch {
		case takeaways && b.Kind == mdreport.List:
			for _, it := range b.Items {
				t.Takeaways = append(t.Takeaways, md(it.Text))
			}
			takeaways = false
		case t.Headline == "" && b.Kind == mdreport.Para:
			t.Headline = md(b.Text)
		case b.Kind != mdreport.Break:
			appendMD(&t.Notes, renderBlock(b))
		}
	}
	for _, ch := range s.Children {
		appendMD(&t.Notes, renderSection(ch))
	}
}

func (c *converter) misclassified(s *mdreport.Section) {
	r := c.report
	for _, b := range s.Blocks {
		if b.Kind != mdreport.Table {
			if b.Kind != mdreport.Break {
				appendMD(&r.Appendix, c.note(b.Pos, "text in the misclassifications section outside its table", renderBlock(b)))
			}
			continue
		}
		idx, extra, ok := c.columns(b, []columnSpec{{field: "entry", names: []string{"entry"}, required: true}, {field: "reality", names: []string{"reality"}, required: true}, {field: "jobs", names: []string{"jobs"}}})
		if !ok {
			continue
		}
		for _, row := range b.Rows {
			m := content.Misclassified{Entry: md(get(row, idx, "entry")), Reality: md(get(row, idx, "reality"))}
			if j := get(row, idx, "jobs"); j != "" {
				m.Jobs = mdreport.CellItems(j)
			}
			for _, i := range extra {
				if i < len(row) && row[i].Text != "" {
					appendMD(&m.Reality, c.note(row[i].Pos, fmt.Sprintf("column %q has no place in the model", b.Head[i].Text), row[i].Text))
				}
			}
			r.Misclassified = append(r.Misclassified, m)
		}
	}
	for _, ch := range s.Children {
		appendMD(&r.Appendix, c.note(ch.Pos, "a subsection of the misclassifications", renderSection(ch)))
	}
}

var tierRe = regexp.MustCompile(`(?i)\bTier\s+([0-9]+)\s*(?:[—–:-]+\s*)?(.*)$`)

func (c *converter) tiers(s *mdreport.Section) {
	r := c.report
	for _, b := range s.Blocks {
		if b.Kind != mdreport.Break {
			appendMD(&r.Appendix, c.note(b.Pos, "text in the action plan outside any tier", renderBlock(b)))
		}
	}
	for _, ch := range s.Children {
		m := tierRe.FindStringSubmatch(ch.Title)
		if m == nil {
			appendMD(&r.Appendix, c.note(ch.Pos, "an action-plan heading that names no tier", renderSection(ch)))
			continue
		}
		n, _ := strconv.Atoi(m[1])
		if n > 5 {
			c.errorf(ch.Pos, "tier %d: the action plan's tiers run from 0 to 5", n)
			continue
		}
		t := content.Tier{Tier: n, Title: strings.TrimSpace(m[2])}
		for _, b := range ch.Blocks {
			switch b.Kind {
			case mdreport.Table:
				c.actions(&t, b)
			case mdreport.List:
				for _, it := range b.Items {
					t.Notes = append(t.Notes, md(it.Text))
				}
			case mdreport.Break:
			default:
				t.Notes = append(t.Notes, md(renderBlock(b)))
			}
		}
		for _, sub := range ch.Children {
			t.Notes = append(t.Notes, md(renderSection(sub)))
		}
		r.Tiers = append(r.Tiers, t)
		c.tierPositions = append(c.tierPositions, ch.Pos)
	}
}

var actionColumns = []columnSpec{
	{field: "id", names: []string{"#", "id"}}, {field: "action", names: []string{"action", "item"}},
	{field: "cleared", names: []string{"cleared", "clears"}}, {field: "block", names: []string{"block"}},
	{field: "where", names: []string{"where", "file"}}, {field: "owner", names: []string{"owner"}},
	{field: "status", names: []string{"status", "state"}}, {field: "why", names: []string{"why"}},
	{field: "refs", names: []string{"refs"}}, {field: "sigs", names: []string{"sigs"}},
	{field: "pattern", names: []string{"pattern"}},
}

func (c *converter) actions(t *content.Tier, b mdreport.Block) {
	idx, extra, _ := c.columns(b, actionColumns)
	if _, ok := idx["action"]; !ok {
		c.errorf(b.Pos, "tier %d's table has no \"Action\" (or \"Item\") column (its header is %s)", t.Tier, headerText(b))
		return
	}
	for _, row := range b.Rows {
		a := content.Action{
			ID: get(row, idx, "id"), Action: md(get(row, idx, "action")), Cleared: md(get(row, idx, "cleared")),
			Block: md(get(row, idx, "block")), Where: md(get(row, idx, "where")), Owner: md(get(row, idx, "owner")),
			Status: md(get(row, idx, "status")), Why: md(get(row, idx, "why")),
		}
		if v := get(row, idx, "refs"); v != "" {
			a.Refs = mdreport.CellItems(v)
		}
		if v := get(row, idx, "sigs"); v != "" {
			a.SIGs = mdreport.CellItems(v)
		}
		a.Pattern = get(row, idx, "pattern") // a letter or a slug; resolved once every pattern is read
		for _, i := range extra {
			if i < len(row) && row[i].Text != "" {
				appendMD(&a.Why, c.note(row[i].Pos, fmt.Sprintf("column %q has no place in the model", b.Head[i].Text), row[i].Text))
			}
		}
		t.Items = append(t.Items, a)
	}
}

func (c *converter) methodology(s *mdreport.Section) {
	r := c.report
	var field *content.Markdown // the labelled paragraph later blocks continue
	for _, b := range s.Blocks {
		name, rest, labelled := label(b)
		low := strings.ToLower(b.Text)
		switch {
		case labelled && strings.HasPrefix(name, "what") || !labelled && b.Kind == mdreport.Para && strings.HasPrefix(low, "what ") && strings.Contains(low, "means"):
			if !labelled {
				rest = b.Text
			}
			appendMD(&r.MetricNotes, rest)
			field = &r.MetricNotes
		case labelled && strings.HasPrefix(name, "drift") || !labelled && b.Kind == mdreport.Para && strings.HasPrefix(low, "drift since"):
			if !labelled {
				rest = b.Text
			}
			appendMD(&r.Drift.Summary, rest)
			field = nil
			c.driftNotes = true
		case b.Kind == mdreport.List && c.driftNotes:
			for _, it := range b.Items {
				r.Drift.Notes = append(r.Drift.Notes, md(it.Text))
			}
		case b.Kind == mdreport.Break:
		case field != nil: // a list inside the metric notes is theirs
			appendMD(field, renderBlock(b))
		case b.Kind == mdreport.List:
			for _, it := range b.Items {
				r.Methodology = append(r.Methodology, md(it.Text))
			}
		default:
			r.Methodology = append(r.Methodology, md(renderBlock(b)))
		}
	}
	for _, ch := range s.Children {
		r.Methodology = append(r.Methodology, md(renderSection(ch)))
	}
}

var questionRe = regexp.MustCompile(`^(\S+)\s+[—–-]+\s+(.*?)\s*\(([A-Z]+)(?::\s*(.*?)|(\s[^)]*))?\)\s*$`)

func (c *converter) verifications(s *mdreport.Section) {
	r := c.report
	for _, b := range s.Blocks {
		if b.Kind != mdreport.Break && !strings.HasPrefix(strings.ToLower(b.Text), "for each open question") {
			appendMD(&r.Appendix, c.note(b.Pos, "text in the verifications section outside any question", renderBlock(b)))
		}
	}
	for _, ch := range s.Children {
		if strings.HasPrefix(strings.ToLower(ch.Title), "still open") {
			for _, b := range ch.Blocks {
				if b.Kind == mdreport.List {
					for _, it := range b.Items {
						r.OpenQuestions = append(r.OpenQuestions, md(it.Text))
					}
				} else if b.Kind != mdreport.Break {
					r.OpenQuestions = append(r.OpenQuestions, md(renderBlock(b)))
				}
			}
			continue
		}
		m := questionRe.FindStringSubmatch(ch.Title)
		if m == nil || !(m[3] == "CONFIRMED" || m[3] == "PARTIAL" || m[3] == "REFUTED") {
			appendMD(&r.Appendix, c.note(ch.Pos, "a verification heading without \"Qn — question (CONFIRMED|PARTIAL|REFUTED)\"", renderSection(ch)))
			continue
		}
		v := content.Verification{ID: m[1], Question: md(m[2]), Verdict: m[3], VerdictNote: strings.TrimSpace(m[4])}
		if m[5] != "" {
			v.VerdictNote = m[3] + m[5]
		}
		var rest []mdreport.Block
		for i, b := range ch.Blocks {
			if name, text, ok := label(b); ok && name == "verdict" && i == 0 {
				v.Detail = md(text)
				continue
			}
			rest = append(rest, b)
		}
		appendMD(&v.Detail, renderBlocks(rest))
		for _, sub := range ch.Children {
			appendMD(&v.Detail, renderSection(sub))
		}
		r.Verifications = append(r.Verifications, v)
	}
}
