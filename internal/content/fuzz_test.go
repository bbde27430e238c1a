package content_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/txtarfs"
)

// fuzzTargets are the files of the minimal tree a fuzz input replaces, one kind of each.
var fuzzTargets = []string{
	"repos.yaml", "sigs.yaml", "categories.yaml",
	"patterns/node-flake.yaml", "reports/2026-05-10-failures.yaml",
	"snapshots/failures/2026-05-10.meta.yaml", "snapshots/failures/2026-05-10.json",
}

// bundledSeeds are the shipped content files, each with the target of its kind.
func bundledSeeds(f *testing.F) (seeds []struct {
	target uint8
	data   []byte
}) {
	globs := []string{"repos.yaml", "sigs.yaml", "categories.yaml", "patterns/*.yaml", "reports/*.yaml", "snapshots/*/*.meta.yaml", "snapshots/*/*.json"}
	for i, g := range globs {
		names, err := filepath.Glob(filepath.Join("..", "..", "content", g))
		if err != nil || len(names) == 0 {
			f.Fatalf("no bundled %s: %v", g, err)
		}
		for _, name := range names {
			data, err := os.ReadFile(name)
			if err != nil {
				f.Fatal(err)
			}
			seeds = append(seeds, struct {
				target uint8
				data   []byte
			}{uint8(i), data})
		}
	}
	return seeds
}

// FuzzLoad replaces one whole file of the minimal tree. Load must not panic or hang, and
// every error it gives names a file and a line and column in it, and quotes little.
func FuzzLoad(f *testing.F) {
	base, err := os.ReadFile("testdata/minimal.txtar")
	if err != nil {
		f.Fatal(err)
	}
	tree := txtarfs.FS(string(base))
	for _, s := range bundledSeeds(f) {
		f.Add(s.target, s.data)
	}
	for i, name := range fuzzTargets {
		f.Add(uint8(i), tree[name].Data)
	}
	f.Add(uint8(2), []byte(billionLaughs()))
	f.Add(uint8(1), []byte("sigs:\n  - id: sig-node\n\tname: x\n"))
	f.Add(uint8(3), []byte("- slug: a\n---\nslug: b\n"))
	f.Fuzz(func(t *testing.T, target uint8, data []byte) {
		name := fuzzTargets[int(target)%len(fuzzTargets)]
		fsys := fstest.MapFS{}
		for k, v := range tree {
			fsys[k] = v
		}
		fsys[name] = &fstest.MapFile{Data: data, Mode: 0o644}
		start := time.Now()
		_, err := content.Load(fsys, "content")
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("Load took %v", d)
		}
		var errs content.Errors
		if err != nil && !errors.As(err, &errs) {
			t.Fatalf("Load error %v is not content.Errors", err)
		}
		for _, e := range errs {
			if !strings.HasPrefix(e.Pos.File, "content/") || e.Pos.Line < 1 || e.Pos.Col < 1 {
				t.Errorf("error without a position: %s", e)
			}
			if len(e.Msg) > 600 {
				t.Errorf("message of %d bytes: %.100s…", len(e.Msg), e.Msg)
			}
		}
	})
}
