package importcmd

import (
	"io/fs"
	"path"
	"sort"
	"testing/fstest"
)

// overlay is the content directory as it will be once the import's files are written: the
// import loads it first, so that it writes only content that loads.
type overlay struct {
	base  fs.FS
	added fstest.MapFS
}

func newOverlay(base fs.FS, files []Output) *overlay {
	o := &overlay{base: base, added: fstest.MapFS{}}
	for _, f := range files {
		o.added[f.Rel] = &fstest.MapFile{Data: f.Data, Mode: 0o644}
	}
	return o
}

func (o *overlay) Open(name string) (fs.File, error) {
	if _, ok := o.added[name]; ok {
		return o.added.Open(name)
	}
	return o.base.Open(name)
}

// ReadDir lists a directory of the base with the added files in it.
func (o *overlay) ReadDir(name string) ([]fs.DirEntry, error) {
	entries, err := fs.ReadDir(o.base, name)
	if err != nil && len(o.addedIn(name)) == 0 {
		return nil, err
	}
	seen := map[string]bool{}
	for _, e := range entries {
		seen[e.Name()] = true
	}
	for _, rel := range o.addedIn(name) {
		if seen[path.Base(rel)] {
			continue
		}
		info, err := fs.Stat(o.added, rel)
		if err != nil {
			return nil, err
		}
		entries = append(entries, fs.FileInfoToDirEntry(info))
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	return entries, nil
}

func (o *overlay) addedIn(dir string) []string {
	var out []string
	for rel := range o.added {
		if path.Dir(rel) == dir {
			out = append(out, rel)
		}
	}
	sort.Strings(out)
	return out
}
