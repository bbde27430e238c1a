package mdreport

import (
	"fmt"
	"regexp"
	"strings"
)

// Problem is a runbook rule that a markdown report breaks, at its place in the file.
type Problem struct {
	Pos     Pos
	Rule    string // the lint rule id it shares with `triagesite lint` (docs/lint-rules.md)
	Message string
}

var (
	// The same words and template slots `lint` refuses in content (rule P9-placeholder).
	placeholderRe = regexp.MustCompile(`\b(?:TODO|TBD|FIXME|XXX)\b|(?i:\bplaceholders?\b)|\{[A-Z][A-Z0-9_|-]*\}`)
	dateLineRe    = regexp.MustCompile(`(?m)^\s*(?:[-*]\s*)?(?:\*\*)?(?:date|Date|DATE)(?:\*\*)?\s*:?(?:\*\*)?\s*([0-9]{4}-[0-9]{2}-[0-9]{2})\b`)
	headingRe     = regexp.MustCompile(`(?m)^(#{1,6})\s+(.*)$`)
	itemRe        = regexp.MustCompile(`^\s*(?:[-*•]|[0-9]+[.)])\s+\S`)
)

// Rules checks what the runbook asks of a report that its markdown alone can show:
// no placeholder text (P9-placeholder) and at least 3 open questions (R8-open-questions).
// Code spans and fenced blocks are not prose, so placeholders there do not count.
func Rules(text string) []Problem {
	x := &extractor{text: text, lines: lineStarts(text)}
	var out []Problem
	masked := maskCode(text)
	for _, loc := range placeholderRe.FindAllStringIndex(masked, -1) {
		out = append(out, Problem{Pos: x.pos(loc[0]), Rule: "P9-placeholder", Message: fmt.Sprintf("placeholder text %q", text[loc[0]:loc[1]])})
	}
	out = append(out, openQuestions(x)...)
	return out
}

// openQuestions counts the list items under each "Open questions" heading.
func openQuestions(x *extractor) []Problem {
	var out []Problem
	hs := headingRe.FindAllStringSubmatchIndex(x.text, -1)
	for i, h := range hs {
		title := strings.ToLower(x.text[h[4]:h[5]])
		if !strings.Contains(title, "open question") {
			continue
		}
		level := h[3] - h[2]
		end := len(x.text)
		for _, n := range hs[i+1:] {
			if n[3]-n[2] <= level {
				end = n[0]
				break
			}
		}
		items := 0
		for _, l := range strings.Split(x.text[h[1]:end], "\n") {
			if itemRe.MatchString(l) {
				items++
			}
		}
		if items < 3 {
			out = append(out, Problem{Pos: x.pos(h[0]), Rule: "R8-open-questions",
				Message: fmt.Sprintf("%q lists %d item(s); the runbook asks for at least 3 things that could not be verified", x.text[h[4]:h[5]], items)})
		}
	}
	return out
}

// maskCode blanks code spans and fenced blocks, keeping every offset.
func maskCode(s string) string {
	b := []byte(s)
	inFence := false
	for _, l := range lineStarts(s) {
		e := strings.IndexByte(s[l:], '\n')
		if e < 0 {
			e = len(s)
		} else {
			e += l
		}
		line := strings.TrimSpace(s[l:e])
		if strings.HasPrefix(line, "```") || strings.HasPrefix(line, "~~~") {
			inFence = !inFence
			blank(b, l, e)
			continue
		}
		if inFence {
			blank(b, l, e)
			continue
		}
		for i := l; i < e; i++ {
			if b[i] != '`' {
				continue
			}
			j := strings.IndexByte(s[i+1:e], '`')
			if j < 0 {
				break
			}
			blank(b, i, i+j+2)
			i += j + 1
		}
	}
	return string(b)
}

func blank(b []byte, from, to int) {
	for i := from; i < to; i++ {
		if b[i] != '\n' {
			b[i] = ' '
		}
	}
}

// Dates returns, for each line of text, the report date in force there: the last
// "Date: YYYY-MM-DD" line (or front-matter date) at or before it, else the first in the file.
// A file with no date gives nil.
func Dates(text string) func(line int) string {
	x := &extractor{text: text, lines: lineStarts(text)}
	type mark struct {
		line int
		date string
	}
	var marks []mark
	for _, m := range dateLineRe.FindAllStringSubmatchIndex(text, -1) {
		marks = append(marks, mark{x.pos(m[0]).Line, text[m[2]:m[3]]})
	}
	if len(marks) == 0 {
		return nil
	}
	return func(line int) string {
		d := marks[0].date
		for _, m := range marks {
			if m.line > line {
				break
			}
			d = m.date
		}
		return d
	}
}
