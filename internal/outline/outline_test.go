package outline_test

import (
	"testing"

	"github.com/triagesite/triagesite/internal/outline"
)

// TestAnchorsAreDistinct: every heading of a report page needs an id of its own, and no part's
// id may look like a tier's, a question's or a sub-pattern's.
func TestAnchorsAreDistinct(t *testing.T) {
	seen := map[string]string{}
	parts := []outline.Section{outline.OpenWork, outline.Coverage, outline.Drift, outline.Categories, outline.OpenQuestions, outline.OtherCitations}
	for _, s := range append(append([]outline.Section{}, outline.Sections...), parts...) {
		if s.Anchor == "" || s.Title == "" {
			t.Errorf("section %+v lacks an anchor or a title", s)
		}
		if other, ok := seen[s.Anchor]; ok {
			t.Errorf("%q and %q share the anchor %q", other, s.Title, s.Anchor)
		}
		seen[s.Anchor] = s.Title
	}
	for _, a := range []string{outline.TierAnchor(2), outline.ActionAnchor(1, "1.2"), outline.QuestionAnchor("Q3"), outline.SubPatternAnchor("node-flake", "a1")} {
		if _, ok := seen[a]; ok {
			t.Errorf("anchor %q is also a section's", a)
		}
	}
}

func TestAnchors(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{outline.TierAnchor(2), "tier-2"},
		{outline.ActionAnchor(1, "2"), "tier-1-2"},
		{outline.ActionAnchor(1, "1.2"), "tier-1-1.2"},
		{outline.QuestionAnchor("Q3"), "q-q3"},
		{outline.SubPatternAnchor("node-flake", "a1"), "node-flake--a1"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
