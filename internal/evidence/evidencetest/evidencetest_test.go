package evidencetest_test

import (
	"os"
	"testing"

	"github.com/triagesite/triagesite/internal/citation"
	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/evidence"
	"github.com/triagesite/triagesite/internal/evidence/evidencetest"
	"github.com/triagesite/triagesite/internal/txtarfs"
)

// TestLockAnswersEachCitation: the lock built answers Lookup for every citation of the tree
// with the verdict given, as a lock written by verify would.
func TestLockAnswersEachCitation(t *testing.T) {
	data, err := os.ReadFile("../../content/testdata/minimal.txtar")
	if err != nil {
		t.Fatal(err)
	}
	tree, err := content.Load(txtarfs.FS(string(data)), "content")
	if err != nil {
		t.Fatal(err)
	}
	judge := func(c content.Citation) evidencetest.Verdict {
		if c.Ref.Kind == citation.KindCommit {
			return evidencetest.Verdict{Status: evidence.Missing, Message: "no such commit", Source: evidence.SourceCheckout}
		}
		return evidencetest.Verdict{Status: evidence.Verified, Message: "ok"}
	}
	lock := evidencetest.Lock(tree, "2026-05-11T00:00:00Z", judge)
	if len(tree.Citations) == 0 {
		t.Fatal("the fixture cites nothing")
	}
	for _, c := range tree.Citations {
		st, msg := lock.Lookup(c.Ref, c.Claimed())
		want := "ok (github, 2026-05-11T00:00:00Z)"
		if c.Ref.Kind == citation.KindCommit {
			want = "no such commit (checkout, 2026-05-11T00:00:00Z)"
		}
		if st != judge(c).Status || msg != want {
			t.Errorf("%s: %s, %q; want %s, %q", c.Pos, st, msg, judge(c).Status, want)
		}
	}
}
