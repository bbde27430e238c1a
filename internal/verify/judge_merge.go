package verify

import (
	"fmt"
	"strings"
	"time"

	"github.com/triagesite/triagesite/internal/claim"
	"github.com/triagesite/triagesite/internal/evidence"
)

// judgeMergeCommit judges a PR claim from a checkout's answer, which knows only that a merge
// commit landed the PR on the branch, and when. What a merge commit cannot show (labels,
// title, close time, the state before the merge) is left unverifiable, never guessed.
func judgeMergeCommit(c claim.Claim, o evidence.Observed) (evidence.Status, string) {
	var wrong, unknown []string
	if c.Kind == "issue" {
		wrong = append(wrong, "claimed an issue, but it is a pr")
	}
	switch c.State {
	case "", "merged":
	case "closed":
		wrong = append(wrong, "claimed closed, but it is merged")
	default: // open or draft: true before the merge, and only a timeline can say when the claim was made
		unknown = append(unknown, "whether it was "+c.State+" when the claim was made")
	}
	if c.MergedAt != "" && !sameMergeTime(c.MergedAt, o.MergedAt) {
		wrong = append(wrong, fmt.Sprintf("claimed merged at %s, but its merge commit landed at %s", c.MergedAt, o.MergedAt))
	}
	if c.ClosedAt != "" {
		unknown = append(unknown, "its close time")
	}
	if len(c.Labels) > 0 {
		unknown = append(unknown, "its labels")
	}
	if c.Title != "" {
		unknown = append(unknown, "its title")
	}
	merged := fmt.Sprintf("pr merged at %s by merge commit %s", o.MergedAt, short(o.SHA))
	switch {
	case len(wrong) > 0:
		return evidence.Contradicted, strings.Join(wrong, "; ")
	case len(unknown) > 0:
		return evidence.Unverifiable, merged + "; a merge commit cannot show " + strings.Join(unknown, ", ")
	}
	return evidence.Verified, merged
}

// mergeSlack is how far GitHub's merged_at may stand from its merge commit's committer time:
// the two are stamped separately, a second or so apart.
const mergeSlack = time.Minute

// sameMergeTime compares a claimed merge time with a merge commit's time, within mergeSlack;
// a claimed date compares the day.
func sameMergeTime(claim, commit string) bool {
	if len(claim) == len(time.DateOnly) {
		return sameDay(claim, commit)
	}
	a, err1 := time.Parse(time.RFC3339, claim)
	b, err2 := time.Parse(time.RFC3339, commit)
	return err1 == nil && err2 == nil && a.Sub(b).Abs() <= mergeSlack
}
