package content_test

import (
	"strings"
	"testing"

	"github.com/triagesite/triagesite/internal/content"
)

// TestProsePosAt checks that every markdown field is kept with its owner, and that a byte
// of its text maps to the line and column it stands at, also on a line indented further
// than its block (where the extra spaces are part of the text).
func TestProsePosAt(t *testing.T) {
	fsys := minimal(t, `
-- patterns/node-flake.yaml --
slug: node-flake
dataset: failures
title: T
summary: |
  First line.
    - nested TODO here
root_cause: "quoted TBD"
details: plain FIXME
`)
	tree, err := content.Load(fsys, "content")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"TODO":  "content/patterns/node-flake.yaml:6:14",
		"TBD":   "content/patterns/node-flake.yaml:7:21",
		"FIXME": "content/patterns/node-flake.yaml:8:16",
	}
	for _, p := range tree.Prose {
		for word, pos := range want {
			if i := strings.Index(p.Text, word); i >= 0 && p.Owner == "pattern/node-flake" {
				if got := p.PosAt(i).String(); got != pos {
					t.Errorf("%s at %s, want %s", word, got, pos)
				}
				delete(want, word)
			}
		}
	}
	for word := range want {
		t.Errorf("no prose holds %s", word)
	}
	owners := map[string]bool{}
	for _, p := range tree.Prose {
		owners[p.Owner] = true
	}
	for _, o := range []string{"report/2026-05-10-failures", "pattern/node-flake"} {
		if !owners[o] {
			t.Errorf("no prose owned by %s; owners %v", o, owners)
		}
	}
}
