package site

import (
	"maps"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/triagesite/triagesite/internal/citation"
	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/evidence"
	"github.com/triagesite/triagesite/internal/outline"
)

// refIndex is every PR, issue and commit the content cites, with every place that cites it,
// computed once per build before any page renders: inline citations need it to link their
// ref pages, and the refs pages, search and sitemap list it.
type refIndex struct {
	entries []*refEntry            // by repository, then issues and PRs by number, then commits by SHA
	byKey   map[string]*refEntry   // refKey of every form cited (each abbreviation of a commit) -> entry
	repos   []string               // repositories, in entries' order
	byOwner map[string][]*refEntry // "pattern/<slug>", "report/<id>" -> what it cites, in entries' order
}

// refEntry is one cited PR, issue or commit.
type refEntry struct {
	ref    citation.Ref // canonical: the longest SHA cited for a commit
	path   string       // refs/<owner>-<repo>-<N>.html or refs/<owner>-<repo>-commit-<sha>.html
	claims []refClaim   // structured claims about it, in content order
	inline []citation.Ref
	places []refPlace // where it is cited, each page and anchor once
	nudges []nudgeAt  // report nudge-target rows that name it
}

// refClaim is one structured claim and where it is made.
type refClaim struct {
	claim *content.Claim
	place refPlace
}

// refPlace is one place on the site that cites a ref.
type refPlace struct {
	page   string // path from the site root
	anchor string // id on that page, or ""
	label  string
	report bool // a report page (else a pattern page)
	owner  string
}

// nudgeAt is a report's nudge-target row naming a ref.
type nudgeAt struct {
	report *content.Report
	target *content.NudgeTarget
}

// refKey identifies a PR, issue or commit regardless of case and of how much of a SHA is written.
func refKey(r citation.Ref) string {
	switch r.Kind {
	case citation.KindRef:
		return strings.ToLower(r.Repo) + "#" + strconv.Itoa(r.Number)
	case citation.KindCommit:
		return strings.ToLower(r.Repo) + "@" + strings.ToLower(r.SHA)
	}
	return ""
}

var refSlugUnsafe = regexp.MustCompile(`[^a-z0-9._-]+`)

func refSlug(r citation.Ref) string {
	repo := refSlugUnsafe.ReplaceAllString(strings.ToLower(strings.Replace(r.Repo, "/", "-", 1)), "_")
	if r.Kind == citation.KindCommit {
		return repo + "-commit-" + strings.ToLower(r.SHA)
	}
	return repo + "-" + strconv.Itoa(r.Number)
}

// pathOf is the ref page of a citation, or "" when it has none (files, builds, or a ref the
// loaded content does not cite).
func (x *refIndex) pathOf(r citation.Ref) string {
	if e := x.byKey[refKey(r)]; e != nil {
		return e.path
	}
	return ""
}

// refCollector walks the content in the order readers meet it.
type refCollector struct {
	tree    *content.Tree
	entries map[string]*refEntry // exact refKey -> entry
}

// collectRefs finds every PR, issue and commit cited in structured claims, in prose and in
// report fields that list refs, with the page and anchor of each place.
func collectRefs(t *content.Tree, _ Evidence) *refIndex {
	c := &refCollector{tree: t, entries: map[string]*refEntry{}}
	for _, r := range t.Reports {
		c.report(r)
	}
	for _, p := range t.Patterns {
		c.pattern(p)
	}
	// The loader's list is authoritative: anything it found that the walk did not reach is
	// still listed, at its owner's page.
	for _, tc := range t.Citations {
		if tc.Ref.Kind != citation.KindRef && tc.Ref.Kind != citation.KindCommit {
			continue
		}
		pl := ownerPlace(t, tc.Owner)
		if tc.Claim != nil {
			if e := c.entries[refKey(tc.Ref)]; e == nil || !hasClaim(e, tc.Claim) {
				c.add(tc.Ref, pl, tc.Claim)
			}
			continue
		}
		if e := c.entries[refKey(tc.Ref)]; e == nil || !e.citedOn(pl.page) {
			c.add(tc.Ref, pl, nil)
		}
	}
	return c.finish()
}

func hasClaim(e *refEntry, cl *content.Claim) bool {
	for _, x := range e.claims {
		if x.claim == cl {
			return true
		}
	}
	return false
}

func (e *refEntry) citedOn(page string) bool {
	for _, p := range e.places {
		if p.page == page {
			return true
		}
	}
	return false
}

func ownerPlace(t *content.Tree, owner string) refPlace {
	kind, id, _ := strings.Cut(owner, "/")
	if kind == "report" {
		pl := refPlace{page: reportPath(id), label: id, report: true, owner: owner}
		for _, r := range t.Reports {
			if r.ID == id {
				pl.label = r.Title
			}
		}
		return pl
	}
	pl := refPlace{page: patternPath(id), label: id, owner: owner}
	if p := t.Pattern(id); p != nil {
		pl.label = p.Title
	}
	return pl
}

