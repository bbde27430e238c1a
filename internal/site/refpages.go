package site

import (
	"context"
	"slices"
	"strings"

	"github.com/a-h/templ"

	"github.com/triagesite/triagesite/internal/citation"
	"github.com/triagesite/triagesite/internal/evidence"
	"github.com/triagesite/triagesite/internal/view"
	"github.com/triagesite/triagesite/templates"
)

const refsIndexPath = "refs/index.html"

// refPages writes one page per cited PR, issue and commit, and the refs index.
func (b *builder) refPages(ctx context.Context) error {
	for _, e := range b.refs.entries {
		if err := b.renderLazy(e.path, func() templ.Component { return templates.RefPage(b.refView(e)) }); err != nil {
			return err
		}
	}
	l := b.refsList()
	return b.renderList(refsIndexPath, l.sections, func(pages []listPage, i int) templ.Component {
		return templates.RefsIndexPage(b.refsIndexView(l, pages, i))
	})
}

// status is the worst recorded status of any claim about e, and whether it is a nudge target:
// a report claims it open or draft or lists it as one, and it is still open now.
func (b *builder) refStatus(e *refEntry) (evidence.Status, bool) {
	var st evidence.Status
	nudge := len(e.nudges) > 0
	for _, c := range e.claims {
		s, _ := b.opts.Evidence.Status(c.claim.Parsed, c.claim)
		st = worse(st, s)
		if c.claim.State == "open" || c.claim.State == "draft" {
			nudge = true
		}
	}
	for _, r := range e.inline {
		s, _ := b.opts.Evidence.Status(*r, nil)
		st = worse(st, s)
	}
	if st == "" {
		st = evidence.Unverifiable
	}
	return st, nudge && b.stillOpen(*e.ref)
}

func (b *builder) refKind(e *refEntry) string {
	if e.ref.Kind == citation.KindCommit {
		return "commit"
	}
	for _, c := range e.claims {
		if k := evidence.KindOf(*e.ref, c.claim.Checkable(), evidence.Observed{}); k != "ref" {
			return k
		}
	}
	return "PR or issue"
}

// claimed says in a few words what the content claims of a ref.
func claimed(e *refEntry) string {
	var parts []string
	for _, c := range e.claims {
		s := claimSummary(c.claim)
		if s != "exists" && !slices.Contains(parts, s) {
			parts = append(parts, s)
		}
	}
	if len(parts) == 0 {
		return "cited"
	}
	return strings.Join(parts, " · ")
}

func placeLink(from string, p refPlace) view.Link {
	href := rel(from, p.page)
	if p.anchor != "" {
		href += "#" + p.anchor
	}
	return view.Link{Href: href, Text: p.label}
}

func (b *builder) refView(e *refEntry) view.Ref {
	path := e.path
	full := e.ref.String()
	st, nudge := b.refStatus(e)
	v := view.Ref{
		Page:    b.page(full, path, "refs"),
		Heading: full, Short: e.ref.Short(b.tree.Alias(e.ref.Repo)), Kind: b.refKind(e),
		GitHub: view.Link{Href: e.ref.URL(), Text: "on GitHub"}, Status: string(st), Nudge: nudge,
	}
	for _, c := range e.claims {
		s, msg := b.opts.Evidence.Status(c.claim.Parsed, c.claim)
		day := claimDay(c.claim)
		v.Claims = append(v.Claims, view.RefClaim{Claim: claimSummary(c.claim), Role: c.claim.Role, Status: string(s), Message: msg,
			Dated: b.dated(s, c.claim.Parsed, day),
			Where: placeLink(path, c.place), Note: b.inline(c.claim.Note, ownerOf(b.tree, c.place.owner).repo, path)})
	}
	for _, r := range e.inline {
		s, msg := b.opts.Evidence.Status(*r, nil)
		v.Claims = append(v.Claims, view.RefClaim{Claim: "exists (cited in prose as " + r.Short(b.tree.Alias(r.Repo)) + ")", Status: string(s), Message: msg})
	}
	for _, n := range e.nudges {
		repo := n.report.DefaultRepo
		nv := view.RefNudge{Report: view.Link{Href: rel(path, reportPath(n.report.ID)) + "#status", Text: n.report.Title},
			State: b.inline(n.target.State, repo, path), Block: b.inline(n.target.Block, repo, path), Cleared: b.inline(n.target.Cleared, repo, path)}
		if p := b.tree.Pattern(n.target.Pattern); p != nil {
			nv.Pattern = view.Link{Href: rel(path, patternPath(p.Slug)), Text: p.Title}
		}
		v.Nudges = append(v.Nudges, nv)
	}
	sigs := map[string]bool{}
	// At most maxRelated refs are linked, so a short list finds the ones seen faster than a map.
	related := make([]*refEntry, 1, maxRelated+1)
	related[0] = e
	n := 0
	for _, p := range e.places {
		n += len(b.refs.byOwner[p.owner])
	}
	v.Related = slices.Grow(v.Related, min(n, maxRelated))
	for _, p := range e.places {
		if p.report {
			v.Reports = append(v.Reports, placeLink(path, p))
			continue
		}
		v.Patterns = append(v.Patterns, placeLink(path, p))
		pat := b.tree.Pattern(p.owner.ID)
		if pat == nil {
			continue
		}
		for _, id := range patternSIGs(pat) {
			if s := b.tree.SIG(id); s != nil && !sigs[id] {
				sigs[id] = true
				v.SIGs = append(v.SIGs, view.Link{Href: rel(path, sigPath(id)), Text: s.Name})
			}
		}
		for _, o := range b.refs.byOwner[p.owner] {
			if len(v.Related) >= maxRelated {
				v.MoreRelated = true
				break
			}
			if !slices.Contains(related, o) {
				related = append(related, o)
				l := o.sibling
				if rootOf(path) != rootOf(o.path) {
					l.Href = rel(path, o.path)
				}
				v.Related = append(v.Related, l)
			}
		}
	}
	return v
}

