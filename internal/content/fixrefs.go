package content

import (
	"strconv"

	"github.com/triagesite/triagesite/internal/citation"
)

// FixRefs are the PRs and issues among a tier item's refs when it has role: fix, as the
// loader resolved them; nil otherwise.
func (t *Tree) FixRefs(r *Report, a Action) []citation.Ref {
	if a.Role != "fix" {
		return nil
	}
	at := r.ActionPath(a)
	if at == "" {
		return nil
	}
	var out []citation.Ref
	for _, c := range t.CitationsOf(ReportOwner(r.ID)) {
		if c.Within(at) && c.Field() == "refs" && c.Ref.Kind == citation.KindRef {
			out = append(out, c.Ref)
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
