package content

import "github.com/triagesite/triagesite/internal/claim"

// Claimed is what the citation asserts, as the lock keys and records it: a structured claim's
// checkable part, or for an inline citation existence alone, as of the citation's date.
func (c Citation) Claimed() claim.Claim {
	if c.Claim == nil {
		return claim.Claim{AsOf: c.AsOf}
	}
	return c.Claim.Checkable()
}

// Key identifies the citation in the verification lock: its target and what it claims, as
// of its date. Verification records each citation under it, and lint looks it up by it.
func (c Citation) Key() string { return c.Claimed().Key(c.Ref) }

// Checkable is the part of a structured claim that verification checks; a nil claim (an
// inline citation, rendered without its file's date) claims existence alone, undated.
func (c *Claim) Checkable() claim.Claim {
	if c == nil {
		return claim.Claim{}
	}
	return c.Claim.Canonical()
}
