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
	"github.com/triagesite/triagesite/internal/view"
)

// refIndex is every PR, issue and commit the content cites, with every place that cites it,
// computed once per build before any page renders: inline citations need it to link their
// ref pages, and the refs pages, search and sitemap list it.
type refIndex struct {
	entries []*refEntry                   // by repository, then issues and PRs by number, then commits by SHA
	byKey   map[string]*refEntry          // refKey of every form cited (each abbreviation of a commit) -> entry
	repos   []string                      // repositories, in entries' order
	byOwner map[content.Owner][]*refEntry // what each pattern and report cites, in entries' order
}

// refEntry is one cited PR, issue or commit.
type refEntry struct {
	// ref is the canonical form (the longest SHA cited for a commit), in Tree.Citations: a
	// large tree cites a hundred thousand refs, and a copy of each is 120 bytes.
	ref    *citation.Ref
	path   string          // refs/<owner>-<repo>-<N>.html or refs/<owner>-<repo>-commit-<sha>.html
	claims []refClaim      // structured claims about it, in content order
	inline []*citation.Ref // each form it is cited in inline, in Tree.Citations
	places []refPlace      // where it is cited, each page and anchor once
	nudges []nudgeAt       // report nudge-target rows that name it
	// sibling links it from a page in its own directory, as every ref page lists related
	// refs: made once rather than on each of the pages that list it.
	sibling view.Link
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
	owner  content.Owner
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

// refCollector gathers the loader's citations by what they cite.
type refCollector struct {
	tree    *content.Tree
	entries map[string]*refEntry // exact refKey -> entry
	// placed and inlined say what an entry already lists: a ref cited from thousands of
	// patterns made a scan of its list on every citation quadratic.
	placed  map[placeKey]bool
	inlined map[inlineKey]bool
	// subPlaces is each sub-pattern's anchor and label, made once rather than per citation.
	subPlaces map[*content.SubPattern][2]string
}

type placeKey struct {
	e            *refEntry
	page, anchor string
}

// inlineKey is one form a ref is cited in inline: the repository as written, and a commit's
// SHA as long as written.
type inlineKey struct {
	e         *refEntry
	repo, sha string
}

// collectRefs indexes every PR, issue and commit among the tree's citations (structured
// claims, prose, and report fields that list refs) with the page and anchor of each place.
// It reads Tree.Citations, the one list the loader made; the YAML path of each citation
// says where on its owner's page it stands.
func collectRefs(t *content.Tree) *refIndex {
	c := &refCollector{tree: t, entries: map[string]*refEntry{}, placed: map[placeKey]bool{}, inlined: map[inlineKey]bool{},
		subPlaces: map[*content.SubPattern][2]string{}}
	// A field no section shows (a claim's note in a report, an acknowledgement) places its
	// citation on its page only when nothing else there cites the same ref: after the rest.
	var unplaced []*content.Citation
	// Reports first, as readers meet them: a ref's claims list a report's before a pattern's.
	for _, kind := range []content.OwnerKind{content.OwnerReport, content.OwnerPattern} {
		for i := range t.Citations {
			tc := &t.Citations[i]
			if tc.Owner.Kind != kind || (tc.Ref.Kind != citation.KindRef && tc.Ref.Kind != citation.KindCommit) {
				continue
			}
			var pl refPlace
			var ok bool
			if r := t.Report(tc.Owner.ID); kind == content.OwnerReport && r != nil {
				pl, ok = reportPlace(r, tc)
			} else {
				pl, ok = c.patternPlace(tc)
			}
			if !ok {
				unplaced = append(unplaced, tc)
				continue
			}
			c.add(&tc.Ref, pl, tc.Claim)
			if i, ok := tc.Index("nudge_targets"); ok && tc.Field() == "refs" {
				r := t.Report(tc.Owner.ID)
				e := c.entries[refKey(tc.Ref)]
				e.nudges = append(e.nudges, nudgeAt{r, &r.Status.NudgeTargets[i]})
			}
		}
	}
	for _, tc := range unplaced {
		pl := ownerPlace(t, tc.Owner)
		if e := c.entries[refKey(tc.Ref)]; e == nil || !c.placed[placeKey{e, pl.page, ""}] && !e.citedOn(pl.page) {
			c.add(&tc.Ref, pl, tc.Claim)
		}
	}
	return c.finish()
}

func (e *refEntry) citedOn(page string) bool {
	for _, p := range e.places {
		if p.page == page {
			return true
		}
	}
	return false
}

// ownerPlace is the top of the page of a citation's owner.
func ownerPlace(t *content.Tree, owner content.Owner) refPlace {
	o := ownerOf(t, owner)
	return refPlace{page: o.page, label: o.title, report: owner.Kind == content.OwnerReport, owner: owner}
}

// ownerInfo is what the site shows of the report or pattern that makes a citation.
type ownerInfo struct {
	page, title string
	repo        string // its default repository
}

// ownerOf looks up a citation's owner, a report or else a pattern; one the tree lacks is
// shown by its ID.
func ownerOf(t *content.Tree, owner content.Owner) ownerInfo {
	if owner.Kind == content.OwnerReport {
		o := ownerInfo{page: reportPath(owner.ID), title: owner.ID}
		if r := t.Report(owner.ID); r != nil {
			o.title, o.repo = r.Title, r.DefaultRepo
		}
		return o
	}
	o := ownerInfo{page: patternPath(owner.ID), title: owner.ID}
	if p := t.Pattern(owner.ID); p != nil {
		o.title, o.repo = p.Title, p.DefaultRepo
	}
	return o
}

func (c *refCollector) add(r *citation.Ref, pl refPlace, claim *content.Claim) {
	key := refKey(*r)
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
	} else if k := (inlineKey{e, r.Repo, r.SHA}); !c.inlined[k] {
		c.inlined[k] = true
		e.inline = append(e.inline, r)
	}
	if k := (placeKey{e, pl.page, pl.anchor}); !c.placed[k] {
		c.placed[k] = true
		e.places = append(e.places, pl)
	}
}

