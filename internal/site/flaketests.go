package site

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"

	"github.com/a-h/templ"

	"github.com/triagesite/triagesite/internal/analyze"
	"github.com/triagesite/triagesite/internal/snapshot"
	"github.com/triagesite/triagesite/internal/view"
	"github.com/triagesite/triagesite/templates"
)

const flakyTestsPath = "tests/index.html"

// flakyIndex is the flaky tests of the newest flakes snapshot that lists jobs, with the
// file name of each test's page.
type flakyIndex struct {
	day    snapshot.Day // zero when no flakes snapshot lists a job
	tests  []analyze.FlakyTest
	byName map[string]int // test -> index in tests
	paths  []string       // by index in tests
}

func buildFlakyIndex(h *snapshot.History) *flakyIndex {
	x := &flakyIndex{byName: map[string]int{}}
	day, ok := analyze.NewestListing(h)
	if !ok {
		return x
	}
	x.day, x.tests = day, analyze.FlakyTests(h, day)
	x.paths = testPaths(x.tests)
	for i, t := range x.tests {
		x.byName[t.Name] = i
	}
	return x
}

// testPaths names each test's page. Test names run to hundreds of characters of brackets,
// spaces and colons ("[sig-node] Pods [Conformance] should …"), so a name that is not
// already a short safe file name keeps a readable prefix and gains "~" and a hash of the
// whole name: the same test gets the same page from one build to the next, whatever other
// tests come and go. Plain names never hold "~", so the two kinds cannot meet. Names that
// differ only in case would share a file on a case-insensitive disk, and "index" is the
// list's own page; both take the hashed form, and a hash prefix clash (never seen) a "~n".
func testPaths(tests []analyze.FlakyTest) []string {
	used := map[string]bool{"index": true}
	out := make([]string, len(tests))
	for i, t := range tests {
		slug := plainTestSlug(t.Name)
		if slug == "" || used[strings.ToLower(slug)] {
			slug = hashedTestSlug(t.Name)
		}
		base := slug
		for n := 2; used[strings.ToLower(slug)]; n++ {
			slug = base + "~" + strconv.Itoa(n)
		}
		used[strings.ToLower(slug)] = true
		out[i] = "tests/" + slug + ".html"
	}
	return out
}

// maxPlainSlug keeps file names well under the 255 bytes file systems allow.
const maxPlainSlug = 80

// plainTestSlug is the name itself when it is a short, safe file name, else "".
func plainTestSlug(name string) string {
	if name == "" || len(name) > maxPlainSlug || JobSlug(name) != name || strings.HasPrefix(name, ".") {
		return ""
	}
	return name
}

// hashedTestSlug is a readable prefix of the name, made safe, then "~" and 12 hex digits of
// its sha256.
func hashedTestSlug(name string) string {
	prefix := strings.Trim(JobSlug(name), "._-")
	if len(prefix) > 60 { // JobSlug's output is ASCII, so any cut is whole characters
		prefix = strings.TrimRight(prefix[:60], "._-")
	}
	sum := sha256.Sum256([]byte(name))
	return prefix + "~" + hex.EncodeToString(sum[:6])
}

// flakyTests renders a page per flaky test and the list of them.
func (b *builder) flakyTests(ctx context.Context) error {
	x := b.flaky
	for i := range x.tests {
		if err := b.renderLazy(x.paths[i], func() templ.Component { return templates.FlakyTestPage(b.flakyTestView(i)) }); err != nil {
			return err
		}
	}
	l := b.flakyList()
	return b.renderList(flakyTestsPath, l.sections, func(pages []listPage, i int) templ.Component {
		return templates.FlakyTestsPage(b.flakyTestsView(l, pages, i))
	})
}

func (b *builder) flakyTestView(i int) view.FlakyTest {
	x, t, path := b.flaky, b.flaky.tests[i], b.flaky.paths[i]
	v := view.FlakyTest{Page: b.page(t.Name, path, "tests"), Name: t.Name, Snapshot: x.day.Date(), Total: t.Total,
		Index: view.Link{Href: rel(path, flakyTestsPath), Text: "all flaky tests"}}
	for _, j := range t.Jobs {
		row := b.jobRow(j.Job, path, x.day)
		v.Jobs = append(v.Jobs, view.TestJobRow{Link: row.Link, Count: j.Count, Figure: row.Figure, Severity: row.Severity,
			ReleaseBlocker: row.Release})
	}
	return v
}

// flakyList is the list page's two sections: tests in several jobs, ranked, then the rest.
type flakyList struct {
	sections []section
	rows     [][]int // by section: indices into the index's tests
}

func (b *builder) flakyList() *flakyList {
	x := b.flaky
	var several, one []int
	for _, t := range analyze.BySpread(x.tests) {
		several = append(several, x.byName[t.Name])
	}
	for i, t := range x.tests {
		if len(t.Jobs) == 1 {
			one = append(one, i)
		}
	}
	return &flakyList{
		sections: []section{{title: "Tests that flake in several jobs", anchor: "several", size: len(several)},
			{title: "Tests that flake in one job", anchor: "one", size: len(one)}},
		rows: [][]int{several, one},
	}
}

var flakySectionIntro = []string{
	"Most jobs first, then most flakes. A test that flakes in many jobs is more likely the test's own fault than any one job's.",
	"By name.",
}

func (b *builder) flakyTestsView(l *flakyList, pages []listPage, i int) view.FlakyTests {
	x, path := b.flaky, pages[i].path
	v := view.FlakyTests{Page: b.page(listTitle("Flaky tests", pages, i), path, "tests"), Total: len(x.tests),
		Pager: pager(pages, i), Paged: len(pages) > 1, Contents: contents(pages, i, l.sections)}
	if !x.day.IsZero() {
		v.Snapshot = x.day.Date()
	}
	for _, sp := range pages[i].spans {
		sec := l.sections[sp.section]
		fs := view.FlakyTestSection{Anchor: sec.anchor, Title: sec.title, Intro: flakySectionIntro[sp.section], Count: sec.size, Continued: sp.continued()}
		for _, k := range l.rows[sp.section][sp.from:sp.to] {
			t := x.tests[k]
			fs.Rows = append(fs.Rows, view.FlakyTestRow{Link: view.Link{Href: rel(path, x.paths[k]), Text: t.Name}, Jobs: len(t.Jobs), Total: t.Total})
		}
		v.Sections = append(v.Sections, fs)
	}
	return v
}

// jobTests are the tests a job flaked on in the flaky-test snapshot, for its page.
func (b *builder) jobTests(name, path string) view.JobTests {
	x := b.flaky
	if x.day.IsZero() {
		return view.JobTests{}
	}
	if _, ok := x.day.Job(name); !ok {
		return view.JobTests{}
	}
	v := view.JobTests{Snapshot: x.day.Date()}
	for _, tf := range b.index.history[snapshot.Flakes].TestFlakes(name) {
		i := x.byName[tf.Test]
		v.Tests = append(v.Tests, view.TestCount{Link: view.Link{Href: rel(path, x.paths[i]), Text: tf.Test}, Count: tf.Count, Jobs: len(x.tests[i].Jobs)})
	}
	return v
}

// testSearchEntries are the flaky tests, for search.
func (b *builder) testSearchEntries() []searchEntry {
	x := b.flaky
	out := make([]searchEntry, 0, len(x.tests))
	for i, t := range x.tests {
		out = append(out, searchEntry{"test", t.Name, x.paths[i], "flaky test, " + count(len(t.Jobs), "job", "jobs")})
	}
	return out
}
