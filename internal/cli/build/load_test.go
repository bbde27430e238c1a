package build_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/triagesite/triagesite/internal/cli/build"
	"github.com/triagesite/triagesite/internal/cli/cmdutil"
	"github.com/triagesite/triagesite/internal/cli/iostreams"
	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/evidence"
	"github.com/triagesite/triagesite/internal/txtarfs"
)

// TestMissingContentDirectory: a content directory that is not there is refused in the words
// every command uses for a tree that did not load, and nothing is written.
func TestMissingContentDirectory(t *testing.T) {
	tmp := t.TempDir()
	missing, out := filepath.Join(tmp, "nowhere"), filepath.Join(tmp, "site")
	io, stdout, _ := iostreams.Test()
	err := build.Run(context.Background(), &build.Options{IO: io, ContentDir: missing, OutDir: out})
	want := "load " + missing + ":\n" + missing + ": no such content directory; run where content/ is, or pass --content DIR"
	if err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("%s: %v, want nothing written", out, err)
	}
	if stdout.Len() != 0 {
		t.Errorf("stdout %q", stdout)
	}
}

// TestBuildsAnInjectedTreeRenderOnly: the build takes its tree and lock from its loader, and
// asks for a render-only tree (no Tree.Prose: a build never lints, and a large tree's prose
// and positions are a fifth of its memory).
func TestBuildsAnInjectedTreeRenderOnly(t *testing.T) {
	data, err := os.ReadFile("../../content/testdata/minimal.txtar")
	if err != nil {
		t.Fatal(err)
	}
	fsys := txtarfs.FS(string(data))
	if full, err := content.Load(fsys, "content"); err != nil || len(full.Prose) == 0 {
		t.Fatalf("the minimal tree has no prose to leave out (%v)", err)
	}
	var loaded *content.Tree
	load := &cmdutil.Loader{
		LoadTree: func(dir string, opts ...content.Option) (*content.Tree, error) {
			tree, err := content.Load(fsys, dir, opts...)
			loaded = tree
			return tree, err
		},
		ReadLock: func(string) (*evidence.Lock, error) { return evidence.New(nil), nil },
	}
	tmp := t.TempDir()
	io, _, _ := iostreams.Test()
	opts := &build.Options{IO: io, ContentDir: filepath.Join(tmp, "content"), OutDir: filepath.Join(tmp, "site"), Load: load}
	if err := build.Run(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	if loaded == nil || loaded.Prose != nil {
		t.Errorf("the build did not load a render-only tree (Prose is kept)")
	}
	if _, err := os.Stat(filepath.Join(tmp, "site", "index.html")); err != nil {
		t.Errorf("the injected tree was not built: %v", err)
	}
}
