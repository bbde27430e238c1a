package site

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"slices"
	"sort"
	"strings"
	"unicode"

	"github.com/a-h/templ"

	"github.com/triagesite/triagesite/internal/outline"
	"github.com/triagesite/triagesite/internal/view"
	"github.com/triagesite/triagesite/templates"
)

const (
	searchPath      = "search.html"
	searchIndexPath = "search-index.json"
)

// searchEntry is one page a reader can search for.
type searchEntry struct {
	kind, title, href, alt string // href from the site root
}

// searchEntries lists reports, patterns and their sub-patterns, SIGs, jobs and refs, sorted
// by title so that the index and the search page are the same for the same content.
func (b *builder) searchEntries() []searchEntry {
	var out []searchEntry
	for _, r := range b.tree.Reports {
		out = append(out, searchEntry{"report", r.Title, reportPath(r.ID), r.Date + " " + r.Dataset})
	}
	for _, p := range b.tree.Patterns {
		out = append(out, searchEntry{"pattern", p.Title, patternPath(p.Slug), p.Slug + " " + p.Dataset})
		for _, s := range p.SubPatterns {
			out = append(out, searchEntry{"sub-pattern", s.Label + " " + s.Title, patternPath(p.Slug) + "#" + outline.SubPatternAnchor(p.Slug, s.ID), p.Title})
		}
	}
	for _, s := range b.tree.SIGs {
		out = append(out, searchEntry{"SIG", s.Name, sigPath(s.ID), s.ID + " " + s.Label})
	}
	for _, name := range b.index.jobs {
		out = append(out, searchEntry{"job", name, b.jobPath(name), b.index.category[name]})
	}
	out = append(out, b.testSearchEntries()...)
	for _, e := range b.refs.entries {
		alt := e.ref.String()
		for _, c := range e.claims {
			if c.claim.Title != "" && !strings.Contains(alt, c.claim.Title) {
				alt += " " + c.claim.Title
			}
		}
		out = append(out, searchEntry{"ref", e.ref.Short(b.tree.Alias(e.ref.Repo)), e.path, alt})
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := strings.ToLower(out[i].title), strings.ToLower(out[j].title)
		if a != b {
			return a < b
		}
		return out[i].href < out[j].href
	})
	return out
}

// search writes the search index that assets/search.js reads, and search.html, which lists
// every entry alphabetically so that the header's search form works without JavaScript.
//
// The index is {"v":1,"pages":[[kind,title,href,alt],…]}: arrays, not objects, to stay small
// with ten thousand jobs; the script lower-cases titles once when it loads. encoding/json
// escapes <, > and & so a job name cannot close anything it is embedded in.
func (b *builder) search(ctx context.Context) error {
	entries := b.searchEntries()
	data, err := rowsJSON(len(entries), func(i int) [5]string {
		e := entries[i]
		return [5]string{e.kind, e.title, e.href, e.alt}
	}, 4)
	if err != nil {
		return err
	}
	if err := b.write(searchIndexPath, data, ""); err != nil {
		return err
	}
	if err := b.searchText(); err != nil {
		return err
	}
	l := searchList(entries)
	return b.renderList(searchPath, l.sections, func(pages []listPage, i int) templ.Component {
		return templates.SearchPage(b.searchView(l, pages, i))
	})
}

// alphabetical is the search list: entries grouped by initial, "#" first.
type alphabetical struct {
	total    int
	sections []section
	entries  [][]searchEntry // by section
}

func searchList(entries []searchEntry) *alphabetical {
	byLetter := map[string][]searchEntry{}
	for _, e := range entries {
		letter := initial(e.title)
		byLetter[letter] = append(byLetter[letter], e)
	}
	l := &alphabetical{total: len(entries)}
	for _, letter := range slices.Sorted(maps.Keys(byLetter)) { // "#" sorts before the letters
		anchor := "letter-" + strings.ToLower(letter)
		if letter == "#" {
			anchor = "letter-other"
		}
		l.sections = append(l.sections, section{title: letter, anchor: anchor, size: len(byLetter[letter])})
		l.entries = append(l.entries, byLetter[letter])
	}
	return l
}

// searchView is page i of the search list.
func (b *builder) searchView(l *alphabetical, pages []listPage, i int) view.Search {
	path := pages[i].path
	v := view.Search{Page: b.page(listTitle("Search", pages, i), path, "search"), Total: l.total,
		Pager: pager(pages, i), Paged: len(pages) > 1}
	for _, c := range contents(pages, i, l.sections) {
		v.Initials = append(v.Initials, c.Link)
	}
	for _, sp := range pages[i].spans {
		sec := l.sections[sp.section]
		sl := view.SearchLetter{Anchor: sec.anchor, Letter: sec.title, Continued: sp.continued()}
		for _, e := range l.entries[sp.section][sp.from:sp.to] {
			sl.Items = append(sl.Items, view.SearchItem{Link: view.Link{Href: rel(path, e.href), Text: e.title}, Kind: e.kind, Alt: e.alt})
		}
		v.Letters = append(v.Letters, sl)
	}
	return v
}

// initial is the letter a title is listed under; titles that start with anything but a
// letter share "#". Entries are sorted by lower-cased title, so digits and signs come first.
func initial(title string) string {
	for _, r := range title {
		if r < 128 && unicode.IsLetter(r) {
			return strings.ToUpper(string(r))
		}
		return "#"
	}
	return "#"
}

// rowsJSON writes {"v":1,"pages":[row, …]} as json.Encoder writes the whole value, each row
// the first width strings of row(i), into one buffer sized up front. At 6,000 patterns each
// search file is over 20 MB, and the encoder's copy of the whole value beside a buffer
// doubling as it filled held about four times that at the build's peak.
func rowsJSON(n int, row func(i int) [5]string, width int) ([]byte, error) {
	size := len(`{"v":1,"pages":[]}`) + 1
	for i := range n {
		r := row(i)
		for _, s := range r[:width] {
			size += len(s) + 3 // quotes and a comma
		}
		size += 2
	}
	buf := bytes.NewBuffer(make([]byte, 0, size+size/16)) // room for escapes
	buf.WriteString(`{"v":1,"pages":[`)
	enc := json.NewEncoder(buf)
	for i := range n {
		if i > 0 {
			buf.WriteByte(',')
		}
		r := row(i)
		if err := enc.Encode(r[:width]); err != nil {
			return nil, err
		}
		buf.Truncate(buf.Len() - 1) // Encode ends every value with a newline
	}
	buf.WriteString("]}\n")
	return buf.Bytes(), nil
}
