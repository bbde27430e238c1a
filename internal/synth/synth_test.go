package synth_test

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/synth"
)

func TestSmallTreeLoads(t *testing.T) {
	dir := t.TempDir()
	if err := synth.Write(dir, synth.Small); err != nil {
		t.Fatal(err)
	}
	tree, err := content.Load(os.DirFS(dir), "content")
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	s := synth.Small
	if got, want := len(tree.Snapshots), 2*s.Days; got != want {
		t.Errorf("snapshots: got %d, want %d", got, want)
	}
	if got := len(tree.Patterns); got != s.Patterns {
		t.Errorf("patterns: got %d, want %d", got, s.Patterns)
	}
	if len(tree.Reports) == 0 {
		t.Error("no reports")
	}
}

func TestDeterministic(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	for _, dir := range []string{a, b} {
		if err := synth.Write(dir, synth.Small); err != nil {
			t.Fatal(err)
		}
	}
	fa, fb := readTree(t, a), readTree(t, b)
	if len(fa) != len(fb) {
		t.Fatalf("file counts differ: %d and %d", len(fa), len(fb))
	}
	for name, data := range fa {
		if !bytes.Equal(data, fb[name]) {
			t.Errorf("%s differs between two generations", name)
		}
	}
}

func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[rel] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
