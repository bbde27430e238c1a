package atomicfile_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/triagesite/triagesite/internal/atomicfile"
)

// TestWriteFileFailureKeepsOld: a write that cannot rename (the path is a directory) leaves
// what was there and no temporary file.
func TestWriteFileFailureKeepsOld(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "taken")
	if err := os.Mkdir(path, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(path, "inside"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := atomicfile.WriteFile(path, []byte("x"), 0o644); err == nil {
		t.Fatal("replacing a non-empty directory gave no error")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != "taken" || !entries[0].IsDir() {
		t.Errorf("directory after the failed write: %v", entries)
	}
}
