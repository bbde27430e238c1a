package content

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/triagesite/triagesite/internal/citation"
	"github.com/triagesite/triagesite/internal/snapshot"
)

var (
	slugRe  = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)
	sigIDRe = regexp.MustCompile(`^(?:sig|wg|ug|committee)-[a-z0-9]+(?:-[a-z0-9]+)*$`)
	shaRe   = regexp.MustCompile(`^[0-9a-f]{7,40}$`)
)

func isDate(s string) bool {
	_, err := time.Parse("2006-01-02", s)
	return err == nil
}

func isTimestamp(s string) bool {
	_, err := time.Parse(time.RFC3339, s)
	return err == nil
}

func isDateOrTimestamp(s string) bool { return isDate(s) || isTimestamp(s) }

func (l *loader) validateSIGs() {
	seen := map[string]bool{}
	cats := map[string]bool{}
	for _, r := range l.tree.Categories.Rules {
		cats[r.Category] = true
	}
	cats[l.tree.Categories.Fallback] = true
	for i := range l.tree.SIGs {
		s := &l.tree.SIGs[i]
		switch {
		case !sigIDRe.MatchString(s.ID):
			l.errorOn(&s.ID, s.Pos, "SIG id %s must look like sig-node or wg-device-management", excerpt(s.ID))
		case seen[s.ID]:
			l.errorOn(&s.ID, s.Pos, "SIG %q is listed twice", s.ID)
		}
		seen[s.ID] = true
		if s.Name == "" {
			l.errorOn(&s.Name, s.Pos, "SIG %s needs a name", excerpt(s.ID))
		}
		for j, c := range s.Categories {
			if !cats[c] && !l.unparsed["categories.yaml"] {
				l.errorOn(&s.Categories[j], s.Pos, "SIG %s owns category %s, which categories.yaml does not define", excerpt(s.ID), excerpt(c))
			}
		}
	}
}

func (l *loader) validateCategories() {
	c := l.tree.Categories
	if l.unparsed["categories.yaml"] {
		return
	}
	if c.Fallback == "" && len(c.Rules) > 0 {
		l.fileError("categories.yaml", "fallback is required: the category of a job no rule matches")
	}
	for _, r := range c.Rules {
		if r.Category == "" {
			l.errorAt(r.Pos, "rule needs a category")
		}
		if msg := r.Matcher.check(); msg != "" {
			l.errorAt(r.Pos, "rule for %q: %s", r.Category, msg)
		}
	}
}

// check reports a matcher that sets other than exactly one test.
func (m Matcher) check() string {
	n := 0
	for _, set := range []bool{m.Prefix != "", m.Contains != "", m.Any != nil, m.All != nil} {
		if set {
			n++
		}
	}
	if n != 1 {
		return "set exactly one of prefix, contains, any, all"
	}
	for _, sub := range append(append([]Matcher{}, m.Any...), m.All...) {
		if msg := sub.check(); msg != "" {
			return msg
		}
	}
	return ""
}

// Match reports whether a lower-cased job name passes the matcher.
func (m Matcher) Match(job string) bool {
	switch {
	case m.Prefix != "":
		return strings.HasPrefix(job, m.Prefix)
	case m.Contains != "":
		return strings.Contains(job, m.Contains)
	case m.Any != nil:
		for _, s := range m.Any {
			if s.Match(job) {
				return true
			}
		}
		return false
	case m.All != nil:
		for _, s := range m.All {
			if !s.Match(job) {
				return false
			}
		}
		return true
	}
	return false
}