func (c *refCollector) add(r citation.Ref, pl refPlace, claim *content.Claim) {
	key := refKey(r)
	if key == "" {
		return
	}
	e := c.entries[key]
	if e == nil {
		e = &refEntry{ref: r}
		c.entries[key] = e
	}
	if claim != nil {
		e.claims = append(e.claims, refClaim{claim, pl})
	} else {
		seen := false
		for _, x := range e.inline {
			if x.String() == r.String() {
				seen = true
			}
		}
		if !seen {
			e.inline = append(e.inline, r)
		}
	}
	for _, p := range e.places {
		if p.page == pl.page && p.anchor == pl.anchor {
			return
		}
	}
	e.places = append(e.places, pl)
}

func (c *refCollector) resolve(s, repo string) (citation.Ref, bool) {
	ref, err := citation.Parse(s)
	if err != nil {
		return ref, false
	}
	ref, err = ref.Resolve(c.tree, repo)
	return ref, err == nil
}

// prose adds every ref cited in markdown.
func (c *refCollector) prose(pl refPlace, repo string, mds ...content.Markdown) {
	for _, md := range mds {
		for _, m := range citation.Scan(string(md), repo != "") {
			if ref, err := m.Ref.Resolve(c.tree, repo); err == nil {
				c.add(ref, pl, nil)
			}
		}
	}
}

func (c *refCollector) claims(pl refPlace, cs []content.Claim) {
	for i := range cs {
		c.add(cs[i].Parsed, pl, &cs[i])
	}
}

func (c *refCollector) report(r *content.Report) {
	repo := r.DefaultRepo
	at := func(anchor, label string) refPlace {
		return refPlace{page: reportPath(r.ID), anchor: anchor, label: r.Title + " · " + label, report: true, owner: "report/" + r.ID}
	}
	sec := func(s outline.Section) refPlace { return at(s.Anchor, s.Title) }
	c.prose(at("", "introduction"), repo, r.Method)
	c.prose(at("", "banner"), repo, r.Banner...)
	st := sec(outline.Status)
	for _, cl := range r.Status.Clusters {
		c.prose(st, repo, cl.Highlight)
	}
	for i := range r.Status.NudgeTargets {
		n := &r.Status.NudgeTargets[i]
		c.prose(st, repo, n.State, n.Block, n.Cleared)
		for _, s := range n.Refs {
			if ref, ok := c.resolve(s, repo); ok {
				c.add(ref, st, nil)
				e := c.entries[refKey(ref)]
				e.nudges = append(e.nudges, nudgeAt{r, n})
			}
		}
	}
	c.prose(st, repo, r.Status.OpenWork...)
	c.prose(st, repo, r.Status.Notes)
	tl := sec(outline.TLDR)
	c.prose(tl, repo, r.TLDR.Headline, r.TLDR.Notes)
	c.prose(tl, repo, r.TLDR.Takeaways...)
	c.prose(sec(outline.Patterns), repo, r.PatternsIntro)
	for _, rp := range r.Patterns {
		c.prose(at(rp.Pattern, "Pattern "+rp.Letter), repo, rp.Note)
	}
	for _, m := range r.Misclassified {
		c.prose(sec(outline.Misclassifications), repo, m.Entry, m.Reality)
	}
	for _, t := range r.Tiers {
		tp := at(outline.TierAnchor(t.Tier), "Tier "+strconv.Itoa(t.Tier))
		for _, a := range t.Items {
			ap := tp
			if a.ID != "" {
				ap.anchor, ap.label = outline.ActionAnchor(t.Tier, a.ID), r.Title+" · action "+actionLabel(t.Tier, a.ID)
			}
			c.prose(ap, repo, a.Action, a.Cleared, a.Block, a.Where, a.Owner, a.Status, a.Why)
			for _, s := range a.Refs {
				if ref, ok := c.resolve(s, repo); ok {
					c.add(ref, ap, nil)
				}
			}
		}
		c.prose(tp, repo, t.Notes...)
	}
	me := sec(outline.Methodology)
	c.prose(me, repo, r.Methodology...)
	c.prose(me, repo, r.MetricNotes)
	dr := sec(outline.Drift)
	c.prose(dr, repo, r.Drift.Summary)
	c.prose(dr, repo, r.Drift.Notes...)
	for _, q := range r.Verifications {
		c.prose(at(outline.QuestionAnchor(q.ID), q.ID), repo, q.Question, q.Detail)
	}
	c.prose(sec(outline.OpenQuestions), repo, r.OpenQuestions...)
	c.prose(sec(outline.Appendix), repo, r.Appendix)
	c.claims(sec(outline.OtherCitations), r.Citations)
}

