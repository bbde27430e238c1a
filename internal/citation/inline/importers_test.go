package inline_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestOnlyTheLoaderAndRenderersScanProse: the loader scans prose once, into the tree's
// citation index; the ref index, lint, the site and its markdown export read that index.
// Only the markdown renderer (which parses prose as it renders it) and the runbook reader
// (whose input is not content) scan text again. A new importer fails here: read
// content.Tree.Citations instead.
func TestOnlyTheLoaderAndRenderersScanProse(t *testing.T) {
	allowed := []string{
		"internal/content/complete.go", // the loader: the one index
		"internal/markdown/citation.go",
		"internal/mdreport/extract.go",
	}
	root := filepath.Join("..", "..", "..")
	var got []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			if p, _ := strconv.Unquote(imp.Path.Value); strings.HasSuffix(p, "/internal/citation/inline") {
				rel, _ := filepath.Rel(root, path)
				got = append(got, filepath.ToSlash(rel))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	if !slices.Equal(got, allowed) {
		t.Errorf("files that scan prose for citations:\n  %s\nwant only:\n  %s", strings.Join(got, "\n  "), strings.Join(allowed, "\n  "))
	}
}
