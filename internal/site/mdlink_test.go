package site

import (
	"strings"
	"testing"

	"github.com/triagesite/triagesite/internal/citation"
	"github.com/triagesite/triagesite/internal/evidence"
)

// TestLinkFieldLeavesLinksAlone: a citation is linked where it stands in text, and kept as
// written where the author already put it in a link, judged by what stands beside it as
// written.
func TestLinkFieldLeavesLinksAlone(t *testing.T) {
	b := &builder{opts: Options{Evidence: LockEvidence{evidence.New(nil)}}}
	pr := citation.Ref{Kind: citation.KindRef, Repo: "kubernetes/kubernetes", Number: 1}
	const linked = "[#1](https://github.com/kubernetes/kubernetes/issues/1) _(unverifiable)_"
	for _, c := range []struct{ line, want string }{
		{"see %s.", "see " + linked + "."},
		{"[%s](https://x)", "[#1](https://x)"}, // the link's text
		{"[a](%s)", "[a](#1)"},                 // the link's target
		{"%s%s", linked + linked},
		{"[%s%s](https://x)", "[#1#1](https://x)"}, // both touch a bracket
		{"[%s](%s)", "[#1](#1)"},
		{"`%s` and `a`", "[`#1`](https://github.com/kubernetes/kubernetes/issues/1) _(unverifiable)_ and `a`"},
		{"`%s and` %s", "`#1 and` " + linked},      // in a code span, but not all of it
		{"[`%s`](https://x)", "[`#1`](https://x)"}, // a linked code span already
		{"`[` %s", "`[` " + linked},                // a code span of a bracket is kept as it is
		{"`%s %s", "`#1 #1"},                       // an unclosed backtick
		{"```\n%s\n```\n%s", "```\n#1\n```\n" + linked},
	} {
		if got := b.linkField(cited(c.line, pr), true, false); got != c.want {
			t.Errorf("%q:\n got %q\nwant %q", c.line, got, c.want)
		}
	}
}

// cited is line with each %s replaced by #1, cited as ref.
func cited(line string, ref citation.Ref) mdField {
	var f mdField
	for {
		i := strings.Index(line, "%s")
		if i < 0 {
			break
		}
		line = line[:i] + "#1" + line[i+2:]
		f.cites = append(f.cites, mdSpan{i, i + 2, ref})
	}
	f.text = line
	return f
}

// TestFieldShapesCarryCitations: trimming, one line, a table cell and a list item move the
// citations with the words they stand on.
func TestFieldShapesCarryCitations(t *testing.T) {
	pr := citation.Ref{Kind: citation.KindRef, Repo: "kubernetes/kubernetes", Number: 1}
	f := cited("  a\u00a0 %s |\n\n  b  %s\t", pr)
	for _, c := range []struct {
		name string
		got  mdField
		want string
	}{
		{"trim", f.trim(), "a\u00a0 #1 |\n\n  b  #1"},
		{"oneLine", f.oneLine(), "a #1 | b #1"},
		{"cell", f.cell(), `a #1 \| b #1`},
		{"item", cited("x %s\ny %s\n", pr).item("  "), "x #1\n  y #1"},
		{"item of paragraphs", f.item("  "), "a #1 | b #1"},
	} {
		if c.got.text != c.want {
			t.Errorf("%s: text %q, want %q", c.name, c.got.text, c.want)
		}
		for _, s := range c.got.cites {
			if w := c.got.text[s.start:s.end]; w != "#1" {
				t.Errorf("%s: citation at %d:%d reads %q, want #1", c.name, s.start, s.end, w)
			}
		}
		if len(c.got.cites) != 2 {
			t.Errorf("%s: %d citations, want 2", c.name, len(c.got.cites))
		}
	}
}
