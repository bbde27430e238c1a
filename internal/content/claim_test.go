package content

import (
	"reflect"
	"slices"
	"testing"

	"github.com/triagesite/triagesite/internal/citation"
	"github.com/triagesite/triagesite/internal/claim"
)

// TestEveryClaimFieldIsValidated: a field added to claim.Claim is decoded from YAML at once
// (it is inlined), so validation must know it, and some kind of citation must allow it.
func TestEveryClaimFieldIsValidated(t *testing.T) {
	var c Claim
	var listed []string
	for _, f := range c.fields() {
		listed = append(listed, f.name)
	}
	typ := reflect.TypeFor[claim.Claim]()
	for i := range typ.NumField() {
		key := typ.Field(i).Tag.Get("yaml")
		if key == "-" {
			continue
		}
		if !slices.Contains(listed, key) {
			t.Errorf("claim.Claim.%s (yaml %q) is not in Claim.fields(): no kind of citation is checked for it", typ.Field(i).Name, key)
		}
		allowed := false
		for _, fields := range allowedClaimFields {
			allowed = allowed || slices.Contains(fields, key)
		}
		if !allowed {
			t.Errorf("claim.Claim.%s (yaml %q): no kind of citation may claim it", typ.Field(i).Name, key)
		}
	}
}

func TestClaimedDatesInlineCitations(t *testing.T) {
	ref := citation.Ref{Kind: citation.KindRef, Repo: "kubernetes/kubernetes", Number: 1}
	inline := Citation{Ref: ref, AsOf: "2026-05-10"}
	if got := inline.Claimed(); !reflect.DeepEqual(got, claim.Claim{AsOf: "2026-05-10"}) {
		t.Errorf("inline Claimed() = %+v, want existence as of its date", got)
	}
	var none *Claim
	if got := none.Checkable(); !got.Empty() {
		t.Errorf("nil Checkable() = %+v, want the empty claim", got)
	}
	structured := &Claim{Claim: claim.Claim{State: "open", Labels: []string{"b", "a"}, AsOf: "2026-05-10"}}
	got := Citation{Ref: ref, Claim: structured, AsOf: "2026-05-10"}.Claimed()
	if !slices.Equal(got.Labels, []string{"a", "b"}) || got.State != "open" || got.AsOf != "2026-05-10" {
		t.Errorf("structured Claimed() = %+v, want its claim with labels sorted", got)
	}
	if structured.Labels[0] != "b" {
		t.Errorf("Claimed() reordered the content's labels: %v", structured.Labels)
	}
}
