// Package evidencetest builds verification locks for tests: an entry for each citation of a content tree, keyed as verify keys it.
package evidencetest

import (
	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/evidence"
)

// Verdict is what a fake verification found for one citation.
type Verdict struct {
	Status   evidence.Status
	Message  string
	Source   string // evidence.SourceGitHub when empty
	Observed evidence.Observed
}

// Lock records judge's verdict for every citation of tree, as checked at checkedAt. It is
// the one place tests key a lock by a tree's citations, so that a change to how claims
// are keyed is made here once.
func Lock(tree *content.Tree, checkedAt string, judge func(content.Citation) Verdict) *evidence.Lock {
	var entries []evidence.Entry
	for _, c := range tree.Citations {
		v := judge(c)
		if v.Source == "" {
			v.Source = evidence.SourceGitHub
		}
		claimed := c.Claimed()
		entries = append(entries, evidence.Entry{Key: claimed.Key(c.Ref), Kind: evidence.KindOf(c.Ref, claimed, v.Observed),
			Target: c.Ref.String(), Claim: claimed, Observed: v.Observed, Source: v.Source,
			CheckedAt: checkedAt, Status: v.Status, Message: v.Message})
	}
	return evidence.New(entries)
}
