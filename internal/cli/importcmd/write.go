package importcmd

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

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
