package importcmd

import (
	"regexp"
	"strings"

	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/mdreport"
)

// renderBlocks writes blocks back as markdown, as the author wrote them (tables re-aligned).
func renderBlocks(bs []mdreport.Block) string {
	parts := make([]string, 0, len(bs))
	for _, b := range bs {
		if s := renderBlock(b); s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, "\n\n")
}

func renderBlock(b mdreport.Block) string {
	switch b.Kind {
	case mdreport.Para:
		return b.Text
	case mdreport.Code:
		return "```" + b.Lang + "\n" + b.Text + "\n```"
	case mdreport.Quote:
		return "> " + strings.ReplaceAll(b.Text, "\n", "\n> ")
	case mdreport.List:
		var lines []string
		for _, it := range b.Items {
			lines = append(lines, it.Marker+" "+strings.ReplaceAll(it.Text, "\n", "\n"+strings.Repeat(" ", len(it.Marker)+1)))
		}
		return strings.Join(lines, "\n")
	case mdreport.Table:
		row := func(cs []mdreport.Cell) string {
			var t []string
			for _, c := range cs {
				t = append(t, strings.ReplaceAll(c.Text, "|", `\|`))
			}
			return "| " + strings.Join(t, " | ") + " |"
		}
		lines := []string{row(b.Head), "|" + strings.Repeat("---|", len(b.Head))}
		for _, r := range b.Rows {
			lines = append(lines, row(r))
		}
		return strings.Join(lines, "\n")
	}
	return ""
}

// renderSection writes a section, its heading included, back as markdown.
func renderSection(s *mdreport.Section) string {
	parts := []string{strings.Repeat("#", s.Level) + " " + s.Title}
	if body := renderBlocks(s.Blocks); body != "" {
		parts = append(parts, body)
	}
	for _, c := range s.Children {
		parts = append(parts, renderSection(c))
	}
	return strings.Join(parts, "\n\n")
}

var labelRe = regexp.MustCompile(`(?s)^\*\*([^*]+?)\*\*:[ \t]*(.*)$`)

// label splits "**Root cause**: text" into its lower-cased label and the text after it.
func label(b mdreport.Block) (name, rest string, ok bool) {
	if b.Kind != mdreport.Para {
		return "", "", false
	}
	m := labelRe.FindStringSubmatch(b.Text)
	if m == nil {
		return "", "", false
	}
	return strings.ToLower(strings.TrimSpace(m[1])), m[2], true
}

// columns finds each wanted field's column by the header's lower-cased prefix; the first
// name in a field's list is required. Columns no field claims are returned as extra.
type columnSpec struct {
	field    string
	names    []string
	required bool
}

func (c *converter) columns(b mdreport.Block, specs []columnSpec) (idx map[string]int, extra []int, ok bool) {
	idx = map[string]int{}
	ok = true
	for i, h := range b.Head {
		name := strings.ToLower(strings.Trim(h.Text, "* "))
		claimed := false
		for _, s := range specs {
			if _, done := idx[s.field]; done {
				continue
			}
			for _, n := range s.names {
				if name == n || strings.HasPrefix(name, n+" ") || strings.HasPrefix(name, n+"(") {
					idx[s.field], claimed = i, true
					break
				}
			}
			if claimed {
				break
			}
		}
		if !claimed {
			extra = append(extra, i)
		}
	}
	for _, s := range specs {
		if _, found := idx[s.field]; s.required && !found {
			c.errorf(b.Pos, "table has no %q column (its header is %s)", s.names[0], headerText(b))
			ok = false
		}
	}
	return idx, extra, ok
}

func headerText(b mdreport.Block) string {
	var t []string
	for _, h := range b.Head {
		t = append(t, h.Text)
	}
	return "| " + strings.Join(t, " | ") + " |"
}

// get is the cell of a row in a field's column, "" when the table has no such column.
func get(row []mdreport.Cell, idx map[string]int, field string) string {
	i, ok := idx[field]
	if !ok || i >= len(row) {
		return ""
	}
	return row[i].Text
}

var codeSpanRe = regexp.MustCompile("`([^`]+)`")

func md(s string) content.Markdown { return content.Markdown(strings.TrimSpace(s)) }

// appendMD joins a paragraph to a markdown field.
func appendMD(field *content.Markdown, s string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return
	}
	if *field == "" {
		*field = content.Markdown(s)
		return
	}
	*field = content.Markdown(string(*field) + "\n\n" + s)
}

var (
	// Our export links each citation and marks its verification status; the mark and the link
	// are the site's, not the author's, so they are taken off again.
	exportLinkRe = regexp.MustCompile("\\[(`[^`\\]\\n]+`|[^\\]\\[\\n]+)\\]\\(https?://[^)\\s]+\\)(?: ✓| _\\([a-z-]+\\)_)")
	// The export appends what became of a nudge target or an action's refs since the report:
	// the evidence's word, not the author's.
	sinceRe   = regexp.MustCompile(` \*\*(?:fixed )?since the report: [^*\n]*\*\*`)
	nonSlugRe = regexp.MustCompile(`[^a-z0-9]+`)
)

// unexport takes off what the site's markdown export adds to prose: citation links with
// their status marks, news since the report, and the escaping of <.
func unexport(text string) string {
	text = exportLinkRe.ReplaceAllString(text, "$1")
	text = sinceRe.ReplaceAllString(text, "")
	return strings.ReplaceAll(text, "&lt;", "<")
}

var stopWords = map[string]bool{"a": true, "an": true, "the": true, "of": true, "in": true, "on": true, "and": true, "for": true, "to": true, "with": true, "is": true, "by": true}

// slugify makes a slug from a title: lower-case words joined by hyphens, at most 6 words, small words left out.
func slugify(title string) string {
	var words []string
	for _, w := range strings.Fields(nonSlugRe.ReplaceAllString(strings.ToLower(title), " ")) {
		if !stopWords[w] {
			words = append(words, w)
		}
	}
	if len(words) > 6 {
		words = words[:6]
	}
	if len(words) == 0 {
		return "imported"
	}
	return strings.Join(words, "-")
}
