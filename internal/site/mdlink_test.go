package site

import (
	"strings"
	"testing"

	"github.com/triagesite/triagesite/internal/citation"
	"github.com/triagesite/triagesite/internal/evidence"
)

// TestLinkMDLeavesLinksAlone: a citation is linked where it stands in text, and kept as
// written where the author already put it in a link, judged by what stands beside it as
// written.
func TestLinkMDLeavesLinksAlone(t *testing.T) {
	b := &builder{opts: Options{Evidence: LockEvidence{evidence.New(nil)}}}
	pr := citation.Ref{Kind: citation.KindRef, Repo: "kubernetes/kubernetes", Number: 1}
	const linked = "[#1](https://github.com/kubernetes/kubernetes/issues/1) _(unverifiable)_"
	for _, c := range []struct{ line, want string }{
		{"see %s.", "see " + linked + "."},
		{"[%s](https://x)", "[#1](https://x)"}, // the link's text
		{"[a](%s)", "[a](#1)"},                 // the link's target
		{"%s%s", linked + linked},
		{"[%s%s](https://x)", "[#1#1](https://x)"}, // both touch a bracket
		{"[%s](%s)", "[#1](#1)"},
		{"`%s` and `a`", "[`#1`](https://github.com/kubernetes/kubernetes/issues/1) _(unverifiable)_ and `a`"},
	} {
		m := &mdMarks{}
		line := c.line
		for range 2 {
			if i := strings.Index(line, "%s"); i >= 0 {
				line = line[:i] + m.wrap(pr, "#1") + line[i+2:]
			}
		}
		if got := b.linkMD(line, m); got != c.want {
			t.Errorf("%q:\n got %q\nwant %q", c.line, got, c.want)
		}
	}
}
