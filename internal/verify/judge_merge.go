package verify

import (
	"fmt"
	"strings"
	"time"

	"github.com/triagesite/triagesite/internal/evidence"
)

// judgeMergeCommit judges a PR claim from a checkout's answer, which knows only that a merge
// commit landed the PR on the branch, and when: enough to judge "merged" as of the claim's
// day. What a merge commit cannot show (labels, title, close time, open or draft before the
// merge) is left unverifiable, never guessed.
func judgeMergeCommit(c evidence.Claim, o evidence.Observed) (evidence.Status, string) {
	var wrong, unknown []string
	if c.Kind == "issue" {
		wrong = append(wrong, "claimed an issue, but it is a pr")
	}
	day := c.Day()
	mergedThen := day == "" || mergedBy(o, day) // undated claims are judged as things are now
	switch {
	case c.State == "":
	case mergedThen && c.State == "merged":
	case mergedThen:
		wrong = append(wrong, fmt.Sprintf("claimed %s, but it had merged (%s)", c.State, o.MergedAt))
	case c.State == "merged":
		wrong = append(wrong, fmt.Sprintf("claimed merged, but it merged only at %s, after %s", o.MergedAt, day))
	default: // open, draft or closed before the merge: only a timeline tells them apart
		unknown = append(unknown, "whether it was "+c.State+" on "+day)
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
		return evidence.Contradicted, asOf(c, strings.Join(wrong, "; "))
	case len(unknown) > 0:
		return evidence.Unverifiable, merged + "; a merge commit cannot show " + strings.Join(unknown, ", ")
	}
	return evidence.Verified, asOf(c, merged)
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
