package site

import (
	"testing"

	"github.com/triagesite/triagesite/internal/claim"
	"github.com/triagesite/triagesite/internal/content"
)

func TestClaimSummarySaysTheStateOnce(t *testing.T) {
	for _, c := range []struct {
		claim content.Claim
		want  string
	}{
		{content.Claim{Claim: claim.Claim{State: "merged", MergedAt: "2026-05-05"}}, "merged 2026-05-05"},
		{content.Claim{Claim: claim.Claim{State: "closed", ClosedAt: "2026-05-06"}}, "closed 2026-05-06"},
		{content.Claim{Claim: claim.Claim{State: "open"}}, "open"},
		{content.Claim{Claim: claim.Claim{State: "open", MergedAt: "2026-05-05"}}, "open; merged 2026-05-05"},
	} {
		if got := claimSummary(&c.claim); got != c.want {
			t.Errorf("claimSummary(%+v) = %q, want %q", c.claim, got, c.want)
		}
	}
}

func TestEmojiStatesAskForTheEmojiFormOnce(t *testing.T) {
	if got, want := emojiStates.Replace("⚪ needs PR, ⚪\ufe0f done"), "⚪\ufe0f needs PR, ⚪\ufe0f done"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
