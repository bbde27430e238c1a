package claim

import (
	"reflect"
	"slices"
	"testing"

	"github.com/triagesite/triagesite/internal/citation"
)

var pr1 = citation.Ref{Kind: citation.KindRef, Repo: "kubernetes/kubernetes", Number: 1}

// TestKeyOfEveryClaimField sets each field of a Claim in turn: the key must then carry the
// claim, so a field added to Claim and forgotten in Empty fails here.
func TestKeyOfEveryClaimField(t *testing.T) {
	if got := (Claim{}).Key(pr1); got != "kubernetes/kubernetes#1" {
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
		if got := c.Key(pr1); got == "kubernetes/kubernetes#1" {
			t.Errorf("Claim.%s set: the key %q leaves it out", typ.Field(i).Name, got)
		}
	}
}

// TestKeyIsTheLockFormat pins the key's JSON: bundled locks are keyed by it, so a renamed
// tag or a reordered field would orphan every recorded entry.
func TestKeyIsTheLockFormat(t *testing.T) {
	c := Claim{Kind: "pr", Title: "t", State: "merged", MergedAt: "2026-05-01", ClosedAt: "2026-05-01",
		Labels: []string{"lgtm"}, Author: "a", Date: "2026-04-30", At: "2026-05-02", Quote: "q", Job: "j",
		Result: "failure", AsOf: "2026-05-10"}
	want := `kubernetes/kubernetes#1 {"kind":"pr","title":"t","state":"merged","merged_at":"2026-05-01",` +
		`"closed_at":"2026-05-01","labels":["lgtm"],"author":"a","date":"2026-04-30","at":"2026-05-02",` +
		`"quote":"q","job":"j","result":"failure","as_of":"2026-05-10"}`
	if got := c.Key(pr1); got != want {
		t.Errorf("Key =\n %s\nwant\n %s", got, want)
	}
}

// TestKeyIgnoresLabelOrder: a report may list labels in any order; the claim is the same.
func TestKeyIgnoresLabelOrder(t *testing.T) {
	written := Claim{State: "open", Labels: []string{"needs-rebase", "lifecycle/rotten"}}
	sorted := Claim{State: "open", Labels: []string{"lifecycle/rotten", "needs-rebase"}}
	if a, b := written.Key(pr1), sorted.Key(pr1); a != b {
		t.Errorf("keys differ by label order:\n %s\n %s", a, b)
	}
	if got := written.Canonical().Labels; !slices.Equal(got, sorted.Labels) {
		t.Errorf("Canonical().Labels = %v, want %v", got, sorted.Labels)
	}
	if written.Labels[0] != "needs-rebase" {
		t.Errorf("Canonical sorted the receiver's labels in place: %v", written.Labels)
	}
	if got := (Claim{Labels: []string{}}).Canonical().Labels; got != nil {
		t.Errorf("Canonical of `labels: []` = %#v, want nil", got)
	}
}

func TestClaimDay(t *testing.T) {
	for _, tc := range []struct {
		c    Claim
		want string
	}{
		{Claim{}, ""},
		{Claim{AsOf: "2026-05-10"}, "2026-05-10"},
		{Claim{At: "2026-05-09", AsOf: "2026-05-10"}, "2026-05-09"},
		{Claim{At: "abcdef1234", AsOf: "2026-05-10"}, ""},
	} {
		if got := tc.c.Day(); got != tc.want {
			t.Errorf("%+v.Day() = %q, want %q", tc.c, got, tc.want)
		}
	}
}

func TestExistenceOnly(t *testing.T) {
	for _, tc := range []struct {
		c    Claim
		want bool
	}{
		{Claim{}, true},
		{Claim{AsOf: "2026-05-10"}, true},
		{Claim{At: "2026-05-10"}, false},
		{Claim{State: "open", AsOf: "2026-05-10"}, false},
	} {
		if got := tc.c.ExistenceOnly(); got != tc.want {
			t.Errorf("%+v.ExistenceOnly() = %v, want %v", tc.c, got, tc.want)
		}
	}
}
