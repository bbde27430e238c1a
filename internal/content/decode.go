package content

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
	"unsafe"

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
	Path  string // the field's YAML path in its file, e.g. "tiers[1].items[0].action"
	Text  string
	Block bool // a literal or folded block: the text starts on the line after Pos
	Quote bool // a quoted flow scalar: the text starts one column after Pos
}

// Limits on one YAML file. A content file is at most tens of KB; these stop a hostile file
// (a "billion laughs" of nested aliases, a runaway generator) long before memory runs out.
const (
	// MaxFileSize is the largest YAML content file read: the largest bundled one is 37 KB,
	// and parsing costs about 60 bytes of memory per byte of YAML at worst.
	MaxFileSize = 1 << 20
	// MaxValues is how many values decoding one file may produce, aliases expanded; the
	// largest bundled file has a few thousand.
	MaxValues = 250_000
)

// decoder fills Go values from a YAML node tree strictly: unknown keys, duplicate keys and
// wrong kinds are errors at their position, and decoding goes on so that one run reports all.
type decoder struct {
	file  string
	errs  *Errors
	prose []prose
	// at is where each decoded scalar was written, keyed by the address of the Go value it
	// fills, so that a check on a value can point at it rather than at its parent.
	at      map[unsafe.Pointer]Pos
	refused map[unsafe.Pointer]bool // values with a decoding error, so checks on them add none
	values  int                     // values decoded so far, aliases expanded
	over    bool                    // MaxValues was passed; decoding has stopped
	alias   *yaml.Node              // the outermost alias being expanded, where a limit error points
	// path is the YAML path of the value being decoded ("tiers[1].items[0]"), grown and cut
	// back as decoding descends, so that a markdown field records where it stands.
	path []byte
}

// enter extends the path by a mapping key or a list index and returns how to cut it back.
func (d *decoder) enter(key string, index int) int {
	n := len(d.path)
	if key == "" {
		d.path = append(append(append(d.path, '['), strconv.Itoa(index)...), ']')
		return n
	}
	if n > 0 {
		d.path = append(d.path, '.')
	}
	d.path = append(d.path, key...)
	return n
}

var (
	posType      = reflect.TypeOf(Pos{})
	markdownType = reflect.TypeOf(Markdown(""))
)

func (d *decoder) pos(n *yaml.Node) Pos { return Pos{File: d.file, Line: n.Line, Col: n.Column} }

func (d *decoder) errorf(n *yaml.Node, format string, args ...any) {
	d.errorAt(d.pos(n), format, args...)
}

func (d *decoder) errorAt(p Pos, format string, args ...any) {
	*d.errs = append(*d.errs, Error{Pos: p, Msg: fmt.Sprintf(format, args...)})
}

// decodeFile parses data and decodes its single document into v, which points to a struct;
// false means it is not a YAML mapping at all, so checks that need its values are skipped.
func (d *decoder) decodeFile(data []byte, v any) bool {
	if len(data) > MaxFileSize {
		d.errorAt(Pos{File: d.file, Line: 1, Col: 1}, "file is %d bytes, over the %d MiB limit for a content file", len(data), MaxFileSize>>20)
		return false
	}
	if p, msg := scanText(data); msg != "" {
		d.errorAt(Pos{File: d.file, Line: p.Line, Col: p.Col}, "%s", msg)
		return false
	}
	doc, ok := d.parse(data)
	if !ok {
		return false
	}
	if len(doc.Content) == 0 {
		d.errorAt(Pos{File: d.file, Line: 1, Col: 1}, "empty file")
		return false
	}
	top := doc.Content[0]
	if top.Kind != yaml.MappingNode {
		d.errorf(top, "want a mapping with keys %s at the top level, got %s", strings.Join(keysOf(reflect.TypeOf(v).Elem()), ", "), describe(top))
		return false
	}
	d.decode(top, reflect.ValueOf(v).Elem())
	return !d.over
}

// parse reads the one YAML document of a file; a second document is an error, since
// everything after the first would be ignored without a word.
func (d *decoder) parse(data []byte) (*yaml.Node, bool) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return &doc, true
		}
		d.yamlError(data, err)
		return nil, false
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case errors.Is(err, io.EOF):
		return &doc, true
	case err != nil:
		d.yamlError(data, err)
	default:
		d.errorAt(Pos{File: d.file, Line: documentLine(data, &next), Col: 1}, "a second YAML document starts here; a content file holds one document (remove the ---)")
	}
	return nil, false
}

