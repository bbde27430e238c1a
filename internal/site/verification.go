package site

import (
	"context"
	"slices"

	"github.com/a-h/templ"

	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/evidence"
	"github.com/triagesite/triagesite/internal/view"
	"github.com/triagesite/triagesite/templates"
)

const verificationPath = "verification.html"

// notVerified orders the statuses the verification list shows: the ones a reader must act
// on first.
var notVerified = []evidence.Status{evidence.Contradicted, evidence.Missing, evidence.Error, evidence.Unverifiable}

// verifiedEntry is one distinct citation (a target and what is claimed of it) and the
// pages citing it; its row is made only when its page renders.
type verifiedEntry struct {
	cite   *content.Citation
	status evidence.Status
	msg    string
	owners []content.Owner
}

// verifiedGroup is the citations of one status that verification answered alike: 374
// citations nothing has checked are one row, not 374.
type verifiedGroup struct {
	msg     string
	entries []*verifiedEntry
}

// verificationList is every distinct citation that is not verified, by status, then by
// what verification said of it.
type verificationList struct {
	total  int
	counts []view.Bucket
	// sections are sized in citations, for paging: one message can hold every citation of
	// the tree (nothing verified yet), and its row is split across pages.
	sections []section
	groups   [][]*verifiedGroup // by section
}

func (b *builder) verification(context.Context) error {
	l := b.verificationList()
	return b.renderList(verificationPath, l.sections, func(pages []listPage, i int) templ.Component {
		return templates.VerificationPage(b.verificationView(l, pages, i))
	})
}

// statusBuckets counts citations by status, every status listed, verified first.
func statusBuckets(counts map[evidence.Status]int) []view.Bucket {
	var out []view.Bucket
	for _, st := range []evidence.Status{evidence.Verified, evidence.Contradicted, evidence.Missing, evidence.Unverifiable, evidence.Error} {
		out = append(out, view.Bucket{Name: string(st), Count: counts[st]})
	}
	return out
}

func (b *builder) verificationList() *verificationList {
	counts := map[evidence.Status]int{}
	seen := map[string]*verifiedEntry{}
	byStatus := make([][]*verifiedEntry, len(notVerified))
	for i := range b.tree.Citations {
		c := &b.tree.Citations[i]
		key := c.Claim.Checkable().Key(c.Ref)
		e, ok := seen[key]
		if !ok {
			st, msg := b.opts.Evidence.Status(c.Ref, c.Claim)
			counts[st]++
			e = &verifiedEntry{cite: c, status: st, msg: msg}
			seen[key] = e
			if k := slices.Index(notVerified, st); k >= 0 {
				byStatus[k] = append(byStatus[k], e)
			}
		}
		if !slices.Contains(e.owners, c.Owner) {
			e.owners = append(e.owners, c.Owner)
		}
	}
	l := &verificationList{total: len(seen)}
	l.counts = statusBuckets(counts)
	for k, st := range notVerified {
		if len(byStatus[k]) > 0 {
			groups := groupByMessage(byStatus[k])
			l.sections = append(l.sections, section{title: string(st), anchor: string(st), size: len(byStatus[k])})
			l.groups = append(l.groups, groups)
		}
	}
	return l
}

// groupByMessage puts entries with the same message together, in the order each message
// first appears.
func groupByMessage(es []*verifiedEntry) []*verifiedGroup {
	var out []*verifiedGroup
	at := map[string]*verifiedGroup{}
	for _, e := range es {
		g, ok := at[e.msg]
		if !ok {
			g = &verifiedGroup{msg: e.msg}
			at[e.msg] = g
			out = append(out, g)
		}
		g.entries = append(g.entries, e)
	}
	return out
}

// verificationView is page i of the list.
func (b *builder) verificationView(l *verificationList, pages []listPage, i int) view.VerificationPage {
	path := pages[i].path
	title := listTitle("Verification", pages, i)
	v := view.VerificationPage{Page: b.page(title, path, "verification"), Total: l.total, Counts: l.counts,
		LockNote: "Statuses come from content/evidence.lock.json, written by triagesite verify; a citation it has not checked is unverifiable.",
		Contents: contents(pages, i, l.sections), Pager: pager(pages, i)}
	for _, sec := range l.sections {
		v.NotVerified += sec.size
	}
	if i == 0 {
		v.Fixes = b.fixRows(path, b.tree.Patterns)
	}
	for _, sp := range pages[i].spans {
		sec := l.sections[sp.section]
		vs := view.VerificationSection{Anchor: sec.anchor, Title: sec.title, Count: sec.size, Continued: sp.continued()}
		at := 0 // where the group starts among the section's citations
		for _, g := range l.groups[sp.section] {
			from, to := max(sp.from-at, 0), min(sp.to-at, len(g.entries))
			if from < to {
				vs.Rows = append(vs.Rows, b.verificationRow(g, from, to, sec.title, path))
			}
			if at += len(g.entries); at >= sp.to {
				break
			}
		}
		v.Sections = append(v.Sections, vs)
	}
	return v
}

// verificationRow is the row of a group's citations [from, to): the part of it on one page.
func (b *builder) verificationRow(g *verifiedGroup, from, to int, status, path string) view.VerificationRow {
	r := view.VerificationRow{Status: status, Message: g.msg, Of: len(g.entries), First: from}
	seen := map[view.Link]bool{}
	for _, e := range g.entries[from:to] {
		c := e.cite
		r.Cited = append(r.Cited, view.VerificationCite{
			Target: view.Link{Href: b.citationURL(c.Ref, c.Claim), Text: c.Ref.Short(b.tree.Alias(c.Ref.Repo))},
			Kind:   evidence.KindOf(c.Ref, c.Claim.Checkable(), evidence.Observed{}), Claim: claimText(c.Claim)})
		for _, o := range e.owners {
			if l := ownerLink(path, o); !seen[l] {
				seen[l] = true
				r.CitedIn = append(r.CitedIn, l)
			}
		}
	}
	return r
}

func claimText(c *content.Claim) string {
	if c == nil {
		return "exists (cited inline)"
	}
	return claimSummary(c)
}

// ownerLink links the page of a citation's owner, a pattern or a report.
func ownerLink(from string, owner content.Owner) view.Link {
	if owner.Kind == content.OwnerReport {
		return view.Link{Href: rel(from, reportPath(owner.ID)), Text: owner.ID}
	}
	return view.Link{Href: rel(from, patternPath(owner.ID)), Text: owner.ID}
}

// unchecked counts the citations of the given owners when verification has checked none of
// them, and is 0 when it has checked any.
func (b *builder) unchecked(owners ...content.Owner) int {
	// Every pattern page asks: tally the citations once, not once per page.
	b.checksOnce.Do(func() { b.checks = b.ownerChecks() })
	n := 0
	for k, o := range owners {
		if slices.Contains(owners[:k], o) {
			continue
		}
		c := b.checks[o]
		if c.checked {
			return 0
		}
		n += c.cited
	}
	return n
}

// ownerCheck is what verification made of one owner's citations.
type ownerCheck struct {
	cited   int
	checked bool // verification checked at least one
}

func (b *builder) ownerChecks() map[content.Owner]ownerCheck {
	out := map[content.Owner]ownerCheck{}
	for i := range b.tree.Citations {
		c := &b.tree.Citations[i]
		oc := out[c.Owner]
		oc.cited++
		if !oc.checked {
			st, _ := b.opts.Evidence.Status(c.Ref, c.Claim)
			oc.checked = st != evidence.Unverifiable
		}
		out[c.Owner] = oc
	}
	return out
}