func (c *refCollector) pattern(p *content.Pattern) {
	top := refPlace{page: patternPath(p.Slug), label: p.Title, owner: "pattern/" + p.Slug}
	c.body(top, p.DefaultRepo, &p.Body)
	for i := range p.SubPatterns {
		s := &p.SubPatterns[i]
		c.body(refPlace{page: top.page, anchor: outline.SubPatternAnchor(p.Slug, s.ID), label: p.Title + " · " + s.Label, owner: top.owner}, p.DefaultRepo, &s.Body)
	}
}

func (c *refCollector) body(pl refPlace, repo string, b *content.Body) {
	c.prose(pl, repo, b.Prose()...)
	for _, j := range b.Jobs {
		c.prose(pl, repo, j.Note)
	}
	c.claims(pl, b.Citations)
	for i := range b.Citations {
		c.prose(pl, repo, b.Citations[i].Note)
	}
}

// finish merges abbreviations of one commit, orders the entries and gives each a page.
// foldPrefixes maps each of the sorted keys that is a prefix of another to the longest key
// it starts (the first in order among equally long ones) that is not itself folded. Keys that
// start with k follow k directly in sorted order, so each is looked for only there: a search
// of every longer key was quadratic, and a large corpus cites thousands of commits.
func foldPrefixes(sorted []string) map[string]string {
	longestFirst := slices.Clone(sorted)
	slices.SortStableFunc(longestFirst, func(a, b string) int { return len(b) - len(a) })
	into := map[string]string{}
	for _, k := range longestFirst {
		i, _ := slices.BinarySearch(sorted, k)
		best := ""
		for _, longer := range sorted[i+1:] {
			if !strings.HasPrefix(longer, k) {
				break
			}
			if into[longer] == "" && len(longer) > len(best) {
				best = longer
			}
		}
		if best != "" {
			into[k] = best
		}
	}
	return into
}

func (c *refCollector) finish() *refIndex {
	x := &refIndex{byKey: map[string]*refEntry{}, byOwner: map[string][]*refEntry{}}
	keys := slices.Sorted(maps.Keys(c.entries))
	// A commit cited as abc1234 and as abc1234def5 is one commit: fold each SHA into the
	// longest SHA of the same repository that starts with it.
	var commits []string
	for _, k := range keys {
		if c.entries[k].ref.Kind == citation.KindCommit {
			commits = append(commits, k)
		}
	}
	into := foldPrefixes(commits)
	for _, k := range keys {
		e := c.entries[k]
		if dst := into[k]; dst != "" {
			d := c.entries[dst]
			d.claims = append(d.claims, e.claims...)
			d.inline = append(d.inline, e.inline...)
			d.nudges = append(d.nudges, e.nudges...)
			for _, p := range e.places {
				if !d.has(p) {
					d.places = append(d.places, p)
				}
			}
			x.byKey[k] = d
			continue
		}
		x.byKey[k] = e
		x.entries = append(x.entries, e)
	}
	sort.SliceStable(x.entries, func(i, j int) bool {
		a, b := x.entries[i].ref, x.entries[j].ref
		if ra, rb := strings.ToLower(a.Repo), strings.ToLower(b.Repo); ra != rb {
			return ra < rb
		}
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		if a.Number != b.Number {
			return a.Number < b.Number
		}
		return strings.ToLower(a.SHA) < strings.ToLower(b.SHA)
	})
	used := map[string]bool{}
	for _, e := range x.entries {
		slug := refSlug(e.ref)
		for n := 2; used[slug]; n++ { // owner a-b/c and owner a/b-c: rare, but pages must not collide
			slug = refSlug(e.ref) + "~" + strconv.Itoa(n)
		}
		used[slug] = true
		e.path = "refs/" + slug + ".html"
		if len(x.repos) == 0 || !strings.EqualFold(x.repos[len(x.repos)-1], e.ref.Repo) {
			x.repos = append(x.repos, e.ref.Repo)
		}
		sortPlaces(e.places)
		owners := map[string]bool{}
		for _, p := range e.places {
			if !owners[p.owner] {
				owners[p.owner] = true
				x.byOwner[p.owner] = append(x.byOwner[p.owner], e)
			}
		}
	}
	return x
}

func (e *refEntry) has(p refPlace) bool {
	for _, q := range e.places {
		if q.page == p.page && q.anchor == p.anchor {
			return true
		}
	}
	return false
}

// sortPlaces puts reports before patterns, keeping content order within each.
func sortPlaces(ps []refPlace) {
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].report && !ps[j].report })
}

// actionLabel names an action as "1.2" whether or not the report numbers it with its tier.
func actionLabel(tier int, id string) string {
	t := strconv.Itoa(tier)
	if strings.HasPrefix(id, t+".") {
		return id
	}
	return t + "." + id
}

// statusRank orders statuses worst first, for the one status a ref shows in lists.
var statusRank = map[evidence.Status]int{evidence.Contradicted: 0, evidence.Missing: 1, evidence.Error: 2, evidence.Unverifiable: 3, evidence.Verified: 4}

func worse(a, b evidence.Status) evidence.Status {
	if a == "" || statusRank[b] < statusRank[a] {
		return b
	}
	return a
}
