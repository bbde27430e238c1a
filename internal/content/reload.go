package content

import (
	"fmt"
	"io/fs"
	"path"
	"strings"
	"unsafe"
)

// LoadPattern decodes and checks one pattern file on its own, against a tree loaded before
// it was edited: its repositories, SIGs and reports. It lets a preview show an edit at once;
// checks across files (two patterns with one slug, a report placing a pattern that is gone)
// are Load's alone, so a preview still runs Load after it. name is the file's path in fsys
// (patterns/<slug>.yaml); errors carry path:line:col as Load's do.
func LoadPattern(fsys fs.FS, prefix, name string, base *Tree) (*Pattern, error) {
	if path.Dir(name) != "patterns" || path.Ext(name) != ".yaml" {
		return nil, fmt.Errorf("%s: not a pattern file", path.Join(prefix, name))
	}
	t := &Tree{Repos: base.Repos, SIGs: base.SIGs, Categories: base.Categories, Reports: base.Reports,
		aliases: base.aliases, histories: base.histories, positions: map[unsafe.Pointer]scalarPos{}}
	l := &loader{fsys: fsys, prefix: prefix, tree: t, files: map[string][]string{}, unparsed: map[string]bool{},
		refused: map[unsafe.Pointer]bool{}, refusedDirs: map[string]bool{}}
	p := &Pattern{}
	l.loadPatterns([]string{name}, patternFiles{values: []*Pattern{p}, results: []decoded{l.decodeAlone(name, p)}})
	if len(l.errs) > 0 {
		return nil, l.errs.sorted()
	}
	if slug := strings.TrimSuffix(path.Base(name), ".yaml"); base.Pattern(slug) == nil {
		return nil, fmt.Errorf("%s: a new pattern: only a full load places it", path.Join(prefix, name))
	}
	l.completeDates()
	return p, nil
}
