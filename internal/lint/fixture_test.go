package lint_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/evidence"
	"github.com/triagesite/triagesite/internal/txtarfs"
)

// loadFixture loads a txtar content tree and the evidence lock it carries.
func loadFixture(t *testing.T, name string) (*content.Tree, *evidence.Lock) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	fsys := txtarfs.FS(string(data))
	tree, err := content.Load(fsys, "content")
	if err != nil {
		t.Fatalf("load %s: %v", name, err)
	}
	lockPath := filepath.Join(t.TempDir(), evidence.FileName)
	if f, ok := fsys[evidence.FileName]; ok {
		if err := os.WriteFile(lockPath, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	lock, err := evidence.Read(lockPath)
	if err != nil {
		t.Fatal(err)
	}
	return tree, lock
}
