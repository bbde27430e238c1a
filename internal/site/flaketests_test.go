package site_test

import (
	"encoding/json"
	"os"
	"path"
	"regexp"
	"strings"
	"testing"

	"github.com/triagesite/triagesite/internal/site"
	"github.com/triagesite/triagesite/internal/txtarfs"
)

const sigNodeTest = `[sig-node] Pods should run <once> & "quit" [Conformance]`

// longTest is the fixture's long test name.
var longTest = "[sig-storage] " + strings.Repeat("CSI Volumes should keep working ", 10) + "[Slow]"

// flakyFixture builds the minimal tree with testdata/flaketests.txtar.
func flakyFixture(t *testing.T) memSite {
	t.Helper()
	var texts []string
	for _, name := range []string{"../content/testdata/minimal.txtar", "testdata/flaketests.txtar"} {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, string(data))
	}
	return build(t, txtarfs.FS(texts...), site.Options{Minify: true})
}

// testRow is a row of the flaky-test list: the test's link, relative to tests/.
var testRow = regexp.MustCompile(`<tr><td><a href="([^"]+\.html)">([^<]+)</a></td>`)

func TestFlakyTestPages(t *testing.T) {
	out := flakyFixture(t)
	// The list: tests in several jobs ranked (3 jobs, then 2), then the rest by name.
	list := string(out["tests/index.html"])
	var names, paths []string
	for _, l := range testRow.FindAllStringSubmatch(list, -1) {
		names = append(names, l[2])
		paths = append(paths, path.Join("tests", l[1]))
	}
	want := []string{
		"[sig-node] Pods should run &lt;once&gt; &amp; &#34;quit&#34; [Conformance]",
		"TestRegistrationHandler/manage-resource-slices",
		"TestA", longTest, "index", "testa", "Überprüfung",
	}
	if strings.Join(names, "\n") != strings.Join(want, "\n") {
		t.Errorf("tests listed:\n%s\nwant\n%s", strings.Join(names, "\n"), strings.Join(want, "\n"))
	}
	for _, old := range []string{"TestOld"} {
		if strings.Contains(list, old) {
			t.Errorf("%s, from a job no longer listed, is in the list", old)
		}
	}
	// Every test has its own page; names that are not file names are hashed, stable ones kept.
	seen := map[string]bool{}
	for _, p := range paths {
		lower := strings.ToLower(p)
		if seen[lower] {
			t.Errorf("two tests share %s (ignoring case)", p)
		}
		seen[lower] = true
		if _, ok := out[p]; !ok {
			t.Errorf("%s linked but not built", p)
		}
		if len(p) > 100 {
			t.Errorf("%s: %d bytes", p, len(p))
		}
	}
	for _, p := range []string{"tests/TestA.html", "tests/sig-node__Pods_should_run__once_____quit___Conformance~", "tests/index~", "tests/TestRegistrationHandler_manage-resource-slices~"} {
		if !strings.Contains(strings.Join(paths, " "), p) {
			t.Errorf("no test page path starts %s: %v", p, paths)
		}
	}
	if strings.Contains(strings.Join(paths, " "), "tests/testa.html") {
		t.Error("testa and TestA would share a file on a case-insensitive disk")
	}
	assertContains(t, out, "tests/index.html", "Tests that flake in several jobs (2)", "Tests that flake in one job (5)")
	// A test's page lists its jobs, most flakes first, with their figures.
	var sigNode string
	for i, n := range names {
		if strings.HasPrefix(n, "[sig-node]") {
			sigNode = paths[i]
		}
	}
	assertContains(t, out, sigNode, "<h1><code>[sig-node] Pods should run &lt;once&gt; &amp; &#34;quit&#34; [Conformance]</code></h1>",
		"Flaked 6 times in 3 jobs in the flakes snapshot of 2026-05-10",
		`<a href="../jobs/ci-node-e2e-a.html">ci-node-e2e-a</a></td><td>3</td><td>c=0.8, flakes=4</td>`)
	page := string(out[sigNode])
	if a, c := strings.Index(page, "ci-node-e2e-a.html"), strings.Index(page, "pull-flaky-c.html"); a < 0 || c < 0 || a > c {
		t.Error("jobs not in order of flakes (3, 2, 1)")
	}
	// A job's page links its tests.
	assertContains(t, out, "jobs/pull-flaky-c.html", `<h2 id="tests">Flaky tests (4)</h2>`, `href="../`+sigNode+`"`)
	// Search covers test names.
	var idx struct{ Pages [][]string }
	if err := json.Unmarshal(out["search-index.json"], &idx); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, p := range idx.Pages {
		if p[0] == "test" && p[1] == sigNodeTest && p[2] == sigNode {
			found = true
		}
	}
	if !found {
		t.Errorf("search-index.json has no test entry for %q at %s", sigNodeTest, sigNode)
	}
	assertMinified(t, out, "tests/", "jobs/")
	checkLinks(t, out)
	checkIndexLinks(t, out, "")
	// Stable: the same input names every page the same.
	again := flakyFixture(t)
	for _, p := range paths {
		if _, ok := again[p]; !ok {
			t.Errorf("%s not built again", p)
		}
	}
}
