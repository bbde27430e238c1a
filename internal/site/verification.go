package site

import (
	"context"
	"strings"

	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/evidence"
	"github.com/triagesite/triagesite/internal/view"
	"github.com/triagesite/triagesite/templates"
)

func (b *builder) verification(ctx context.Context) error {
	const path = "verification.html"
	v := view.VerificationPage{Page: b.page("Verification", path, "verification"),
		LockNote: "Statuses come from content/evidence.lock.json, written by triagesite verify; a citation it has not checked is unverifiable."}
	type row struct {
		view.VerificationRow
		owners map[string]bool
	}
	counts := map[evidence.Status]int{}
	rows := map[string]*row{}
	var order []string
	for i := range b.tree.Citations {
		c := &b.tree.Citations[i]
		claim := evidence.ClaimOf(c.Claim)
		key := evidence.Key(c.Ref, claim)
		r, seen := rows[key]
		if !seen {
			st, msg := b.opts.Evidence.Status(c.Ref, c.Claim)
			counts[st]++
			r = &row{VerificationRow: view.VerificationRow{
				Target: view.Link{Href: c.Ref.URL(), Text: c.Ref.Short(b.tree.Alias(c.Ref.Repo))},
				Kind:   evidence.KindOf(c.Ref, claim, evidence.Observed{}), Claim: claimText(c.Claim),
				Status: string(st), Message: msg}, owners: map[string]bool{}}
			rows[key] = r
			if st != evidence.Verified {
				order = append(order, key)
			}
		}
		if !r.owners[c.Owner] {
			r.owners[c.Owner] = true
			r.CitedIn = append(r.CitedIn, ownerLink(path, c.Owner))
		}
	}
	v.Total = len(rows)
	for _, st := range []evidence.Status{evidence.Verified, evidence.Contradicted, evidence.Missing, evidence.Unverifiable, evidence.Error} {
		v.Counts = append(v.Counts, view.Bucket{Name: string(st), Count: counts[st]})
	}
	for _, key := range order {
		v.Rows = append(v.Rows, rows[key].VerificationRow)
	}
	return b.render(ctx, path, templates.VerificationPage(v))
}

func claimText(c *content.Claim) string {
	if c == nil {
		return "exists (cited inline)"
	}
	return claimSummary(c)
}

// ownerLink links the page of a citation's owner ("pattern/<slug>" or "report/<id>").
func ownerLink(from, owner string) view.Link {
	kind, id, _ := strings.Cut(owner, "/")
	if kind == "report" {
		return view.Link{Href: rel(from, reportPath(id)), Text: id}
	}
	return view.Link{Href: rel(from, patternPath(id)), Text: id}
}