// maxRelated caps the refs a ref page lists as cited alongside it: a pattern citing a
// thousand PRs would otherwise make each of their pages list all the others.
const maxRelated = 24

func (b *builder) refRow(e *refEntry, from string) view.RefRow {
	st, _ := b.refStatus(e)
	row := view.RefRow{Ref: view.Link{Href: rel(from, e.path), Text: e.ref.Short(b.tree.Alias(e.ref.Repo))},
		GitHub: view.Link{Href: e.ref.URL(), Text: "GitHub"}, Kind: b.refKind(e), Claimed: claimed(e), Status: string(st)}
	// One link per page, to the first place on it: the ref page lists every place.
	seen := map[string]bool{}
	for _, p := range e.places {
		if !seen[p.page] {
			seen[p.page] = true
			l := placeLink(from, p)
			l.Text = ownerOf(b.tree, p.owner).title
			row.CitedIn = append(row.CitedIn, l)
		}
	}
	return row
}

// refsList is every cited ref in the index's sections: the nudge targets, then each repository.
type refsList struct {
	counts   []view.Bucket
	sections []section
	entries  [][]*refEntry // by section
}

const nudgeAnchor = "nudge-targets"

func (b *builder) refsList() *refsList {
	l := &refsList{sections: []section{{title: "Nudge targets", anchor: nudgeAnchor}}, entries: make([][]*refEntry, 1)}
	counts := map[evidence.Status]int{}
	groups := map[string]int{}
	for _, e := range b.refs.entries {
		st, nudge := b.refStatus(e)
		counts[st]++
		if nudge {
			l.entries[0] = append(l.entries[0], e)
		}
		key := strings.ToLower(e.ref.Repo)
		i, ok := groups[key]
		if !ok {
			i = len(l.sections)
			groups[key] = i
			l.sections = append(l.sections, section{title: e.ref.Repo, anchor: repoAnchor(e.ref.Repo)})
			l.entries = append(l.entries, nil)
		}
		l.entries[i] = append(l.entries[i], e)
	}
	for i := range l.sections {
		l.sections[i].size = len(l.entries[i])
	}
	l.counts = statusBuckets(counts)
	return l
}

// refsIndexView is page i of the refs index.
func (b *builder) refsIndexView(l *refsList, pages []listPage, i int) view.RefsIndex {
	path := pages[i].path
	title := listTitle("Cited PRs, issues and commits", pages, i)
	v := view.RefsIndex{Page: b.page(title, path, "refs"), Total: len(b.refs.entries), Counts: l.counts,
		Intro:    "Every PR, issue and commit the reports and patterns cite, by repository, with what the content claims of it, what verification recorded, and every place that cites it.",
		Contents: contents(pages, i, l.sections), Pager: pager(pages, i)}
	for _, sp := range pages[i].spans {
		sec := l.sections[sp.section]
		rs := view.RefSection{Anchor: sec.anchor, Title: sec.title, Count: sec.size, Continued: sp.continued(), Nudges: sp.section == 0}
		for _, e := range l.entries[sp.section][sp.from:sp.to] {
			rs.Rows = append(rs.Rows, b.refRow(e, path))
		}
		v.Sections = append(v.Sections, rs)
	}
	return v
}

// repoAnchor is the id of a repository's section of the refs index.
func repoAnchor(repo string) string {
	return "repo-" + refSlugUnsafe.ReplaceAllString(strings.ToLower(strings.ReplaceAll(repo, "/", "-")), "_")
}
