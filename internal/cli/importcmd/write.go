package importcmd

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/schema"
)

// encodeFile writes a content value as the bundled files are written: the schema modeline
// first, two-space indentation, no empty fields, prose as literal blocks, short lists inline.
func encodeFile(rel string, v any) ([]byte, error) {
	var n yaml.Node
	if err := n.Encode(v); err != nil {
		return nil, fmt.Errorf("%s: %w", rel, err)
	}
	prune(&n)
	return render(rel, &n)
}

func render(rel string, n *yaml.Node) ([]byte, error) {
	var buf bytes.Buffer
	if line, ok := schema.Modeline(rel); ok {
		buf.WriteString(line + "\n")
	}
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(n); err != nil {
		return nil, fmt.Errorf("%s: %w", rel, err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("%s: %w", rel, err)
	}
	return unescapeAstral(buf.Bytes()), nil
}

// astralRe is a \U escape the YAML encoder writes for characters beyond the BMP (🟢, 🟡):
// YAML allows them as they are, and an author reads them better so.
var astralRe = regexp.MustCompile(`(^|[^\\])((?:\\\\)*)\\U([0-9A-Fa-f]{8})`)

func unescapeAstral(b []byte) []byte {
	return astralRe.ReplaceAllFunc(b, func(m []byte) []byte {
		sub := astralRe.FindSubmatch(m)
		r, err := strconv.ParseUint(string(sub[3]), 16, 32)
		if err != nil || !utf8.ValidRune(rune(r)) {
			return m
		}
		return append(append(append([]byte{}, sub[1]...), sub[2]...), string(rune(r))...)
	})
}

// keep lists the keys kept even at their zero value: tier 0 is a tier.
var keep = map[string]bool{"tier": true}

// prune drops empty and zero fields, writes multi-line strings as literal blocks and lists
// of plain words inline.
func prune(n *yaml.Node) {
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			prune(c)
		}
	case yaml.MappingNode:
		var out []*yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			prune(v)
			if empty(v) && !keep[k.Value] {
				continue
			}
			out = append(out, k, v)
		}
		n.Content = out
	case yaml.SequenceNode:
		flow, width := len(n.Content) > 0, 0
		for _, c := range n.Content {
			prune(c)
			width += len(c.Value) + 2
			if c.Kind != yaml.ScalarNode || strings.ContainsAny(c.Value, " \n") {
				flow = false
			}
		}
		flow = flow && width < 80
		if flow {
			n.Style = yaml.FlowStyle
		}
	case yaml.ScalarNode:
		if strings.Contains(n.Value, "\n") && n.Tag == "!!str" {
			n.Style = yaml.LiteralStyle
			if !strings.HasSuffix(n.Value, "\n") {
				n.Value += "\n" // "|", as the bundled files write prose, not "|-"
			}
		}
	}
}

func empty(n *yaml.Node) bool {
	switch n.Kind {
	case yaml.ScalarNode:
		return n.Value == "" || n.Tag == "!!bool" && n.Value == "false" || n.Tag == "!!int" && n.Value == "0" || n.Tag == "!!null"
	case yaml.MappingNode, yaml.SequenceNode:
		return len(n.Content) == 0
	}
	return false
}

// valueNode encodes one value as a pruned node.
func valueNode(v any) *yaml.Node {
	var n yaml.Node
	if err := n.Encode(v); err != nil {
		panic(err) // content values always encode
	}
	prune(&n)
	return &n
}

// mapGet is a mapping's value for key, or nil.
func mapGet(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// mapSet sets key to v, appending the key when the mapping lacks it.
func mapSet(m *yaml.Node, key string, v *yaml.Node) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content[i+1] = v
			return
		}
	}
	m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key}, v)
}

// merger updates an existing pattern file from an imported pattern: it adds what is new
// (jobs, citations, sub-patterns, owners, empty fields), takes the report's newer status and
// tracker, and keeps the pattern's own prose, noting where the report's differs.
type merger struct {
	c       *converter
	changed bool
}

func (m *merger) body(node *yaml.Node, old, b *content.Body) {
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
	if old.Fix.Summary == "" && len(old.Fix.Sketches) == 0 && (b.Fix.Summary != "" || len(b.Fix.Sketches) > 0) {
		mapSet(node, "fix", valueNode(b.Fix))
		m.changed = true
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

func (m *merger) claims(node *yaml.Node, old, b *content.Body) {
	for _, cl := range b.Citations {
		if len(addClaim(old.Citations, cl)) > len(old.Citations) {
			m.appendTo(node, "citations", valueNode(cl))
		}
	}
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
		k := -1
		for i, o := range old.SubPatterns {
			if o.ID == s.ID || o.Label == s.Label && strings.EqualFold(o.Title, s.Title) {
				k = i
				break
			}
		}
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
