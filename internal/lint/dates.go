package lint

import (
	"fmt"

	"github.com/triagesite/triagesite/internal/content"
)

var ruleFutureDate = Rule{
	ID: "future-date", Title: "no claim is dated after the tree's newest report or snapshot", Severity: Warning,
	Doc: "A claim's merged_at, closed_at, date or at that falls after the newest report or snapshot date in the tree " +
		"is most likely a typo (2099 for 2026). The tree's own dates are the reference, never the clock, so the " +
		"same content always gives the same findings; a claim about something after the latest report is allowed, " +
		"hence a warning.",
	Check: checkFutureDates,
}

func checkFutureDates(c *Context) []Finding {
	newest := newestDate(c.Tree)
	if newest == "" {
		return nil
	}
	var out []Finding
	seen := map[*content.Claim]bool{}
	for _, ct := range c.Tree.Citations {
		cl := ct.Claim
		if cl == nil || seen[cl] {
			continue
		}
		seen[cl] = true
		for _, d := range []struct {
			name  string
			value *string
		}{{"merged_at", &cl.MergedAt}, {"closed_at", &cl.ClosedAt}, {"date", &cl.Date}, {"at", &cl.At}} {
			day := *d.value
			if len(day) < 10 || !isDay(day[:10]) || day[:10] <= newest {
				continue
			}
			out = append(out, at(Warning, c.Tree.PosOf(d.value, cl.Pos),
				fmt.Sprintf("%s: %s %s is after %s, the newest report or snapshot date; a typo?", ct.Ref, d.name, day, newest)))
		}
	}
	return out
}

// newestDate is the latest report or snapshot date in the tree, YYYY-MM-DD.
func newestDate(t *content.Tree) string {
	newest := ""
	for _, r := range t.Reports {
		newest = max(newest, r.Date)
	}
	for _, s := range t.Snapshots {
		newest = max(newest, s.Meta.Date)
	}
	return newest
}

// isDay reports whether s is laid out as YYYY-MM-DD; the loader has checked it is a date.
func isDay(s string) bool {
	for i, c := range s {
		if i == 4 || i == 7 {
			if c != '-' {
				return false
			}
		} else if c < '0' || c > '9' {
			return false
		}
	}
	return len(s) == 10
}
