package site

import (
	"strconv"
	"strings"
	"testing"

	"github.com/triagesite/triagesite/internal/markdown"
)

// TestProseCacheIsBounded fills the cache past its budget: it starts again rather than
// growing, and still answers every prose with its own HTML.
func TestProseCacheIsBounded(t *testing.T) {
	c, md := &proseCache{}, markdown.New()
	word := strings.Repeat("x", 1000)
	n := 2 * proseCacheBytes / (1000 + proseEntryBytes)
	for i := range n {
		src := strconv.Itoa(i) + " " + word
		h := string(c.get(proseKey{src: src}, md, nil, true))
		if !strings.Contains(h, strconv.Itoa(i)+" x") {
			t.Fatalf("prose %d rendered as %.40q", i, h)
		}
		if got := c.size.Load(); got > proseCacheBytes {
			t.Fatalf("after %d entries the cache holds %d bytes, over its %d", i+1, got, proseCacheBytes)
		}
	}
	held := 0
	c.m.Range(func(any, any) bool { held++; return true })
	if held == 0 || held >= n/2+1 {
		t.Errorf("the cache holds %d of %d entries; want some, and fewer than its budget allows", held, n)
	}
	// A hit gives the HTML kept, not another prose's.
	last := strconv.Itoa(n-1) + " " + word
	if h := string(c.get(proseKey{src: last}, md, nil, true)); !strings.Contains(h, strconv.Itoa(n-1)+" x") {
		t.Errorf("a hit gave %.40q", h)
	}
}
