package site_test

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/site"
)

// A pattern page rendered on its own from a pattern file that did not change is the page the
// full build wrote, byte for byte: the fast render leaves nothing out.
func TestRenderPatternIsTheBuiltPage(t *testing.T) {
	fsys := os.DirFS("../../content")
	tree, err := content.Load(fsys, "content")
	if err != nil {
		t.Fatal(err)
	}
	out := &memWriter{pages: memSite{}}
	prepared, err := site.BuildPrepared(context.Background(), tree, site.Options{Minify: true}, out)
	if err != nil {
		t.Fatal(err)
	}
	if len(tree.Patterns) == 0 {
		t.Fatal("the bundled content has no patterns")
	}
	for _, old := range tree.Patterns {
		p, err := content.LoadPattern(fsys, "content", "patterns/"+old.Slug+".yaml", tree)
		if err != nil {
			t.Fatalf("LoadPattern %s: %v", old.Slug, err)
		}
		path, data, err := prepared.RenderPattern(context.Background(), p)
		if err != nil {
			t.Fatal(err)
		}
		if want := out.pages[path]; !bytes.Equal(data, want) {
			t.Errorf("%s rendered alone (%d bytes) differs from the built page (%d bytes)", path, len(data), len(want))
		}
	}
}

func TestRenderPatternShowsTheEdit(t *testing.T) {
	fsys := fixture(t, "")
	tree, err := content.Load(fsys, "content")
	if err != nil {
		t.Fatal(err)
	}
	prepared, err := site.BuildPrepared(context.Background(), tree, site.Options{}, &memWriter{pages: memSite{}})
	if err != nil {
		t.Fatal(err)
	}
	f := fsys["patterns/node-flake.yaml"]
	f.Data = []byte(strings.Replace(string(f.Data), "title: Node e2e times out\n", "title: Node e2e waits too little\n", 1))
	p, err := content.LoadPattern(fsys, "content", "patterns/node-flake.yaml", tree)
	if err != nil {
		t.Fatal(err)
	}
	path, data, err := prepared.RenderPattern(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	if path != "patterns/node-flake.html" || !strings.Contains(string(data), "Node e2e waits too little") || strings.Contains(string(data), "Node e2e times out") {
		t.Errorf("%s does not show the edited title", path)
	}
	if !strings.Contains(string(data), "ci-node-e2e-a") {
		t.Errorf("%s lost the pattern's job", path)
	}
	gone := &content.Pattern{Slug: "nope"}
	if _, _, err := prepared.RenderPattern(context.Background(), gone); err == nil {
		t.Error("a pattern the build did not have rendered")
	}
}
