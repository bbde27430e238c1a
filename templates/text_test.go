package templates

import (
	"bytes"
	"context"
	"testing"

	"github.com/triagesite/triagesite/internal/view"
)

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
		if err := joined(c.sep, c.items, link).Render(context.Background(), &buf); err != nil {
			t.Fatal(err)
		}
		if got := buf.String(); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
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
