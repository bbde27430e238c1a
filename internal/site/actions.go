package site

import (
	"context"
	"slices"
	"strconv"

	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/outline"
	"github.com/triagesite/triagesite/internal/view"
	"github.com/triagesite/triagesite/templates"
)

const actionsPath = "actions.html"

// actions writes every tier row of every report on one page, grouped by the SIGs that own it:
// the ones the row names and the owners of the pattern it belongs to. A row owned by two SIGs
// is in both groups; a row no SIG owns is in the last group.
func (b *builder) actions(ctx context.Context) error {
	const path = actionsPath
	v := view.Actions{Page: b.page("Actions", path, "actions")}
	groups := map[string][]view.ActionItem{}
	var none []view.ActionItem
	for _, r := range b.tree.Reports {
		for _, t := range r.Tiers {
			for _, a := range t.Items {
				v.Total++
				item := b.actionItem(r, t, a, path)
				sigs := b.actionSIGs(a)
				if len(sigs) == 0 {
					none = append(none, item)
				}
				for _, id := range sigs {
					groups[id] = append(groups[id], item)
				}
			}
		}
	}
	for _, s := range b.tree.SIGs {
		if rows := groups[s.ID]; len(rows) > 0 {
			v.Groups = append(v.Groups, view.ActionGroup{Anchor: s.ID, Name: s.Name, SIG: view.Link{Href: rel(path, sigPath(s.ID)), Text: s.Name}, Rows: rows})
		}
	}
	if len(none) > 0 {
		v.Groups = append(v.Groups, view.ActionGroup{Anchor: "no-sig", Name: "No SIG named", Rows: none})
	}
	return b.render(ctx, path, templates.ActionsPage(v))
}

// actionSIGs are the SIGs that answer for an action (actionOwners), in registry order.
func (b *builder) actionSIGs(a content.Action) []string {
	owners := b.actionOwners(a)
	var out []string
	for _, s := range b.tree.SIGs {
		if slices.Contains(owners, s.ID) {
			out = append(out, s.ID)
		}
	}
	return out
}

// actionOwners are the SIGs an action names; one that names none falls to the owners of its
// pattern as a whole, else, when the pattern names none either, to its sub-patterns' owners.
func (b *builder) actionOwners(a content.Action) []string {
	if len(a.SIGs) > 0 {
		return a.SIGs
	}
	p := b.tree.Pattern(a.Pattern)
	switch {
	case p == nil:
		return nil
	case len(p.OwnerSIGs) > 0:
		return p.OwnerSIGs
	}
	return patternSIGs(p)
}

func (b *builder) actionItem(r *content.Report, t content.Tier, a content.Action, path string) view.ActionItem {
	repo := r.DefaultRepo
	href := rel(path, reportPath(r.ID)) + "#tier-" + strconv.Itoa(t.Tier)
	label := "Tier " + strconv.Itoa(t.Tier)
	if a.ID != "" {
		href = rel(path, reportPath(r.ID)) + "#" + outline.ActionAnchor(t.Tier, a.ID)
		label = actionLabel(t.Tier, a.ID)
	}
	item := view.ActionItem{
		Report: view.Link{Href: href, Text: r.Date + " " + r.Dataset},
		Tier:   label, Done: t.Tier == 0,
		Action: b.inline(a.Action, repo, path), Status: b.inline(a.Status, repo, path), Owner: b.inline(a.Owner, repo, path),
	}
	if p := b.tree.Pattern(a.Pattern); p != nil {
		item.Pattern = view.Link{Href: rel(path, patternPath(p.Slug)), Text: p.Title}
	}
	item.Since = b.actionNews(r, a)
	return item
}
