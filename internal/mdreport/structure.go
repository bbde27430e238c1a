package mdreport

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// BlockKind is what a block of a markdown report is.
type BlockKind int

// The block kinds the runbook's template uses.
const (
	Para  BlockKind = iota // a paragraph: consecutive lines of text
	List                   // bullet or numbered items
	Table                  // a pipe table with a header and a delimiter row
	Code                   // a fenced code block
	Quote                  // a block quote, its > markers removed
	Break                  // a thematic break (---)
)

// Block is one block of a section, with where it starts.
type Block struct {
	Kind  BlockKind
	Pos   Pos
	Text  string // Para, Quote and Code: the text, lines joined by \n (Quote without its > markers)
	Lang  string // Code: the fence's info string
	Items []Item // List
	Head  []Cell // Table: the header row
	Rows  [][]Cell
}

// Item is one list item; continuation lines are joined to it by \n.
type Item struct {
	Pos     Pos
	Ordered bool
	Text    string
}

// Cell is one table cell, trimmed.
type Cell struct {
	Pos  Pos
	Text string
}

// Section is a heading and what follows it up to the next heading of its level or above.
// The document itself is the root section, level 0.
type Section struct {
	Level    int
	Title    string
	Pos      Pos
	Blocks   []Block
	Children []*Section
	End      Pos // where the section's last line starts
}

// StructureError is a markdown construct that cannot be read, at its line:col.
type StructureError struct {
	Pos Pos
	Msg string
}

func (e StructureError) Error() string { return fmt.Sprintf("%d:%d: %s", e.Pos.Line, e.Pos.Col, e.Msg) }

var (
	sectionHeadingRe = regexp.MustCompile(`^(#{1,6})[ \t]+(.*?)[ \t#]*$`)
	fenceRe          = regexp.MustCompile("^[ ]{0,3}(```+|~~~+)[ \t]*([^`\\s]*)")
	bulletRe         = regexp.MustCompile(`^[ ]{0,3}([-*+]|[0-9]{1,3}[.)])[ \t]+`)
	breakRe          = regexp.MustCompile(`^[ ]{0,3}(-[ \t]*){3,}$|^[ ]{0,3}(\*[ \t]*){3,}$|^[ ]{0,3}(_[ \t]*){3,}$`)
	delimRe          = regexp.MustCompile(`^\|?[ \t]*:?-+:?[ \t]*(\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$`)
	labelLineRe      = regexp.MustCompile(`^\*\*[^*]+\*\*:`)
)

