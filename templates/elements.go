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

// anchor is a link: <a href={ l.Href }>{ l.Text }</a>.
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
	// A byte loop: strings.ContainsAny builds its character set on every call, and this runs
	// for every cell of every table. The five are ASCII, so no UTF-8 sequence holds one.
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '&', '\'', '<', '>', '"':
			return templ.EscapeString(s)
		}
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

// wasAfter follows a status row's figure with the one before it: " (was 3d)".
type wasAfter string

func (b wasAfter) Render(_ context.Context, w io.Writer) error {
	return write(w, ` <span class="meta">(was `, escape(string(b)), `)</span>`)
}

// unplaced stands in a status row for the patterns a job is not placed in.
type unplaced string

func (c unplaced) Render(_ context.Context, w io.Writer) error {
	return write(w, `<span class="muted">unexplained</span> <span class="meta">`, escape(string(c)), `</span>`)
}

// noOwner is a status row's owner when none is known.
var noOwner templ.Component = templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
	_, err := io.WriteString(w, `<span class="muted">none known</span>`)
	return err
})

// statusOwnerName is a status row's owner: a link, or that none is known.
func statusOwnerName(owner view.Link) templ.Component {
	if owner.Href == "" {
		return noOwner
	}
	return anchor(owner)
}

// navLink is a section's link in the header of every page, marked when the page is in it.
func navLink(p view.Page, section, href, text string) sectionLink {
	return sectionLink{root: p.Root, href: href, text: text, current: p.Section == section}
}

type sectionLink struct {
	root, href, text string
	current          bool
}

func (l sectionLink) Render(_ context.Context, w io.Writer) error {
	root, href := rootedURL(l.root, l.href)
	mark := `">`
	if l.current {
		mark = `" aria-current="page">`
	}
	return write(w, `<a href="`, root, href, mark, escape(l.text), `</a>`)
}

// rootedURL is templ's href={ root + file } in two parts. templ sanitizes the whole URL,
// root and all; the parts can be written apart, sparing a concatenation for each of the
// links every page has, when neither holds the colon of a scheme.
func rootedURL(root, file string) (string, string) {
	if strings.ContainsRune(root, ':') || strings.ContainsRune(file, ':') {
		return escapeURL(root + file), ""
	}
	return escape(root), escape(file)
}

// headAssets are the stylesheets, icon, feed and scripts in every page's head, each at a
// path from the site's root: the highlighting stylesheet only on pages with code.
func headAssets(root string, highlight bool) assetLinks {
	return assetLinks{root: root, highlight: highlight}
}

type assetLinks struct {
	root      string
	highlight bool
}

func (h assetLinks) Render(_ context.Context, w io.Writer) error {
	asset := func(open, file, end string) error {
		r, f := rootedURL(h.root, file)
		return write(w, open, r, f, end)
	}
	if err := asset(`<link rel="stylesheet" href="`, "assets/site.css", `">`); err != nil {
		return err
	}
	if h.highlight {
		if err := asset(`<link rel="stylesheet" href="`, "assets/highlight.css", `">`); err != nil {
			return err
		}
	}
	for _, a := range [...][3]string{
		{`<link rel="icon" type="image/svg+xml" href="`, "assets/favicon.svg", `">`},
		{`<link rel="alternate" type="application/atom+xml" title="Triage reports" href="`, "feed.xml", `">`},
		{`<script src="`, "assets/site.js", `" defer></script>`},
		{`<script src="`, "assets/search.js", `" defer></script>`},
	} {
		if err := asset(a[0], a[1], a[2]); err != nil {
			return err
		}
	}
	return nil
}

// codeLink is a link whose text is code, a ref's name: <a href={ l.Href }><code>{ l.Text }</code></a>.
type codeLink view.Link

func (l codeLink) Render(_ context.Context, w io.Writer) error {
	return write(w, `<a href="`, escapeURL(l.Href), `"><code>`, escape(l.Text), `</code></a>`)
}
