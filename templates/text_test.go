package templates

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/a-h/templ"

	"github.com/triagesite/triagesite/internal/view"
)

func asAnchor(l view.Link) templ.Component { return anchor(l) }

// TestJoined checks the list-in-a-line writer the templates use instead of loops, which
// templ fmt would space out: separators only between items, escaped like any text.
func TestJoined(t *testing.T) {
	l := func(s string) view.Link { return view.Link{Href: s + ".html", Text: s} }
	for _, c := range []struct {
		name, sep string
		items     []view.Link
		want      string
	}{
		{"none", ", ", nil, ""},
		{"one", ", ", []view.Link{l("a")}, `<a href="a.html">a</a>`},
		{"three", ", ", []view.Link{l("a"), l("b"), l("c")}, `<a href="a.html">a</a>, <a href="b.html">b</a>, <a href="c.html">c</a>`},
		{"escaped separator", " <&> ", []view.Link{l("a"), l("b")}, `<a href="a.html">a</a> &lt;&amp;&gt; <a href="b.html">b</a>`},
	} {
		var buf bytes.Buffer
		if err := joined(c.sep, c.items, asAnchor).Render(context.Background(), &buf); err != nil {
			t.Fatal(err)
		}
		if got := buf.String(); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
		buf.Reset()
		if err := joinedLinks(c.sep, c.items).Render(context.Background(), &buf); err != nil {
			t.Fatal(err)
		}
		if got := buf.String(); got != c.want {
			t.Errorf("joinedLinks %s: got %q, want %q", c.name, got, c.want)
		}
	}
}

// TestRunIn checks the space between a field's label and its prose: none before a block.
func TestRunIn(t *testing.T) {
	var buf bytes.Buffer
	if err := field("Status.", "<p>Open.</p>").Render(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	if want := `<div class="field"><strong>Status.</strong><p>Open.</p></div>`; buf.String() != want {
		t.Errorf("block: got %q, want %q", buf.String(), want)
	}
	buf.Reset()
	if err := field("Status.", "Open.").Render(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	if want := `<div class="field"><strong>Status.</strong> Open.</div>`; buf.String() != want {
		t.Errorf("inline: got %q, want %q", buf.String(), want)
	}
}

// TestDigestNudgeLine checks a digest's nudge target reads as one sentence: refs joined by
// commas, a space on each side of every link in the line, nothing before the colon.
func TestDigestNudgeLine(t *testing.T) {
	d := view.Digest{Nudges: []view.DigestNudge{{
		Refs:  []view.Link{{Href: "a.html", Text: "k/k#1"}, {Href: "b.html", Text: "k/k#2"}},
		State: "open", Pattern: view.Link{Href: "p.html", Text: "P"}, Report: view.Link{Href: "r.html", Text: "R"},
		Block: "<code>x</code>",
	}}}
	var buf bytes.Buffer
	if err := digestMain(d).Render(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	want := `<li><a href="a.html">k/k#1</a>, <a href="b.html">k/k#2</a>: open · pattern <a href="p.html">P</a> · report <a href="r.html">R</a> · blocked on <code>x</code></li>`
	if !strings.Contains(buf.String(), want) {
		t.Errorf("nudge line:\n got %s\nwant %s", buf.String(), want)
	}
}