// documentLine is the line of the "---" that starts a later document.
func documentLine(data []byte, doc *yaml.Node) int {
	line := doc.Line
	if len(doc.Content) > 0 {
		line = doc.Content[0].Line
	}
	lines := strings.Split(string(data), "\n")
	for i := min(line, len(lines)) - 1; i >= 0; i-- {
		if strings.HasPrefix(lines[i], "---") {
			return i + 1
		}
	}
	return line
}

// yamlError records a parse error at its line. yaml.v3 says "yaml: line N: …" and counts a
// tab in the indentation against the line before it; the tab's own line and column are used.
func (d *decoder) yamlError(data []byte, err error) {
	line, col := 1, 1
	msg := err.Error()
	if rest, ok := strings.CutPrefix(msg, "yaml: line "); ok {
		if n, tail, ok := strings.Cut(rest, ": "); ok {
			if l, err := strconv.Atoi(n); err == nil {
				line, msg = l, tail
			}
		}
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	if strings.Contains(msg, "tab character") || strings.Contains(msg, "cannot start any token") {
		if l, c, ok := indentTab(data, line); ok {
			line, col, msg = l, c, "a tab in the indentation; YAML indents with spaces"
		}
	}
	d.errorAt(Pos{File: d.file, Line: line, Col: col}, "invalid YAML: %s", msg)
}

// indentTab finds the first tab in the leading white space of a line, from line from on.
func indentTab(data []byte, from int) (line, col int, ok bool) {
	for i, l := range strings.Split(string(data), "\n") {
		if i+1 < from {
			continue
		}
		for j, r := range l {
			if r == '\t' {
				return i + 1, utf8.RuneCountInString(l[:j]) + 1, true
			}
			if r != ' ' {
				break
			}
		}
	}
	return 0, 0, false
}

// scanText finds the first byte YAML cannot hold: invalid UTF-8 or a control character.
// The yaml parser reports both at 1:1; this says where they are.
func scanText(data []byte) (Pos, string) {
	line, col := 1, 1
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			return Pos{Line: line, Col: col}, fmt.Sprintf("invalid UTF-8 (byte 0x%02x); content files are UTF-8 text", data[i])
		case r == '\n':
			line, col = line+1, 0
		case r < 0x20 && r != '\t' && r != '\r', r == 0x7f, r >= 0x80 && r < 0xa0 && r != 0x85:
			return Pos{Line: line, Col: col}, fmt.Sprintf("control character %U is not allowed in YAML", r)
		}
		i += size
		col++
	}
	return Pos{}, ""
}

func (d *decoder) decode(n *yaml.Node, v reflect.Value) {
	if d.over {
		return
	}
	if d.values++; d.values > MaxValues {
		d.over = true
		at := n
		if d.alias != nil {
			at = d.alias
		}
		d.errorf(at, "aliases expand this file past %d values, the limit; write the values out instead", MaxValues)
		return
	}
	if n.Kind == yaml.AliasNode {
		if d.alias == nil {
			d.alias = n
			defer func() { d.alias = nil }()
		}
		n = n.Alias
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		// The schema refuses an empty value too: editors flag it, so build does.
		d.errorf(n, "no value: give one, or leave the key out")
		if v.CanAddr() {
			d.refused[v.Addr().UnsafePointer()] = true
		}
		d.setPos(n, v) // an empty list item still has a place, for the checks that follow
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
			back := d.enter("", i)
			d.decode(c, s.Index(i))
			d.path = d.path[:back]
		}
		v.Set(s)
	case reflect.Map:
		d.decodeMap(n, v)
	default:
		d.decodeScalar(n, v)
	}
}

