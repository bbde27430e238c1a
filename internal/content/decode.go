package content

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

// Error is one problem in the content tree, at a position.
type Error struct {
	Pos Pos
	Msg string
}

func (e Error) Error() string { return e.Pos.String() + ": " + e.Msg }

// Errors is every problem found in one load, in file and position order.
type Errors []Error

func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

func (es Errors) sorted() Errors {
	sort.SliceStable(es, func(i, j int) bool {
		a, b := es[i].Pos, es[j].Pos
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
	return es
}

// prose is one markdown scalar as it stands in a file, kept so inline citations get exact positions.
type prose struct {
	Pos   Pos
	Text  string
	Block bool // a literal or folded block: the text starts on the line after Pos
	Quote bool // a quoted flow scalar: the text starts one column after Pos
}

// decoder fills Go values from a YAML node tree strictly: unknown keys, duplicate keys and
// wrong kinds are errors at their position, and decoding goes on so that one run reports all.
type decoder struct {
	file  string
	errs  *Errors
	prose []prose
}

var (
	posType      = reflect.TypeOf(Pos{})
	markdownType = reflect.TypeOf(Markdown(""))
)

func (d *decoder) pos(n *yaml.Node) Pos { return Pos{File: d.file, Line: n.Line, Col: n.Column} }

func (d *decoder) errorf(n *yaml.Node, format string, args ...any) {
	*d.errs = append(*d.errs, Error{Pos: d.pos(n), Msg: fmt.Sprintf(format, args...)})
}

// decodeFile parses data and decodes its single document into v; false means it is not YAML.
func (d *decoder) decodeFile(data []byte, v any) bool {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		line := 1
		msg := err.Error()
		// yaml.v3 says "yaml: line N: …"; keep the position, drop the prefix.
		if rest, ok := strings.CutPrefix(msg, "yaml: line "); ok {
			if n, tail, ok := strings.Cut(rest, ": "); ok {
				if l, err := strconv.Atoi(n); err == nil {
					line, msg = l, tail
				}
			}
		}
		*d.errs = append(*d.errs, Error{Pos: Pos{File: d.file, Line: line, Col: 1}, Msg: "invalid YAML: " + msg})
		return false
	}
	if len(doc.Content) == 0 {
		*d.errs = append(*d.errs, Error{Pos: Pos{File: d.file, Line: 1, Col: 1}, Msg: "empty file"})
		return false
	}
	d.decode(doc.Content[0], reflect.ValueOf(v).Elem())
	return true
}

func (d *decoder) decode(n *yaml.Node, v reflect.Value) {
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		d.decode(n, v.Elem())
	case reflect.Struct:
		d.decodeStruct(n, v)
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			d.errorf(n, "want a list, got %s", describe(n))
			return
		}
		s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
		for i, c := range n.Content {
			d.decode(c, s.Index(i))
		}
		v.Set(s)
	case reflect.Map:
		d.decodeMap(n, v)
	default:
		d.decodeScalar(n, v)
	}
}

func (d *decoder) decodeStruct(n *yaml.Node, v reflect.Value) {
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "want a mapping with keys %s, got %s", strings.Join(keysOf(v.Type()), ", "), describe(n))
		return
	}
	layout := layoutOf(v.Type())
	if index, ok := layout["\x00pos"]; ok {
		v.FieldByIndex(index).Set(reflect.ValueOf(d.pos(n)))
	}
	seen := make(map[string]bool, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		index, ok := layout[k.Value]
		switch {
		case !ok || k.Value == "\x00pos":
			d.errorf(k, "unknown key %q (want one of: %s)", k.Value, strings.Join(keysOf(v.Type()), ", "))
		case seen[k.Value]:
			d.errorf(k, "key %q given twice", k.Value)
		default:
			seen[k.Value] = true
			d.decode(val, v.FieldByIndex(index))
		}
	}
}

func (d *decoder) decodeMap(n *yaml.Node, v reflect.Value) {
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "want a mapping, got %s", describe(n))
		return
	}
	m := reflect.MakeMap(v.Type())
	for i := 0; i+1 < len(n.Content); i += 2 {
		key := reflect.New(v.Type().Key()).Elem()
		d.decode(n.Content[i], key)
		if m.MapIndex(key).IsValid() {
			d.errorf(n.Content[i], "key %q given twice", n.Content[i].Value)
			continue
		}
		val := reflect.New(v.Type().Elem()).Elem()
		d.decode(n.Content[i+1], val)
		m.SetMapIndex(key, val)
	}
	v.Set(m)
}

func (d *decoder) decodeScalar(n *yaml.Node, v reflect.Value) {
	if n.Kind != yaml.ScalarNode {
		d.errorf(n, "want a single value, got %s", describe(n))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(n.Value)
		if v.Type() == markdownType {
			d.prose = append(d.prose, prose{
				Pos: d.pos(n), Text: n.Value,
				Block: n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0,
				Quote: n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0,
			})
		}
	case reflect.Int, reflect.Int64:
		i, err := strconv.ParseInt(n.Value, 10, 64)
		if err != nil || n.Tag != "!!int" {
			d.errorf(n, "want a whole number, got %q", n.Value)
			return
		}
		v.SetInt(i)
	case reflect.Float64:
		f, err := strconv.ParseFloat(n.Value, 64)
		if err != nil || (n.Tag != "!!float" && n.Tag != "!!int") {
			d.errorf(n, "want a number, got %q", n.Value)
			return
		}
		v.SetFloat(f)
	case reflect.Bool:
		if n.Tag != "!!bool" {
			d.errorf(n, "want true or false, got %q", n.Value)
			return
		}
		v.SetBool(n.Value == "true")
	default:
		d.errorf(n, "cannot hold a value of Go type %s", v.Type())
	}
}

// layouts caches, per struct type, the field index path of every YAML key.
var layouts sync.Map // reflect.Type -> map[string][]int

func layoutOf(t reflect.Type) map[string][]int {
	if l, ok := layouts.Load(t); ok {
		return l.(map[string][]int)
	}
	l := map[string][]int{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		switch {
		case f.Type == posType:
			l["\x00pos"] = []int{i}
		case opts == "inline":
			for k, sub := range layoutOf(f.Type) {
				if k != "\x00pos" {
					l[k] = append([]int{i}, sub...)
				}
			}
		case name != "" && name != "-":
			l[name] = []int{i}
		}
	}
	layouts.Store(t, l)
	return l
}

func keysOf(t reflect.Type) []string {
	keys := []string{}
	for k := range layoutOf(t) {
		if k != "\x00pos" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	return fmt.Sprintf("%q", n.Value)
}
