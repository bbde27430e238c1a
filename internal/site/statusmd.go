package site

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/triagesite/triagesite/internal/view"
)

// statusMarkdown writes a status page as markdown to paste into a SIG meeting agenda: the
// same lists and figures as the HTML page. Links are absolute when the site has a base URL,
// since a pasted agenda is read away from the site.
func statusMarkdown(v view.Status, baseURL string) []byte {
	w := &mdWriter{base: strings.TrimSuffix(baseURL, "/"), dir: "status/"}
	fmt.Fprintf(&w.b, "## %s status, %s\n\n", v.Dataset, v.Date)
	fmt.Fprintf(&w.b, "%s in the snapshot", count(v.Jobs, "job", "jobs"))
	if v.Stored != "" {
		fmt.Fprintf(&w.b, " (%s)", v.Stored)
	}
	if v.Prev.Href != "" {
		fmt.Fprintf(&w.b, "; compared with %s", w.link(v.Prev.Text, v.Prev.Href))
	}
	w.b.WriteString(".\n")
	if v.Health != "" {
		fmt.Fprintf(&w.b, "\n**Input health:** %s\n", mdText(v.Health))
	}
	fmt.Fprintf(&w.b, "\nSeverity: %s.\n", strings.Join(v.Thresholds, " · "))

	w.heading("On fire", v.OnFire)
	w.table(v.OnFire, []string{"Job", "Figure", "Severity", "Change", "Placed in", "Owner", "Fix"}, func(r view.StatusRow) []string {
		return []string{w.job(r), r.Figure, r.Severity, r.ChangeWords, w.links(r.Placed, "unexplained"), w.owner(r), mdText(r.Fix)}
	})
	w.heading(orElse(v.NewHeading, "New since "+v.Prev.Text), v.New)
	w.note(v.NewNote)
	w.table(v.New, []string{"Job", "Figure", "Severity", "Placed in", "Owner"}, func(r view.StatusRow) []string {
		return []string{w.job(r), r.Figure, r.Severity, w.links(r.Placed, "unexplained"), w.owner(r)}
	})
	w.heading(orElse(v.RecoveredHeading, "Recovered since "+v.Prev.Text), v.Recovered)
	w.note(v.RecoveredNote)
	w.table(v.Recovered, []string{"Job", "Last figure", "Was placed in", "Owner"}, func(r view.StatusRow) []string {
		return []string{w.job(r), r.Figure, w.links(r.Placed, "unexplained"), w.owner(r)}
	})
	w.heading("Unexplained: no pattern claims them", v.Unexplained)
	w.table(v.Unexplained, []string{"Job", "Category", "Severity", "Figure", "Owner"}, func(r view.StatusRow) []string {
		return []string{w.job(r), mdText(r.Category), r.Severity, r.Figure, w.owner(r)}
	})
	fmt.Fprintf(&w.b, "\n### Patterns (%d)\n\n", len(v.Patterns))
	for _, p := range v.Patterns {
		indent := ""
		if p.Sub {
			indent = "  "
		}
		fmt.Fprintf(&w.b, "%s- %s: %s\n", indent, w.link(p.Text, p.Href), mdText(p.Words))
	}
	if v.QuietPatterns > 0 {
		fmt.Fprintf(&w.b, "\nPatterns of this dataset that claim no job in either snapshot: %d.\n", v.QuietPatterns)
	}
	w.heading("By design", v.ByDesign)
	w.table(v.ByDesign, []string{"Job", "Figure", "Placed in"}, func(r view.StatusRow) []string {
		return []string{w.job(r), r.Figure, w.links(r.Placed, "")}
	})
	return w.b.Bytes()
}

type mdWriter struct {
	b         bytes.Buffer
	base, dir string
}

func (w *mdWriter) heading(title string, l view.StatusList) {
	fmt.Fprintf(&w.b, "\n### %s (%d)\n\n", mdText(title), l.Total)
}

func (w *mdWriter) note(s string) {
	if s != "" {
		fmt.Fprintf(&w.b, "%s\n\n", mdText(s))
	}
}

func (w *mdWriter) table(l view.StatusList, cols []string, cells func(view.StatusRow) []string) {
	if l.Total == 0 {
		w.b.WriteString("None.\n")
		return
	}
	fmt.Fprintf(&w.b, "| %s |\n|%s\n", strings.Join(cols, " | "), strings.Repeat("---|", len(cols)))
	for _, r := range l.Rows {
		cs := cells(r)
		for k := range cs {
			cs[k] = strings.ReplaceAll(cs[k], "|", `\|`)
		}
		fmt.Fprintf(&w.b, "| %s |\n", strings.Join(cs, " | "))
	}
	if m := l.More(); m > 0 {
		fmt.Fprintf(&w.b, "\n…and %s more.\n", strconv.Itoa(m))
	}
}

// link writes a markdown link; href is relative to a page in w.dir.
func (w *mdWriter) link(text, href string) string {
	return w.linkRaw(mdText(text), href)
}

// linkRaw is link with text that is already markdown.
func (w *mdWriter) linkRaw(md, href string) string {
	if w.base != "" && !strings.Contains(href, "://") {
		href = w.base + "/" + resolveRel(w.dir, href)
	}
	return "[" + md + "](" + strings.ReplaceAll(href, " ", "%20") + ")"
}

func (w *mdWriter) job(r view.StatusRow) string {
	s := w.linkRaw("`"+strings.NewReplacer("`", "'", "\n", " ").Replace(r.Job.Text)+"`", r.Job.Href)
	if r.ByDesign {
		s += " (by design)"
	}
	if r.ReleaseBlocking {
		s += " (release-blocking)"
	}
	return s
}

func (w *mdWriter) owner(r view.StatusRow) string {
	if r.Owner.Href == "" {
		return "none known"
	}
	s := w.link(r.Owner.Text, r.Owner.Href)
	if len(r.Also) > 0 {
		s += " (also " + w.links(r.Also, "") + ")"
	}
	return s
}

func (w *mdWriter) links(ls []view.Link, none string) string {
	if len(ls) == 0 {
		return none
	}
	out := make([]string, len(ls))
	for k, l := range ls {
		out[k] = w.link(l.Text, l.Href)
	}
	return strings.Join(out, ", ")
}

// resolveRel resolves a relative href against a directory: ("status/", "../jobs/x.html") → "jobs/x.html".
func resolveRel(dir, href string) string {
	for strings.HasPrefix(href, "../") {
		href = href[3:]
		dir = dir[:strings.LastIndexByte(strings.TrimSuffix(dir, "/"), '/')+1]
	}
	return dir + href
}

// mdText escapes what markdown would read as markup in text taken from content or snapshots.
func mdText(s string) string { return mdEscaper.Replace(s) }

var mdEscaper = strings.NewReplacer(`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "<", `\<`, ">", `\>`, "#", `\#`, "\n", " ")

func orElse(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
