package site_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"flag"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/site"
	"github.com/triagesite/triagesite/internal/txtarfs"
)

var update = flag.Bool("update", false, "rewrite golden files")

// memSite collects pages in memory.
type memSite map[string][]byte

// memWriter is safe for the build's concurrent writes.
type memWriter struct {
	mu    sync.Mutex
	pages memSite
}

func (m *memWriter) WritePage(path string, data []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, dup := m.pages[path]; dup {
		return os.ErrExist
	}
	m.pages[path] = append([]byte(nil), data...)
	return nil
}

func fixture(t *testing.T, override string) fstest.MapFS {
	t.Helper()
	return txtarfs.FS(minimalFixture(t), override)
}

func build(t *testing.T, fsys fstest.MapFS, opts site.Options) memSite {
	t.Helper()
	tree, err := content.Load(fsys, "content")
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return buildTreeWith(t, tree, opts)
}

func buildTree(t *testing.T, tree *content.Tree) memSite {
	return buildTreeWith(t, tree, site.Options{})
}

func buildTreeWith(t *testing.T, tree *content.Tree, opts site.Options) memSite {
	t.Helper()
	out := &memWriter{pages: memSite{}}
	if err := site.Build(context.Background(), tree, opts, out); err != nil {
		t.Fatalf("Build: %v", err)
	}
	return out.pages
}

// TestGoldenPages compares one page of each kind with a reviewed copy; -update rewrites them.
// Where a few substrings say more than a whole page, a test asserts them instead
// (sitetest.AssertFileContent; see pages_test.go).
func TestGoldenPages(t *testing.T) {
	out := build(t, fixture(t, ""), site.Options{Version: "test", BaseURL: "https://triage.example/"})
	pages := []string{
		"index.html", "reports/2026-05-10-failures.html", "reports/2026-05-10-failures.md",
		"patterns/node-flake.html", "sigs/sig-node.html", "jobs/ci-node-e2e-a.html",
		"drift/failures-2026-05-09-to-2026-05-10.html", "jobs/index.html",
		"refs/index.html", "refs/kubernetes-kubernetes-100.html",
		"actions.html", "search.html", "search-index.json", "feed.xml", "sitemap.xml",
		"status/failures-2026-05-10.html", "status/failures-2026-05-10.md", "status/index.html",
		"sigs/sig-node-digest.html", "sigs/sig-node-digest.xml",
	}
	for _, p := range pages {
		got, ok := out[p]
		if !ok {
			t.Errorf("page %s was not built; built: %v", p, keys(out))
			continue
		}
		golden := filepath.Join("testdata", "golden", strings.ReplaceAll(p, "/", "__"))
		if *update {
			if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test ./internal/site -update and review the diff)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s; run go test ./internal/site -update and review the diff", p, golden)
		}
	}
}

func keys(m memSite) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func TestBuildsAreByteIdentical(t *testing.T) {
	a := build(t, fixture(t, ""), site.Options{Minify: true})
	b := build(t, fixture(t, ""), site.Options{Minify: true})
	if len(a) != len(b) {
		t.Fatalf("%d pages, then %d", len(a), len(b))
	}
	for p, data := range a {
		if !bytes.Equal(data, b[p]) {
			t.Errorf("%s differs between two builds of the same input", p)
		}
	}
}

// TestLinksResolve follows every relative link and anchor in the built site, and in the
// search index, the feed and the sitemap.
func TestLinksResolve(t *testing.T) {
	out := build(t, fixture(t, ""), site.Options{})
	checkLinks(t, out)
	checkIndexLinks(t, out, "")
	if _, ok := out["sitemap.xml"]; ok {
		t.Error("sitemap.xml written without a base URL; the sitemap protocol needs absolute URLs")
	}
	abs := build(t, fixture(t, ""), site.Options{BaseURL: "https://triage.example/x/"})
	checkIndexLinks(t, abs, "https://triage.example/x/")
}

