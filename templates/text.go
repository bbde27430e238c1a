package templates

import (
	"context"
	"io"
	"strconv"

	"github.com/a-h/templ"

	"github.com/triagesite/triagesite/internal/view"
)

// text writes a string as HTML text, escaped exactly as templ escapes { expr }. templ formats
// every { expr } with fmt.Sprint into a new string first; the job tables write several
// values for each of thousands of rows on every drift, SIG and report page, so their cells
// write through text instead.
type text string

func (t text) Render(_ context.Context, w io.Writer) error {
	_, err := io.WriteString(w, escape(string(t)))
	return err
}

// count says n of a thing: "1 day", "2 days".
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// since heads a list of changes since a snapshot: "New since 2026-05-10", or "New" when
// there is no earlier snapshot.
func since(what, prev string) string {
	if prev == "" {
		return what
	}
	return what + " since " + prev
}

// or is a, or b when a is empty.
func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// unchecked says once for a page that verification has checked none of its citations.
func unchecked(n int) string {
	return "Not yet verified: none of this page's " + count(n, "citation", "citations") + " has been checked, so none carries a badge. CONFIRMED and the like are the report's own verdicts."
}

// joined writes each item as each writes it, with sep between them: a list inside a line of
// text. A templ loop there would gain a space before each item from templ fmt's line breaks,
// and would format each separator through fmt.Sprint.
func joined[T any](sep string, items []T, each func(T) templ.Component) templ.Component {
	if len(items) == 0 {
		return templ.NopComponent
	}
	sep = templ.EscapeString(sep)
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		for i, it := range items {
			if i > 0 {
				if _, err := io.WriteString(w, sep); err != nil {
					return err
				}
			}
			if err := each(it).Render(ctx, w); err != nil {
				return err
			}
		}
		return nil
	})
}

// runIn is the space between a field's label and prose that runs in after it: none when the
// prose opens with a block.
func runIn(h view.HTML) string {
	if h.StartsBlock() {
		return ""
	}
	return " "
}

// joinedLinks is joined of an anchor per link, without a component for each link.
func joinedLinks(sep string, ls []view.Link) templ.Component {
	if len(ls) == 0 {
		return templ.NopComponent
	}
	sep = templ.EscapeString(sep)
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		for i, l := range ls {
			if i > 0 {
				if _, err := io.WriteString(w, sep); err != nil {
					return err
				}
			}
			if err := anchor(l).Render(ctx, w); err != nil {
				return err
			}
		}
		return nil
	})
}
