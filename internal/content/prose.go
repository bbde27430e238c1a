package content

import "strings"

// Prose is one markdown field as it stands in a file. Linting keeps it so that what it
// finds inside prose (a stated count, a TODO) can be reported at its exact position.
type Prose struct {
	Pos   Pos    // of the scalar; for a block scalar, of its | or > indicator
	Text  string // the value as decoded
	Owner Owner
	Path  string // the field's YAML path in its file, e.g. "tiers[1].items[0].action"
	// Dropped is a comment YAML cut from an unquoted value on its lines ("see #2320"), and
	// so from the text; "" when there is none.
	Dropped string
	block   bool // a literal or folded block: the text starts on the line after Pos
	quote   bool // a quoted flow scalar: the text starts one column after Pos
	// indent is the block's indentation: YAML strips the same number of spaces from every
	// line, so a line's own leading spaces beyond it are part of the text.
	indent int
}

// PosAt is where byte off of the text stands in its file. A flow scalar folds its lines,
// so past its first line the position is the best estimate.
func (p Prose) PosAt(off int) Pos {
	before := p.Text[:off]
	lineIdx := strings.Count(before, "\n")
	col := off - (strings.LastIndex(before, "\n") + 1)
	at := p.Pos
	switch {
	case p.block:
		at.Line += 1 + lineIdx
		at.Col = p.indent + col + 1
	case lineIdx == 0:
		at.Col += col
		if p.quote {
			at.Col++
		}
	default:
		at.Line += lineIdx
		at.Col = col + 1
	}
	return at
}

// exported turns a decoded scalar into a Prose, measuring a block's indentation in the file.
func (l *loader) exported(sp prose, owner Owner) Prose {
	p := Prose{Pos: sp.Pos, Path: sp.Path, Text: sp.Text, Owner: owner, block: sp.Block, quote: sp.Quote}
	if !sp.Block {
		if !sp.Quote {
			p.Dropped = droppedComment(l.files[sp.Pos.File], sp.Pos)
		}
		return p
	}
	lines := l.files[sp.Pos.File]
	for i := sp.Pos.Line; i < len(lines); i++ { // lines[i] is the line after Pos
		if t := strings.TrimLeft(lines[i], " "); t != "" {
			p.indent = len(lines[i]) - len(t)
			break
		}
	}
	return p
}

// keepProse records a file's markdown fields on the tree.
func (l *loader) keepProse(spans []prose, owner Owner) {
	if l.renderOnly {
		return
	}
	for _, sp := range spans {
		l.tree.Prose = append(l.tree.Prose, l.exported(sp, owner))
	}
}

// droppedComment finds a comment on the lines of a plain scalar starting at pos: YAML ends
// the value at " #", so "the fix #2320 landed" keeps only "the fix". The scalar runs on
// over the following lines indented deeper than its own first line.
func droppedComment(lines []string, pos Pos) string {
	if pos.Line < 1 || pos.Line > len(lines) {
		return ""
	}
	first := lines[pos.Line-1]
	if pos.Col-1 > len(first) {
		return ""
	}
	if i := strings.Index(first[pos.Col-1:], " #"); i >= 0 {
		return strings.TrimSpace(first[pos.Col-1+i:])
	}
	indent := len(first) - len(strings.TrimLeft(first, " "))
	for _, line := range lines[pos.Line:] {
		t := strings.TrimLeft(line, " ")
		if t == "" || len(line)-len(t) <= indent {
			break
		}
		if strings.HasPrefix(t, "#") {
			return strings.TrimSpace(t)
		}
		if i := strings.Index(t, " #"); i >= 0 {
			return strings.TrimSpace(t[i:])
		}
	}
	return ""
}
