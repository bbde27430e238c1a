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

// Checkable is the part of a structured claim that verification checks; a nil claim (an
// inline citation, rendered without its file's date) claims existence alone, undated.
func (c *Claim) Checkable() claim.Claim {
	if c == nil {
		return claim.Claim{}
	}
	return c.Claim.Canonical()
}