func (l *loader) validatePattern(p *Pattern) {
	if !slugRe.MatchString(p.Slug) {
		l.errorOn(&p.Slug, p.Pos, "slug %s must be lower-case words joined by hyphens", excerpt(p.Slug))
	}
	if _, err := snapshot.ParseDataset(p.Dataset); err != nil {
		l.errorOn(&p.Dataset, p.Pos, "pattern %s: unknown dataset %s: want failures or flakes", p.Slug, excerpt(p.Dataset))
	}
	if p.AsOf != "" && !isDate(p.AsOf) {
		l.errorOn(&p.AsOf, p.Pos, "pattern %s: as_of %q must be a date (YYYY-MM-DD)", p.Slug, p.AsOf)
	}
	l.validateBody(p.Pos, &p.Body, "pattern "+p.Slug)
	l.validateMatchers(&p.Body, p.Dataset, "pattern "+p.Slug)
	ids := map[string]bool{}
	for i := range p.SubPatterns {
		s := &p.SubPatterns[i]
		switch {
		case !slugRe.MatchString(s.ID):
			l.errorOn(&s.ID, s.Pos, "sub-pattern id %s must be lower-case words joined by hyphens", excerpt(s.ID))
		case ids[s.ID]:
			l.errorOn(&s.ID, s.Pos, "sub-pattern id %q is used twice in pattern %s", s.ID, p.Slug)
		}
		ids[s.ID] = true
		l.validateBody(s.Pos, &s.Body, "sub-pattern "+s.ID)
		l.validateMatchers(&s.Body, p.Dataset, "sub-pattern "+s.ID)
	}
}

func (l *loader) validateBody(p Pos, b *Body, what string) {
	if strings.TrimSpace(b.Title) == "" {
		l.errorOn(&b.Title, p, "%s needs a title", what)
	}
	for i, id := range b.OwnerSIGs {
		if l.tree.SIG(id) == nil && !l.unparsed["sigs.yaml"] {
			l.errorOn(&b.OwnerSIGs[i], p, "%s names owner SIG %s, which sigs.yaml does not define", what, excerpt(id))
		}
	}
	seen := map[string]bool{}
	for i := range b.Jobs {
		j := &b.Jobs[i]
		if j.Name == "" {
			l.errorAt(j.Pos, "job needs a name")
		}
		if seen[j.Name] {
			l.errorOn(&j.Name, j.Pos, "job %s is listed twice in %s", excerpt(j.Name), what)
		}
		seen[j.Name] = true
	}
}

var allowedClaimFields = map[citation.Kind][]string{
	citation.KindRef:    {"kind", "title", "state", "merged_at", "closed_at", "labels", "at"},
	citation.KindCommit: {"author", "date", "title", "at", "acknowledged"},
	citation.KindFile:   {"at", "quote", "acknowledged"},
	citation.KindBuild:  {"job", "result", "quote", "acknowledged"},
}

// claimField is one optional field of a claim: its key, its value and whether it is given.
type claimField struct {
	name  string
	value any // a pointer into the claim, for its position
	set   bool
}

func (c *Claim) fields() []claimField {
	return []claimField{
		{"kind", &c.Kind, c.Kind != ""},
		{"title", &c.Title, c.Title != ""},
		{"state", &c.State, c.State != ""},
		{"merged_at", &c.MergedAt, c.MergedAt != ""},
		{"closed_at", &c.ClosedAt, c.ClosedAt != ""},
		{"labels", &c.Labels, c.Labels != nil},
		{"author", &c.Author, c.Author != ""},
		{"date", &c.Date, c.Date != ""},
		{"at", &c.At, c.At != ""},
		{"quote", &c.Quote, c.Quote != ""},
		{"job", &c.Job, c.Job != ""},
		{"result", &c.Result, c.Result != ""},
		{"acknowledged", &c.Acknowledged, c.Acknowledged != ""},
	}
}

