package importcmd

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/mdreport"
)

// merger updates an existing pattern file from an imported pattern: it adds what is new
// (jobs, citations, sub-patterns, owners, empty fields), takes the report's newer status and
// tracker, and keeps the pattern's own prose, noting where the report's differs.
type merger struct {
	c       *converter
	changed bool
}

func (m *merger) body(node *yaml.Node, old, b *content.Body) {
	m.rest(node, old, b)
	for _, f := range []struct {
		key      string
		old, new content.Markdown
		newest   bool // the report's word replaces the pattern's
	}{
		{"summary", old.Summary, b.Summary, false}, {"root_cause", old.RootCause, b.RootCause, false},
		{"details", old.Details, b.Details, false}, {"tracker", old.Tracker, b.Tracker, true}, {"status", old.Status, b.Status, true},
	} {
		m.text(node, f.key, f.old, f.new, f.newest)
	}
	m.causal(node, old, b)
	m.jobs(node, old, b)
	m.claims(node, old, b)
	m.owners(node, old, b)
	m.fix(node, old, b)
}

func (m *merger) fix(node *yaml.Node, old, b *content.Body) {
	if old.Fix.Summary == "" && len(old.Fix.Sketches) == 0 {
		if b.Fix.Summary != "" || len(b.Fix.Sketches) > 0 {
			mapSet(node, "fix", valueNode(b.Fix))
			m.changed = true
		}
		return
	}
	fix := mapGet(node, "fix")
	if b.Fix.Summary != "" && !same(old.Fix.Summary, b.Fix.Summary) {
		m.note(node, "the report's fix shape differs from the pattern's", string(b.Fix.Summary))
	}
	for _, s := range b.Fix.Sketches {
		known := false
		for _, o := range old.Fix.Sketches {
			known = known || strings.TrimSpace(o.Code) == strings.TrimSpace(s.Code)
		}
		if !known && fix != nil {
			m.appendTo(fix, "sketches", valueNode(s))
		}
	}
}

// rest merges the small fields: the newest job count, by-design, cross-lists and match rules added.
func (m *merger) rest(node *yaml.Node, old, b *content.Body) {
	if b.JobCount != 0 && b.JobCount != old.JobCount {
		mapSet(node, "job_count", valueNode(b.JobCount))
		m.changed = true
	}
	if b.ByDesign && !old.ByDesign {
		mapSet(node, "by_design", valueNode(true))
		m.changed = true
	}
	for _, x := range b.CrossLists {
		if !contains(old.CrossLists, x) {
			m.appendTo(node, "cross_lists", valueNode(x))
		}
	}
	for _, r := range b.Match {
		known := false
		for _, o := range old.Match {
			known = known || o.Glob == r.Glob && o.Regexp == r.Regexp && o.Test == r.Test && o.Exclude == r.Exclude && o.Dataset == r.Dataset
		}
		if !known {
			m.appendTo(node, "match", valueNode(r))
		}
	}
}

func same(a, b content.Markdown) bool {
	return strings.Join(strings.Fields(string(a)), " ") == strings.Join(strings.Fields(string(b)), " ")
}

func (m *merger) text(node *yaml.Node, key string, old, new content.Markdown, newest bool) {
	switch {
	case new == "" || same(old, new):
	case old == "" || newest:
		mapSet(node, key, valueNode(string(new)))
		m.changed = true
	default:
		m.note(node, fmt.Sprintf("the report's %s differs from the pattern's", strings.ReplaceAll(key, "_", " ")), string(new))
	}
}

func (m *merger) note(node *yaml.Node, why, text string) {
	details := ""
	if d := mapGet(node, "details"); d != nil {
		details = d.Value
	}
	n := m.c.note(m.c.patternPos, why, text)
	if details != "" {
		n = strings.TrimRight(details, "\n") + "\n\n" + n
	}
	mapSet(node, "details", valueNode(n+"\n"))
	m.changed = true
}

func (m *merger) causal(node *yaml.Node, old, b *content.Body) {
	if (b.Causal.IntroducedBy == "" && b.Causal.ExposedBy == "") || (same(old.Causal.IntroducedBy, b.Causal.IntroducedBy) && same(old.Causal.ExposedBy, b.Causal.ExposedBy)) {
		return
	}
	if old.Causal.IntroducedBy == "" && old.Causal.ExposedBy == "" {
		mapSet(node, "causal_chain", valueNode(b.Causal))
		m.changed = true
		return
	}
	m.note(node, "the report's causal chain differs from the pattern's", "Introduced by: "+string(b.Causal.IntroducedBy)+"\nExposed by: "+string(b.Causal.ExposedBy))
}

func (m *merger) jobs(node *yaml.Node, old, b *content.Body) {
	have := map[string]bool{}
	for _, j := range old.Jobs {
		have[j.Name] = true
	}
	for _, j := range b.Jobs {
		if !have[j.Name] {
			m.appendTo(node, "jobs", valueNode(j))
		}
	}
}

