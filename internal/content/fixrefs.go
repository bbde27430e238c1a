package content

import (
	"strconv"

	"github.com/triagesite/triagesite/internal/citation"
)

// FixPRs are the body's claims with role: fix that cite a PR or issue: the fixes of its jobs.
// Verification's fix checks, the site's fix rows and the SIG digest all read fixes from here.
func (b *Body) FixPRs() []*Claim {
	var out []*Claim
	for i := range b.Citations {
		if c := &b.Citations[i]; c.Role == "fix" && c.Parsed.Kind == citation.KindRef {
			out = append(out, c)
		}
	}
	return out
}

// FixRefs are the PRs and issues among a tier item's refs when it has role: fix, as the
// loader resolved them; nil otherwise. Only role: fix makes an item's refs fixes: an item
// cites its refs as context otherwise.
func (t *Tree) FixRefs(r *Report, a Action) []citation.Ref {
	if a.Role != "fix" {
		return nil
	}
	var out []citation.Ref
	for _, ref := range t.CitedIn(r, r.ActionPath(a), "refs") {
		if ref.Kind == citation.KindRef {
			out = append(out, ref)
		}
	}
	return out
}

// CitedIn is what the loader found cited in the given fields of the report's item at YAML
// path item (a tier row, a nudge target: see ActionPath and NudgePath), field by field; nil
// when item is "".
func (t *Tree) CitedIn(r *Report, item string, fields ...string) []citation.Ref {
	if item == "" {
		return nil
	}
	cited := t.CitationsOf(ReportOwner(r.ID))
	var out []citation.Ref
	for _, f := range fields {
		for _, c := range cited {
			if c.Within(item) && c.Field() == f {
				out = append(out, c.Ref)
			}
		}
	}
	return out
}

// ActionPath is the YAML path of one of the report's tier items, "tiers[1].items[0]", found
// by where it was written (a copy of the item cannot say which row it is); "" when the
// report has no such item.
func (r *Report) ActionPath(a Action) string {
	for ti, t := range r.Tiers {
		for ai := range t.Items {
			if t.Items[ai].Pos == a.Pos {
				return "tiers[" + strconv.Itoa(ti) + "].items[" + strconv.Itoa(ai) + "]"
			}
		}
	}
	return ""
}

// NudgePath is the YAML path of one of the report's nudge targets, found as ActionPath finds
// an item; "" when the report has no such target.
func (r *Report) NudgePath(n NudgeTarget) string {
	for i := range r.Status.NudgeTargets {
		if r.Status.NudgeTargets[i].Pos == n.Pos {
			return "status.nudge_targets[" + strconv.Itoa(i) + "]"
		}
	}
	return ""
}
