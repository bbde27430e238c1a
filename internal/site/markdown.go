package site

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/triagesite/triagesite/internal/citation"
	"github.com/triagesite/triagesite/internal/evidence"
	"github.com/triagesite/triagesite/internal/mdreport"
	"github.com/triagesite/triagesite/internal/outline"
	"go.yaml.in/yaml/v3"

	"github.com/triagesite/triagesite/internal/content"
)

// reportMarkdown writes a report as GitHub-flavoured markdown in the runbook's Appendix B
// template (the section and label names are mdreport's), so that a report made by the runbook
// and this export have one shape and `triagesite import` reads both. Prose is content markdown
// already, so it is copied as is; what the template has no place for (slugs, citations with
// their claims, job matchers) is written in labelled lines and tables it can read back.
func (b *builder) reportMarkdown(r *content.Report) string {
	m := &mdMarks{tree: b.tree}
	r = m.report(r)
	named := func(ref citation.Ref) string { return m.wrap(ref, b.shortName(ref)) }
	var w strings.Builder
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
		p("**Method**: %s\n", strings.TrimSpace(string(r.Method)))
	}
	if len(r.Banner) > 0 {
		p("\n> ⚠️ **Status banner**:\n")
		for _, x := range r.Banner {
			p("> - %s\n", item(x, ">   "))
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
	mdStatus(&w, &r.Status, func(n content.NudgeTarget) string { return b.nudgeNewsNamed(r, n, named) })
	p("---\n\n## %s\n\n%s\n\n", mdreport.SecTLDR, strings.TrimSpace(string(r.TLDR.Headline)))
	if len(r.TLDR.Takeaways) > 0 {
		p("**Takeaways**:\n")
		for i, x := range r.TLDR.Takeaways {
			p("%d. %s\n", i+1, item(x, "   "))
		}
		p("\n")
	}
	if r.TLDR.Notes != "" {
		p("%s\n\n", strings.TrimSpace(string(r.TLDR.Notes)))
	}
	p("---\n\n## %s\n\n", mdreport.SecPatterns(len(r.Patterns)))
	if r.PatternsIntro != "" {
		p("%s\n\n", strings.TrimSpace(string(r.PatternsIntro)))
	}
	for _, rp := range r.Patterns {
		p("%s", mdPattern(rp, m.pattern(b.tree.Pattern(rp.Pattern))))
	}
	p("---\n\n## %s\n\n| Entry | Jobs | Reality |\n|---|---|---|\n", mdreport.SecMisclassified(r.Dataset))
	for _, m := range r.Misclassified {
		p("| %s | %s | %s |\n", cell(string(m.Entry)), codeList(m.Jobs), cell(string(m.Reality)))
	}
	p("\n---\n\n## %s\n\n", mdreport.SecActionPlan)
	for _, t := range r.Tiers {
		mdTier(&w, &t, func(a content.Action) string { return b.actionNewsNamed(r, a, named) })
	}
	p("---\n\n## %s\n\n", mdreport.SecMethodology)
	for _, x := range r.Methodology {
		p("- %s\n", item(x, "  "))
	}
	if r.MetricNotes != "" {
		p("\n**What the metric means**: %s\n", strings.TrimSpace(string(r.MetricNotes)))
	}
	if r.Drift.Summary != "" || len(r.Drift.Notes) > 0 {
		p("\n**Drift since prior snapshot**: %s\n\n", strings.TrimSpace(string(r.Drift.Summary)))
		for _, x := range r.Drift.Notes {
			p("- %s\n", item(x, "  "))
		}
	}
	p("\n---\n\n## %s\n\n", mdreport.SecVerifications)
	for _, q := range r.Verifications {
		verdict := q.Verdict
		if q.VerdictNote != "" {
			verdict += ": " + q.VerdictNote
		}
		p("### %s — %s (%s)\n\n**Verdict**: %s\n\n", q.ID, oneLine(q.Question), verdict, strings.TrimSpace(string(q.Detail)))
	}
	p("### %s\n\n", mdreport.SubStillOpen)
	for _, x := range r.OpenQuestions {
		p("- %s\n", item(x, "  "))
	}
	if r.Appendix != "" {
		p("\n---\n\n## %s\n\n%s\n", mdreport.SecAppendix, strings.TrimSpace(string(r.Appendix)))
	}
	if len(r.Citations) > 0 {
		p("\n## %s\n\n", mdreport.SecCitations)
		mdCitations(&w, r.Citations)
	}
	return safeMD(b.linkMD(w.String(), m))
}

// mdStatus writes the status section; news says what became of a nudge target's refs since
// the report (the evidence's word, not the author's: import takes it off again).
func mdStatus(w *strings.Builder, s *content.Status, news func(content.NudgeTarget) string) {
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	if len(s.Clusters) > 0 {
		p("### %s\n\n| Cluster | Name | Sub-patterns | Highlight |\n|---|---|---|---|\n", mdreport.SubClusters)
		for _, c := range s.Clusters {
			p("| %s | %s | %s | %s |\n", cell(c.Label), cell(c.Name), cell(c.SubPatterns), cell(string(c.Highlight)))
		}
		p("\n")
	}
	if len(s.NudgeTargets) > 0 {
		p("### %s\n\n| PR | Pattern | Block | Status | Cleared |\n|---|---|---|---|---|\n", mdreport.SubNudge)
		for _, n := range s.NudgeTargets {
			state := cell(string(n.State))
			if x := news(n); x != "" {
				state += " **" + x + "**"
			}
			p("| %s | %s | %s | %s | %s |\n", codeList(n.Refs), cell(n.Pattern), cell(string(n.Block)), state, cell(string(n.Cleared)))
		}
		p("\n")
	}
	if len(s.OpenWork) > 0 {
		p("### %s\n\n", mdreport.SubOpenWork)
		for _, x := range s.OpenWork {
			p("- %s\n", item(x, "  "))
		}
		p("\n")
	}
	if s.Notes != "" {
		p("%s\n\n", strings.TrimSpace(string(s.Notes)))
	}
}

func mdPattern(rp content.ReportPattern, pat *content.Pattern) string {
	var w strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&w, format, args...) }
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
		p("**Report note**: %s\n\n", strings.TrimSpace(string(rp.Note)))
	}
	mdBody(&w, &pat.Body)
	for _, s := range pat.SubPatterns {
		p("#### Pattern %s — %s\n\n**ID**: `%s`\n\n", s.Label, oneLine(content.Markdown(s.Title)), s.ID)
		mdBody(&w, &s.Body)
	}
	return w.String()
}