func (d *decoder) decodeStruct(n *yaml.Node, v reflect.Value) {
	layout := layoutOf(v.Type())
	// Even a value of the wrong kind gets its position, for the checks that follow.
	d.setPos(n, v)
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "want a mapping with keys %s, got %s", strings.Join(keysOf(v.Type()), ", "), describe(n))
		return
	}
	seen := make(map[string]bool, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		index, ok := layout[k.Value]
		switch {
		case !ok || k.Value == "\x00pos":
			d.errorf(k, "unknown key %s (want one of: %s)", excerpt(k.Value), strings.Join(keysOf(v.Type()), ", "))
		case seen[k.Value]:
			d.errorf(k, "key %s given twice", excerpt(k.Value))
		default:
			seen[k.Value] = true
			back := d.enter(k.Value, 0)
			d.decode(val, v.FieldByIndex(index))
			d.path = d.path[:back]
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
			d.errorf(n.Content[i], "key %s given twice", excerpt(n.Content[i].Value))
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
	if !v.CanAddr() { // a map's key or value: decoded into a copy first
		d.scalar(n, v)
		return
	}
	addr := v.Addr().UnsafePointer()
	d.at[addr] = d.pos(n)
	if !d.scalar(n, v) {
		d.refused[addr] = true
	}
}

// scalar sets v from a scalar node; false means it refused the value, with an error.
func (d *decoder) scalar(n *yaml.Node, v reflect.Value) bool {
	switch v.Kind() {
	case reflect.String:
		// A date or time is text here, as the JSON schema and editors read it; a number or
		// a boolean where text is wanted is a mistake to quote, not to convert.
		if n.Tag != "!!str" && n.Tag != "!!timestamp" {
			d.errorf(n, "want text, got %s %s; quote it if it is meant as text", tagWord(n.Tag), excerpt(n.Value))
			return false
		}
		v.SetString(n.Value)
		if v.Type() == markdownType {
			d.prose = append(d.prose, prose{
				Pos: d.pos(n), Path: string(d.path), Text: n.Value,
				Block: n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0,
				Quote: n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0,
			})
		}
	case reflect.Int, reflect.Int64:
		i, err := strconv.ParseInt(n.Value, 10, 64)
		if err != nil || n.Tag != "!!int" {
			d.errorf(n, "want a whole number, got %s", excerpt(n.Value))
			return false
		}
		v.SetInt(i)
	case reflect.Float64:
		f, err := strconv.ParseFloat(n.Value, 64)
		if err != nil || (n.Tag != "!!float" && n.Tag != "!!int") {
			d.errorf(n, "want a number, got %s", excerpt(n.Value))
			return false
		}
		v.SetFloat(f)
	case reflect.Bool:
		if n.Tag != "!!bool" {
			d.errorf(n, "want true or false, got %s", excerpt(n.Value))
			return false
		}
		v.SetBool(n.Value == "true")
	default:
		d.errorf(n, "cannot hold a value of Go type %s", v.Type())
		return false
	}
	return true
}

// tagWord names a YAML scalar's resolved type for a message.
func tagWord(tag string) string {
	switch tag {
	case "!!int":
		return "the whole number"
	case "!!float":
		return "the number"
	case "!!bool":
		return "the boolean"
	}
	return "a value tagged " + excerpt(tag)
}

// excerptRunes bounds how much of a bad value a message quotes: a file that is one long
// scalar (a link to some other file, say) must not be echoed whole.
const excerptRunes = 40

// excerpt quotes at most excerptRunes runes of s.
func excerpt(s string) string {
	if utf8.RuneCountInString(s) <= excerptRunes {
		return strconv.Quote(s)
	}
	r := []rune(s)[:excerptRunes]
	return strconv.Quote(string(r)) + "…"
}

// excerptOf formats as excerpt of itself, but only when formatted: most checks pass, and
// quoting every claim's fields up front for a message nobody prints was wasted work.
type excerptOf string

func (e excerptOf) String() string { return excerpt(string(e)) }

// clip is at most excerptRunes runes of s, unquoted.
func clip(s string) string {
	if utf8.RuneCountInString(s) <= excerptRunes {
		return s
	}
	return string([]rune(s)[:excerptRunes]) + "…"
}

// setPos fills the position field of a struct value, if it has one.
func (d *decoder) setPos(n *yaml.Node, v reflect.Value) {
	if v.Kind() != reflect.Struct {
		return
	}
	if index, ok := layoutOf(v.Type())["\x00pos"]; ok {
		v.FieldByIndex(index).Set(reflect.ValueOf(d.pos(n)))
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
	return excerpt(n.Value)
}
