// Package sitetest builds small sites from txtar trees written inside tests and asserts on their pages, as Hugo's integration tests do.
package sitetest

import (
	"context"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/site"
	"github.com/triagesite/triagesite/internal/txtarfs"
)

// Site is a built site held in memory: page path to bytes.
type Site struct {
	t     testing.TB
	mu    sync.Mutex
	pages map[string][]byte
}

// Build loads a content tree from archives (later ones replacing files of earlier ones, see
// txtarfs.FS) and builds it; a load or build error fails the test.
func Build(t testing.TB, opts site.Options, archives ...string) *Site {
	t.Helper()
	return BuildFS(t, txtarfs.FS(archives...), opts)
}

// BuildFS loads a content tree from fsys and builds it, for tests whose content is not all
// in archives (the bundled content with a few files added, say).
func BuildFS(t testing.TB, fsys fs.FS, opts site.Options) *Site {
	t.Helper()
	tree, err := content.Load(fsys, "content")
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	return BuildTree(t, tree, opts)
}

// BuildTree builds a loaded tree, for tests that change it after loading.
func BuildTree(t testing.TB, tree *content.Tree, opts site.Options) *Site {
	t.Helper()
	s := &Site{t: t, pages: map[string][]byte{}}
	if err := site.Build(context.Background(), tree, opts, s); err != nil {
		t.Fatalf("build: %v", err)
	}
	return s
}

// WritePage implements site.PageWriter.
func (s *Site) WritePage(path string, data []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, dup := s.pages[path]; dup {
		return fmt.Errorf("%s written twice", path)
	}
	s.pages[path] = append([]byte(nil), data...)
	return nil
}

// Page returns a page's bytes; a page that was not built fails the test.
func (s *Site) Page(path string) []byte {
	s.t.Helper()
	data, ok := s.pages[path]
	if !ok {
		s.t.Fatalf("%s was not built; built: %s", path, strings.Join(s.Paths(), ", "))
	}
	return data
}

// Pages returns every built page by path, for checks that walk the whole site.
func (s *Site) Pages() map[string][]byte { return s.pages }

// Paths lists the built pages in order.
func (s *Site) Paths() []string {
	out := make([]string, 0, len(s.pages))
	for p := range s.pages {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// AssertFileContent checks that the page holds every match. Each match is split into lines,
// trimmed, and each non-empty line is a substring the page must contain, or, after a leading
// "! ", must not. Lines let one raw string list several checks, as in Hugo.
func (s *Site) AssertFileContent(path string, matches ...string) {
	s.t.Helper()
	AssertFileContent(s.t, s.pages, path, matches...)
}

// AssertFileContent is Site.AssertFileContent for tests that keep built pages in a map of
// their own; a page that was not built is an error.
func AssertFileContent(t testing.TB, pages map[string][]byte, path string, matches ...string) {
	t.Helper()
	data, ok := pages[path]
	if !ok {
		t.Errorf("%s was not built", path)
		return
	}
	page := string(data)
	for _, m := range matches {
		for _, line := range strings.Split(m, "\n") {
			line = strings.TrimSpace(line)
			if line == "" {
				continue
			}
			if not, ok := strings.CutPrefix(line, "! "); ok {
				if i := strings.Index(page, not); i >= 0 {
					t.Errorf("%s holds %q, and must not:\n…%s…", path, not, around(page, i, len(not)))
				}
				continue
			}
			if !strings.Contains(page, line) {
				t.Errorf("%s lacks %q%s", path, line, nearest(page, line))
			}
		}
	}
}

// AssertFileExists checks whether a page was built.
func (s *Site) AssertFileExists(path string, exists bool) {
	s.t.Helper()
	if _, ok := s.pages[path]; ok != exists {
		s.t.Errorf("%s built: %v, want %v", path, ok, exists)
	}
}

// nearest shows where the longest prefix of want that the page holds stands, so that a
// failure on a one-line page points at the difference instead of printing it all.
func nearest(page, want string) string {
	lo, hi := 0, len(want) // the page holds want[:lo] and not want[:hi]
	for lo+1 < hi {
		mid := (lo + hi) / 2
		if strings.Contains(page, want[:mid]) {
			lo = mid
		} else {
			hi = mid
		}
	}
	if lo < 8 { // a prefix this short says nothing of where
		return ""
	}
	i := strings.Index(page, want[:lo])
	return fmt.Sprintf("; its first %d bytes stand here, then the page goes on differently:\n…%s…", lo, around(page, i, lo))
}

// around is the page near [i, i+n), with some context.
func around(page string, i, n int) string {
	const ctx = 80
	return page[max(0, i-ctx):min(len(page), i+n+ctx)]
}