// reportPlace is the section of a report page that shows the field a citation is in;
// false for a field no section shows on its own.
func reportPlace(r *content.Report, tc *content.Citation) (refPlace, bool) {
	at := func(anchor, label string) (refPlace, bool) {
		return refPlace{page: reportPath(r.ID), anchor: anchor, label: r.Title + " · " + label, report: true, owner: tc.Owner}, true
	}
	sec := func(s outline.Section) (refPlace, bool) { return at(s.Anchor, s.Title) }
	top, _, _ := strings.Cut(tc.Path, ".")
	top, _, _ = strings.Cut(top, "[")
	switch top {
	case "method":
		return at("", "introduction")
	case "banner":
		return at("", "banner")
	case outline.Status.Key:
		return sec(outline.Status)
	case outline.TLDR.Key:
		return sec(outline.TLDR)
	case "patterns_intro":
		return sec(outline.Patterns)
	case outline.Patterns.Key:
		if i, ok := tc.Index(outline.Patterns.Key); ok {
			return at(r.Patterns[i].Pattern, "Pattern "+r.Patterns[i].Letter)
		}
	case outline.Misclassifications.Key:
		return sec(outline.Misclassifications)
	case outline.ActionPlan.Key:
		if i, ok := tc.Index(outline.ActionPlan.Key); ok {
			return tierPlace(r.Tiers[i], tc, at)
		}
	case outline.Methodology.Key, "metric_notes":
		return sec(outline.Methodology)
	case outline.Drift.Key:
		return sec(outline.Drift)
	case outline.Verifications.Key:
		if i, ok := tc.Index(outline.Verifications.Key); ok {
			q := r.Verifications[i]
			return at(outline.QuestionAnchor(q.ID), q.ID)
		}
	case outline.OpenQuestions.Key:
		return sec(outline.OpenQuestions)
	case outline.Appendix.Key:
		return sec(outline.Appendix)
	case outline.OtherCitations.Key:
		if tc.Claim != nil {
			return sec(outline.OtherCitations)
		}
	}
	return refPlace{}, false
}

// tierPlace is an action's row when the report numbers it, else its tier.
func tierPlace(t content.Tier, tc *content.Citation, at func(anchor, label string) (refPlace, bool)) (refPlace, bool) {
	if j, ok := tc.Index("items"); ok && t.Items[j].ID != "" {
		id := t.Items[j].ID
		return at(outline.ActionAnchor(t.Tier, id), "action "+actionLabel(t.Tier, id))
	}
	return at(outline.TierAnchor(t.Tier), "Tier "+strconv.Itoa(t.Tier))
}

// patternPlace is the pattern page, at the sub-pattern a citation is in; false for a claim's
// acknowledgement, which the page shows beside the claim's status, not as a citation of its own.
func (c *refCollector) patternPlace(tc *content.Citation) (refPlace, bool) {
	if tc.Field() == "acknowledged" {
		return refPlace{}, false
	}
	pl := ownerPlace(c.tree, tc.Owner)
	p := c.tree.Pattern(tc.Owner.ID)
	if i, ok := tc.Index("subpatterns"); ok && p != nil {
		s := &p.SubPatterns[i]
		at, ok := c.subPlaces[s]
		if !ok {
			at = [2]string{outline.SubPatternAnchor(p.Slug, s.ID), p.Title + " · " + s.Label}
			c.subPlaces[s] = at
		}
		pl.anchor, pl.label = at[0], at[1]
	}
	return pl, true
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
	x := &refIndex{byKey: map[string]*refEntry{}, byOwner: map[content.Owner][]*refEntry{}}
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
		slug := refSlug(*e.ref)
		for n := 2; used[slug]; n++ { // owner a-b/c and owner a/b-c: rare, but pages must not collide
			slug = refSlug(*e.ref) + "~" + strconv.Itoa(n)
		}
		used[slug] = true
		e.path = "refs/" + slug + ".html"
		e.sibling = view.Link{Href: rel(e.path, e.path), Text: e.ref.Short(c.tree.Alias(e.ref.Repo))}
		if len(x.repos) == 0 || !strings.EqualFold(x.repos[len(x.repos)-1], e.ref.Repo) {
			x.repos = append(x.repos, e.ref.Repo)
		}
		sortPlaces(e.places)
		owners := map[content.Owner]bool{}
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
