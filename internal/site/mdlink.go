package site

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/triagesite/triagesite/internal/citation"
	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/evidence"
)

// The markdown export links the citations the loader found, not what looks like one in the
// text it writes. Each field is written from its YAML path: the citations the loader
// recorded at that path say where in the field's text they stand, and they are carried
// through the reshaping the export does (trimming, one line for a table cell) and linked
// there.

// mdCites is the citations one file makes, by the YAML path of the field that makes them.
type mdCites struct {
	b      *builder
	byPath map[string][]content.Citation
	fences *mdFences
}

// mdCitesOf is the citations o's file makes, for fields written to the export fences reads.
func (b *builder) mdCitesOf(o content.Owner, fences *mdFences) *mdCites {
	byPath := map[string][]content.Citation{}
	for _, c := range b.tree.CitationsOf(o) {
		byPath[c.Path] = append(byPath[c.Path], c)
	}
	return &mdCites{b: b, byPath: byPath, fences: fences}
}

// mdFences follows the code fences of an export as it is written, so that a field is not
// linked inside a fence an earlier one left open: markdown reads that as code, as safeMD does.
type mdFences struct {
	w    *strings.Builder
	read int // the end of the last whole line read
	open bool
}

// inFence says whether what is written next stands in a code fence.
func (f *mdFences) inFence() bool {
	s := f.w.String()[f.read:]
	end := strings.LastIndexByte(s, '\n')
	if end < 0 {
		return f.open
	}
	for _, line := range strings.Split(s[:end], "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			f.open = !f.open
		}
	}
	f.read += end + 1
	return f.open
}

// mdSpan is a citation standing at text[start:end] of an mdField.
type mdSpan struct {
	start, end int
	ref        citation.Ref
}

// mdField is a field's text as the export writes it and the citations in it, in order.
type mdField struct {
	text  string
	cites []mdSpan
}

// field is the text of the field at path with the citations the loader found in it; one
// that does not fit the text, or overlaps the one before, is left as written.
func (c *mdCites) field(path, text string) mdField {
	f := mdField{text: text}
	at := 0
	for _, ct := range c.byPath[path] {
		if ct.Start < at || ct.End > len(text) || ct.Start >= ct.End {
			continue
		}
		f.cites = append(f.cites, mdSpan{ct.Start, ct.End, ct.Ref})
		at = ct.End
	}
	return f
}

// The ways the export writes a field, each linking its citations. trim is prose after a
// label on the same line; block is prose that starts a line, so its first line can open a
// code fence.
func (c *mdCites) trim(path string, x content.Markdown) string {
	return c.link(c.field(path, string(x)).trim(), false)
}

func (c *mdCites) block(path string, x content.Markdown) string {
	return c.link(c.field(path, string(x)).trim(), true)
}

func (c *mdCites) oneLine(path string, x content.Markdown) string {
	return c.link(c.field(path, string(x)).oneLine(), false)
}

func (c *mdCites) cell(path string, x content.Markdown) string {
	return c.link(c.field(path, string(x)).cell(), false)
}

func (c *mdCites) item(path string, x content.Markdown, indent string) string {
	return c.link(c.field(path, string(x)).item(indent), false)
}

// code writes a value, a claim's ref or a refs: item, as a code span: a linked one when
// it is a citation.
func (c *mdCites) code(path, x string) string {
	f := c.field(path, x)
	for i := range f.cites {
		f.cites[i].start, f.cites[i].end = f.cites[i].start+1, f.cites[i].end+1
	}
	f.text = "`" + x + "`"
	return c.link(f, false)
}

// named writes a ref the export names (in news since the report) as a link.
func (c *mdCites) named(ref citation.Ref) string {
	name := c.b.shortName(ref)
	return c.link(mdField{text: name, cites: []mdSpan{{0, len(name), ref}}}, false)
}

// link links f's citations unless the export stands in a code fence where f is written.
func (c *mdCites) link(f mdField, startsLine bool) string {
	if len(f.cites) == 0 {
		return f.text
	}
	return c.b.linkField(f, startsLine, c.fences.inFence())
}

// codeList writes the list at path as code spans, comma-separated.
func (c *mdCites) codeList(path string, xs []string) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = c.code(nth(path, i), x)
	}
	return strings.Join(parts, ", ")
}

// trim is strings.TrimSpace.
func (f mdField) trim() mdField {
	lo := len(f.text) - len(strings.TrimLeftFunc(f.text, unicode.IsSpace))
	hi := len(strings.TrimRightFunc(f.text, unicode.IsSpace))
	if hi < lo {
		hi = lo
	}
	out := mdField{text: f.text[lo:hi]}
	for _, s := range f.cites {
		if s.start >= lo && s.end <= hi {
			out.cites = append(out.cites, mdSpan{s.start - lo, s.end - lo, s.ref})
		}
	}
	return out
}

// oneLine is the words of the text joined by single spaces.
func (f mdField) oneLine() mdField {
	space := false
	return f.trim().mapRunes(func(out []byte, r rune, raw string) []byte {
		if unicode.IsSpace(r) {
			if !space {
				out = append(out, ' ')
			}
			space = true
			return out
		}
		space = false
		return append(out, raw...)
	})
}

