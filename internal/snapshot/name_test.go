package snapshot

import (
	"encoding/json"
	"testing"
)

// TestPrintableASCII checks the eight-at-a-time scan against a byte loop, with every byte
// value at every position of a name long enough to take both paths.
func TestPrintableASCII(t *testing.T) {
	slow := func(b []byte) bool {
		for _, c := range b {
			if c < 0x20 || c >= 0x80 {
				return false
			}
		}
		return true
	}
	for pos := range 19 {
		for c := range 256 {
			b := []byte("ci-kubernetes-e2e-g")
			b[pos] = byte(c)
			if got, want := printableASCII(b), slow(b); got != want {
				t.Errorf("byte %#x at %d: %v, want %v", c, pos, got, want)
			}
		}
	}
}

// TestIsJSONNumber compares isJSONNumber with encoding/json on every string of up to five
// characters drawn from those that can make or break a number.
func TestIsJSONNumber(t *testing.T) {
	const chars = "01.-+eEN"
	var walk func(s []byte)
	walk = func(s []byte) {
		if got, want := isJSONNumber(s), json.Valid(s); got != want {
			t.Errorf("%q: %v, encoding/json says %v", s, got, want)
		}
		if len(s) == 5 {
			return
		}
		for i := range len(chars) {
			walk(append(s, chars[i]))
		}
	}
	walk(nil)
}
