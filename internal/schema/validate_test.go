package schema_test

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"

	"github.com/triagesite/triagesite/internal/schema"
	"github.com/triagesite/triagesite/internal/txtarfs"
)

// compile compiles every generated schema; the library also checks each against the 2020-12 meta-schema.
func compile(t *testing.T) map[string]*jsonschema.Schema {
	t.Helper()
	files, err := schema.Generate()
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	out := map[string]*jsonschema.Schema{}
	for name, data := range files {
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		url := "file:///schema/" + name
		if err := c.AddResource(url, doc); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if out[name], err = c.Compile(url); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	return out
}

// instance reads YAML the way yaml-language-server does (YAML 1.2 core schema): a timestamp
// such as 2026-05-10 is a string, not a time.
func instance(n *yaml.Node) any {
	switch n.Kind {
	case yaml.DocumentNode:
		return instance(n.Content[0])
	case yaml.AliasNode:
		return instance(n.Alias)
	case yaml.MappingNode:
		m := map[string]any{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			m[n.Content[i].Value] = instance(n.Content[i+1])
		}
		return m
	case yaml.SequenceNode:
		s := []any{}
		for _, c := range n.Content {
			s = append(s, instance(c))
		}
		return s
	}
	switch n.Tag {
	case "!!null":
		return nil
	case "!!bool":
		return n.Value == "true"
	case "!!int", "!!float":
		if _, err := strconv.ParseFloat(n.Value, 64); err == nil {
			return json.Number(n.Value)
		}
	}
	return n.Value
}

func validate(t *testing.T, schemas map[string]*jsonschema.Schema, rel string, data []byte) error {
	t.Helper()
	k, ok := schema.KindOf(rel)
	if !ok {
		t.Fatalf("%s: no schema kind for this file", rel)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
	return schemas[k.Name+".json"].Validate(instance(&doc))
}

func yamlFiles(t *testing.T, fsys fs.FS) []string {
	t.Helper()
	var out []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".yaml") {
			out = append(out, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestBundledContentValidates(t *testing.T) {
	schemas := compile(t)
	fsys := os.DirFS("../../content")
	files := yamlFiles(t, fsys)
	if len(files) < 10 {
		t.Fatalf("found %d content files", len(files))
	}
	for _, rel := range files {
		data, err := fs.ReadFile(fsys, rel)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := schema.Modeline(rel)
		if first, _, _ := strings.Cut(string(data), "\n"); first != want {
			t.Errorf("content/%s: first line is %q, want %q", rel, first, want)
		}
		if err := validate(t, schemas, rel, data); err != nil {
			t.Errorf("content/%s: %v", rel, err)
		}
	}
}

func TestFixtureValidates(t *testing.T) {
	schemas := compile(t)
	fsys := minimal(t, "")
	for _, rel := range yamlFiles(t, fsys) {
		if err := validate(t, schemas, rel, fsys[rel].Data); err != nil {
			t.Errorf("%s: %v", rel, err)
		}
	}
}

func TestSchemaRejects(t *testing.T) {
	schemas := compile(t)
	for name, tc := range map[string]struct{ rel, doc string }{
		"unknown key":                {"patterns/x.yaml", "slug: x\ndataset: failures\ntitle: T\nbogus: 1\n"},
		"unknown key in sub-pattern": {"patterns/x.yaml", "slug: x\ndataset: failures\ntitle: T\nsubpatterns:\n  - {id: a, title: A, bogus: 1}\n"},
		"position as a key":          {"patterns/x.yaml", "slug: x\ndataset: failures\ntitle: T\nPos: 1\n"},
		"bad enum":                   {"reports/r.yaml", "title: T\ndate: d\ndataset: failures\nsnapshot: d\nverifications: [{verdict: MAYBE}]\n"},
		"missing title":              {"patterns/x.yaml", "slug: x\ndataset: failures\n"},
		"nested matcher key":         {"categories.yaml", "rules:\n  - category: c\n    any: [{prefx: a}]\nfallback: other\n"},
		"list for a string":          {"repos.yaml", "repos:\n  - repo: [a]\n"},
	} {
		if validate(t, schemas, tc.rel, []byte(tc.doc)) == nil {
			t.Errorf("%s: schema accepts\n%s", name, tc.doc)
		}
	}
}

// minimal is the loader's fixture tree with override applied.
func minimal(t *testing.T, override string) fstest.MapFS {
	t.Helper()
	data, err := os.ReadFile("../content/testdata/minimal.txtar")
	if err != nil {
		t.Fatal(err)
	}
	return txtarfs.FS(string(data), override)
}
