package lint

import (
	"fmt"
	"strings"

	"github.com/triagesite/triagesite/internal/citation"
	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/evidence"
)

var ruleEvidence = Rule{
	ID: "R1-evidence", Title: "every cited PR and issue has recorded evidence", Severity: Error,
	Doc: "Each PR/issue citation (structured or inline) is looked up in evidence.lock.json under its claim. " +
		"Contradicted or missing is an error; no entry, unverifiable or a fetch error is a warning (an offline tree).",
	Check: checkEvidence,
}

var ruleMergedClaim = Rule{
	ID: "R5-merged-claim", Title: "merged means merged", Severity: Error,
	Doc: "A claim with state: merged whose recorded evidence shows a PR not merged is an error. A Tier 0 (done) item " +
		"citing a PR the lock shows unmerged is an error; one with no recorded evidence is a warning.",
	Check: checkMergedClaims,
}

var ruleContradicted = Rule{
	ID: "D-evidence", Title: "no commit, file:line or build that verification contradicted", Severity: Error,
	Doc: "A commit, file:line or build citation the lock records as contradicted or missing is an error " +
		"(Appendix D: every file:line confirmed, every build fetched). Absent entries are not reported here. " +
		"A claim that carries acknowledged: is a warning quoting it instead; an acknowledgement on a claim the lock " +
		"records as verified is a stale acknowledgement, a warning.",
	Check: checkContradicted,
}

// recorded is the lock's entry for a citation under the exact claim it makes, as of its date.
func recorded(c *Context, ct content.Citation) (evidence.Entry, bool) {
	return c.Lock.Get(ct.Key())
}

func checkEvidence(c *Context) []Finding {
	var out []Finding
	for _, ct := range c.Tree.Citations {
		if ct.Ref.Kind != citation.KindRef || mergedClaimBroken(c, ct) {
			continue
		}
		e, ok := recorded(c, ct)
		switch {
		case !ok:
			out = append(out, at(Warning, ct.Pos, fmt.Sprintf("%s has no recorded evidence; run triagesite verify", ct.Ref)))
		case e.Status == evidence.Contradicted || e.Status == evidence.Missing:
			out = append(out, at(Error, ct.Pos, fmt.Sprintf("%s is %s: %s", ct.Ref, e.Status, e.Message)))
		case e.Status != evidence.Verified:
			out = append(out, at(Warning, ct.Pos, fmt.Sprintf("%s is %s: %s", ct.Ref, e.Status, e.Message)))
		}
	}
	return out
}

func checkContradicted(c *Context) []Finding {
	var out []Finding
	for _, ct := range c.Tree.Citations {
		if ct.Ref.Kind == citation.KindRef {
			continue
		}
		e, ok := recorded(c, ct)
		if !ok {
			continue
		}
		if f, ok := contradictedFinding(ct, e); ok {
			out = append(out, f)
		}
	}
	return out
}

// contradictedFinding judges one recorded citation: an error when contradicted or missing,
// a warning when the claim acknowledges that, and a warning when it acknowledges what verified.
func contradictedFinding(ct content.Citation, e evidence.Entry) (Finding, bool) {
	var ack string
	if ct.Claim != nil {
		ack = strings.Join(strings.Fields(string(ct.Claim.Acknowledged)), " ") // one line, as a message is
	}
	bad := e.Status == evidence.Contradicted || e.Status == evidence.Missing
	switch {
	case bad && ack == "":
		return at(Error, ct.Pos, fmt.Sprintf("%s %s is %s: %s", ct.Ref.Kind, ct.Ref, e.Status, e.Message)), true
	case bad:
		return at(Warning, ct.Pos, fmt.Sprintf("%s %s is %s: %s (acknowledged: %s)", ct.Ref.Kind, ct.Ref, e.Status, e.Message, ack)), true
	case e.Status == evidence.Verified && ack != "":
		return at(Warning, ct.Pos, fmt.Sprintf("%s %s is verified: stale acknowledgement %q; remove acknowledged:", ct.Ref.Kind, ct.Ref, ack)), true
	}
	return Finding{}, false
}

// unmerged reports a recorded observation of a PR that did not merge, in the report's words.
func unmerged(o evidence.Observed) (string, bool) {
	if !o.Exists || o.Kind != "pr" || o.Merged {
		return "", false
	}
	if o.State == "closed" {
		return "closed without merging", true
	}
	if o.Draft {
		return "an open draft", true
	}
	return "open", true
}

// mergedClaimBroken reports a claim of state merged that the lock shows did not merge.
func mergedClaimBroken(c *Context, ct content.Citation) bool {
	if ct.Claim == nil || ct.Claim.State != "merged" {
		return false
	}
	e, ok := recorded(c, ct)
	if !ok {
		return false
	}
	_, bad := unmerged(e.Observed)
	return bad
}

func checkMergedClaims(c *Context) []Finding {
	var out []Finding
	for _, ct := range c.Tree.Citations {
		if !mergedClaimBroken(c, ct) {
			continue
		}
		e, _ := recorded(c, ct)
		what, _ := unmerged(e.Observed)
		out = append(out, at(Error, ct.Pos, fmt.Sprintf("%s is claimed merged, but it is %s: a fix that did not land", ct.Ref, what)))
	}
	for _, r := range c.Tree.Reports {
		for _, t := range r.Tiers {
			if t.Tier != 0 {
				continue
			}
			for _, a := range t.Items {
				out = append(out, c.checkDone(r, a)...)
			}
		}
	}
	return out
}

// checkDone checks that the PRs a Tier 0 item rests on are recorded as merged.
func (c *Context) checkDone(r *content.Report, a content.Action) []Finding {
	var out []Finding
	for _, ref := range c.actionRefs(r, a) {
		if ref.Kind != citation.KindRef {
			continue
		}
		e, ok := c.Lock.Latest(ref.String())
		if !ok || !e.Observed.Exists {
			out = append(out, at(Warning, a.Pos, fmt.Sprintf("Tier 0 item %s cites %s, which is not verified merged; run triagesite verify", a.ID, ref)))
			continue
		}
		if what, bad := unmerged(e.Observed); bad {
			out = append(out, at(Error, a.Pos, fmt.Sprintf("Tier 0 item %s is marked done, but %s is %s", a.ID, ref, what)))
		}
	}
	return out
}

// actionRefs is every citation an action rests on, once each, as the loader found them: its
// refs, then those inline in its action and where text.
func (c *Context) actionRefs(r *content.Report, a content.Action) []citation.Ref {
	item := r.ActionPath(a)
	if item == "" {
		return nil
	}
	cited := c.Tree.CitationsOf(content.ReportOwner(r.ID))
	var out []citation.Ref
	seen := map[string]bool{}
	for _, field := range []string{"refs", "action", "where"} {
		for _, ct := range cited {
			if ct.Within(item) && ct.Field() == field && !seen[ct.Ref.String()] {
				seen[ct.Ref.String()] = true
				out = append(out, ct.Ref)
			}
		}
	}
	return out
}
