package content_test

import (
	"strings"
	"testing"

	"github.com/triagesite/triagesite/internal/content"
)

func TestLoadPattern(t *testing.T) {
	tree, err := content.Load(minimal(t, ""), "content")
	if err != nil {
		t.Fatal(err)
	}
	fsys := minimal(t, "")
	fsys["patterns/node-flake.yaml"].Data = []byte(strings.Replace(string(fsys["patterns/node-flake.yaml"].Data),
		"title: Node e2e times out\n", "title: Node e2e waits too little\n", 1))
	p, err := content.LoadPattern(fsys, "content", "patterns/node-flake.yaml", tree)
	if err != nil {
		t.Fatalf("LoadPattern: %v", err)
	}
	if p.Title != "Node e2e waits too little" || p.Citations[0].Parsed.String() != "kubernetes/kubernetes#100" {
		t.Errorf("pattern not loaded and completed as Load does: title %q, claim %q", p.Title, p.Citations[0].Parsed)
	}
	if old := tree.Pattern("node-flake"); old.Title != "Node e2e times out" {
		t.Errorf("the base tree changed: %q", old.Title)
	}
	if p.Citations[0].AsOf != tree.Pattern("node-flake").Citations[0].AsOf {
		t.Errorf("claim dated %q, Load dates it %q", p.Citations[0].AsOf, tree.Pattern("node-flake").Citations[0].AsOf)
	}
}

func TestLoadPatternErrors(t *testing.T) {
	tree, err := content.Load(minimal(t, ""), "content")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, file, data, want string }{
		{"unknown key", "patterns/node-flake.yaml", "", `content/patterns/node-flake.yaml:`},
		{"unknown SIG", "patterns/node-flake.yaml", "owner_sigs: [sig-nope]", "sig-nope"},
		{"new pattern", "patterns/other.yaml", "", "only a full load places it"},
		{"not a pattern", "reports/x.yaml", "", "not a pattern file"},
	} {
		t.Run(c.name, func(t *testing.T) {
			fsys := minimal(t, "")
			orig := string(fsys["patterns/node-flake.yaml"].Data)
			switch {
			case c.name == "unknown key":
				fsys[c.file].Data = []byte(orig + "bogus: 1\n")
			case c.data != "":
				fsys[c.file].Data = []byte(strings.Replace(orig, "owner_sigs: [sig-node]", c.data, 1))
			case c.name == "new pattern":
				fsys[c.file] = fsys["patterns/node-flake.yaml"]
				fsys[c.file].Data = []byte(strings.Replace(orig, "slug: node-flake", "slug: other", 1))
			}
			_, err := content.LoadPattern(fsys, "content", c.file, tree)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("LoadPattern: %v, want an error with %q", err, c.want)
			}
		})
	}
}
