package content

import (
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
	for _, s := range l.tree.SIGs {
		switch {
		case !sigIDRe.MatchString(s.ID):
			l.errorAt(s.Pos, "SIG id %q must look like sig-node or wg-device-management", s.ID)
		case seen[s.ID]:
			l.errorAt(s.Pos, "SIG %q is listed twice", s.ID)
		}
		seen[s.ID] = true
		if s.Name == "" {
			l.errorAt(s.Pos, "SIG %q needs a name", s.ID)
		}
		for _, c := range s.Categories {
			if !cats[c] {
				l.errorAt(s.Pos, "SIG %q owns category %q, which categories.yaml does not define", s.ID, c)
			}
		}
	}
}

func (l *loader) validateCategories() {
	c := l.tree.Categories
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
		l.errorAt(p.Pos, "slug %q must be lower-case words joined by hyphens", p.Slug)
	}
	if _, err := snapshot.ParseDataset(p.Dataset); err != nil {
		l.errorAt(p.Pos, "pattern %s: %v", p.Slug, err)
	}
	l.validateBody(p.Pos, &p.Body, "pattern "+p.Slug)
	ids := map[string]bool{}
	for i := range p.SubPatterns {
		s := &p.SubPatterns[i]
		switch {
		case !slugRe.MatchString(s.ID):
			l.errorAt(s.Pos, "sub-pattern id %q must be lower-case words joined by hyphens", s.ID)
		case ids[s.ID]:
			l.errorAt(s.Pos, "sub-pattern id %q is used twice in pattern %s", s.ID, p.Slug)
		}
		ids[s.ID] = true
		l.validateBody(s.Pos, &s.Body, "sub-pattern "+s.ID)
	}
}

func (l *loader) validateBody(p Pos, b *Body, what string) {
	if strings.TrimSpace(b.Title) == "" {
		l.errorAt(p, "%s needs a title", what)
	}
	for _, id := range b.OwnerSIGs {
		if l.tree.SIG(id) == nil && !l.unparsed["sigs.yaml"] {
			l.errorAt(p, "%s names owner SIG %q, which sigs.yaml does not define", what, id)
		}
	}
	seen := map[string]bool{}
	for _, j := range b.Jobs {
		if j.Name == "" {
			l.errorAt(j.Pos, "job needs a name")
		}
		if seen[j.Name] {
			l.errorAt(j.Pos, "job %q is listed twice in %s", j.Name, what)
		}
		seen[j.Name] = true
	}
}

var allowedClaimFields = map[citation.Kind][]string{
	citation.KindRef:    {"kind", "title", "state", "merged_at", "closed_at", "labels"},
	citation.KindCommit: {"author", "date", "title"},
	citation.KindFile:   {"at", "quote"},
	citation.KindBuild:  {"job", "result", "quote"},
}

func (c *Claim) setFields() []string {
	var out []string
	add := func(name string, set bool) {
		if set {
			out = append(out, name)
		}
	}
	add("kind", c.Kind != "")
	add("title", c.Title != "")
	add("state", c.State != "")
	add("merged_at", c.MergedAt != "")
	add("closed_at", c.ClosedAt != "")
	add("labels", c.Labels != nil)
	add("author", c.Author != "")
	add("date", c.Date != "")
	add("at", c.At != "")
	add("quote", c.Quote != "")
	add("job", c.Job != "")
	add("result", c.Result != "")
	return out
}

func (l *loader) validateClaim(c *Claim) {
	k := c.Parsed.Kind
	for _, f := range c.setFields() {
		if !slices.Contains(allowedClaimFields[k], f) {
			l.errorAt(c.Pos, "%s: a %s citation cannot claim %q (it may claim %s)", c.Ref, k, f, strings.Join(allowedClaimFields[k], ", "))
		}
	}
	check := func(ok bool, format string, args ...any) {
		if !ok {
			l.errorAt(c.Pos, "%s: "+format, append([]any{c.Ref}, args...)...)
		}
	}
	check(c.Kind == "" || c.Kind == "pr" || c.Kind == "issue", "kind %q must be pr or issue", c.Kind)
	check(c.State == "" || slices.Contains([]string{"merged", "closed", "open", "draft"}, c.State), "state %q must be merged, closed, open or draft", c.State)
	check(c.MergedAt == "" || isDateOrTimestamp(c.MergedAt), "merged_at %q must be a date or an RFC 3339 time", c.MergedAt)
	check(c.MergedAt == "" || c.State == "merged" || c.State == "", "merged_at goes with state merged, not %q", c.State)
	check(c.ClosedAt == "" || isDateOrTimestamp(c.ClosedAt), "closed_at %q must be a date or an RFC 3339 time", c.ClosedAt)
	check(c.Kind != "issue" || (c.State != "merged" && c.State != "draft"), "an issue cannot be %s", c.State)
	check(c.Date == "" || isDateOrTimestamp(c.Date), "date %q must be a date or an RFC 3339 time", c.Date)
	check(c.At == "" || isDate(c.At) || shaRe.MatchString(c.At), "at %q must be a date (YYYY-MM-DD) or a commit SHA", c.At)
	check(c.Result == "" || c.Result == "success" || c.Result == "failure", "result %q must be success or failure", c.Result)
	check(c.Role == "" || slices.Contains([]string{"fix", "tracker", "introduced", "exposed", "umbrella", "related", "sample", "evidence", "prerequisite", "predecessor"}, c.Role),
		"role %q must be fix, tracker, introduced, exposed, umbrella, related, sample, evidence, prerequisite or predecessor", c.Role)
	if k == citation.KindBuild && c.Job != "" {
		job, _, ok := c.Parsed.Build()
		check(ok && job == strings.TrimPrefix(c.Job, "pr:"), "the address names job %q, but the claim says %q", job, c.Job)
	}
}

