// Package txtarfs turns a txtar archive written inside a test into a file system to load.
package txtarfs

import (
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"strings"
	"testing/fstest"

	"golang.org/x/tools/txtar"
)

var autoSum = regexp.MustCompile(`(?m)^sha256: auto$`)

// FS parses archive into an in-memory file system. In a snapshot's .meta.yaml the line
// "sha256: auto" becomes the real sha256 of the .json beside it, so fixtures stay readable.
func FS(archive string) fstest.MapFS {
	a := txtar.Parse([]byte(archive))
	fsys := fstest.MapFS{}
	for _, f := range a.Files {
		fsys[f.Name] = &fstest.MapFile{Data: f.Data, Mode: 0o644}
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

// Write materialises the file system under dir, for code that reads a real directory.
func Write(fsys fstest.MapFS, dir string, write func(path string, data []byte) error) error {
	for name, f := range fsys {
		if err := write(dir+"/"+name, f.Data); err != nil {
			return err
		}
	}
	return nil
}
