package site

import (
	"reflect"
	"strconv"
	"strings"

	"github.com/triagesite/triagesite/internal/citation"
	"github.com/triagesite/triagesite/internal/content"
)

// The markdown export links the citations the loader found, not what looks like one in the
// text it writes: before writing, each cited span of a report's and its patterns' fields is
// wrapped in marks naming the citation; linking reads the marks, and drops those it leaves.
// Content cannot hold the mark bytes: the loader refuses control characters in YAML.
const (
	markOpen  = '\x02' // then the citation's index in mdMarks.refs
	markText  = '\x03' // then the citation as written
	markClose = '\x04'
)

// mdMarks is the citations one export has marked, by index.
type mdMarks struct {
	tree *content.Tree
	refs []citation.Ref
}

// wrap marks written as a citation of ref.
func (m *mdMarks) wrap(ref citation.Ref, written string) string {
	m.refs = append(m.refs, ref)
	return string(markOpen) + strconv.Itoa(len(m.refs)-1) + string(markText) + written + string(markClose)
}

// report is a copy of r whose cited spans are marked.
func (m *mdMarks) report(r *content.Report) *content.Report {
	c := m.copyOf(reflect.ValueOf(*r), m.tree.CitationsOf(content.ReportOwner(r.ID))).Interface().(content.Report)
	return &c
}

// pattern is a copy of p whose cited spans are marked.
func (m *mdMarks) pattern(p *content.Pattern) *content.Pattern {
	c := m.copyOf(reflect.ValueOf(*p), m.tree.CitationsOf(content.PatternOwner(p.Slug))).Interface().(content.Pattern)
	return &c
}

// copyOf copies a decoded value, marking the citations at each YAML path; parts that hold
// none are shared, not copied.
func (m *mdMarks) copyOf(v reflect.Value, cited []content.Citation) reflect.Value {
	byPath := map[string][]content.Citation{}
	holds := map[string]bool{"": true} // every path that is, or leads to, a cited field
	for _, c := range cited {
		byPath[c.Path] = append(byPath[c.Path], c)
		for i := range len(c.Path) {
			if c.Path[i] == '.' || c.Path[i] == '[' {
				holds[c.Path[:i]] = true
			}
		}
		holds[c.Path] = true
	}
	return m.copyAt(v, "", byPath, holds)
}

func (m *mdMarks) copyAt(v reflect.Value, path string, byPath map[string][]content.Citation, holds map[string]bool) reflect.Value {
	if !holds[path] {
		return v
	}
	switch v.Kind() {
	case reflect.String:
		out := reflect.New(v.Type()).Elem()
		out.SetString(m.markField(v.String(), byPath[path]))
		return out
	case reflect.Slice:
		out := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := range v.Len() {
			out.Index(i).Set(m.copyAt(v.Index(i), path+"["+strconv.Itoa(i)+"]", byPath, holds))
		}
		return out
	case reflect.Struct:
		out := reflect.New(v.Type()).Elem()
		out.Set(v)
		for i := range v.NumField() {
			f := v.Type().Field(i)
			name, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			if !f.IsExported() || name == "-" || (name == "" && opts != "inline") {
				continue
			}
			at := path
			if opts != "inline" {
				at = joinYAMLPath(path, name)
			}
			out.Field(i).Set(m.copyAt(v.Field(i), at, byPath, holds))
		}
		return out
	}
	return v
}

// markField marks each citation in a field's text, in order.
func (m *mdMarks) markField(s string, cited []content.Citation) string {
	var out strings.Builder
	at := 0
	for _, c := range cited {
		if c.Start < at || c.End > len(s) || c.Start >= c.End {
			continue // not this text: leave it as written
		}
		out.WriteString(s[at:c.Start])
		out.WriteString(m.wrap(c.Ref, s[c.Start:c.End]))
		at = c.End
	}
	out.WriteString(s[at:])
	return out.String()
}

func joinYAMLPath(at, key string) string {
	if at == "" {
		return key
	}
	return at + "." + key
}

// nextMark finds the first mark in text: its bounds, the citation and the text as written.
func (m *mdMarks) nextMark(text string) (start, end int, ref citation.Ref, written string, ok bool) {
	start = strings.IndexByte(text, markOpen)
	if start < 0 {
		return 0, 0, ref, "", false
	}
	mid := strings.IndexByte(text[start:], markText)
	close := strings.IndexByte(text[start:], markClose)
	if mid < 0 || close < mid {
		return 0, 0, ref, "", false
	}
	i, err := strconv.Atoi(text[start+1 : start+mid])
	if err != nil || i < 0 || i >= len(m.refs) {
		return 0, 0, ref, "", false
	}
	return start, start + close + 1, m.refs[i], text[start+mid+1 : start+close], true
}

// unmarked is text with its marks dropped, each citation left as written.
func unmarked(text string) string {
	if strings.IndexByte(text, markOpen) < 0 {
		return text
	}
	var out strings.Builder
	for {
		s := strings.IndexByte(text, markOpen)
		if s < 0 {
			break
		}
		mid := strings.IndexByte(text[s:], markText)
		if mid < 0 {
			break
		}
		out.WriteString(text[:s])
		text = text[s+mid+1:]
	}
	out.WriteString(text)
	return strings.ReplaceAll(out.String(), string(markClose), "")
}

// unmarkedPrefix is the first two bytes text reads as, marks dropped as unmarked drops them
// (after an open mark with no text mark, the rest as written), without reading the rest.
func unmarkedPrefix(text string) string {
	var p []byte
	kept := false
	for i := 0; i < len(text) && len(p) < 2; i++ {
		c := text[i]
		if c == markOpen && !kept {
			if mid := strings.IndexByte(text[i:], markText); mid >= 0 {
				i += mid
				continue
			}
			kept = true
		}
		if c != markClose {
			p = append(p, c)
		}
	}
	return string(p)
}