func mdBody(w *strings.Builder, b *content.Body) {
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	for _, f := range []struct {
		label string
		v     content.Markdown
	}{{"One-line summary", b.Summary}, {"Root cause", b.RootCause}} {
		if f.v != "" {
			p("**%s**: %s\n\n", f.label, strings.TrimSpace(string(f.v)))
		}
	}
	if b.Causal.IntroducedBy != "" || b.Causal.ExposedBy != "" {
		p("**Causal chain**:\n- Introduced by: %s\n- Exposed by: %s\n\n", oneLine(b.Causal.IntroducedBy), oneLine(b.Causal.ExposedBy))
	}
	if b.Details != "" {
		p("**Details**: %s\n\n", strings.TrimSpace(string(b.Details)))
	}
	if b.JobCount > 0 {
		p("**Job count**: %d\n\n", b.JobCount)
	}
	if b.ByDesign {
		p("**By design**: yes\n\n")
	}
	mdJobs(w, b)
	if len(b.Match) > 0 {
		y, _ := yaml.Marshal(b.Match)
		p("**Match**:\n```yaml\n%s```\n\n", y)
	}
	if b.Fix.Summary != "" || len(b.Fix.Sketches) > 0 {
		p("**Fix shape**: %s\n\n", strings.TrimSpace(string(b.Fix.Summary)))
		for _, s := range b.Fix.Sketches {
			if s.File != "" {
				p("`%s`\n", s.File)
			}
			p("```%s\n%s\n```\n\n", s.Lang, strings.TrimRight(s.Code, "\n"))
		}
	}
	if b.Tracker != "" {
		p("**Tracker**: %s\n\n", strings.TrimSpace(string(b.Tracker)))
	}
	if b.Status != "" {
		p("**Status**: %s\n\n", strings.TrimSpace(string(b.Status)))
	}
	if len(b.OwnerSIGs) > 0 {
		p("**Owner**: %s\n\n", strings.Join(b.OwnerSIGs, ", "))
	}
	if len(b.CrossLists) > 0 {
		p("**Cross-lists**: %s\n\n", strings.Join(b.CrossLists, ", "))
	}
	// Written even when empty: an import reads the table, and finds no citations in the prose.
	p("**Citations**:\n\n")
	mdCitations(w, b.Citations)
}