func (l *loader) validateClaim(c *Claim) {
	k := c.Parsed.Kind
	for _, f := range c.fields() {
		if f.set && !slices.Contains(allowedClaimFields[k], f.name) {
			at := l.at(f.value, c.Pos)
			if len(c.Labels) > 0 && f.name == "labels" {
				at = l.at(&c.Labels[0], c.Pos)
			}
			l.errorAt(at, "%s: a %s citation cannot claim %q (it may claim %s)", c.Ref, k, f.name, strings.Join(allowedClaimFields[k], ", "))
		}
	}
	check := func(ok bool, field any, format string, args ...any) {
		if !ok {
			l.errorOn(field, c.Pos, "%s: "+format, append([]any{c.Ref}, args...)...)
		}
	}
	check(c.Kind == "" || c.Kind == "pr" || c.Kind == "issue", &c.Kind, "kind %s must be pr or issue", excerptOf(c.Kind))
	check(c.State == "" || slices.Contains([]string{"merged", "closed", "open", "draft"}, c.State), &c.State, "state %s must be merged, closed, open or draft", excerptOf(c.State))
	check(c.MergedAt == "" || isDateOrTimestamp(c.MergedAt), &c.MergedAt, "merged_at %s must be a date or an RFC 3339 time", excerptOf(c.MergedAt))
	check(c.MergedAt == "" || c.State == "merged" || c.State == "", &c.MergedAt, "merged_at goes with state merged, not %s", excerptOf(c.State))
	check(c.ClosedAt == "" || isDateOrTimestamp(c.ClosedAt), &c.ClosedAt, "closed_at %s must be a date or an RFC 3339 time", excerptOf(c.ClosedAt))
	check(c.Kind != "issue" || (c.State != "merged" && c.State != "draft"), &c.State, "an issue cannot be %s", c.State)
	check(c.Date == "" || isDateOrTimestamp(c.Date), &c.Date, "date %s must be a date or an RFC 3339 time", excerptOf(c.Date))
	if k == citation.KindFile {
		check(c.At == "" || isDate(c.At) || shaRe.MatchString(c.At), &c.At, "at %s must be a date (YYYY-MM-DD) or a commit SHA", excerptOf(c.At))
	} else {
		check(c.At == "" || isDate(c.At), &c.At, "at %s must be a date (YYYY-MM-DD): the day the claim is judged as of", excerptOf(c.At))
	}
	// An acknowledgement with no words would silence lint without saying why.
	check(c.Acknowledged == "" || strings.TrimSpace(string(c.Acknowledged)) != "", &c.Acknowledged, "acknowledged must say why the contradiction is kept")
	check(c.Result == "" || c.Result == "success" || c.Result == "failure", &c.Result, "result %s must be success or failure", excerptOf(c.Result))
	check(c.Role == "" || slices.Contains([]string{"fix", "tracker", "introduced", "exposed", "umbrella", "related", "sample", "evidence", "prerequisite", "predecessor"}, c.Role), &c.Role,
		"role %s must be fix, tracker, introduced, exposed, umbrella, related, sample, evidence, prerequisite or predecessor", excerptOf(c.Role))
	if k == citation.KindBuild && c.Job != "" {
		job, _, ok := c.Parsed.Build()
		check(ok && job == strings.TrimPrefix(c.Job, "pr:"), &c.Job, "the address names job %q, but the claim says %s", job, excerptOf(c.Job))
	}
}

