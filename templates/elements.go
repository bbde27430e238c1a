package templates

import (
	"context"
	"io"
	"strings"

	"github.com/a-h/templ"

	"github.com/triagesite/triagesite/internal/view"
)

// The small elements below are written in Go rather than templ: each is on nearly every row
// of the big tables, and a templ component costs a closure, a context and a fmt.Sprint per
// { expr } (a class={ expr } also a map and slices) each time. They write exactly what templ
// wrote for them (TestElementsWriteAsTempl holds them to it).

// link is an anchor: <a href={ l.Href }>{ l.Text }</a>.
func link(l view.Link) templ.Component { return anchor(l) }

type anchor view.Link

func (a anchor) Render(_ context.Context, w io.Writer) error {
	return write(w, `<a href="`, escapeURL(a.Href), `">`, escape(a.Text), `</a>`)
}

// sevCell is a severity cell: <td class={ "sev-" + sev }>{ sev }</td>.
type sevCell string

func (s sevCell) Render(_ context.Context, w io.Writer) error {
	return write(w, `<td class="sev-`, escape(string(s)), `">`, escape(string(s)), `</td>`)
}

// badge is a verification status: <span class={ "badge badge-" + status }>{ status }</span>.
// The stylesheet marks the bad ones so they stand out without colour as well (a sign before
// the word).
type badge string

func (b badge) Render(_ context.Context, w io.Writer) error {
	return write(w, `<span class="badge badge-`, escape(string(b)), `">`, escape(string(b)), `</span>`)
}

// releaseBadge marks a job on a release dashboard in job tables and on its page:
// <span class="kind">{ mark }</span>, nothing when there is no mark.
type releaseBadge string

func (m releaseBadge) Render(_ context.Context, w io.Writer) error {
	if m == "" {
		return nil
	}
	return write(w, `<span class="kind">`, escape(string(m)), `</span>`)
}

// escape is templ's escaping of text and attribute values, without a new string when there
// is nothing to escape.
func escape(s string) string {
	if strings.ContainsAny(s, `&'<>"`) {
		return templ.EscapeString(s)
	}
	return s
}

// escapeURL is templ's href={ s }: an unsafe scheme becomes templ's failed-sanitization URL.
func escapeURL(s string) string {
	return escape(string(templ.URL(s)))
}

func write(w io.Writer, parts ...string) error {
	for _, p := range parts {
		if _, err := io.WriteString(w, p); err != nil {
			return err
		}
	}
	return nil
}
