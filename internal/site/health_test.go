package site_test

import (
	"bytes"
	"html"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/tdewolff/minify/v2"
	mhtml "github.com/tdewolff/minify/v2/html"

	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/site"
	"github.com/triagesite/triagesite/internal/sitetest"
	"github.com/triagesite/triagesite/internal/txtarfs"
)

// livingFixture is the minimal tree with the archives named under testdata/ of other
// packages laid over it, later ones replacing earlier ones' files.
func livingFixture(t *testing.T, archives ...string) fstest.MapFS {
	t.Helper()
	texts := []string{}
	for _, a := range append([]string{"../content/testdata/minimal.txtar"}, archives...) {
		data, err := os.ReadFile(a)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, string(data))
	}
	return txtarfs.FS(texts...)
}

// assertContains is Hugo's AssertFileContent: the page exists and holds every substring.
func assertContains(t *testing.T, out memSite, page string, subs ...string) {
	t.Helper()
	sitetest.AssertFileContent(t, out, page, subs...)
}

// assertMinified holds the pages whose paths start with one of prefixes to
// TestPagesAreMinified's bar.
func assertMinified(t *testing.T, out memSite, prefixes ...string) {
	t.Helper()
	m := minify.New()
	m.Add("text/html", &mhtml.Minifier{KeepDocumentTags: true, KeepEndTags: true, KeepQuotes: true})
	for path, got := range out {
		if !strings.HasSuffix(path, ".html") || !slices.ContainsFunc(prefixes, func(p string) bool { return strings.HasPrefix(path, p) }) {
			continue
		}
		var min bytes.Buffer
		if err := m.Minify("text/html", &min, bytes.NewReader(got)); err != nil {
			t.Fatalf("minify %s: %v", path, err)
		}
		if a, b := html.UnescapeString(string(got)), html.UnescapeString(min.String()); a != b {
			t.Errorf("%s is not minified; the minifier changes it at\n built:    %s\n minified: %s", path, around(a, b), around(b, a))
		}
	}
}

// The input-health page flags a {} file, a null file, a snapshot that lost more than half
// its jobs and a job that vanished and came back; the drift to the {} day says it was not
// compared instead of listing every job as removed; a stale snapshot is flagged on the home page.
func TestInputHealthPage(t *testing.T) {
	fsys := livingFixture(t, "../analyze/testdata/health.txtar")
	now := time.Date(2026, 5, 13, 12, 0, 0, 0, time.UTC)
	out := build(t, fsys, site.Options{Now: now, Minify: true})
	assertContains(t, out, "health.html",
		`id="failures-2026-05-06-empty"`, "The file is {}",
		`id="flakes-2026-05-10-empty"`, "The file is null",
		`id="failures-2026-05-08-drop"`, "Lists 2 jobs, down from 6 on 2026-05-07",
		`id="failures-2026-05-10-returned"`, `<a href="jobs/ci-c.html">ci-c (last seen 2026-05-07)</a>`,
		`id="failures-2026-05-10-stale"`, "3 days 6 hours old",
		"Ages are measured at 2026-05-13T12:00:00Z, the build&#39;s --now or SOURCE_DATE_EPOCH.")
	if strings.Contains(string(out["health.html"]), `id="failures-2026-05-07-returned"`) {
		t.Error("05-07 follows the {} day: its jobs did not come back, the file was empty")
	}
	assertContains(t, out, "drift/failures-2026-05-05-to-2026-05-06.html", "Not compared: the snapshot of 2026-05-06 lists no jobs")
	if strings.Contains(string(out["drift/failures-2026-05-05-to-2026-05-06.html"]), "ci-a") {
		t.Error("the drift to the {} day lists jobs")
	}
	assertContains(t, out, "index.html", `<strong class="stale">Stale:</strong> the newest failures snapshot (2026-05-10) is 3 days 6 hours old.`,
		`<a href="health.html">Input health</a>`, "not compared, an empty snapshot")
	assertMinified(t, out, "health.html", "index.html", "drift/")
	checkLinks(t, out)

	// Without --now nothing is stale, and the same input builds the same bytes.
	again := build(t, fsys, site.Options{})
	if strings.Contains(string(again["index.html"]), "Stale:") {
		t.Error("stale without a clock")
	}
	if b := build(t, fsys, site.Options{}); !bytes.Equal(b["health.html"], again["health.html"]) {
		t.Error("health.html differs between two builds of the same input")
	}
}

// The bundled content loads and its health page builds; a fetched snapshot of today would be
// judged the same way.
func TestInputHealthBundled(t *testing.T) {
	tree, err := content.Load(os.DirFS("../../content"), "content")
	if err != nil {
		t.Fatal(err)
	}
	out := buildTree(t, tree)
	assertContains(t, out, "health.html", "Newest snapshots")
}

// Status pages carry the input-health flags of their snapshot, in HTML and markdown.
func TestStatusPagesShowInputHealth(t *testing.T) {
	out := build(t, livingFixture(t, "../analyze/testdata/health.txtar"), site.Options{Now: time.Date(2026, 5, 13, 12, 0, 0, 0, time.UTC)})
	assertContains(t, out, "status/failures-2026-05-10.html", "<strong>Input health:</strong> stale: 3 days 6 hours old, older than 2 days; 1 job came back after a gap.")
	assertContains(t, out, "status/failures-2026-05-08.html", "it lists 2 jobs against 6 on 2026-05-07, fewer than half.")
	assertContains(t, out, "status/failures-2026-05-06.html", "the dashboard published {}: no job at all.")
	assertContains(t, out, "status/failures-2026-05-10.md", "**Input health:** stale")
	if strings.Contains(string(out["status/failures-2026-05-09.html"]), "Input health:") {
		t.Error("05-09 has nothing to flag")
	}
}
