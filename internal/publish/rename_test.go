package publish

import (
	"os"
	"path/filepath"
	"testing"
)

// TestRenameTwice covers the swap used where directories cannot be exchanged in one step.
func TestRenameTwice(t *testing.T) {
	dir := t.TempDir()
	dest := filepath.Join(dir, "site")
	for i, page := range []string{"one", "two"} {
		s, err := Begin(dest, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.WritePage("index.html", []byte(page)); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			err = s.Commit()
		} else {
			err = s.renameTwice()
			s.unlock()
		}
		if err != nil {
			t.Fatal(err)
		}
		if b, _ := os.ReadFile(filepath.Join(dest, "index.html")); string(b) != page {
			t.Errorf("build %d: index.html is %q", i, b)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("left beside the site: %v", entries)
	}
}

// TestRenameTwicePutsThePreviousSiteBack: when the new site cannot be moved in, the
// previous one goes back where it was.
func TestRenameTwicePutsThePreviousSiteBack(t *testing.T) {
	dir := t.TempDir()
	dest := filepath.Join(dir, "site")
	if err := os.MkdirAll(dest, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dest, "index.html"), []byte("previous"), 0o644); err != nil {
		t.Fatal(err)
	}
	s := &Staging{dest: dest, tmp: filepath.Join(dir, ".site.tmp-gone"), unlock: func() {}}
	if err := s.renameTwice(); err == nil {
		t.Fatal("renameTwice from a missing staging directory succeeded")
	}
	if b, _ := os.ReadFile(filepath.Join(dest, "index.html")); string(b) != "previous" {
		t.Errorf("index.html is %q after a failed swap", b)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("left beside the site: %v", entries)
	}
}
