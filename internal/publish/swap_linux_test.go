package publish_test

import (
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/triagesite/triagesite/internal/publish"
)

// TestSwapNeverLeavesDestinationEmpty: a reader that looks at the site all through many
// swaps finds a home page every time, the old one or the new one.
func TestSwapNeverLeavesDestinationEmpty(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "site")
	if err := publishSite(t, dest, publish.Options{}, map[string]string{"index.html": "0"}); err != nil {
		t.Fatal(err)
	}
	var stop, looks, misses atomic.Int64
	done := make(chan struct{})
	go func() {
		defer close(done)
		for stop.Load() == 0 {
			looks.Add(1)
			if _, err := os.Stat(filepath.Join(dest, "index.html")); err != nil {
				misses.Add(1)
			}
		}
	}()
	for i := range 100 {
		if err := publishSite(t, dest, publish.Options{}, map[string]string{"index.html": string(rune('a' + i%26))}); err != nil {
			t.Fatal(err)
		}
	}
	stop.Store(1)
	<-done
	if misses.Load() != 0 {
		t.Errorf("the site was missing in %d of %d looks during the swaps", misses.Load(), looks.Load())
	}
	if looks.Load() < 100 {
		t.Errorf("only %d looks: the reader did not run during the swaps", looks.Load())
	}
}