func mdJobs(w *strings.Builder, b *content.Body) {
	if len(b.Jobs) == 0 {
		return
	}
	fmt.Fprintf(w, "**Affected jobs**:\n\n| Job | Reported | Sampled build | Top-test signature | Flags |\n|---|---:|---|---|---|\n")
	for _, j := range b.Jobs {
		var builds, flags []string
		for _, c := range b.Citations {
			if c.Role == "sample" && c.Job == j.Name {
				builds = append(builds, c.Ref)
			}
		}
		if j.NotInSnapshot {
			flags = append(flags, "not in snapshot")
		}
		if j.ByDesign {
			flags = append(flags, "by design")
		}
		fmt.Fprintf(w, "| `%s` | %s | %s | %s | %s |\n", j.Name, cell(j.Reported), codeList(builds), cell(string(j.Note)), strings.Join(flags, ", "))
	}
	w.WriteString("\n")
}

// mdCitations writes structured citations as a table: the citation, its role, what the
// report claims of it (mdreport.FormatClaim) and the note.
func mdCitations(w *strings.Builder, cs []content.Claim) {
	// An acknowledged contradiction carries its reason; the column is there only when one does.
	acked := slices.ContainsFunc(cs, func(c content.Claim) bool { return c.Acknowledged != "" })
	if acked {
		w.WriteString("| Citation | Role | Claim | Note | Acknowledged |\n|---|---|---|---|---|\n")
	} else {
		w.WriteString("| Citation | Role | Claim | Note |\n|---|---|---|---|\n")
	}
	for _, c := range cs {
		fmt.Fprintf(w, "| `%s` | %s | %s | %s |", c.Ref, c.Role, cell(mdreport.FormatClaim(c.Claim)), cell(string(c.Note)))
		if acked {
			fmt.Fprintf(w, " %s |", cell(string(c.Acknowledged)))
		}
		w.WriteString("\n")
	}
	w.WriteString("\n")
}

// mdTier writes one tier as the template's table; news is appended to an action's cell as
// the status marks are (import takes it off again).
func mdTier(w *strings.Builder, t *content.Tier, news func(content.Action) string) {
	fmt.Fprintf(w, "### %s Tier %d — %s\n\n", mdreport.TierEmoji(t.Tier), t.Tier, t.Title)
	cols := tierColumns(t.Items)
	if len(t.Items) > 0 {
		var head, delim []string
		for _, c := range cols {
			head, delim = append(head, c.name), append(delim, "---")
		}
		fmt.Fprintf(w, "| %s |\n|%s|\n", strings.Join(head, " | "), strings.Join(delim, "|"))
		for _, a := range t.Items {
			var row []string
			for _, c := range cols {
				v := c.get(&a)
				if x := news(a); c.name == "Action" && x != "" {
					v += " **" + x + "**"
				}
				row = append(row, v)
			}
			fmt.Fprintf(w, "| %s |\n", strings.Join(row, " | "))
		}
		w.WriteString("\n")
	}
	for _, x := range t.Notes {
		fmt.Fprintf(w, "- %s\n", item(x, "  "))
	}
	if len(t.Notes) > 0 {
		w.WriteString("\n")
	}
}

type tierColumn struct {
	name string
	get  func(*content.Action) string
}

// tierColumns are the action-plan columns any of the items fills, in the template's order.
func tierColumns(items []content.Action) []tierColumn {
	all := []tierColumn{
		{"#", func(a *content.Action) string { return cell(a.ID) }},
		{"Action", func(a *content.Action) string { return cell(string(a.Action)) }},
		{"Cleared", func(a *content.Action) string { return cell(string(a.Cleared)) }},
		{"Block", func(a *content.Action) string { return cell(string(a.Block)) }},
		{"Where", func(a *content.Action) string { return cell(string(a.Where)) }},
		{"Owner", func(a *content.Action) string { return cell(string(a.Owner)) }},
		{"Status", func(a *content.Action) string { return cell(string(a.Status)) }},
		{"Why", func(a *content.Action) string { return cell(string(a.Why)) }},
		{"Refs", func(a *content.Action) string { return codeList(a.Refs) }},
		{"SIGs", func(a *content.Action) string { return strings.Join(a.SIGs, ", ") }},
		{"Pattern", func(a *content.Action) string { return a.Pattern }},
	}
	var out []tierColumn
	for _, c := range all {
		for i := range items {
			if c.get(&items[i]) != "" {
				out = append(out, c)
				break
			}
		}
	}
	return out
}

