package verify_test

import (
	"strings"
	"testing"

	"github.com/triagesite/triagesite/internal/citation"
	"github.com/triagesite/triagesite/internal/claim"
	"github.com/triagesite/triagesite/internal/evidence"
	"github.com/triagesite/triagesite/internal/verify"
)

// TestMergeCommitAsOfTheDay: a checkout knows a PR's merge and its time, not its timeline. A
// merge by the day settles a claim of merged; a later merge contradicts it, and leaves open
// or draft unknown.
func TestMergeCommitAsOfTheDay(t *testing.T) {
	ref := citation.Ref{Kind: citation.KindRef, Repo: "kubernetes/kops", Number: 18238}
	a := verify.Answer{Source: evidence.SourceCheckout, Found: true, Observed: evidence.Observed{Exists: true, Kind: "pr",
		State: "closed", Merged: true, MergedAt: "2026-05-12T09:00:00Z", SHA: strings.Repeat("ab", 20)}}
	for _, tc := range []struct {
		claim claim.Claim
		want  evidence.Status
		msg   string
	}{
		{claim.Claim{State: "merged", AsOf: "2026-05-12"}, evidence.Verified, "as of 2026-05-12: pr merged at 2026-05-12T09:00:00Z"},
		{claim.Claim{State: "merged", AsOf: "2026-05-10"}, evidence.Contradicted, "claimed merged, but its merge commit landed at 2026-05-12T09:00:00Z, after 2026-05-10"},
		{claim.Claim{State: "draft", AsOf: "2026-05-10"}, evidence.Unverifiable, "a merge commit cannot show its state on 2026-05-10"},
		{claim.Claim{AsOf: "2026-05-10"}, evidence.Verified, "pr merged at"},
		{claim.Claim{State: "merged"}, evidence.Verified, "pr merged at"},
	} {
		st, msg, _ := verify.Judge(ref, tc.claim, a)
		if st != tc.want || !strings.Contains(msg, tc.msg) {
			t.Errorf("%+v: %s %q; want %s %q", tc.claim, st, msg, tc.want, tc.msg)
		}
	}
}
