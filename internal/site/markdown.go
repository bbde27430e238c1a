package site

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/triagesite/triagesite/internal/mdreport"
	"github.com/triagesite/triagesite/internal/outline"
	"go.yaml.in/yaml/v3"

	"github.com/triagesite/triagesite/internal/content"
)

// reportMarkdown writes a report as GitHub-flavoured markdown in the runbook's Appendix B
// template (the section and label names are mdreport's), so that a report made by the runbook
// and this export have one shape and `triagesite import` reads both. Prose is content markdown
// already, so it is copied as is, its citations linked (mdlink.go); what the template has no
// place for (slugs, citations with their claims, job matchers) is written in labelled lines
// and tables it can read back.
func (b *builder) reportMarkdown(r *content.Report) string {
	var w strings.Builder
	fences := &mdFences{w: &w}
	c := b.mdCitesOf(content.ReportOwner(r.ID), fences)
	p := func(format string, args ...any) { fmt.Fprintf(&w, format, args...) }
	p("# %s\n\n", r.Title)
	p("**Date**: %s\n", r.Date)
	p("**Dataset**: %s\n", r.Dataset)
	p("**Snapshot**: %s\n", r.Snapshot)
	for _, f := range [][2]string{{"Prior snapshot", r.PriorSnapshot}, {"Version", r.Version}, {"Default repository", r.DefaultRepo}, {"Author", r.Author}, {"Source", r.SourceURL}} {
		if f[1] != "" {
			p("**%s**: %s\n", f[0], f[1])
		}
	}
	if r.Method != "" {
		p("**Method**: %s\n", c.trim("method", r.Method))
	}
	if len(r.Banner) > 0 {
		p("\n> ⚠️ **Status banner**:\n")
		for i, x := range r.Banner {
			p("> - %s\n", c.item(nth("banner", i), x, ">   "))
		}
	}
	p("\n---\n\n## Quick navigation\n")
	for _, s := range outline.Sections {
		if s == outline.Appendix { // the template's navigation leaves it out
			continue
		}
		h := mdreport.SectionHeading(s, len(r.Patterns), r.Dataset)
		p("- [%s](#%s)\n", h, mdreport.Anchor(h))
	}
	p("\n---\n\n## %s\n\n", mdreport.SecStatus)
	mdStatus(&w, &r.Status, c, func(n content.NudgeTarget) string { return b.nudgeNewsNamed(r, n, c.named) })
	p("---\n\n## %s\n\n%s\n\n", mdreport.SecTLDR, c.block("tldr.headline", r.TLDR.Headline))
	if len(r.TLDR.Takeaways) > 0 {
		p("**Takeaways**:\n")
		for i, x := range r.TLDR.Takeaways {
			p("%d. %s\n", i+1, c.item(nth("tldr.takeaways", i), x, "   "))
		}
		p("\n")
	}
	if r.TLDR.Notes != "" {
		p("%s\n\n", c.block("tldr.notes", r.TLDR.Notes))
	}
	p("---\n\n## %s\n\n", mdreport.SecPatterns(len(r.Patterns)))
	if r.PatternsIntro != "" {
		p("%s\n\n", c.block("patterns_intro", r.PatternsIntro))
	}
	for i, rp := range r.Patterns {
		pat := b.tree.Pattern(rp.Pattern)
		mdPattern(&w, rp, c.trim(nth("patterns", i)+".note", rp.Note), pat, b.mdCitesOf(content.PatternOwner(pat.Slug), fences))
	}
	p("---\n\n## %s\n\n| Entry | Jobs | Reality |\n|---|---|---|\n", mdreport.SecMisclassified(r.Dataset))
	for i, m := range r.Misclassified {
		path := nth("misclassifications", i)
		p("| %s | %s | %s |\n", c.cell(path+".entry", m.Entry), codeList(m.Jobs), c.cell(path+".reality", m.Reality))
	}
	p("\n---\n\n## %s\n\n", mdreport.SecActionPlan)
	for i, t := range r.Tiers {
		mdTier(&w, &t, nth("tiers", i), c, func(a content.Action) string { return b.actionNewsNamed(r, a, c.named) })
	}
	p("---\n\n## %s\n\n", mdreport.SecMethodology)
	for i, x := range r.Methodology {
		p("- %s\n", c.item(nth("methodology", i), x, "  "))
	}
	if r.MetricNotes != "" {
		p("\n**What the metric means**: %s\n", c.trim("metric_notes", r.MetricNotes))
	}
	if r.Drift.Summary != "" || len(r.Drift.Notes) > 0 {
		p("\n**Drift since prior snapshot**: %s\n\n", c.trim("drift.summary", r.Drift.Summary))
		for i, x := range r.Drift.Notes {
			p("- %s\n", c.item(nth("drift.notes", i), x, "  "))
		}
	}
	p("\n---\n\n## %s\n\n", mdreport.SecVerifications)
	for i, q := range r.Verifications {
		verdict := q.Verdict
		if q.VerdictNote != "" {
			verdict += ": " + q.VerdictNote
		}
		path := nth("verifications", i)
		p("### %s — %s (%s)\n\n**Verdict**: %s\n\n", q.ID, c.oneLine(path+".question", q.Question), verdict, c.trim(path+".detail", q.Detail))
	}
	p("### %s\n\n", mdreport.SubStillOpen)
	for i, x := range r.OpenQuestions {
		p("- %s\n", c.item(nth("open_questions", i), x, "  "))
	}
	if r.Appendix != "" {
		p("\n---\n\n## %s\n\n%s\n", mdreport.SecAppendix, c.block("appendix", r.Appendix))
	}
	if len(r.Citations) > 0 {
		p("\n## %s\n\n", mdreport.SecCitations)
		mdCitations(&w, r.Citations, "", c)
	}
	return safeMD(w.String())
}