// cell is the text as one table cell: one line, its pipes escaped.
func (f mdField) cell() mdField {
	return f.oneLine().mapRunes(func(out []byte, r rune, raw string) []byte {
		if r == '|' {
			out = append(out, '\\')
		}
		return append(out, raw...)
	})
}

// item is the text as one list item: its lines kept, continued under the item with indent;
// a text of several paragraphs goes on one line, as a blank line would end the list.
func (f mdField) item(indent string) mdField {
	f = f.trim()
	if strings.Contains(f.text, "\n\n") {
		return f.oneLine()
	}
	return f.mapRunes(func(out []byte, r rune, raw string) []byte {
		out = append(out, raw...)
		if r == '\n' {
			out = append(out, indent...)
		}
		return out
	})
}

// mapRunes rewrites the text rune by rune, put appending what each becomes (raw is the rune
// as written); a citation moves with the runes it stands on.
func (f mdField) mapRunes(put func(out []byte, r rune, raw string) []byte) mdField {
	out := make([]byte, 0, len(f.text))
	var at []int // where each rune of the text starts in out, and its end
	if len(f.cites) > 0 {
		at = make([]int, len(f.text)+1)
	}
	for i := 0; i < len(f.text); {
		r, n := utf8.DecodeRuneInString(f.text[i:])
		if at != nil {
			at[i] = len(out)
		}
		out = put(out, r, f.text[i:i+n])
		i += n
	}
	g := mdField{text: string(out)}
	if at != nil {
		at[len(f.text)] = len(out)
		for _, s := range f.cites {
			g.cites = append(g.cites, mdSpan{at[s.start], at[s.end], s.ref})
		}
	}
	return g
}

// linkField links each citation in a field's text, line by line, where markdown lets it be
// a link: not in a code fence, not on a line whose backticks do not pair up, not in a code
// span unless it is the whole span, and not where the author already put it in a link.
// startsLine says the text's first line starts a line of the export (so it can be a fence);
// inFence that the text starts in a fence.
func (b *builder) linkField(f mdField, startsLine, inFence bool) string {
	if len(f.cites) == 0 {
		return f.text
	}
	var out strings.Builder
	at, cites := 0, f.cites
	for i, line := range strings.Split(f.text, "\n") {
		if i > 0 {
			out.WriteByte('\n')
		}
		fence := (i > 0 || startsLine) && strings.HasPrefix(strings.TrimSpace(line), "```")
		if fence {
			inFence = !inFence
		}
		end := at + len(line)
		var onLine []mdSpan
		for len(cites) > 0 && cites[0].start < end {
			if s := cites[0]; s.end <= end {
				onLine = append(onLine, mdSpan{s.start - at, s.end - at, s.ref})
			}
			cites = cites[1:]
		}
		if fence || inFence || len(onLine) == 0 {
			out.WriteString(line)
		} else {
			b.linkLine(&out, line, onLine)
		}
		at = end + 1
	}
	return out.String()
}

// linkLine writes one line with its citations linked; a code span that is wholly a citation
// becomes a linked code span.
func (b *builder) linkLine(out *strings.Builder, line string, cites []mdSpan) {
	parts := strings.Split(line, "`")
	if len(parts)%2 == 0 { // an unclosed backtick: leave the line alone rather than guess
		out.WriteString(line)
		return
	}
	at := 0
	for i, part := range parts {
		end := at + len(part)
		var in []mdSpan
		for len(cites) > 0 && cites[0].start < end {
			if s := cites[0]; s.start >= at && s.end <= end {
				in = append(in, mdSpan{s.start - at, s.end - at, s.ref})
			}
			cites = cites[1:]
		}
		switch {
		case i%2 == 0:
			b.linkText(out, part, in)
		case len(in) > 0 && in[0].start == 0 && in[0].end == len(part) &&
			!(strings.HasSuffix(parts[i-1], "[") && strings.HasPrefix(parts[i+1], "](")):
			out.WriteString(b.mdCitation("`"+part+"`", in[0].ref))
		default:
			out.WriteString("`" + part + "`")
		}
		at = end + 1
	}
}

// linkText writes a stretch of a line between code spans, its citations linked. One
// already in a markdown link (right after "[" or "](", or right before "](") stays as
// written.
func (b *builder) linkText(out *strings.Builder, text string, cites []mdSpan) {
	at := 0
	for _, s := range cites {
		out.WriteString(text[at:s.start])
		before, after := text[max(0, s.start-2):s.start], text[s.end:min(len(text), s.end+2)]
		if written := text[s.start:s.end]; strings.HasSuffix(before, "](") || strings.HasSuffix(before, "[") || strings.HasPrefix(after, "](") {
			out.WriteString(written)
		} else {
			out.WriteString(b.mdCitation(written, s.ref))
		}
		at = s.end
	}
	out.WriteString(text[at:])
}

func (b *builder) mdCitation(label string, ref citation.Ref) string {
	st, _ := b.opts.Evidence.Status(ref, nil)
	mark := " _(" + string(st) + ")_"
	if st == evidence.Verified {
		mark = " ✓"
	}
	return "[" + label + "](" + ref.URL() + ")" + mark
}