// codeList writes names or citations as code spans, comma-separated.
func codeList(xs []string) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = "`" + x + "`"
	}
	return strings.Join(parts, ", ")
}

// item is prose as one list item: its lines kept, continued under the item with indent; a
// text of several paragraphs goes on one line, as a blank line would end the list.
func item(m content.Markdown, indent string) string {
	s := strings.TrimSpace(string(m))
	if strings.Contains(s, "\n\n") {
		return oneLine(m)
	}
	return strings.ReplaceAll(s, "\n", "\n"+indent)
}

func oneLine(m content.Markdown) string {
	return strings.Join(strings.Fields(string(m)), " ")
}

func cell(s string) string { return strings.ReplaceAll(oneLine(content.Markdown(s)), "|", `\|`) }

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

// linkMD turns every marked citation in markdown into a link to what it cites, followed by
// its verification status, as the HTML pages show them. Code fences stay as they are; a code
// span that is wholly a citation becomes a linked code span.
func (b *builder) linkMD(s string, m *mdMarks) string {
	return unmarked(outsideFences(s, func(line string) string { return b.linkLine(line, m) }))
}

func (b *builder) linkLine(line string, m *mdMarks) string {
	parts := strings.Split(line, "`")
	if len(parts)%2 == 0 { // an unclosed backtick: leave the line alone rather than guess
		return line
	}
	for i, part := range parts {
		if i%2 == 1 {
			if strings.HasSuffix(parts[i-1], "[") && strings.HasPrefix(parts[i+1], "](") {
				continue // already a linked code span
			}
			if s, e, ref, written, ok := m.nextMark(part); ok && s == 0 && e == len(part) {
				parts[i] = b.mdCitation("`"+written+"`", ref) + "\x01"
			}
			continue
		}
		parts[i] = b.linkText(part, m)
	}
	joined := strings.Join(parts, "`")
	// A linked code span carries its own backticks; drop the separators around it.
	joined = strings.ReplaceAll(joined, "`[`", "[`")
	return strings.ReplaceAll(strings.ReplaceAll(joined, "\x01`", ""), "\x01", "")
}

// linkText links each marked citation in text, a stretch of a line between code spans. A
// citation already in a markdown link (right after "[" or "](", or right before "](") stays
// as written. Only the two bytes on each side decide that, read as written (marks dropped),
// so they are carried along while scanning rather than read again around every mark, which
// cost a line's length for each citation on it.
func (b *builder) linkText(text string, m *mdMarks) string {
	var out strings.Builder
	before := "" // the last two bytes text[:at] reads as
	at := 0
	for {
		s, e, ref, written, ok := m.nextMark(text[at:])
		if !ok {
			break
		}
		s, e = s+at, e+at
		out.WriteString(text[at:s])
		before = lastTwo(before + lastTwo(text[at:s]))
		if after := unmarkedPrefix(text[e:]); strings.HasSuffix(before, "](") || strings.HasPrefix(after, "](") || strings.HasSuffix(before, "[") {
			out.WriteString(written) // already inside a markdown link
		} else {
			out.WriteString(b.mdCitation(written, ref))
		}
		before = lastTwo(before + lastTwo(written))
		at = e
	}
	out.WriteString(text[at:])
	return out.String()
}

func lastTwo(s string) string { return s[max(0, len(s)-2):] }

func (b *builder) mdCitation(label string, ref citation.Ref) string {
	st, _ := b.opts.Evidence.Status(ref, nil)
	mark := " _(" + string(st) + ")_"
	if st == evidence.Verified {
		mark = " ✓"
	}
	return "[" + label + "](" + ref.URL() + ")" + mark
}
