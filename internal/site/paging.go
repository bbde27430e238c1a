package site

import (
	"strconv"
	"strings"

	"github.com/a-h/templ"

	"github.com/triagesite/triagesite/internal/view"
)

// listPage is one page of a long list made of sections (a status, a repository): which rows
// of which sections it shows.
type listPage struct {
	path  string
	spans []span
}

// span is rows [from, to) of one section. A section that began on an earlier page
// continues on this one.
type span struct {
	section, from, to int
}

func (s span) continued() bool { return s.from > 0 }

// renderList queues every page of the list at first, made of secs; page makes the component
// of page i on the worker that renders it.
func (b *builder) renderList(first string, secs []section, page func(pages []listPage, i int) templ.Component) error {
	pages := paginate(first, sizes(secs), b.listRows())
	for i, pg := range pages {
		if err := b.renderLazy(pg.path, func() templ.Component { return page(pages, i) }); err != nil {
			return err
		}
	}
	return nil
}

// paginate splits sections of the given sizes into pages of at most per rows, in order. A
// section is split only where a page is full, and an empty section still gets a place, so
// every section heading appears somewhere. The first page keeps the list's path.
func paginate(first string, sizes []int, per int) []listPage {
	pages := []listPage{{path: first}}
	room := per
	for sec, n := range sizes {
		from := 0
		for {
			if room == 0 && n > 0 { // an empty section's heading stays with the rows before it
				pages = append(pages, listPage{path: pagePath(first, len(pages)+1)})
				room = per
			}
			to := min(n, from+room)
			last := &pages[len(pages)-1]
			last.spans = append(last.spans, span{sec, from, to})
			room -= to - from
			from = to
			if from == n {
				break
			}
		}
	}
	return pages
}

// pagePath is where page k (from 1) of the list at first lives: "verification.html" is
// followed by "verification/2.html". A directory of its own keeps the page names clear of
// the pages beside the list (refs/<slug>.html).
func pagePath(first string, k int) string {
	if k == 1 {
		return first
	}
	return strings.TrimSuffix(first, ".html") + "/" + strconv.Itoa(k) + ".html"
}

// pager links the pages of a list from page i (from 0).
func pager(pages []listPage, i int) view.Pager {
	if len(pages) < 2 {
		return view.Pager{}
	}
	from := pages[i].path
	p := view.Pager{Current: i}
	for _, pg := range pages {
		p.Pages = append(p.Pages, view.Link{Href: rel(from, pg.path), Text: strconv.Itoa(len(p.Pages) + 1)})
	}
	return p
}

// section is a heading of a long list and how many rows it has.
type section struct {
	title, anchor string
	size          int
}

func sizes(secs []section) []int {
	out := make([]int, len(secs))
	for i, s := range secs {
		out[i] = s.size
	}
	return out
}

// contents links each section where it starts, from page i.
func contents(pages []listPage, i int, secs []section) []view.SectionLink {
	out := make([]view.SectionLink, len(secs))
	for k, pg := range pages {
		for _, s := range pg.spans {
			if s.continued() {
				continue
			}
			href := "#" + secs[s.section].anchor
			if k != i {
				href = rel(pages[i].path, pg.path) + href
			}
			out[s.section] = view.SectionLink{Link: view.Link{Href: href, Text: secs[s.section].title}, Count: secs[s.section].size}
		}
	}
	return out
}

// listTitle is the title of page i of a list: the list's own for the first page, with the
// page's number on the others.
func listTitle(title string, pages []listPage, i int) string {
	if i == 0 {
		return title
	}
	return title + ", page " + strconv.Itoa(i+1) + " of " + strconv.Itoa(len(pages))
}
