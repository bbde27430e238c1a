package evidence

import (
	"reflect"
	"testing"

	"github.com/triagesite/triagesite/internal/citation"
)

// TestKeyOfEveryClaimField sets each field of a Claim in turn: the key must then carry the
// claim, so a field added to Claim and forgotten in empty() fails here.
func TestKeyOfEveryClaimField(t *testing.T) {
	ref := citation.Ref{Kind: citation.KindRef, Repo: "kubernetes/kubernetes", Number: 1}
	if got := Key(ref, Claim{}); got != "kubernetes/kubernetes#1" {
		t.Errorf("Key of an empty claim = %q, want the ref alone", got)
	}
	typ := reflect.TypeFor[Claim]()
	for i := range typ.NumField() {
		var c Claim
		f := reflect.ValueOf(&c).Elem().Field(i)
		if f.Kind() == reflect.Slice {
			f.Set(reflect.ValueOf([]string{"x"}))
		} else {
			f.SetString("x")
		}
		if got := Key(ref, c); got == "kubernetes/kubernetes#1" {
			t.Errorf("Claim.%s set: the key %q leaves it out", typ.Field(i).Name, got)
		}
	}
}

func TestLookupInAnEmptyLock(t *testing.T) {
	ref := citation.Ref{Kind: citation.KindCommit, Repo: "kubernetes/kubernetes", SHA: "abc1234"}
	for _, l := range []*Lock{nil, New(nil)} {
		if st, msg := l.Lookup(ref, Claim{}); st != Unverifiable || msg != noRecord {
			t.Errorf("Lookup in %v = %s, %q; want unverifiable: nothing recorded", l, st, msg)
		}
	}
}
