// Package schema generates a JSON Schema for each kind of content file from the Go types the loader decodes.
package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"slices"
	"strings"

	"github.com/triagesite/triagesite/internal/content"
)

// Draft is the JSON Schema dialect of every generated file.
const Draft = "https://json-schema.org/draft/2020-12/schema"

// Kind is one kind of content file and the Go type the loader decodes it into.
type Kind struct {
	Name  string // the schema file is <Name>.json
	Glob  string // where files of this kind live, relative to content/
	Title string
	Type  reflect.Type
}

// Kinds lists every YAML file kind in the content tree.
var Kinds = []Kind{
	{"repos", "repos.yaml", "triagesite repos.yaml", reflect.TypeFor[content.Repos]()},
	{"sigs", "sigs.yaml", "triagesite sigs.yaml", reflect.TypeFor[content.SIGs]()},
	{"categories", "categories.yaml", "triagesite categories.yaml", reflect.TypeFor[content.Categories]()},
	{"snapshot-meta", "snapshots/*/*.meta.yaml", "triagesite snapshot provenance (<date>.meta.yaml)", reflect.TypeFor[content.SnapshotMeta]()},
	{"pattern", "patterns/*.yaml", "triagesite pattern (patterns/<slug>.yaml)", reflect.TypeFor[content.Pattern]()},
	{"report", "reports/*.yaml", "triagesite report (reports/<date>-<dataset>.yaml)", reflect.TypeFor[content.Report]()},
	{"testgrid", "testgrid.yaml", "triagesite testgrid.yaml: the release-blocking and release-informing dashboards' jobs", reflect.TypeFor[content.TestGrid]()},
}

// KindOf returns the kind of a content file, named relative to content/ with slashes.
func KindOf(rel string) (Kind, bool) {
	for _, k := range Kinds {
		if ok, _ := path.Match(k.Glob, rel); ok {
			return k, true
		}
	}
	return Kind{}, false
}

// Modeline is the yaml-language-server comment that points a content file at its schema.
// The schema directory sits beside content/, so the path climbs out of the file's folder
// and content/ itself.
func Modeline(rel string) (string, bool) {
	k, ok := KindOf(rel)
	if !ok {
		return "", false
	}
	up := strings.Repeat("../", strings.Count(rel, "/")+1)
	return "# yaml-language-server: $schema=" + up + "schema/" + k.Name + ".json", true
}

// Generate returns every schema file, keyed by file name ("pattern.json").
func Generate() (map[string][]byte, error) {
	out := map[string][]byte{}
	for _, k := range Kinds {
		data, err := encode(For(k))
		if err != nil {
			return nil, fmt.Errorf("schema %s: %w", k.Name, err)
		}
		out[k.Name+".json"] = data
	}
	return out, nil
}

// Write generates every schema file into dir and returns the paths written.
func Write(dir string) ([]string, error) {
	files, err := Generate()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var written []string
	for _, name := range slices.Sorted(maps.Keys(files)) {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, files[name], 0o644); err != nil {
			return written, err
		}
		written = append(written, p)
	}
	return written, nil
}

// For builds the schema of one kind: the root object, with every named struct under $defs.
func For(k Kind) *Schema {
	g := &gen{defs: map[string]*Schema{}}
	root := g.object(k.Type)
	root.Schema, root.Title = Draft, k.Title
	for _, name := range slices.Sorted(maps.Keys(g.defs)) {
		root.Defs = append(root.Defs, prop{name, g.defs[name]})
	}
	return root
}

// encode writes a schema as indented JSON without HTML escaping, so "<slug>" stays readable.
func encode(s *Schema) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(s); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
