package ci_test

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// machinePath matches a path that only means something on one machine: a home directory
// (macOS, Linux, root, or ~), or the workspace the project grew up in. The repository speaks in
// repository-relative paths so that anyone can follow its docs and reproduce its figures.
// The pattern names the directories without spelling a path, so this file does not match
// itself.
var machinePath = regexp.MustCompile(`(?:^|[^\w.~-])(?:[/](?:Users|home|root|work)|~)[/][\w.-]`)

// TestNoMachinePaths walks every text file of the repository. Binary files (images) are
// skipped: bytes in them can spell anything.
func TestNoMachinePaths(t *testing.T) {
	root := "../.."
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case ".git", "site", "node_modules":
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() || d.Name() == ".git" { // in a git worktree, .git is a file naming the main checkout
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if bytes.IndexByte(data, 0) >= 0 || filepath.Ext(path) == ".png" {
			return nil
		}
		for i, line := range bytes.Split(data, []byte("\n")) {
			if loc := machinePath.FindIndex(line); loc != nil {
				rel, _ := filepath.Rel(root, path)
				t.Errorf("%s:%d: a machine's path: %s", filepath.ToSlash(rel), i+1, bytes.TrimSpace(line))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
