package content

import "testing"

func TestDroppedComment(t *testing.T) {
	lines := []string{
		"note: merged in #2320 last week", // 1
		"other: fine",                     // 2
		"  note: the fix",                 // 3
		"    landed #12 upstream",         // 4
		"  next: x",                       // 5
		"url: https://x/#anchor",          // 6
	}
	for _, c := range []struct {
		pos  Pos
		want string
	}{
		{Pos{Line: 1, Col: 7}, "#2320 last week"},
		{Pos{Line: 5, Col: 9}, ""},
		{Pos{Line: 3, Col: 9}, "#12 upstream"}, // on a continuation line
		{Pos{Line: 6, Col: 6}, ""},             // # inside a word is text
	} {
		if got := droppedComment(lines, c.pos); got != c.want {
			t.Errorf("line %d: got %q, want %q", c.pos.Line, got, c.want)
		}
	}
}
