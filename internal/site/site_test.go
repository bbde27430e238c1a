package site_test

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
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
	data, err := os.ReadFile("../content/testdata/minimal.txtar")
	if err != nil {
		t.Fatal(err)
	}
	return txtarfs.FS(string(data), override)
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
func TestGoldenPages(t *testing.T) {
	out := build(t, fixture(t, ""), site.Options{Version: "test", BaseURL: "https://triage.example/"})
	pages := []string{
		"index.html", "reports/2026-05-10-failures.html", "reports/2026-05-10-failures.md",
		"patterns/node-flake.html", "sigs/sig-node.html", "jobs/ci-node-e2e-a.html",
		"drift/failures-2026-05-09-to-2026-05-10.html", "jobs/index.html",
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

// TestLinksResolve follows every relative link and anchor in the built site.
func TestLinksResolve(t *testing.T) {
	checkLinks(t, build(t, fixture(t, ""), site.Options{}))
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
`
	out := build(t, fixture(t, hostile), site.Options{})
	for page, data := range out {
		s := string(data)
		bads := []string{"<script", "<img", "<b ", `href="javascript:`, `"onmouseover=`}
		if strings.HasSuffix(page, ".md") {
			// Markdown keeps code spans verbatim (they are inert); tags and script links outside them are not.
			bads = []string{"— <b", "\n<script", "](javascript:"}
		}
		for _, bad := range bads {
			if strings.Contains(s, bad) {
				i := strings.Index(s, bad)
				t.Errorf("%s contains %q unescaped: …%s…", page, bad, s[max(0, i-60):min(len(s), i+60)])
			}
		}
	}
}