// checkIndexLinks follows the links of search-index.json, feed.xml and sitemap.xml.
func checkIndexLinks(t *testing.T, out memSite, base string) {
	t.Helper()
	resolve := func(from, href string) {
		if base != "" {
			if !strings.HasPrefix(href, base) {
				t.Errorf("%s: %s is not under the base URL %s", from, href, base)
				return
			}
			href = strings.TrimPrefix(href, base)
		}
		target, anchor, _ := strings.Cut(href, "#")
		dst, ok := out[target]
		if !ok {
			t.Errorf("%s links to %s: no such page", from, href)
			return
		}
		if anchor != "" && !strings.Contains(string(dst), `id="`+anchor+`"`) {
			t.Errorf("%s links to %s: no id %q there", from, href, anchor)
		}
	}
	var idx struct {
		V     int        `json:"v"`
		Pages [][]string `json:"pages"`
	}
	if err := json.Unmarshal(out["search-index.json"], &idx); err != nil {
		t.Fatalf("search-index.json: %v", err)
	}
	if idx.V != 1 || len(idx.Pages) == 0 {
		t.Errorf("search-index.json: version %d, %d pages", idx.V, len(idx.Pages))
	}
	kinds := map[string]bool{}
	for _, p := range idx.Pages {
		if len(p) != 4 {
			t.Fatalf("search-index.json: entry %q is not [kind, title, href, alt]", p)
		}
		kinds[p[0]] = true
		target, _, _ := strings.Cut(p[2], "#")
		if _, ok := out[target]; !ok {
			t.Errorf("search-index.json links to %s: no such page", p[2])
		}
	}
	for _, k := range []string{"report", "pattern", "sub-pattern", "SIG", "job", "ref"} {
		if !kinds[k] {
			t.Errorf("search-index.json has no %s", k)
		}
	}
	var feed struct {
		Links []struct {
			Href string `xml:"href,attr"`
		} `xml:"link"`
		Entries []struct {
			Updated string `xml:"updated"`
			Links   []struct {
				Href string `xml:"href,attr"`
			} `xml:"link"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(out["feed.xml"], &feed); err != nil {
		t.Fatalf("feed.xml: %v", err)
	}
	if len(feed.Entries) == 0 {
		t.Error("feed.xml has no entries")
	}
	for _, e := range feed.Entries {
		if e.Updated != "2026-05-10T00:00:00Z" {
			t.Errorf("feed.xml: entry updated %q, want the report's date", e.Updated)
		}
		for _, l := range e.Links {
			resolve("feed.xml", l.Href)
		}
	}
	for _, l := range feed.Links {
		resolve("feed.xml", l.Href)
	}
	if base == "" {
		return
	}
	var sm struct {
		URLs []struct {
			Loc string `xml:"loc"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(out["sitemap.xml"], &sm); err != nil {
		t.Fatalf("sitemap.xml: %v", err)
	}
	html := 0
	for p := range out {
		if strings.HasSuffix(p, ".html") && p != "404.html" {
			html++
		}
	}
	if len(sm.URLs) != html {
		t.Errorf("sitemap.xml lists %d URLs; the site has %d pages besides 404.html", len(sm.URLs), html)
	}
	for _, u := range sm.URLs {
		resolve("sitemap.xml", u.Loc)
	}
}

func checkLinks(t *testing.T, out memSite) {
	t.Helper()
	for page, data := range out {
		if !strings.HasSuffix(page, ".html") {
			continue
		}
		for _, href := range hrefs(string(data)) {
			if strings.Contains(href, "://") || strings.HasPrefix(href, "mailto:") {
				continue
			}
			target, anchor, _ := strings.Cut(href, "#")
			if target == "" {
				target = page
			} else {
				target = filepath.ToSlash(filepath.Join(filepath.Dir(page), target))
			}
			dst, ok := out[target]
			if !ok {
				t.Errorf("%s links to %s: no such page", page, href)
				continue
			}
			if anchor != "" && !strings.Contains(string(dst), `id="`+anchor+`"`) {
				t.Errorf("%s links to %s: no id %q there", page, href, anchor)
			}
		}
	}
}

func hrefs(html string) []string {
	var out []string
	for _, part := range strings.Split(html, `href="`)[1:] {
		if end := strings.IndexByte(part, '"'); end >= 0 {
			out = append(out, strings.ReplaceAll(part[:end], "&amp;", "&"))
		}
	}
	return out
}

// TestContentIsEscaped puts markup and script URLs in every kind of field and job name.
func TestContentIsEscaped(t *testing.T) {
	hostile := `
-- snapshots/failures/2026-05-10.json --
{"ci-node-e2e-a": {"failing_days": 10}, "<script>alert(1)</script>": {"failing_days": 1}, "x\"onmouseover=\"alert(2)": {"failing_days": 2}}
-- patterns/node-flake.yaml --
slug: node-flake
dataset: failures
title: <img src=x onerror=alert(3)>
summary: "<script>alert(4)</script> [click](javascript:alert(5))"
jobs:
  - name: <script>alert(1)</script>
    note: <b onclick=alert(6)>x</b>
fix:
  sketches:
    - file: "</code><script>alert(7)</script>"
      lang: '"><script>alert(8)</script>'
      code: </pre><script>alert(9)</script>
    - file: k/k:a.go:1
      lang: diff
      code: "+ <script>alert(10)</script>"
`
	out := build(t, fixture(t, hostile), site.Options{BaseURL: "https://triage.example"})
	for _, p := range []string{"search-index.json", "feed.xml", "sitemap.xml", "search.html", "actions.html", "refs/index.html"} {
		if _, ok := out[p]; !ok {
			t.Errorf("no %s: the escaping test must cover it", p)
		}
	}
	for page, data := range out {
		s := string(data)
		bads := []string{"<script", "<img", "<b ", `href="javascript:`, `"onmouseover=`}
		switch {
		case strings.HasSuffix(page, ".md"):
			// Markdown keeps code spans verbatim (they are inert); tags and script links outside them are not.
			bads = []string{"— <b", "\n<script", "](javascript:"}
		case strings.HasSuffix(page, ".json"):
			// encoding/json escapes <, > and &: nothing in the index can close a tag it is put in.
			bads = []string{"<", ">", "&"}
			var v any
			if err := json.Unmarshal(data, &v); err != nil {
				t.Errorf("%s is not JSON: %v", page, err)
			}
		case strings.HasSuffix(page, ".xml"):
			bads = []string{"<script", "<img", "<b "}
			dec := xml.NewDecoder(bytes.NewReader(data))
			for {
				_, err := dec.Token()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Errorf("%s is not well-formed XML: %v", page, err)
					break
				}
			}
		case strings.HasSuffix(page, ".html"):
			// The site's own scripts are files under assets/; nothing else may be a script.
			s = ownScripts.ReplaceAllString(s, "")
		}
		for _, bad := range bads {
			if strings.Contains(s, bad) {
				i := strings.Index(s, bad)
				t.Errorf("%s contains %q unescaped: …%s…", page, bad, s[max(0, i-60):min(len(s), i+60)])
			}
		}
	}
}

var ownScripts = regexp.MustCompile(`<script src="(https://triage\.example/|/)?(\.\./)*assets/(site|search)\.js"( defer)?></script>`)

// TestPagesFitTheCSP checks what netlify.toml's Content-Security-Policy forbids: no inline
// script, no event-handler attribute, no style attribute (SVG charts included), and no
// script from anywhere but the site's assets.
func TestPagesFitTheCSP(t *testing.T) {
	out := build(t, fixture(t, ""), site.Options{BaseURL: "https://triage.example"})
	styleAttr := regexp.MustCompile(`\sstyle=`)
	handler := regexp.MustCompile(`\son[a-z]+=`)
	script := regexp.MustCompile(`<script[^>]*>`)
	own := regexp.MustCompile(`^<script src="(https://triage\.example/|/)?(\.\./)*assets/[a-z]+\.js"( defer)?>$`)
	for page, data := range out {
		if !strings.HasSuffix(page, ".html") {
			continue
		}
		s := string(data)
		if styleAttr.MatchString(s) {
			t.Errorf("%s has a style attribute; style-src 'self' forbids it", page)
		}
		if m := handler.FindString(s); m != "" {
			t.Errorf("%s has an event-handler attribute %q", page, m)
		}
		for _, tag := range script.FindAllString(s, -1) {
			if !own.MatchString(tag) {
				t.Errorf("%s has %s; only the site's own script files may run", page, tag)
			}
		}
	}
	for _, p := range []string{"assets/site.js", "assets/search.js", "assets/site.css"} {
		if _, ok := out[p]; !ok {
			t.Errorf("no %s", p)
		}
	}
	toml, err := os.ReadFile("../../netlify.toml")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"script-src 'self'", "connect-src 'self'", "style-src 'self'", "form-action 'self'"} {
		if !strings.Contains(string(toml), d) {
			t.Errorf("netlify.toml's Content-Security-Policy lacks %s, which the site needs", d)
		}
	}
}

