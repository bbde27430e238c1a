package inline_test

import (
	"strings"
	"testing"

	"github.com/triagesite/triagesite/internal/citation/inline"
)

// TestScanRefusals: prose that would cite a file but for its line number is found, so that
// it is reported rather than left as text; other near misses stay text.
func TestScanRefusals(t *testing.T) {
	text := "see k/k:a.go:12, k/k:b.go:99999999999999999999 and k/k:c.go:1-2147483648; at 20:39:02, k/k:file:12"
	matches, refused := inline.ScanRefusals(text, false)
	var got []string
	for _, r := range refused {
		got = append(got, text[r.Start:r.End])
	}
	want := []string{"k/k:b.go:99999999999999999999", "k/k:c.go:1-2147483648"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("refused %q, want %q", got, want)
	}
	if len(matches) != 1 || text[matches[0].Start:matches[0].End] != "k/k:a.go:12" {
		t.Errorf("matches = %+v, want k/k:a.go:12 alone", matches)
	}
}
