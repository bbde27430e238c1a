package build

import (
	"fmt"
	"runtime/debug"
	"strconv"
	"strings"
)

// DefaultMemoryLimit is the soft limit on the Go heap a build sets unless told otherwise:
// none. Go's collector lets the heap grow to about twice what is live; a limit makes it
// collect sooner instead. A build whose live data stays well under the limit runs as it
// would without it; one near or past it goes on, slower, using what it needs (the runtime
// caps the collector at about half the CPU), so a limit never fails a build. It is off by
// default because that slowing is steep: at 6,000 synthetic patterns, 512MiB cut peak RSS
// from 1.6 GB to 0.77 GB and made the build 2.9 times slower (docs/benchmarks.md). Set it
// where memory is what runs out, such as a small CI runner.
const DefaultMemoryLimit = 0

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