// nth is the YAML path of a list's i-th item.
func nth(list string, i int) string { return list + "[" + strconv.Itoa(i) + "]" }

// joinPath is the YAML path of key under path ("" for the top of the file).
func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// mdStatus writes the status section; news says what became of a nudge target's refs since
// the report (the evidence's word, not the author's: import takes it off again).
func mdStatus(w *strings.Builder, s *content.Status, c *mdCites, news func(content.NudgeTarget) string) {
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	if len(s.Clusters) > 0 {
		p("### %s\n\n| Cluster | Name | Sub-patterns | Highlight |\n|---|---|---|---|\n", mdreport.SubClusters)
		for i, cl := range s.Clusters {
			p("| %s | %s | %s | %s |\n", cell(cl.Label), cell(cl.Name), cell(cl.SubPatterns), c.cell(nth("status.clusters", i)+".highlight", cl.Highlight))
		}
		p("\n")
	}
	if len(s.NudgeTargets) > 0 {
		p("### %s\n\n| PR | Pattern | Block | Status | Cleared |\n|---|---|---|---|---|\n", mdreport.SubNudge)
		for i, n := range s.NudgeTargets {
			path := nth("status.nudge_targets", i)
			state := c.cell(path+".state", n.State)
			if x := news(n); x != "" {
				state += " **" + x + "**"
			}
			p("| %s | %s | %s | %s | %s |\n", c.codeList(path+".refs", n.Refs), cell(n.Pattern), c.cell(path+".block", n.Block), state, c.cell(path+".cleared", n.Cleared))
		}
		p("\n")
	}
	if len(s.OpenWork) > 0 {
		p("### %s\n\n", mdreport.SubOpenWork)
		for i, x := range s.OpenWork {
			p("- %s\n", c.item(nth("status.open_work", i), x, "  "))
		}
		p("\n")
	}
	if s.Notes != "" {
		p("%s\n\n", c.block("status.notes", s.Notes))
	}
}

// mdPattern writes a pattern as the report places it; note is the report's note on it,
// linked already, and c the pattern's citations.
func mdPattern(w *strings.Builder, rp content.ReportPattern, note string, pat *content.Pattern, c *mdCites) {
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	heading := pat.Title
	if rp.Heading != "" {
		heading = rp.Heading
	}
	p("### Pattern %s — %s\n\n**Slug**: `%s`\n", rp.Letter, oneLine(content.Markdown(heading)), pat.Slug)
	if rp.Heading != "" {
		p("**Title**: %s\n", pat.Title)
	}
	if pat.DefaultRepo != "" {
		p("**Default repository**: %s\n", pat.DefaultRepo)
	}
	p("\n")
	if rp.Note != "" {
		p("**Report note**: %s\n\n", note)
	}
	mdBody(w, &pat.Body, "", c)
	for i, s := range pat.SubPatterns {
		p("#### Pattern %s — %s\n\n**ID**: `%s`\n\n", s.Label, oneLine(content.Markdown(s.Title)), s.ID)
		mdBody(w, &s.Body, nth("subpatterns", i), c)
	}
}

