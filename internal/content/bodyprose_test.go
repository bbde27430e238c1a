package content_test

import (
	"reflect"
	"slices"
	"strconv"
	"testing"

	"github.com/triagesite/triagesite/internal/content"
)

// TestBodyProseHasEveryField fills every markdown field of a body, nested ones included,
// and requires Prose to return each: the ref index, search and lint read a body's prose
// through it, and a field left out would go unscanned.
func TestBodyProseHasEveryField(t *testing.T) {
	var b content.Body
	var want []content.Markdown
	var fill func(v reflect.Value, path string)
	fill = func(v reflect.Value, path string) {
		for i := range v.NumField() {
			f, name := v.Field(i), path+v.Type().Field(i).Name
			switch {
			case f.Type() == reflect.TypeFor[content.Markdown]():
				md := content.Markdown("field " + strconv.Itoa(len(want)) + " " + name)
				f.Set(reflect.ValueOf(md))
				want = append(want, md)
			case f.Kind() == reflect.Struct:
				fill(f, name+".")
			}
		}
	}
	fill(reflect.ValueOf(&b).Elem(), "")
	got := b.Prose()
	for _, md := range want {
		if !slices.Contains(got, md) {
			t.Errorf("Prose leaves out %q", md)
		}
	}
	if len(got) != len(want) {
		t.Errorf("Prose has %d fields, the body %d", len(got), len(want))
	}
}
