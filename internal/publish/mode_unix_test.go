//go:build unix

// File modes and the umask are Unix's; on Windows a file's mode reports only read-only.

package publish_test

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/triagesite/triagesite/internal/publish"
)

// TestCommitLeavesSiteReadable: under the usual umask the site's directories are 0755 and its
// files 0644, so a web server running as another user can read them.
func TestCommitLeavesSiteReadable(t *testing.T) {
	old := syscall.Umask(0o022) // the usual umask, whatever the test runner's
	defer syscall.Umask(old)
	dest := filepath.Join(t.TempDir(), "out", "site")
	if err := publishSite(t, dest, publish.Options{}, map[string]string{
		"index.html": "i", "jobs/a.html": "a", "assets/site.css": "c",
	}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{".", "jobs", "assets"} {
		if fi, _ := os.Stat(filepath.Join(dest, p)); fi.Mode().Perm() != 0o755 {
			t.Errorf("%s is mode %o, want 755", p, fi.Mode().Perm())
		}
	}
	for _, p := range []string{"index.html", "jobs/a.html", publish.StampName} {
		if fi, _ := os.Stat(filepath.Join(dest, p)); fi.Mode().Perm() != 0o644 {
			t.Errorf("%s is mode %o, want 644", p, fi.Mode().Perm())
		}
	}
}
