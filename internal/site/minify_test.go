package site_test

import (
	"bytes"
	"html"
	"os"
	"strings"
	"testing"

	"github.com/tdewolff/minify/v2"
	mhtml "github.com/tdewolff/minify/v2/html"

	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/site"
	"github.com/triagesite/triagesite/internal/synth"
)

// TestPagesAreMinified runs tdewolff's HTML minifier, set up as the build sets it up, over
// every page of the bundled site and of a small synthetic one, and requires it to find
// nothing to remove. The build does not minify whole pages (that pass was 40% of its CPU):
// templates are written minified, and prose, code and assets go through minify on their
// own. This test is what keeps that true when a template changes. The one difference
// allowed is how a character is spelled: templ escapes quotes in text as &#34;, which the
// minifier writes as a bare quote. Both sides are unescaped before they are compared, so
// any whitespace, attribute or tag the minifier would drop still fails.
func TestPagesAreMinified(t *testing.T) {
	dir := t.TempDir()
	if err := synth.Write(dir, synth.Small); err != nil {
		t.Fatal(err)
	}
	for _, src := range []struct{ name, dir string }{{"bundled", "../../content"}, {"synthetic", dir}} {
		t.Run(src.name, func(t *testing.T) {
			tree, err := content.Load(os.DirFS(src.dir), "content")
			if err != nil {
				t.Fatal(err)
			}
			pages := buildTreeWith(t, tree, site.Options{Minify: true})
			m := minify.New()
			m.Add("text/html", &mhtml.Minifier{KeepDocumentTags: true, KeepEndTags: true, KeepQuotes: true})
			bad := 0
			for _, path := range keys(pages) {
				if !strings.HasSuffix(path, ".html") {
					continue
				}
				got := pages[path]
				var min bytes.Buffer
				if err := m.Minify("text/html", &min, bytes.NewReader(got)); err != nil {
					t.Fatalf("minify %s: %v", path, err)
				}
				if a, b := html.UnescapeString(string(got)), html.UnescapeString(min.String()); a != b {
					bad++
					if bad <= 5 {
						t.Errorf("%s is not minified; the minifier changes it at\n built:    %s\n minified: %s", path, around(a, b), around(b, a))
					}
				}
			}
			if bad > 5 {
				t.Errorf("… and %d more pages", bad-5)
			}
		})
	}
}

// around quotes a near the first byte where it differs from b.
func around(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	lo, hi := max(0, i-60), min(len(a), i+60)
	return strings.ReplaceAll(a[lo:hi], "\n", "⏎")
}
