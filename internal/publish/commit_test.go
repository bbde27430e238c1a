package publish_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triagesite/triagesite/internal/publish"
)

// staging is the one staging directory beside dest.
func staging(t *testing.T, dest string) string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(filepath.Dir(dest), "."+filepath.Base(dest)+".tmp-*"))
	if err != nil || len(m) != 1 {
		t.Fatalf("staging directories beside %s: %v, %v", dest, m, err)
	}
	return m[0]
}

// TestCommitWhenTheStagingDirectoryVanished: a staged site removed from under the build (a
// clean-up job, a full disk) fails the commit; the previous site, or its absence, stays,
// and the lock is released so that the next build runs.
func TestCommitWhenTheStagingDirectoryVanished(t *testing.T) {
	for _, previous := range []bool{false, true} {
		dest := filepath.Join(t.TempDir(), "site")
		if previous {
			if err := publishSite(t, dest, publish.Options{}, map[string]string{"index.html": "previous"}); err != nil {
				t.Fatal(err)
			}
		}
		s, err := publish.Begin(dest, publish.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.WritePage("index.html", []byte("new")); err != nil {
			t.Fatal(err)
		}
		if err := os.RemoveAll(staging(t, dest)); err != nil {
			t.Fatal(err)
		}
		if err := s.Commit(); err == nil || !strings.HasPrefix(err.Error(), "publish: ") {
			t.Errorf("previous site %v: Commit of a vanished staging directory: %v", previous, err)
		}
		s.Abort()
		s.Abort() // twice is harmless, as after a failed Commit the caller aborts
		if previous {
			if got := tree(t, dest); got["index.html"] != "previous" {
				t.Errorf("the previous site changed: %v", got)
			}
		} else if _, err := os.Stat(dest); !os.IsNotExist(err) {
			t.Errorf("a failed first commit made %s: %v", dest, err)
		}
		if l := leftovers(t, dest); len(l) != 0 {
			t.Errorf("left beside the site: %v", l)
		}
		if err := publishSite(t, dest, publish.Options{}, map[string]string{"index.html": "next"}); err != nil {
			t.Errorf("the next build after a failed commit: %v", err)
		}
	}
}

// TestWritePageErrorsAreNotCounted: a page whose path clashes with a directory of pages, or
// runs through a page, fails with the path, and Pages counts only files written.
func TestWritePageErrorsAreNotCounted(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "site")
	s, err := publish.Begin(dest, publish.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Abort()
	for _, p := range []string{"jobs/a.html", "index.html"} {
		if err := s.WritePage(p, []byte(p)); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range []string{"jobs", "index.html/b.html"} {
		if err := s.WritePage(p, []byte("x")); err == nil || !strings.HasPrefix(err.Error(), "publish: ") {
			t.Errorf("WritePage(%q) over a directory or through a file: %v", p, err)
		}
	}
	if err := s.WritePage(publish.StampName, []byte("x")); err == nil || !strings.Contains(err.Error(), "is the output stamp") {
		t.Errorf("WritePage of the stamp: %v", err)
	}
	if n := s.Pages(); n != 2 {
		t.Errorf("Pages = %d, want the 2 written", n)
	}
}

// TestAbortReleasesTheLock: after Abort nothing is left beside dest, not even the lock file,
// and a new build may begin.
func TestAbortReleasesTheLock(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "site")
	s, err := publish.Begin(dest, publish.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.WritePage("index.html", []byte("x")); err != nil {
		t.Fatal(err)
	}
	s.Abort()
	if l := leftovers(t, dest); len(l) != 0 {
		t.Errorf("left beside the site: %v", l)
	}
	again, err := publish.Begin(dest, publish.Options{})
	if err != nil {
		t.Fatalf("Begin after Abort: %v", err)
	}
	again.Abort()
}

// TestBeginMakesMissingParents: --out may name a directory whose parents do not exist yet.
func TestBeginMakesMissingParents(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "a", "b", "site")
	if err := publishSite(t, dest, publish.Options{}, map[string]string{"index.html": "x"}); err != nil {
		t.Fatal(err)
	}
	if got := tree(t, dest); got["index.html"] != "x" {
		t.Errorf("site %v", got)
	}
	parentIsFile := filepath.Join(t.TempDir(), "file")
	write(t, parentIsFile, "not a directory")
	if _, err := publish.Begin(filepath.Join(parentIsFile, "site"), publish.Options{}); err == nil || !strings.HasPrefix(err.Error(), "publish: ") {
		t.Errorf("Begin below a file: %v", err)
	}
}