// Parse reads a markdown report into its heading tree. It reports every unreadable
// construct (a table row with a missing or extra cell, a code fence never closed) at its
// line:col, and still returns what it could read.
func Parse(text string) (*Section, []StructureError) {
	p := &parser{lines: strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")}
	root := &Section{Pos: Pos{1, 1}}
	stack := []*Section{root}
	for p.i < len(p.lines) {
		line := p.lines[p.i]
		if m := sectionHeadingRe.FindStringSubmatch(line); m != nil {
			s := &Section{Level: len(m[1]), Title: m[2], Pos: Pos{p.i + 1, 1}}
			for len(stack) > 1 && stack[len(stack)-1].Level >= s.Level {
				stack = stack[:len(stack)-1]
			}
			parent := stack[len(stack)-1]
			parent.Children = append(parent.Children, s)
			stack = append(stack, s)
			p.i++
			continue
		}
		if strings.TrimSpace(line) == "" {
			p.i++
			continue
		}
		cur := stack[len(stack)-1]
		cur.Blocks = append(cur.Blocks, p.block())
	}
	n := len(p.lines)
	for n > 1 && strings.TrimSpace(p.lines[n-1]) == "" {
		n--
	}
	last := Pos{n, 1}
	for _, s := range stack {
		s.End = last
	}
	return root, p.errs
}

type parser struct {
	lines []string
	i     int
	errs  []StructureError
}

func (p *parser) errAt(line, col int, format string, args ...any) {
	p.errs = append(p.errs, StructureError{Pos{line, col}, fmt.Sprintf(format, args...)})
}

// startsBlock says whether a line begins a block other than a paragraph.
func startsBlock(line string, next string) bool {
	return sectionHeadingRe.MatchString(line) || fenceRe.MatchString(line) || bulletRe.MatchString(line) ||
		strings.HasPrefix(strings.TrimSpace(line), ">") || breakRe.MatchString(line) ||
		(strings.HasPrefix(strings.TrimSpace(line), "|") && delimRe.MatchString(strings.TrimSpace(next)))
}

func (p *parser) next() string {
	if p.i+1 < len(p.lines) {
		return p.lines[p.i+1]
	}
	return ""
}

func (p *parser) block() Block {
	line := p.lines[p.i]
	trimmed := strings.TrimSpace(line)
	pos := Pos{p.i + 1, 1 + utf8.RuneCountInString(line) - utf8.RuneCountInString(strings.TrimLeft(line, " \t"))}
	switch {
	case fenceRe.MatchString(line):
		return p.code(pos)
	case breakRe.MatchString(line):
		p.i++
		return Block{Kind: Break, Pos: pos}
	case strings.HasPrefix(trimmed, "|") && delimRe.MatchString(strings.TrimSpace(p.next())):
		return p.table(pos)
	case strings.HasPrefix(trimmed, ">"):
		return p.quote(pos)
	case bulletRe.MatchString(line):
		return p.list(pos)
	}
	return p.para(pos)
}

func (p *parser) code(pos Pos) Block {
	m := fenceRe.FindStringSubmatch(p.lines[p.i])
	fence := m[1]
	b := Block{Kind: Code, Pos: pos, Lang: m[2]}
	var body []string
	for p.i++; p.i < len(p.lines); p.i++ {
		if strings.HasPrefix(strings.TrimSpace(p.lines[p.i]), fence[:3]) && strings.TrimSpace(strings.Trim(strings.TrimSpace(p.lines[p.i]), fence[:1])) == "" {
			p.i++
			b.Text = strings.Join(body, "\n")
			return b
		}
		body = append(body, p.lines[p.i])
	}
	p.errAt(pos.Line, pos.Col, "code fence %s is never closed (is the file truncated?)", fence)
	b.Text = strings.Join(body, "\n")
	return b
}

func (p *parser) para(pos Pos) Block {
	var lines []string
	for ; p.i < len(p.lines); p.i++ {
		line := p.lines[p.i]
		if strings.TrimSpace(line) == "" || (len(lines) > 0 && (startsBlock(line, p.next()) || labelLineRe.MatchString(strings.TrimSpace(line)))) {
			break
		}
		lines = append(lines, strings.TrimSpace(line))
	}
	return Block{Kind: Para, Pos: pos, Text: strings.Join(lines, "\n")}
}

func (p *parser) quote(pos Pos) Block {
	var lines []string
	for ; p.i < len(p.lines); p.i++ {
		t := strings.TrimSpace(p.lines[p.i])
		if !strings.HasPrefix(t, ">") {
			break
		}
		t = strings.TrimPrefix(t, ">")
		lines = append(lines, strings.TrimPrefix(t, " "))
	}
	return Block{Kind: Quote, Pos: pos, Text: strings.Join(lines, "\n")}
}

func (p *parser) list(pos Pos) Block {
	b := Block{Kind: List, Pos: pos}
	for p.i < len(p.lines) {
		line := p.lines[p.i]
		if strings.TrimSpace(line) == "" {
			break
		}
		m := bulletRe.FindStringSubmatchIndex(line)
		if m == nil || leadingSpaces(line) > 1 && len(b.Items) > 0 {
			// A continuation: an indented line (a nested item included) or a lazy one.
			if leadingSpaces(line) == 0 && startsBlock(line, p.next()) {
				break
			}
			it := &b.Items[len(b.Items)-1]
			it.Text += "\n" + strings.TrimSpace(line)
			p.i++
			continue
		}
		marker := line[m[2]:m[3]]
		b.Items = append(b.Items, Item{
			Pos:     Pos{p.i + 1, 1 + utf8.RuneCountInString(line[:m[2]])},
			Ordered: marker[0] >= '0' && marker[0] <= '9',
			Text:    strings.TrimSpace(line[m[1]:]),
		})
		p.i++
	}
	return b
}

func leadingSpaces(s string) int { return len(s) - len(strings.TrimLeft(s, " \t")) }

func (p *parser) table(pos Pos) Block {
	b := Block{Kind: Table, Pos: pos}
	b.Head = splitRow(p.lines[p.i], p.i+1)
	p.i += 2 // the header and the delimiter row
	for ; p.i < len(p.lines); p.i++ {
		line := p.lines[p.i]
		if !strings.HasPrefix(strings.TrimSpace(line), "|") {
			break
		}
		row := splitRow(line, p.i+1)
		if len(row) != len(b.Head) {
			col := utf8.RuneCountInString(strings.TrimRight(line, " \t")) + 1
			what := "a missing"
			if len(row) > len(b.Head) {
				what = "an extra"
				col = row[len(b.Head)].Pos.Col
			}
			p.errAt(p.i+1, col, "table row has %d cells, its header (line %d) has %d: %s column", len(row), pos.Line, len(b.Head), what)
		}
		b.Rows = append(b.Rows, row)
	}
	return b
}

// splitRow splits a pipe table row at unescaped pipes outside code spans.
func splitRow(line string, lineNo int) []Cell {
	var cells []Cell
	var cur strings.Builder
	start, col := 0, 0
	inCode := false
	trimmed := strings.TrimRight(line, " \t")
	closed := strings.HasSuffix(trimmed, "|") && !strings.HasSuffix(trimmed, `\|`)
	flush := func() {
		text := cur.String()
		lead := utf8.RuneCountInString(text) - utf8.RuneCountInString(strings.TrimLeft(text, " \t"))
		cells = append(cells, Cell{Pos: Pos{lineNo, start + lead + 1}, Text: strings.TrimSpace(text)})
		cur.Reset()
	}
	runes := []rune(trimmed)
	i := 0
	for i < len(runes) && (runes[i] == ' ' || runes[i] == '\t') {
		i++
	}
	if i < len(runes) && runes[i] == '|' {
		i++
	}
	start = i
	for ; i < len(runes); i++ {
		r := runes[i]
		col = i
		switch {
		case r == '\\' && i+1 < len(runes) && runes[i+1] == '|':
			cur.WriteRune('|')
			i++
			continue
		case r == '`':
			inCode = !inCode
		case r == '|' && !inCode:
			flush()
			start = col + 1
			continue
		}
		cur.WriteRune(r)
	}
	if !closed || cur.Len() > 0 {
		flush()
	}
	return cells
}

// Walk calls f for every section under s, depth first, in document order.
func (s *Section) Walk(f func(*Section)) {
	for _, c := range s.Children {
		f(c)
		c.Walk(f)
	}
}
