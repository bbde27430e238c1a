package site

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/triagesite/triagesite/internal/citation"
	"github.com/triagesite/triagesite/internal/evidence"

	"github.com/triagesite/triagesite/internal/content"
)

// reportMarkdown writes a report as GitHub-flavoured markdown, section by section as the
// source reports are laid out. Prose is content markdown already, so it is copied as is.
func (b *builder) reportMarkdown(r *content.Report) string {
	var w strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&w, format, args...) }
	p("# %s\n\n", r.Title)
	p("**Date**: %s · **Dataset**: %s · **Snapshot**: %s\n\n", r.Date, r.Dataset, r.Snapshot)
	if r.Method != "" {
		p("%s\n\n", strings.TrimSpace(string(r.Method)))
	}
	for _, x := range r.Banner {
		p("> - %s\n", oneLine(x))
	}
	p("\n## Status\n\n")
	if len(r.Status.Clusters) > 0 {
		p("| Cluster | Name | Sub-patterns | Highlight |\n|---|---|---|---|\n")
		for _, c := range r.Status.Clusters {
			p("| %s | %s | %s | %s |\n", c.Label, cell(c.Name), cell(c.SubPatterns), cell(string(c.Highlight)))
		}
		p("\n")
	}
	if len(r.Status.NudgeTargets) > 0 {
		p("| PR | Pattern | State | Block | Clears |\n|---|---|---|---|---|\n")
		for _, n := range r.Status.NudgeTargets {
			state := cell(string(n.State))
			if news := b.nudgeNews(n, r.DefaultRepo, r.Date); news != "" {
				state += " **" + news + "**"
			}
			p("| %s | %s | %s | %s | %s |\n", strings.Join(n.Refs, " + "), n.Pattern, state, cell(string(n.Block)), cell(string(n.Cleared)))
		}
		p("\n")
	}
	for _, x := range r.Status.OpenWork {
		p("- %s\n", oneLine(x))
	}
	p("\n## TL;DR\n\n%s\n\n", strings.TrimSpace(string(r.TLDR.Headline)))
	for i, x := range r.TLDR.Takeaways {
		p("%d. %s\n", i+1, oneLine(x))
	}
	p("\n## Patterns\n\n")
	for _, rp := range r.Patterns {
		pat := b.tree.Pattern(rp.Pattern)
		title := pat.Title
		if rp.Heading != "" {
			title = rp.Heading
		}
		var pw strings.Builder
		fmt.Fprintf(&pw, "### Pattern %s — %s\n\n", rp.Letter, title)
		mdBody(&pw, &pat.Body)
		for _, s := range pat.SubPatterns {
			fmt.Fprintf(&pw, "#### %s — %s\n\n", s.Label, s.Title)
			mdBody(&pw, &s.Body)
		}
		p("%s", b.linkMD(pw.String(), pat.DefaultRepo))
	}
	p("## Misclassifications\n\n| Entry | Reality |\n|---|---|\n")
	for _, m := range r.Misclassified {
		p("| %s | %s |\n", cell(string(m.Entry)), cell(string(m.Reality)))
	}
	p("\n## Action plan\n\n")
	for _, t := range r.Tiers {
		p("### Tier %d — %s\n\n", t.Tier, t.Title)
		for _, a := range t.Items {
			p("- %s%s", prefixID(a.ID), oneLine(a.Action))
			for _, extra := range []struct {
				label string
				v     content.Markdown
			}{{"clears", a.Cleared}, {"block", a.Block}, {"where", a.Where}, {"owner", a.Owner}, {"status", a.Status}, {"why", a.Why}} {
				if extra.v != "" {
					p(" — %s: %s", extra.label, oneLine(extra.v))
				}
			}
			if news := b.actionNews(a, r.DefaultRepo, r.Date); news != "" {
				p(" — **%s**", news)
			}
			p("\n")
		}
		p("\n")
	}
	p("## Methodology\n\n")
	for _, x := range r.Methodology {
		p("- %s\n", oneLine(x))
	}
	if r.MetricNotes != "" {
		p("\n%s\n", strings.TrimSpace(string(r.MetricNotes)))
	}
	if r.Drift.Summary != "" || len(r.Drift.Notes) > 0 {
		p("\n**Drift.** %s\n\n", strings.TrimSpace(string(r.Drift.Summary)))
		for _, x := range r.Drift.Notes {
			p("- %s\n", oneLine(x))
		}
	}
	p("\n## Verifications and open questions\n\n")
	for _, q := range r.Verifications {
		p("### %s — %s (%s)\n\n%s\n\n", q.ID, oneLine(q.Question), q.Verdict, strings.TrimSpace(string(q.Detail)))
	}
	p("### Still open\n\n")
	for _, x := range r.OpenQuestions {
		p("- %s\n", oneLine(x))
	}
	if r.Appendix != "" {
		p("\n## Appendix\n\n%s\n", strings.TrimSpace(string(r.Appendix)))
	}
	// Pattern sections were linked with their own default repository; linking skips what is
	// already a link, so the rest can be linked with the report's.
	return safeMD(b.linkMD(w.String(), r.DefaultRepo))
}

