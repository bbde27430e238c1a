package analyze

import (
	"cmp"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/snapshot"
)

// Claim is a pattern, or one of its sub-patterns, that claims a job.
type Claim struct {
	Pattern *content.Pattern
	Sub     *content.SubPattern // nil: the pattern itself, no sub-pattern claims the job
	// ByDesign is set when the claiming body, or its entry for the job, says the job fails on purpose.
	ByDesign bool
}

// Key names the claim: the pattern slug, or slug#sub-id.
func (c Claim) Key() string {
	if c.Sub == nil {
		return c.Pattern.Slug
	}
	return c.Pattern.Slug + "#" + c.Sub.ID
}

// Owners are the claim's owner SIGs: the sub-pattern's when it names any, else the pattern's.
func (c Claim) Owners() []string {
	if c.Sub != nil && len(c.Sub.OwnerSIGs) > 0 {
		return c.Sub.OwnerSIGs
	}
	return c.Pattern.OwnerSIGs
}

// Placer holds every pattern's rules, compiled once, and places jobs by them.
type Placer struct {
	bodies []body
	byDS   map[snapshot.Dataset]*ruleSet
}

// body is a pattern or a sub-pattern with its exact claims.
type body struct {
	claim  Claim
	listed map[string]bool // name -> by design
}

// rule is one compiled matcher, shared by every body that writes the same one.
type rule struct {
	re      *regexp.Regexp
	prefix  string // every name the rule matches starts with it
	must    string // a literal every name the rule matches contains: a cheap test before the regexp
	test    bool
	targets []target
}

// target is a body a rule claims jobs for, or takes them back from.
type target struct {
	body    int
	exclude bool
}

// ruleSet is one dataset's rules: exact names, name rules indexed by literal prefix, test rules.
type ruleSet struct {
	listed   map[string][]int // name -> bodies
	byPrefix map[string][]int // literal prefix -> rules
	lengths  []int            // the distinct prefix lengths, ascending
	tests    []int
	rules    []rule
	bySource map[string]int // kind and source -> rule, so a rule many bodies write runs once
}

// NewPlacer compiles the patterns' matchers. The loader has checked that they compile; one
// that does not is skipped.
func NewPlacer(patterns []*content.Pattern) *Placer {
	p := &Placer{byDS: map[snapshot.Dataset]*ruleSet{}}
	for _, pat := range patterns {
		p.add(pat, nil, &pat.Body)
		for i := range pat.SubPatterns {
			p.add(pat, &pat.SubPatterns[i], &pat.SubPatterns[i].Body)
		}
	}
	for _, rs := range p.byDS {
		for prefix := range rs.byPrefix {
			if !slices.Contains(rs.lengths, len(prefix)) {
				rs.lengths = append(rs.lengths, len(prefix))
			}
		}
		sort.Ints(rs.lengths)
	}
	return p
}

func (p *Placer) set(ds snapshot.Dataset) *ruleSet {
	rs := p.byDS[ds]
	if rs == nil {
		rs = &ruleSet{listed: map[string][]int{}, byPrefix: map[string][]int{}, bySource: map[string]int{}}
		p.byDS[ds] = rs
	}
	return rs
}

func (p *Placer) add(pat *content.Pattern, sub *content.SubPattern, b *content.Body) {
	i := len(p.bodies)
	bd := body{claim: Claim{Pattern: pat, Sub: sub, ByDesign: b.ByDesign}, listed: map[string]bool{}}
	ds := snapshot.Dataset(pat.Dataset)
	for _, j := range b.Jobs {
		bd.listed[j.Name] = j.ByDesign
		rs := p.set(ds)
		rs.listed[j.Name] = append(rs.listed[j.Name], i)
	}
	p.bodies = append(p.bodies, bd)
	for _, m := range b.Match {
		re, err := m.Compile()
		if err != nil {
			continue
		}
		mds := ds
		if m.Dataset != "" {
			mds = snapshot.Dataset(m.Dataset)
		}
		rs := p.set(mds)
		key := m.Kind() + ":" + m.Source()
		k, ok := rs.bySource[key]
		if !ok {
			prefix, _ := re.LiteralPrefix()
			k = len(rs.rules)
			rs.bySource[key] = k
			rs.rules = append(rs.rules, rule{re: re, prefix: prefix, must: longestLiteral(m), test: m.Test != ""})
			if m.Test != "" {
				rs.tests = append(rs.tests, k)
			} else {
				rs.byPrefix[prefix] = append(rs.byPrefix[prefix], k)
			}
		}
		rs.rules[k].targets = append(rs.rules[k].targets, target{body: i, exclude: m.Exclude})
	}
}

// longestLiteral is the longest run of a glob without wildcards; "" for a regexp, whose
// literal prefix is the only cheap test kept.
func longestLiteral(m content.JobMatcher) string {
	if m.Regexp != "" || strings.ContainsAny(m.Glob+m.Test, "[\\") {
		return ""
	}
	best := ""
	for _, run := range strings.FieldsFunc(m.Glob+m.Test, func(r rune) bool { return r == '*' || r == '?' }) {
		if len(run) > len(best) {
			best = run
		}
	}
	return best
}

