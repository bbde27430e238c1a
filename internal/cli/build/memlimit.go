package build

import (
	"fmt"
	"runtime/debug"
	"strconv"
	"strings"
)

// DefaultMemoryLimit is the soft limit on the Go heap a build sets unless told otherwise.
// Go's collector lets the heap grow to about twice what is live; a limit makes it collect
// sooner instead. A build whose live data stays well under the limit runs as it would
// without it (the full synthetic corpus, 35,000 pages, peaks near 380 MB either way); one
// near or past it goes on, slower, using what it needs (the runtime caps the collector at
// about half the CPU), so a limit never fails a build. At 6,000 synthetic patterns it holds
// peak RSS under 600 MB for about 1.8 times the CPU (docs/benchmarks.md); --memory-limit off
// trades that memory back for the time.
const DefaultMemoryLimit = 480 << 20

// defaultMemoryLimitFlag is DefaultMemoryLimit as the flag writes it.
const defaultMemoryLimitFlag = "480MiB"

// memoryLimit sets the soft memory limit: --memory-limit, unless GOMEMLIMIT is set in the
// environment, which the Go runtime has applied already and the user meant.
func memoryLimit(opts *Options, getenv func(string) string) error {
	limit, err := parseBytes(opts.MemoryLimit)
	if err != nil {
		return fmt.Errorf("--memory-limit %q: %w", opts.MemoryLimit, err)
	}
	if limit == 0 || getenv("GOMEMLIMIT") != "" {
		return nil
	}
	set := opts.SetMemoryLimit
	if set == nil {
		set = debug.SetMemoryLimit
	}
	set(limit)
	return nil
}

// parseBytes reads a size as GOMEMLIMIT writes it: a number of bytes with an optional unit
// B, KiB, MiB, GiB or TiB ("512MiB"); "0", "off" or "" means no limit.
func parseBytes(s string) (int64, error) {
	if s == "off" || s == "" {
		return 0, nil
	}
	units := []struct {
		suffix string
		shift  uint
	}{{"TiB", 40}, {"GiB", 30}, {"MiB", 20}, {"KiB", 10}, {"B", 0}}
	num, shift := s, uint(0)
	for _, u := range units {
		if n, ok := strings.CutSuffix(s, u.suffix); ok {
			num, shift = n, u.shift
			break
		}
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n < 0 || n > (1<<62)>>shift {
		return 0, fmt.Errorf("want a size such as 512MiB or 2GiB, or off")
	}
	return n << shift, nil
}