func mdBody(w *strings.Builder, b *content.Body) {
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	for _, f := range []struct {
		label string
		v     content.Markdown
	}{{"", b.Summary}, {"Root cause", b.RootCause}, {"Introduced by", b.Causal.IntroducedBy}, {"Exposed by", b.Causal.ExposedBy}, {"", b.Details}} {
		if f.v == "" {
			continue
		}
		if f.label != "" {
			p("**%s**: ", f.label)
		}
		p("%s\n\n", strings.TrimSpace(string(f.v)))
	}
	for _, j := range b.Jobs {
		p("- `%s`", j.Name)
		if j.Reported != "" {
			p(" (%s)", j.Reported)
		}
		if j.Note != "" {
			p(" — %s", oneLine(j.Note))
		}
		p("\n")
	}
	if len(b.Jobs) > 0 {
		p("\n")
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
		p("**Tracker**: %s\n\n", oneLine(b.Tracker))
	}
	if b.Status != "" {
		p("**Status**: %s\n\n", oneLine(b.Status))
	}
}

func oneLine(m content.Markdown) string {
	return strings.Join(strings.Fields(string(m)), " ")
}

func cell(s string) string { return strings.ReplaceAll(oneLine(content.Markdown(s)), "|", `\|`) }

func prefixID(id string) string {
	if id == "" {
		return ""
	}
	return "**" + id + "** "
}

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

// linkMD turns every citation in markdown prose into a link to what it cites, followed by its
// verification status, as the HTML pages show them. Code fences stay as they are; a code span
// that is wholly a citation becomes a linked code span.
func (b *builder) linkMD(s, repo string) string {
	return outsideFences(s, func(line string) string { return b.linkLine(line, repo) })
}

func (b *builder) linkLine(line, repo string) string {
	parts := strings.Split(line, "`")
	if len(parts)%2 == 0 { // an unclosed backtick: leave the line alone rather than guess
		return line
	}
	for i, part := range parts {
		if i%2 == 1 {
			if strings.HasSuffix(parts[i-1], "[") && strings.HasPrefix(parts[i+1], "](") {
				continue // already a linked code span
			}
			if ref, err := citation.Parse(part); err == nil {
				if ref, err = ref.Resolve(b.tree, repo); err == nil {
					parts[i] = b.mdCitation("`"+part+"`", ref) + "\x01"
				}
			}
			continue
		}
		parts[i] = b.linkText(part, repo)
	}
	joined := strings.Join(parts, "`")
	// A linked code span carries its own backticks; drop the separators around it.
	joined = strings.ReplaceAll(joined, "`[`", "[`")
	return strings.ReplaceAll(strings.ReplaceAll(joined, "\x01`", ""), "\x01", "")
}

func (b *builder) linkText(text, repo string) string {
	var out strings.Builder
	at := 0
	for _, m := range citation.Scan(text, repo != "") {
		if strings.HasSuffix(text[:m.Start], "](") || strings.HasPrefix(text[m.End:], "](") || strings.HasSuffix(text[:m.Start], "[") {
			continue // already inside a markdown link
		}
		ref, err := m.Ref.Resolve(b.tree, repo)
		if err != nil {
			continue
		}
		out.WriteString(text[at:m.Start])
		out.WriteString(b.mdCitation(text[m.Start:m.End], ref))
		at = m.End
	}
	out.WriteString(text[at:])
	return out.String()
}

func (b *builder) mdCitation(label string, ref citation.Ref) string {
	st, _ := b.opts.Evidence.Status(ref, nil)
	mark := " _(" + string(st) + ")_"
	if st == evidence.Verified {
		mark = " ✓"
	}
	return "[" + label + "](" + ref.URL() + ")" + mark
}