// mdBody writes a pattern's or sub-pattern's body; path is the body's YAML path, "" for
// the pattern's own.
func mdBody(w *strings.Builder, b *content.Body, path string, c *mdCites) {
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	key := func(k string) string { return joinPath(path, k) }
	for _, f := range []struct {
		label, key string
		v          content.Markdown
	}{{"One-line summary", "summary", b.Summary}, {"Root cause", "root_cause", b.RootCause}} {
		if f.v != "" {
			p("**%s**: %s\n\n", f.label, c.trim(key(f.key), f.v))
		}
	}
	if b.Causal.IntroducedBy != "" || b.Causal.ExposedBy != "" {
		p("**Causal chain**:\n- Introduced by: %s\n- Exposed by: %s\n\n", c.oneLine(key("causal_chain.introduced_by"), b.Causal.IntroducedBy), c.oneLine(key("causal_chain.exposed_by"), b.Causal.ExposedBy))
	}
	if b.Details != "" {
		p("**Details**: %s\n\n", c.trim(key("details"), b.Details))
	}
	if b.JobCount > 0 {
		p("**Job count**: %d\n\n", b.JobCount)
	}
	if b.ByDesign {
		p("**By design**: yes\n\n")
	}
	mdJobs(w, b, path, c)
	if len(b.Match) > 0 {
		y, _ := yaml.Marshal(b.Match)
		p("**Match**:\n```yaml\n%s```\n\n", y)
	}
	if b.Fix.Summary != "" || len(b.Fix.Sketches) > 0 {
		p("**Fix shape**: %s\n\n", c.trim(key("fix.summary"), b.Fix.Summary))
		for i, s := range b.Fix.Sketches {
			if s.File != "" {
				p("%s\n", c.code(key(nth("fix.sketches", i)+".file"), s.File))
			}
			p("```%s\n%s\n```\n\n", s.Lang, strings.TrimRight(s.Code, "\n"))
		}
	}
	if b.Tracker != "" {
		p("**Tracker**: %s\n\n", c.trim(key("tracker"), b.Tracker))
	}
	if b.Status != "" {
		p("**Status**: %s\n\n", c.trim(key("status"), b.Status))
	}
	if len(b.OwnerSIGs) > 0 {
		p("**Owner**: %s\n\n", strings.Join(b.OwnerSIGs, ", "))
	}
	if len(b.CrossLists) > 0 {
		p("**Cross-lists**: %s\n\n", strings.Join(b.CrossLists, ", "))
	}
	// Written even when empty: an import reads the table, and finds no citations in the prose.
	p("**Citations**:\n\n")
	mdCitations(w, b.Citations, path, c)
}

func mdJobs(w *strings.Builder, b *content.Body, path string, c *mdCites) {
	if len(b.Jobs) == 0 {
		return
	}
	fmt.Fprintf(w, "**Affected jobs**:\n\n| Job | Reported | Sampled build | Top-test signature | Flags |\n|---|---:|---|---|---|\n")
	for i, j := range b.Jobs {
		var builds, flags []string
		for k, cl := range b.Citations {
			if cl.Role == "sample" && cl.Job == j.Name {
				builds = append(builds, c.code(joinPath(path, nth("citations", k))+".ref", cl.Ref))
			}
		}
		if j.NotInSnapshot {
			flags = append(flags, "not in snapshot")
		}
		if j.ByDesign {
			flags = append(flags, "by design")
		}
		fmt.Fprintf(w, "| `%s` | %s | %s | %s | %s |\n", j.Name, cell(j.Reported), strings.Join(builds, ", "), c.cell(joinPath(path, nth("jobs", i))+".note", j.Note), strings.Join(flags, ", "))
	}
	w.WriteString("\n")
}

// mdCitations writes structured citations as a table: the citation, its role, what the
// report claims of it (mdreport.FormatClaim) and the note; path is the YAML path of the
// body that makes them, "" for the file's own.
func mdCitations(w *strings.Builder, cs []content.Claim, path string, c *mdCites) {
	// An acknowledged contradiction carries its reason; the column is there only when one does.
	acked := slices.ContainsFunc(cs, func(cl content.Claim) bool { return cl.Acknowledged != "" })
	if acked {
		w.WriteString("| Citation | Role | Claim | Note | Acknowledged |\n|---|---|---|---|---|\n")
	} else {
		w.WriteString("| Citation | Role | Claim | Note |\n|---|---|---|---|\n")
	}
	for i, cl := range cs {
		item := joinPath(path, nth("citations", i))
		fmt.Fprintf(w, "| %s | %s | %s | %s |", c.code(item+".ref", cl.Ref), cl.Role, cell(mdreport.FormatClaim(cl.Claim)), c.cell(item+".note", cl.Note))
		if acked {
			fmt.Fprintf(w, " %s |", c.cell(item+".acknowledged", cl.Acknowledged))
		}
		w.WriteString("\n")
	}
	w.WriteString("\n")
}

