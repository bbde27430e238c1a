package schema

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"

	"github.com/triagesite/triagesite/internal/content"
)

// Schema is the subset of JSON Schema the generator writes; fields are in the order they print.
type Schema struct {
	Schema               string   `json:"$schema,omitempty"`
	Title                string   `json:"title,omitempty"`
	Description          string   `json:"description,omitempty"`
	Ref                  string   `json:"$ref,omitempty"`
	Type                 string   `json:"type,omitempty"`
	Enum                 []string `json:"enum,omitempty"`
	Items                *Schema  `json:"items,omitempty"`
	Properties           props    `json:"properties,omitempty"`
	Required             []string `json:"required,omitempty"`
	AdditionalProperties any      `json:"additionalProperties,omitempty"` // false, or the schema of map values
	Defs                 props    `json:"$defs,omitempty"`
	Examples             []any    `json:"examples,omitempty"`
}

// prop is one named schema; props keep declaration order, which encoding/json's maps would sort away.
type prop struct {
	Name   string
	Schema *Schema
}

type props []prop

// MarshalJSON writes the props as one object in order.
func (ps props) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	buf.WriteByte('{')
	for i, p := range ps {
		if i > 0 {
			buf.WriteByte(',')
		}
		if err := enc.Encode(p.Name); err != nil {
			return nil, err
		}
		buf.WriteByte(':')
		if err := enc.Encode(p.Schema); err != nil {
			return nil, err
		}
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

var (
	posType      = reflect.TypeFor[content.Pos]()
	markdownType = reflect.TypeFor[content.Markdown]()
)

// gen collects the named structs one schema refers to.
type gen struct {
	defs map[string]*Schema
}

// of is the schema of a value of Go type t, as the loader's decoder reads it.
func (g *gen) of(t reflect.Type) *Schema {
	switch t.Kind() {
	case reflect.String:
		if t == markdownType {
			return &Schema{Type: "string", Description: markdownNote}
		}
		return &Schema{Type: "string"}
	case reflect.Int, reflect.Int64:
		return &Schema{Type: "integer"}
	case reflect.Float64:
		return &Schema{Type: "number"}
	case reflect.Bool:
		return &Schema{Type: "boolean"}
	case reflect.Slice:
		return &Schema{Type: "array", Items: g.of(t.Elem())}
	case reflect.Map:
		return &Schema{Type: "object", AdditionalProperties: g.of(t.Elem())}
	case reflect.Pointer:
		return g.of(t.Elem())
	case reflect.Struct:
		return g.ref(t)
	}
	// The decoder cannot fill any other kind either; failing here keeps the two in step.
	panic("schema: no JSON Schema for Go type " + t.String())
}

// ref defines a named struct once under $defs; recursion (Matcher.any) stops at the reservation.
func (g *gen) ref(t reflect.Type) *Schema {
	if _, ok := g.defs[t.Name()]; !ok {
		g.defs[t.Name()] = &Schema{}
		*g.defs[t.Name()] = *g.object(t)
	}
	return &Schema{Ref: "#/$defs/" + t.Name()}
}

// object is a struct as a closed object: the loader rejects keys it does not know.
func (g *gen) object(t reflect.Type) *Schema {
	s := &Schema{Type: "object", Description: descriptions[t.Name()], AdditionalProperties: false}
	g.fields(t, t.Name(), s)
	s.Required = required[t.Name()]
	s.Examples = examples[t.Name()]
	return s
}

// fields adds t's YAML keys to s, flattening `,inline` structs as the decoder does; owner
// names the struct whose annotations apply.
func (g *gen) fields(t reflect.Type, owner string, s *Schema) {
	for i := range t.NumField() {
		f := t.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		switch {
		case !f.IsExported() || f.Type == posType:
			// Positions are filled by the decoder, never written.
		case opts == "inline":
			g.fields(f.Type, f.Type.Name(), s)
		case name != "" && name != "-":
			s.Properties = append(s.Properties, prop{name, g.field(f.Type, owner+"."+name)})
		}
	}
}

// field is the schema of one key with its enum and description.
func (g *gen) field(t reflect.Type, key string) *Schema {
	s := g.of(t)
	s.Enum = enums[key]
	s.Examples = examples[key]
	if d := descriptions[key]; d != "" {
		if s.Description != "" {
			d += " " + s.Description
		}
		s.Description = d
	}
	return s
}
