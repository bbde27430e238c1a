package site_test

import (
	"bytes"
	"os"
	"testing"

	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/site"
)

// TestRenderOnlyBuildsTheSameSite holds the bundled site byte-identical whether the tree
// keeps what only lint reads (Tree.Prose, PosOf's positions) or not, as `build` loads it.
func TestRenderOnlyBuildsTheSameSite(t *testing.T) {
	full, err := content.Load(os.DirFS("../../content"), "content")
	if err != nil {
		t.Fatal(err)
	}
	slim, err := content.Load(os.DirFS("../../content"), "content", content.RenderOnly())
	if err != nil {
		t.Fatal(err)
	}
	if len(full.Prose) == 0 || len(slim.Prose) != 0 {
		t.Fatalf("Prose: %d spans in the full tree, %d in the render-only one; want some, then none", len(full.Prose), len(slim.Prose))
	}
	opts := site.Options{Version: "test", BaseURL: "https://triage.example/"}
	a, b := buildTreeWith(t, full, opts), buildTreeWith(t, slim, opts)
	if len(a) != len(b) {
		t.Errorf("%d pages from the full tree, %d from the render-only one", len(a), len(b))
	}
	for path, data := range a {
		if !bytes.Equal(data, b[path]) {
			t.Errorf("%s differs between the full and the render-only tree", path)
		}
	}
}
