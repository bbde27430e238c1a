package lint_test

import (
	"strings"
	"testing"

	"github.com/triagesite/triagesite/internal/evidence"
	"github.com/triagesite/triagesite/internal/lint"
)

// Tier 0 item 0.1 rests on k/k#200, which the fixture's lock saw closed. A later run under
// another claim saw it merged: lint goes by the freshest entry, in either order of the lock.
func TestTierZeroJudgedByFreshestEntry(t *testing.T) {
	const target = "kubernetes/kubernetes#200"
	for _, tc := range []struct {
		checkedAt string
		flagged   bool
	}{
		{"2026-05-12T12:00:00Z", false}, // merged since: done
		{"2026-05-09T12:00:00Z", true},  // merged before it was closed: the closed state stands
	} {
		tree, lock := loadFixture(t, "broken.txtar")
		lock.Put(evidence.Entry{Key: target + ` {"state":"merged"}`, Kind: "pr", Target: target, CheckedAt: tc.checkedAt,
			Status: evidence.Verified, Observed: evidence.Observed{Exists: true, Kind: "pr", State: "closed", Merged: true}})
		flagged := false
		for _, f := range lint.Run(tree, lock, lint.Options{}) {
			if f.Rule == "R5-merged-claim" && strings.Contains(f.Message, "Tier 0 item 0.1") {
				flagged = true
			}
		}
		if flagged != tc.flagged {
			t.Errorf("merged entry checked %s: Tier 0 item 0.1 flagged = %v, want %v", tc.checkedAt, flagged, tc.flagged)
		}
	}
}
