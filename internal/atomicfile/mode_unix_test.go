//go:build unix

// File modes and the umask are Unix's; on Windows a file's mode reports only read-only.

package atomicfile_test

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/triagesite/triagesite/internal/atomicfile"
)

// TestWriteFileMode: the file ends with the mode asked for, whatever the umask and the mode
// of the file it replaces, and nothing is left beside it.
func TestWriteFileMode(t *testing.T) {
	old := syscall.Umask(0o077) // a umask that would make a plain create 0600
	defer syscall.Umask(old)
	dir := t.TempDir()
	path := filepath.Join(dir, "evidence.lock.json")
	if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := atomicfile.WriteFile(path, []byte("new\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", st.Mode().Perm())
	}
	if data, _ := os.ReadFile(path); string(data) != "new\n" {
		t.Errorf("content %q", data)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("%d files in the directory, want the one written: %v", len(entries), entries)
	}
}