func (l *loader) validateReport(r *Report) {
	ds, err := snapshot.ParseDataset(r.Dataset)
	if err != nil {
		l.errorOn(&r.Dataset, r.Pos, "unknown dataset %s: want failures or flakes", excerpt(r.Dataset))
	}
	if !isDate(r.Date) {
		l.errorOn(&r.Date, r.Pos, "date %s must be a real date, YYYY-MM-DD", excerpt(r.Date))
	}
	if want := r.Date + "-" + r.Dataset; r.ID != want {
		l.errorAt(r.Pos, "report file must be named %s.yaml after its date and dataset", clip(want))
	}
	if strings.TrimSpace(r.Title) == "" {
		l.errorOn(&r.Title, r.Pos, "report needs a title")
	}
	snap := l.tree.Snapshot(ds, r.Snapshot)
	// A snapshot file that is there but broken was reported as what it is.
	if snap == nil && !l.unparsed["snapshots/"+r.Dataset+"/"+r.Snapshot+".json"] {
		l.errorOn(&r.Snapshot, r.Pos, "snapshot %s: no snapshots/%s/%s.json", excerpt(r.Snapshot), r.Dataset, r.Snapshot)
	}
	if r.PriorSnapshot != "" && l.tree.Snapshot(ds, r.PriorSnapshot) == nil && !l.unparsed["snapshots/"+r.Dataset+"/"+r.PriorSnapshot+".json"] {
		l.errorOn(&r.PriorSnapshot, r.Pos, "prior_snapshot %s: no snapshots/%s/%s.json", excerpt(r.PriorSnapshot), r.Dataset, r.PriorSnapshot)
	}
	letters := map[string]bool{}
	for i := range r.Patterns {
		rp := &r.Patterns[i]
		if letters[rp.Letter] || rp.Letter == "" {
			l.errorOn(&rp.Letter, rp.Pos, "pattern letter %s is empty or used twice", excerpt(rp.Letter))
		}
		letters[rp.Letter] = true
		p := l.tree.Pattern(rp.Pattern)
		if p == nil {
			if !l.unparsed["patterns/"+rp.Pattern+".yaml"] {
				l.errorOn(&rp.Pattern, rp.Pos, "pattern %s: no patterns/%s.yaml", excerpt(rp.Pattern), rp.Pattern)
			}
			continue
		}
		if _, err := snapshot.ParseDataset(p.Dataset); err == nil && p.Dataset != r.Dataset {
			l.errorOn(&rp.Pattern, rp.Pos, "pattern %q is a %s pattern; this is a %s report", rp.Pattern, p.Dataset, r.Dataset)
		}
		// A partial reconstruction cannot list every job a report names: the check holds
		// only against a whole dashboard file.
		if snap != nil && !snap.Meta.Partial {
			l.checkJobsInSnapshot(p, snap)
		}
	}
	for i := range r.Tiers {
		t := &r.Tiers[i]
		if t.Tier < 0 || t.Tier > 5 {
			l.errorOn(&t.Tier, t.Pos, "tier %d: tiers run from 0 to 5", t.Tier)
		}
		for j := range t.Items {
			a := &t.Items[j]
			for k, id := range a.SIGs {
				if l.tree.SIG(id) == nil && !l.unparsed["sigs.yaml"] {
					l.errorOn(&a.SIGs[k], a.Pos, "action names SIG %s, which sigs.yaml does not define", excerpt(id))
				}
			}
			if a.Pattern != "" && l.tree.Pattern(a.Pattern) == nil && !l.unparsed["patterns/"+a.Pattern+".yaml"] {
				l.errorOn(&a.Pattern, a.Pos, "action names pattern %s: no patterns/%s.yaml", excerpt(a.Pattern), a.Pattern)
			}
			if a.Role != "" && (a.Role != "fix" || a.Pattern == "") {
				l.errorAt(a.Pos, "action role %q: an action's refs can only be a fix (role: fix), of the jobs of the pattern it names", a.Role)
			}
		}
	}
	for i := range r.Verifications {
		v := &r.Verifications[i]
		if !slices.Contains([]string{"CONFIRMED", "PARTIAL", "REFUTED"}, v.Verdict) {
			l.errorOn(&v.Verdict, v.Pos, "verdict %s must be CONFIRMED, PARTIAL or REFUTED", excerpt(v.Verdict))
		}
	}
}

func (l *loader) checkJobsInSnapshot(p *Pattern, snap *Snapshot) {
	check := func(jobs []JobRef) {
		for i := range jobs {
			j := &jobs[i]
			if _, ok := snap.Jobs.Job(j.Name); !ok && !j.NotInSnapshot {
				l.errorOn(&j.Name, j.Pos, "job %q is not in snapshot %s/%s; mark it not_in_snapshot: true if the report discusses a job the dashboard does not list",
					j.Name, snap.Meta.Dataset, snap.Meta.Date)
			}
		}
	}
	check(p.Jobs)
	for _, s := range p.SubPatterns {
		check(s.Jobs)
	}
}

// refAt is a citation string in a report and the position of what holds it.
type refAt struct {
	ref  *string
	pos  Pos
	path string // YAML path of the string in its file
}

// allRefs lists the citation strings a report gives outside prose and claims.
func (r *Report) allRefs() []refAt {
	var out []refAt
	for j, n := range r.Status.NudgeTargets {
		for i := range n.Refs {
			out = append(out, refAt{&n.Refs[i], n.Pos, fmt.Sprintf("status.nudge_targets[%d].refs[%d]", j, i)})
		}
	}
	for k, t := range r.Tiers {
		for j, a := range t.Items {
			for i := range a.Refs {
				out = append(out, refAt{&a.Refs[i], a.Pos, fmt.Sprintf("tiers[%d].items[%d].refs[%d]", k, j, i)})
			}
		}
	}
	return out
}