// claims adds the report's new citations; where the pattern has the citation in the same
// role but the report claims something else of it, the report's claim is kept as a note.
func (m *merger) claims(node *yaml.Node, old, b *content.Body) {
	for _, cl := range b.Citations {
		if len(addClaim(old.Citations, cl)) > len(old.Citations) {
			m.appendTo(node, "citations", valueNode(cl))
			continue
		}
		for _, o := range old.Citations {
			if sameRef(o.Ref, cl.Ref) && o.Role == cl.Role && claimText(o) != claimText(cl) && claimText(cl) != "" {
				m.note(node, fmt.Sprintf("the report claims of %s: %s; the pattern: %s", cl.Ref, claimText(cl), claimText(o)), "")
			}
		}
	}
}

// claimText is what a claim asserts, as the export's claim column writes it: every field,
// so that a re-import notices any of them changed.
func claimText(c content.Claim) string {
	return mdreport.FormatClaim(c.Claim)
}

func (m *merger) owners(node *yaml.Node, old, b *content.Body) {
	for _, id := range b.OwnerSIGs {
		if !contains(old.OwnerSIGs, id) {
			m.appendTo(node, "owner_sigs", valueNode(id))
		}
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func (m *merger) appendTo(node *yaml.Node, key string, item *yaml.Node) {
	seq := mapGet(node, key)
	if seq == nil {
		seq = &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		mapSet(node, key, seq)
	}
	if item.Kind != yaml.ScalarNode {
		seq.Style &^= yaml.FlowStyle // an empty [] that now holds mappings
	}
	seq.Content = append(seq.Content, item)
	m.changed = true
}

// pattern merges an imported pattern into the parsed file of an existing one.
func (m *merger) pattern(doc *yaml.Node, old, p *content.Pattern) {
	root := doc.Content[0]
	m.body(root, &old.Body, &p.Body)
	subs := mapGet(root, "subpatterns")
	for _, s := range p.SubPatterns {
		k := matchSub(old.SubPatterns, s)
		if k < 0 {
			m.appendTo(root, "subpatterns", valueNode(s))
			subs = mapGet(root, "subpatterns")
			continue
		}
		if subs != nil && k < len(subs.Content) {
			m.body(subs.Content[k], &old.SubPatterns[k].Body, &s.Body)
		}
	}
}

// keepBlankLines puts back the blank lines the YAML encoder drops: a line of the updated
// file that matches a line of the original (by a longest common subsequence) gets the blank
// line the original had before it.
func keepBlankLines(orig, encodedOrig, updated []byte) []byte {
	o := strings.Split(strings.TrimRight(string(orig), "\n"), "\n")
	e := strings.Split(string(encodedOrig), "\n")
	var nonBlank []string
	blankBefore := map[int]bool{} // index into e
	for _, l := range o {
		if strings.TrimSpace(l) == "" {
			blankBefore[len(nonBlank)] = true
			continue
		}
		nonBlank = append(nonBlank, l)
	}
	if strings.Join(nonBlank, "\n") != strings.TrimRight(strings.Join(e, "\n"), "\n") {
		return updated // the encoder changed more than blank lines; leave its output alone
	}
	u := strings.Split(string(updated), "\n")
	match := lcs(e, u)
	var out []string
	for i, l := range u {
		if j, ok := match[i]; ok && blankBefore[j] && j > 0 {
			out = append(out, "")
		}
		out = append(out, l)
	}
	return []byte(strings.Join(out, "\n"))
}

// lcs maps each line of b that is in a longest common subsequence with a to its index in a.
func lcs(a, b []string) map[int]int {
	n, m := len(a), len(b)
	t := make([][]int32, n+1)
	for i := range t {
		t[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				t[i][j] = t[i+1][j+1] + 1
			} else {
				t[i][j] = max(t[i+1][j], t[i][j+1])
			}
		}
	}
	out := map[int]int{}
	for i, j := 0, 0; i < n && j < m; {
		switch {
		case a[i] == b[j]:
			out[j] = i
			i++
			j++
		case t[i+1][j] >= t[i][j+1]:
			i++
		default:
			j++
		}
	}
	return out
}

// matchSub finds the existing sub-pattern an imported one is: by id, else by title, else
// by at least half of its jobs; -1 when none is.
func matchSub(old []content.SubPattern, s content.SubPattern) int {
	for _, same := range []func(o content.SubPattern) bool{
		func(o content.SubPattern) bool { return o.ID == s.ID },
		func(o content.SubPattern) bool {
			return strings.EqualFold(strings.TrimSpace(o.Title), strings.TrimSpace(s.Title))
		},
		func(o content.SubPattern) bool { return sharesHalf(o.Jobs, s.Jobs) },
	} {
		for i, o := range old {
			if same(o) {
				return i
			}
		}
	}
	return -1
}

// sharesHalf says whether at least half of b's jobs (one at least) are among a's.
func sharesHalf(a, b []content.JobRef) bool {
	n := 0
	for _, y := range b {
		for _, x := range a {
			if x.Name == y.Name {
				n++
				break
			}
		}
	}
	return n > 0 && 2*n >= len(b)
}