// TestSIGPagesListOnlyTheirActions: an action that names its owner SIGs is on their pages
// alone, even when another SIG owns its pattern; one that names none falls to the pattern's.
func TestSIGPagesListOnlyTheirActions(t *testing.T) {
	tree, err := content.Load(fixture(t, ""), "content")
	if err != nil {
		t.Fatal(err)
	}
	r := tree.Reports[0]
	r.Tiers = append(r.Tiers, content.Tier{Tier: 2, Title: "Fix", Items: []content.Action{
		{ID: "2.7", Action: "Testing owns this one", Pattern: "node-flake", SIGs: []string{"sig-testing"}},
		{ID: "2.8", Action: "The pattern's owners own this one", Pattern: "node-flake"},
	}})
	out := buildTree(t, tree)
	node, sigTesting := string(out["sigs/sig-node.html"]), string(out["sigs/sig-testing.html"])
	if strings.Contains(node, "Testing owns this one") || !strings.Contains(sigTesting, "Testing owns this one") {
		t.Error("an action naming sig-testing is not on sig-testing's page alone")
	}
	if !strings.Contains(node, "The pattern&#39;s owners own this one") && !strings.Contains(node, "The pattern's owners own this one") {
		t.Error("an action naming no SIG is not on the page of its pattern's owner")
	}
}