func (l *loader) validateReport(r *Report) {
	ds, err := snapshot.ParseDataset(r.Dataset)
	if err != nil {
		l.errorAt(r.Pos, "%v", err)
	}
	if !isDate(r.Date) {
		l.errorAt(r.Pos, "date %q must be YYYY-MM-DD", r.Date)
	}
	if want := r.Date + "-" + r.Dataset; r.ID != want {
		l.errorAt(r.Pos, "report file must be named %s.yaml after its date and dataset", want)
	}
	if strings.TrimSpace(r.Title) == "" {
		l.errorAt(r.Pos, "report needs a title")
	}
	snap := l.tree.Snapshot(ds, r.Snapshot)
	if snap == nil {
		l.errorAt(r.Pos, "snapshot %q: no snapshots/%s/%s.json", r.Snapshot, r.Dataset, r.Snapshot)
	}
	if r.PriorSnapshot != "" && l.tree.Snapshot(ds, r.PriorSnapshot) == nil {
		l.errorAt(r.Pos, "prior_snapshot %q: no snapshots/%s/%s.json", r.PriorSnapshot, r.Dataset, r.PriorSnapshot)
	}
	letters := map[string]bool{}
	for _, rp := range r.Patterns {
		if letters[rp.Letter] || rp.Letter == "" {
			l.errorAt(rp.Pos, "pattern letter %q is empty or used twice", rp.Letter)
		}
		letters[rp.Letter] = true
		p := l.tree.Pattern(rp.Pattern)
		if p == nil {
			if !l.unparsed["patterns/"+rp.Pattern+".yaml"] {
				l.errorAt(rp.Pos, "pattern %q: no patterns/%s.yaml", rp.Pattern, rp.Pattern)
			}
			continue
		}
		if _, err := snapshot.ParseDataset(p.Dataset); err == nil && p.Dataset != r.Dataset {
			l.errorAt(rp.Pos, "pattern %q is a %s pattern; this is a %s report", rp.Pattern, p.Dataset, r.Dataset)
		}
		// A partial reconstruction cannot list every job a report names: the check holds
		// only against a whole dashboard file.
		if snap != nil && !snap.Meta.Partial {
			l.checkJobsInSnapshot(p, snap)
		}
	}
	for _, t := range r.Tiers {
		if t.Tier < 0 || t.Tier > 5 {
			l.errorAt(t.Pos, "tier %d: tiers run from 0 to 5", t.Tier)
		}
		for _, a := range t.Items {
			for _, id := range a.SIGs {
				if l.tree.SIG(id) == nil && !l.unparsed["sigs.yaml"] {
					l.errorAt(a.Pos, "action names SIG %q, which sigs.yaml does not define", id)
				}
			}
			if a.Pattern != "" && l.tree.Pattern(a.Pattern) == nil && !l.unparsed["patterns/"+a.Pattern+".yaml"] {
				l.errorAt(a.Pos, "action names pattern %q: no patterns/%s.yaml", a.Pattern, a.Pattern)
			}
			if a.Role != "" && (a.Role != "fix" || a.Pattern == "") {
				l.errorAt(a.Pos, "action role %q: an action's refs can only be a fix (role: fix), of the jobs of the pattern it names", a.Role)
			}
		}
	}
	for _, v := range r.Verifications {
		if !slices.Contains([]string{"CONFIRMED", "PARTIAL", "REFUTED"}, v.Verdict) {
			l.errorAt(v.Pos, "verdict %q must be CONFIRMED, PARTIAL or REFUTED", v.Verdict)
		}
	}
}

func (l *loader) checkJobsInSnapshot(p *Pattern, snap *Snapshot) {
	check := func(jobs []JobRef) {
		for _, j := range jobs {
			if _, ok := snap.Jobs.Job(j.Name); !ok && !j.NotInSnapshot {
				l.errorAt(j.Pos, "job %q is not in snapshot %s/%s; mark it not_in_snapshot: true if the report discusses a job the dashboard does not list",
					j.Name, snap.Meta.Dataset, snap.Meta.Date)
			}
		}
	}
	check(p.Jobs)
	for _, s := range p.SubPatterns {
		check(s.Jobs)
	}
}

type refAt struct {
	ref string
	pos Pos
}

// allRefs lists the citation strings a report gives outside prose and claims.
func (r *Report) allRefs() []refAt {
	var out []refAt
	for _, n := range r.Status.NudgeTargets {
		for _, s := range n.Refs {
			out = append(out, refAt{s, n.Pos})
		}
	}
	for _, t := range r.Tiers {
		for _, a := range t.Items {
			for _, s := range a.Refs {
				out = append(out, refAt{s, a.Pos})
			}
		}
	}
	return out
}