// Place claims one job of a dataset; tests are its test flakes (flakes only). Claims come in
// pattern order, a pattern's own before its sub-patterns'; a sub-pattern's claim replaces
// its pattern's.
func (p *Placer) Place(ds snapshot.Dataset, name string, tests []snapshot.TestFlake) []Claim {
	rs := p.byDS[ds]
	if rs == nil {
		return nil
	}
	var hit, excluded []int
	for _, l := range rs.lengths {
		if l > len(name) {
			break
		}
		for _, k := range rs.byPrefix[name[:l]] {
			if r := &rs.rules[k]; r.matches(name) {
				hit, excluded = r.note(hit, excluded)
			}
		}
	}
	for _, k := range rs.tests {
		r := &rs.rules[k]
		for _, t := range tests {
			if strings.HasPrefix(t.Test, r.prefix) && r.matches(t.Test) {
				hit, excluded = r.note(hit, excluded)
				break
			}
		}
	}
	bodies := slices.Clone(rs.listed[name])
	for _, b := range hit {
		if !slices.Contains(excluded, b) {
			bodies = append(bodies, b)
		}
	}
	return p.claims(bodies, name)
}

func (r *rule) matches(s string) bool {
	return (r.must == "" || strings.Contains(s, r.must)) && r.re.MatchString(s)
}

func (r *rule) note(hit, excluded []int) ([]int, []int) {
	for _, t := range r.targets {
		if t.exclude {
			excluded = append(excluded, t.body)
		} else {
			hit = append(hit, t.body)
		}
	}
	return hit, excluded
}

// claims turns claiming bodies into claims, once each, in body order, dropping a pattern's
// own claim when one of its sub-patterns claims the job too.
func (p *Placer) claims(bodies []int, name string) []Claim {
	if len(bodies) == 0 {
		return nil
	}
	slices.Sort(bodies)
	bodies = slices.Compact(bodies)
	out := make([]Claim, 0, len(bodies))
	for k, b := range bodies {
		bd := p.bodies[b]
		if bd.claim.Sub == nil && k+1 < len(bodies) && p.bodies[bodies[k+1]].claim.Pattern == bd.claim.Pattern {
			continue
		}
		c := bd.claim
		c.ByDesign = c.ByDesign || bd.listed[name]
		out = append(out, c)
	}
	return out
}

// Placements are the claims on every job of one dataset's history, computed once per job
// name: a job's placement depends only on its name and dataset (and, for test matchers,
// the test flakes of its newest appearance).
type Placements struct {
	h      *snapshot.History
	claims [][]Claim // by job id
	// Live counts are kept for every claiming pattern and sub-pattern, in the order a status
	// lists them: by pattern slug, each pattern before its sub-patterns. A status page is
	// built for every stored snapshot, so each job's slots are found once here, not once per
	// job per status.
	live     []Claim   // slot -> pattern (Sub nil) or sub-pattern
	slots    [][]int32 // by job id: the slots the job counts toward
	byDesign []bool    // by job id: a claim says the job fails on purpose
}

// PlaceAll places every job of a history.
func (p *Placer) PlaceAll(h *snapshot.History) *Placements {
	names := h.Names()
	ps := &Placements{h: h, claims: make([][]Claim, len(names))}
	for id, name := range names {
		var tests []snapshot.TestFlake
		if h.Dataset == snapshot.Flakes {
			tests = h.TestFlakes(name)
		}
		ps.claims[id] = p.Place(h.Dataset, name, tests)
	}
	ps.slot()
	return ps
}

// slot numbers every claiming pattern and sub-pattern in status order and lists each job's.
func (ps *Placements) slot() {
	type key struct {
		p *content.Pattern
		s *content.SubPattern
	}
	// liveKeys applies f to each pattern that claims a job, once, and to each claiming sub-pattern.
	liveKeys := func(claims []Claim, f func(key)) {
		for k, c := range claims {
			if k == 0 || claims[k-1].Pattern != c.Pattern {
				f(key{c.Pattern, nil})
			}
			if c.Sub != nil {
				f(key{c.Pattern, c.Sub})
			}
		}
	}
	seen := map[key]bool{}
	for _, claims := range ps.claims {
		liveKeys(claims, func(k key) {
			if !seen[k] {
				seen[k] = true
				ps.live = append(ps.live, Claim{Pattern: k.p, Sub: k.s})
			}
		})
	}
	slices.SortFunc(ps.live, func(a, b Claim) int {
		if c := strings.Compare(a.Pattern.Slug, b.Pattern.Slug); c != 0 {
			return c
		}
		return cmp.Compare(subIndex(a), subIndex(b))
	})
	slot := make(map[key]int32, len(ps.live))
	for i, c := range ps.live {
		slot[key{c.Pattern, c.Sub}] = int32(i)
	}
	ps.slots, ps.byDesign = make([][]int32, len(ps.claims)), make([]bool, len(ps.claims))
	for id, claims := range ps.claims {
		liveKeys(claims, func(k key) { ps.slots[id] = append(ps.slots[id], slot[k]) })
		ps.byDesign[id] = slices.ContainsFunc(claims, func(c Claim) bool { return c.ByDesign })
	}
}

// ByID is the claims on the job with a history id.
func (ps *Placements) ByID(id int32) []Claim { return ps.claims[id] }

// Of is the claims on a named job; none when the history never lists it.
func (ps *Placements) Of(name string) []Claim {
	names := ps.h.Names()
	i := sort.SearchStrings(names, name)
	if i < len(names) && names[i] == name {
		return ps.claims[i]
	}
	return nil
}
