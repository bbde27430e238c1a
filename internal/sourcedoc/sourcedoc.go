// Package sourcedoc finds the source document the bundled reports were written from, for the tests that check content against it.
package sourcedoc

import (
	"os"
	"path/filepath"
	"testing"
)

// Path is where the source document stands, relative to a parent of the repository: CI keeps
// it in the repository's sibling shared/ folder.
const Path = "shared/source/k8s-ci-triage-gist-2026-05-10.txt"

// Lookup looks for Path in dir and in each of its parents.
func Lookup(dir string) (string, bool) {
	for d := dir; ; d = filepath.Dir(d) {
		p := filepath.Join(d, Path)
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			return p, true
		}
		if filepath.Dir(d) == d {
			return "", false
		}
	}
}

// Find returns the source document above dir. Without it the test is skipped, except when
// the CI variable is set: there a missing source would mean the check silently stopped
// running, so the test fails instead.
func Find(t testing.TB, dir string) string {
	t.Helper()
	if p, ok := Lookup(dir); ok {
		return p
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("source document %s not found in %s or any parent; CI is set, so this is an error, not a skip", Path, dir)
	}
	t.Skipf("source document %s not found in %s or any parent; not checked (set CI to make this an error)", Path, dir)
	return ""
}
