package content_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/triagesite/triagesite/internal/content"
	"github.com/triagesite/triagesite/internal/outline"
)

// TestOutlineKeysAreReportFields holds the report outline's YAML keys to content.Report's:
// the synthetic generator writes its reports by them.
func TestOutlineKeysAreReportFields(t *testing.T) {
	keys := map[string]bool{}
	rt := reflect.TypeFor[content.Report]()
	for i := range rt.NumField() {
		if k, _, _ := strings.Cut(rt.Field(i).Tag.Get("yaml"), ","); k != "" {
			keys[k] = true
		}
	}
	parts := []outline.Section{outline.OpenWork, outline.Coverage, outline.Drift, outline.Categories, outline.OpenQuestions, outline.OtherCitations}
	for _, s := range append(append([]outline.Section{}, outline.Sections...), parts...) {
		if s.Key != "" && !keys[s.Key] {
			t.Errorf("section %q: report files have no key %q", s.Title, s.Key)
		}
	}
	for _, s := range outline.Sections {
		if s.Key == "" {
			t.Errorf("top-level section %q has no key", s.Title)
		}
	}
}
