package evidence

import (
	"testing"

	"github.com/triagesite/triagesite/internal/citation"
	"github.com/triagesite/triagesite/internal/claim"
)

func TestLookupInAnEmptyLock(t *testing.T) {
	ref := citation.Ref{Kind: citation.KindCommit, Repo: "kubernetes/kubernetes", SHA: "abc1234"}
	for _, l := range []*Lock{nil, New(nil)} {
		if st, msg := l.Lookup(ref, claim.Claim{}); st != Unverifiable || msg != noRecord {
			t.Errorf("Lookup in %v = %s, %q; want unverifiable: nothing recorded", l, st, msg)
		}
	}
}
