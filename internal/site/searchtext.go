package site

import (
	"maps"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/outline"
)

// searchTextPath is the second search index: the words people type that are no page's
// title (error text, Go identifiers, test names in code spans, quotes from logs, people).
// search.js fetches it with the first, on first use, so no page carries its weight.
const searchTextPath = "search-text.json"

var (
	codeSpan = regexp.MustCompile("`([^`\n]{3,100})`")
	quoted   = regexp.MustCompile(`[“"]([^”"\n]{6,100})[”"]`)
	mention  = regexp.MustCompile(`(?:^|[^\w/@.])@([A-Za-z0-9][A-Za-z0-9-]{1,38})\b`)
	// word is what eachWord finds; it stays as eachWord's test oracle.
	word = regexp.MustCompile(`[A-Za-z][A-Za-z0-9_]{3,}`)
)

// eachWord calls f with each match of word in s, in order, without a regexp: the words of
// every pattern's prose are indexed, and a byte scan is several times faster.
func eachWord(s string, f func(string)) {
	for i := 0; i < len(s); {
		if !isWordByte(s[i]) {
			i++
			continue
		}
		// A run of word bytes: a word starts at its first letter and takes the rest of it.
		end := i
		for end < len(s) && isWordByte(s[end]) {
			end++
		}
		start := i
		for start < end && !isLetter(s[start]) {
			start++
		}
		if end-start >= 4 {
			f(s[start:end])
		}
		i = end
	}
}

func isLetter(c byte) bool   { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isWordByte(c byte) bool { return isLetter(c) || '0' <= c && c <= '9' || c == '_' }

// searchTerm is an entry of the terms index: a searchEntry, and for a whole pattern or
// sub-pattern the distinct words of its text, which failure text is found by.
type searchTerm struct {
	searchEntry
	words string
}

// searchTerms lists every code span, quote and person in the patterns' prose and claims,
// each linking the pattern or sub-pattern that says it, once per place, sorted.
func (b *builder) searchTerms() []searchTerm {
	seen := map[searchEntry]bool{}
	var out []searchTerm
	add := func(kind, term, href, where string) {
		term = strings.Join(strings.Fields(term), " ")
		e := searchEntry{kind, term, href, where}
		if term != "" && !seen[e] {
			seen[e] = true
			out = append(out, searchTerm{searchEntry: e})
		}
	}
	body := func(bd *content.Body, href, where string) {
		prose := bd.Prose()
		for _, j := range bd.Jobs {
			prose = append(prose, j.Note)
		}
		for _, c := range bd.Citations {
			prose = append(prose, c.Note)
			add("quote", c.Quote, href, where)
			if c.Author != "" {
				add("person", "@"+strings.TrimPrefix(c.Author, "@"), href, where)
			}
		}
		words := map[string]bool{}
		for _, t := range append(prose, content.Markdown(bd.Title)) {
			eachWord(string(t), func(w string) { words[strings.ToLower(w)] = true })
		}
		out = append(out, searchTerm{searchEntry{"text", bd.Title, href, where}, strings.Join(slices.Sorted(maps.Keys(words)), " ")})
		for _, m := range prose {
			// Most prose has no backquote, quote mark or @: skip the regexps that need one.
			s := string(m)
			if strings.IndexByte(s, '`') >= 0 {
				for _, g := range codeSpan.FindAllStringSubmatch(s, -1) {
					add("code", g[1], href, where)
				}
				s = codeSpan.ReplaceAllString(s, "")
			}
			if strings.ContainsAny(s, `"“`) {
				for _, g := range quoted.FindAllStringSubmatch(s, -1) {
					add("quote", g[1], href, where)
				}
			}
			if strings.IndexByte(string(m), '@') >= 0 {
				for _, g := range mention.FindAllStringSubmatch(string(m), -1) {
					add("person", "@"+g[1], href, where)
				}
			}
		}
	}
	for _, p := range b.tree.Patterns {
		body(&p.Body, patternPath(p.Slug), "pattern "+p.Title)
		for i := range p.SubPatterns {
			s := &p.SubPatterns[i]
			body(&s.Body, patternPath(p.Slug)+"#"+outline.SubPatternAnchor(p.Slug, s.ID), s.Label+" in "+p.Title)
		}
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

// searchText writes the terms index, in the main index's shape with the words last:
// {"v":1,"pages":[[kind,term,href,where,words],…]}.
func (b *builder) searchText() error {
	terms := b.searchTerms()
	data, err := rowsJSON(len(terms), func(i int) [5]string {
		e := terms[i]
		return [5]string{e.kind, e.title, e.href, e.alt, e.words}
	}, 5)
	if err != nil {
		return err
	}
	return b.write(searchTextPath, data, "")
}
