package site

import (
	"strconv"
	"strings"
)

// listName is the file name of the list page in jobs/, patterns/, sigs/ and the other
// directories of entity pages: no entity's page may take it.
const listName = "index"

// fileNames gives each name a file name of its own in one directory. A name keeps its slug
// when nothing else claims it; names whose slugs clash (pr:pull-x and pr_pull-x, or Foo and
// foo on a disk that ignores case) or that would take the list page's name get a "~2", "~3"
// suffix, which no slug holds. A name that is its own slug is served first, so adding a
// clashing name does not move an existing page. names must be sorted: the result then
// depends only on the set of names.
func fileNames(names []string, slug func(string) string) map[string]string {
	out := make(map[string]string, len(names))
	taken := map[string]bool{listName: true}
	claim := func(name string) {
		s := slug(name)
		file := s
		for n := 2; taken[strings.ToLower(file)]; n++ {
			file = s + "~" + strconv.Itoa(n)
		}
		taken[strings.ToLower(file)] = true
		out[name] = file
	}
	for _, name := range names {
		if slug(name) == name {
			claim(name)
		}
	}
	for _, name := range names {
		if _, done := out[name]; !done {
			claim(name)
		}
	}
	return out
}

// unlisted is a slug that cannot clash with another (pattern slugs and SIG ids are unique
// and path-safe), kept off the list page's name.
func unlisted(slug string) string {
	if strings.EqualFold(slug, listName) {
		return slug + "~2"
	}
	return slug
}

// jobPath is the page of a job: its own file name when the index gave it one.
func (b *builder) jobPath(name string) string {
	if b.index.names != nil {
		name = b.index.names.of(name) // any spelling (pr:pull-x, a shortened name) has its job's one page
	}
	if f, ok := b.index.jobFiles[name]; ok {
		return "jobs/" + f + ".html"
	}
	return "jobs/" + unlisted(JobSlug(name)) + ".html"
}
