package site

import (
	"sort"

	"github.com/triagesite/triagesite/internal/citation"
	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/evidence"
	"github.com/triagesite/triagesite/internal/view"
)

// FixEvidence is what an Evidence may also know: the fix checks verify recorded.
type FixEvidence interface {
	FixChecks() []evidence.FixCheck
}

// FixChecks implements FixEvidence.
func (l LockEvidence) FixChecks() []evidence.FixCheck {
	if l.Lock == nil {
		return nil
	}
	return l.Lock.Fixes
}

// fixLabels are the verdicts in a reader's words.
var fixLabels = map[evidence.FixVerdict]string{
	evidence.FixFixed:        "fixed",
	evidence.FixStillFailing: "still failing with the fix",
	evidence.FixNotYetTested: "not yet tested",
	evidence.FixUnverifiable: "unverifiable",
	evidence.FixError:        "error",
}

// fixRows lists the recorded fix checks of the PRs the patterns cite with role: fix, for the
// page at path: the fixes that did not fix first.
func (b *builder) fixRows(path string, patterns []*content.Pattern) []view.FixRow {
	fe, ok := b.opts.Evidence.(FixEvidence)
	if !ok {
		return nil
	}
	prs := map[string]citation.Ref{}
	slugs := map[string]bool{}
	for _, p := range patterns {
		slugs[p.Slug] = true
		addFixPRs(prs, &p.Body)
		for i := range p.SubPatterns {
			addFixPRs(prs, &p.SubPatterns[i].Body)
		}
	}
	b.addTierFixPRs(prs, slugs)
	var rows []view.FixRow
	for _, f := range fe.FixChecks() {
		ref, ok := prs[f.PR]
		if !ok {
			continue
		}
		rows = append(rows, view.FixRow{
			PR:      view.Link{Href: ref.URL(), Text: ref.Short(b.tree.Alias(ref.Repo))},
			Job:     view.Link{Href: rel(path, b.jobPath(f.Job)), Text: f.Job},
			Verdict: string(f.Verdict), Label: fixLabels[f.Verdict], MergedAt: f.MergedAt, Message: f.Message,
		})
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].NotFixed() && !rows[j].NotFixed() })
	return rows
}

func addFixPRs(prs map[string]citation.Ref, body *content.Body) {
	for _, c := range body.FixPRs() {
		prs[c.Parsed.String()] = c.Parsed
	}
}

// addTierFixPRs adds the PRs of tier items with role: fix that name one of the patterns.
func (b *builder) addTierFixPRs(prs map[string]citation.Ref, slugs map[string]bool) {
	for _, r := range b.tree.Reports {
		for _, t := range r.Tiers {
			for _, a := range t.Items {
				if !slugs[a.Pattern] {
					continue
				}
				for _, ref := range b.tree.FixRefs(r, a) {
					prs[ref.String()] = ref
				}
			}
		}
	}
}

func (b *builder) datasetPatterns(ds string) []*content.Pattern {
	var out []*content.Pattern
	for _, p := range b.tree.Patterns {
		if p.Dataset == ds {
			out = append(out, p)
		}
	}
	return out
}
