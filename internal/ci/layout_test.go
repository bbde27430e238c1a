package ci_test

import (
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestREADMELayoutNamesEveryPackage: the README's Layout block names every package, so a
// newcomer reading it sees the whole pipeline. A package is named by its path
// ("internal/claim/"), or inside its parent's entry by its own name ("github/, checkout/"
// under internal/verify/, the command names under internal/cli/…).
func TestREADMELayoutNamesEveryPackage(t *testing.T) {
	block := readmeSection(t, "## Layout")
	err := filepath.WalkDir("../..", func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		if name := d.Name(); name == ".git" || name == "node_modules" || name == "testdata" || name == "site" {
			return filepath.SkipDir
		}
		rel, _ := filepath.Rel("../..", p)
		rel = filepath.ToSlash(rel)
		if !hasGoPackage(t, p) || rel == "." {
			return nil
		}
		name := path.Base(rel)
		word := regexp.MustCompile(`(^|[\s,(/])` + regexp.QuoteMeta(name) + `(/|[\s,;)]|$)`)
		if !strings.Contains(block, rel+"/") && !word.MatchString(block) {
			t.Errorf("README's Layout does not name %s", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func hasGoPackage(t *testing.T, dir string) bool {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if n := e.Name(); strings.HasSuffix(n, ".go") && !strings.HasSuffix(n, "_test.go") {
			return true
		}
	}
	return false
}