// mdTier writes one tier as the template's table, at its YAML path; news is appended to an
// action's cell as the status marks are (import takes it off again).
func mdTier(w *strings.Builder, t *content.Tier, path string, c *mdCites, news func(content.Action) string) {
	fmt.Fprintf(w, "### %s Tier %d — %s\n\n", mdreport.TierEmoji(t.Tier), t.Tier, t.Title)
	if len(t.Items) > 0 {
		rows := make([][]string, len(t.Items))
		for i := range t.Items {
			rows[i] = actionCells(&t.Items[i], nth(path+".items", i), c)
		}
		cols := filledColumns(rows)
		var head, delim []string
		for _, k := range cols {
			head, delim = append(head, actionColumns[k]), append(delim, "---")
		}
		fmt.Fprintf(w, "| %s |\n|%s|\n", strings.Join(head, " | "), strings.Join(delim, "|"))
		for i, a := range t.Items {
			var row []string
			x := news(a)
			for _, k := range cols {
				v := rows[i][k]
				if actionColumns[k] == "Action" && x != "" {
					v += " **" + x + "**"
				}
				row = append(row, v)
			}
			fmt.Fprintf(w, "| %s |\n", strings.Join(row, " | "))
		}
		w.WriteString("\n")
	}
	for i, x := range t.Notes {
		fmt.Fprintf(w, "- %s\n", c.item(nth(path+".notes", i), x, "  "))
	}
	if len(t.Notes) > 0 {
		w.WriteString("\n")
	}
}

// actionColumns are the action plan's columns in the template's order; actionCells writes
// an item's cells in that order.
var actionColumns = []string{"#", "Action", "Cleared", "Block", "Where", "Owner", "Status", "Why", "Refs", "SIGs", "Pattern"}

func actionCells(a *content.Action, path string, c *mdCites) []string {
	prose := func(key string, x content.Markdown) string { return c.cell(path+"."+key, x) }
	return []string{
		cell(a.ID), prose("action", a.Action), prose("cleared", a.Cleared), prose("block", a.Block),
		prose("where", a.Where), prose("owner", a.Owner), prose("status", a.Status), prose("why", a.Why),
		c.codeList(path+".refs", a.Refs), strings.Join(a.SIGs, ", "), a.Pattern,
	}
}

// filledColumns are the columns any row fills.
func filledColumns(rows [][]string) []int {
	var out []int
	for k := range actionColumns {
		if slices.ContainsFunc(rows, func(row []string) bool { return row[k] != "" }) {
			out = append(out, k)
		}
	}
	return out
}

// codeList writes names as code spans, comma-separated.
func codeList(xs []string) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = "`" + x + "`"
	}
	return strings.Join(parts, ", ")
}

func oneLine(m content.Markdown) string { return mdField{text: string(m)}.oneLine().text }

func cell(s string) string { return mdField{text: s}.cell().text }

var scriptLink = regexp.MustCompile(`(?i)\]\(\s*(javascript|vbscript|data):`)

// safeMD keeps content markdown as it is but for raw HTML and script links, which it
// neutralises outside code spans and fences: the published .md must be as inert as the HTML.
func safeMD(s string) string {
	return outsideFences(s, func(line string) string {
		return scriptLink.ReplaceAllString(escapeOutsideCode(line), "]($1&#58;")
	})
}

// outsideFences applies f to every line of markdown that is not in a code fence; fence
// lines and fenced code stay as they are.
func outsideFences(s string, f func(line string) string) string {
	var out strings.Builder
	inFence := false
	for i, line := range strings.Split(s, "\n") {
		if i > 0 {
			out.WriteByte('\n')
		}
		fence := strings.HasPrefix(strings.TrimSpace(line), "```")
		if fence {
			inFence = !inFence
		}
		if fence || inFence {
			out.WriteString(line)
			continue
		}
		out.WriteString(f(line))
	}
	return out.String()
}

// escapeOutsideCode escapes < outside backtick code spans.
func escapeOutsideCode(line string) string {
	var out strings.Builder
	inCode := false
	for _, r := range line {
		switch {
		case r == '`':
			inCode = !inCode
		case r == '<' && !inCode:
			out.WriteString("&lt;")
			continue
		}
		out.WriteRune(r)
	}
	return out.String()
}
