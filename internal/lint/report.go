package lint

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/triagesite/triagesite/internal/citation"
	"github.com/triagesite/triagesite/internal/content"
)

var ruleOpenQuestions = Rule{
	ID: "R8-open-questions", Title: "an honest-uncertainty section of at least 3 items", Severity: Error,
	Doc:   "Every report lists at least 3 non-empty open_questions: things the run could not verify.",
	Check: checkOpenQuestions,
}

var ruleLessonsNeedPrior = Rule{
	ID: "R11-lessons-need-prior", Title: "no lessons without a prior report", Severity: Error,
	Doc: "The content model has no Lessons section, so this checks the prose instead: a report whose prose speaks of " +
		"lessons or of what a first pass got wrong must have an earlier report of the same dataset in the tree. " +
		"Whether each lesson quotes that report is not checked.",
	Check: checkLessons,
}

var ruleFixShape = Rule{
	ID: "R12-fix-shape", Title: "every Tier 1 and Tier 2 action has a concrete fix shape", Severity: Error,
	Doc: "A Tier 1 or Tier 2 action must rest on a PR, issue or commit, or a file:line citation, in refs, where or its " +
		"text. An action with a where that names no file:line is a warning; one with neither is an error.",
	Check: checkFixShapes,
}

var rulePlaceholder = Rule{
	ID: "P9-placeholder", Title: "no TODO, TBD or placeholder text", Severity: Error,
	Doc: "Prose, titles and headings may not hold TODO, TBD, FIXME or XXX, the word placeholder, or a template slot " +
		"such as {N} or {YYYY-MM-DD}. Code spans and fenced blocks are skipped: they quote, they do not draft.",
	Check: checkPlaceholders,
}

var ruleMinPatterns = Rule{
	ID: "P9-min-patterns", Title: "a report has at least 8 patterns", Severity: Error,
	Doc:   "Fewer than 8 patterns means sub-clustering was skipped (Phase 9, item 12).",
	Check: checkMinPatterns,
}

func checkOpenQuestions(c *Context) []Finding {
	var out []Finding
	for _, r := range c.Tree.Reports {
		var qs []content.Markdown
		for _, q := range r.OpenQuestions {
			if strings.TrimSpace(string(q)) != "" {
				qs = append(qs, q)
			}
		}
		if len(qs) >= 3 {
			continue
		}
		pos := r.Pos
		if len(qs) > 0 {
			pos = c.posIn(r.Pos.File, qs[0], 0, r.Pos)
		}
		out = append(out, at(Error, pos, fmt.Sprintf("report %s lists %d open questions; the honest-uncertainty section needs at least 3", r.ID, len(qs))))
	}
	return out
}

var lessonsRe = regexp.MustCompile(`(?i)\blessons?\b|\bfirst[- ]pass\b[^.]{0,40}\bwrong\b`)

func checkLessons(c *Context) []Finding {
	var out []Finding
	for _, r := range c.Tree.Reports {
		if c.priorReports(r.Dataset, r.Date) > 0 {
			continue
		}
		for _, p := range c.Tree.Prose {
			if p.Owner != content.ReportOwner(r.ID) {
				continue
			}
			if loc := lessonsRe.FindStringIndex(p.Text); loc != nil {
				out = append(out, at(Error, p.PosAt(loc[0]), fmt.Sprintf("report %s speaks of %q, but no earlier %s report exists to draw lessons from", r.ID, p.Text[loc[0]:loc[1]], r.Dataset)))
			}
		}
	}
	return out
}

func checkFixShapes(c *Context) []Finding {
	var out []Finding
	for _, r := range c.Tree.Reports {
		for _, t := range r.Tiers {
			if t.Tier != 1 && t.Tier != 2 {
				continue
			}
			for _, a := range t.Items {
				if f, bad := c.fixShape(r, t.Tier, a); bad {
					out = append(out, f)
				}
			}
		}
	}
	return out
}

func (c *Context) fixShape(r *content.Report, tier int, a content.Action) (Finding, bool) {
	for _, ref := range c.actionRefs(r, a) {
		if ref.Kind != citation.KindBuild {
			return Finding{}, false
		}
	}
	if strings.TrimSpace(string(a.Where)) != "" {
		return at(Warning, a.Pos, fmt.Sprintf("Tier %d action %s says where (%q) but gives no file:line; add a diff sketch's alias:path:LINE or the PR", tier, a.ID, oneLine(a.Where))), true
	}
	return at(Error, a.Pos, fmt.Sprintf("Tier %d action %s has no fix shape: cite the PR (refs) or the file:line to change (where)", tier, a.ID)), true
}

func oneLine(m content.Markdown) string { return strings.Join(strings.Fields(string(m)), " ") }

var placeholderRe = regexp.MustCompile(`\b(?:TODO|TBD|FIXME|XXX)\b|(?i:\bplaceholders?\b)|\{[A-Z][A-Z0-9_|-]*\}`)

func checkPlaceholders(c *Context) []Finding {
	var out []Finding
	for _, p := range c.Tree.Prose {
		for _, loc := range placeholderRe.FindAllStringIndex(maskCode(p.Text), -1) {
			out = append(out, at(Error, p.PosAt(loc[0]), fmt.Sprintf("placeholder text %q", p.Text[loc[0]:loc[1]])))
		}
	}
	for _, t := range c.titles() {
		if loc := placeholderRe.FindStringIndex(maskCode(t.text)); loc != nil {
			out = append(out, at(Error, t.pos, fmt.Sprintf("placeholder text %q in %s", t.text[loc[0]:loc[1]], t.what)))
		}
	}
	return out
}

// maskCode blanks code spans and fenced blocks, keeping every offset.
func maskCode(s string) string {
	b := []byte(s)
	inFence, inSpan := false, false
	for i := 0; i < len(b); i++ {
		switch {
		case strings.HasPrefix(s[i:], "```"):
			inFence = !inFence
			i += 2
		case b[i] == '`' && !inFence:
			inSpan = !inSpan
		case inFence || inSpan:
			if b[i] != '\n' {
				b[i] = ' '
			}
		}
	}
	return string(b)
}

// titled is a plain-string title and where its value is written.
type titled struct {
	text, what string
	pos        content.Pos
}

func (c *Context) titles() []titled {
	var out []titled
	for _, b := range c.bodies() {
		out = append(out, titled{b.Body.Title, b.name() + " title", c.Tree.PosOf(&b.Body.Title, b.Pos)})
	}
	for _, r := range c.Tree.Reports {
		out = append(out, titled{r.Title, "report title", c.Tree.PosOf(&r.Title, r.Pos)})
		for i := range r.Patterns {
			rp := &r.Patterns[i]
			out = append(out, titled{rp.Heading, "pattern " + rp.Letter + " heading", c.Tree.PosOf(&rp.Heading, rp.Pos)})
		}
		for i := range r.Tiers {
			t := &r.Tiers[i]
			out = append(out, titled{t.Title, fmt.Sprintf("tier %d title", t.Tier), c.Tree.PosOf(&t.Title, t.Pos)})
		}
	}
	return out
}

func checkMinPatterns(c *Context) []Finding {
	var out []Finding
	for _, r := range c.Tree.Reports {
		if n := len(r.Patterns); n < 8 {
			pos := r.Pos
			if n > 0 {
				pos = r.Patterns[0].Pos
			}
			out = append(out, at(Error, pos, fmt.Sprintf("report %s has %d patterns; at least 8 are expected, or sub-clustering was skipped", r.ID, n)))
		}
	}
	return out
}
