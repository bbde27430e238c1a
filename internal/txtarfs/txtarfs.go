// Package txtarfs turns a txtar archive written inside a test into a file system to load.
package txtarfs

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing/fstest"

	"golang.org/x/tools/txtar"
)

var autoSum = regexp.MustCompile(`(?m)^sha256: auto$`)

// FS parses archives into one in-memory file system, later archives replacing files of
// earlier ones. In a snapshot's .meta.yaml the line "sha256: auto" becomes the real sha256
// of the .json beside it, so fixtures stay readable.
func FS(archives ...string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for _, archive := range archives {
		for _, f := range txtar.Parse([]byte(archive)).Files {
			fsys[f.Name] = &fstest.MapFile{Data: f.Data, Mode: 0o644}
		}
	}
	for name, f := range fsys {
		if !strings.HasSuffix(name, ".meta.yaml") {
			continue
		}
		if js, ok := fsys[strings.TrimSuffix(name, ".meta.yaml")+".json"]; ok {
			sum := sha256.Sum256(js.Data)
			f.Data = autoSum.ReplaceAll(f.Data, []byte("sha256: "+hex.EncodeToString(sum[:])))
		}
	}
	return fsys
}

// Write puts every file of fsys below dir, for code that reads a content directory from disk.
func Write(dir string, fsys fstest.MapFS) error {
	for name, f := range fsys {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			return err
		}
	}
	return nil
}
