package content_test

import (
	"os"

	"strings"
	"testing"

	"github.com/triagesite/triagesite/internal/citation/inline"

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
			if i := strings.Index(p.Text, word); i >= 0 && p.Owner.String() == "pattern/node-flake" {
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
		owners[p.Owner.String()] = true
	}
	for _, o := range []string{"report/2026-05-10-failures", "pattern/node-flake"} {
		if !owners[o] {
			t.Errorf("no prose owned by %s; owners %v", o, owners)
		}
	}
}

// TestProsePosAtBundled checks every inline citation in the shipped content: the file holds
// the citation's text at the position PosAt gives (flow scalars past their first line excepted).
func TestProsePosAtBundled(t *testing.T) {
	tree, err := content.Load(os.DirFS("../../content"), "content")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]string{}
	checked := 0
	for _, p := range tree.Prose {
		lines, ok := files[p.Pos.File]
		if !ok {
			data, err := os.ReadFile("../../" + p.Pos.File)
			if err != nil {
				t.Fatal(err)
			}
			lines = strings.Split(string(data), "\n")
			files[p.Pos.File] = lines
		}
		block := isBlockLike(lines, p)
		for _, m := range inline.Scan(p.Text, true) {
			if !block && strings.Contains(p.Text[:m.Start], "\n") {
				continue // a flow scalar folds its lines: past the first, the position is an estimate
			}
			word, at := p.Text[m.Start:m.End], p.PosAt(m.Start)
			line := lines[at.Line-1]
			if at.Col-1 > len(line) || !strings.HasPrefix(line[at.Col-1:], word) {
				t.Errorf("%s: want %q, file has %q", at, word, line)
			}
			checked++
		}
	}
	if checked == 0 {
		t.Fatal("no inline citations checked")
	}
}

// isBlockLike reports a scalar whose text starts on the line after its position.
func isBlockLike(lines []string, p content.Prose) bool {
	l := lines[p.Pos.Line-1]
	return p.Pos.Col-1 < len(l) && (l[p.Pos.Col-1] == '|' || l[p.Pos.Col-1] == '>')
}
