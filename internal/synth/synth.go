// Package synth writes a large, deterministic synthetic content tree for benchmarks and tests.
package synth

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"
)

// Sizes sets how large a tree Write generates; a zero field takes the Default value.
type Sizes struct {
	Jobs                int // jobs on each daily snapshot, of each dataset
	Days                int // daily snapshots, of each dataset
	Patterns            int // pattern files, half failures and half flakes
	CitationsPerPattern int // structured claims per pattern, spread over its sub-patterns
}

// Default is two years of daily dashboards at the size of the real flakes dashboard.
var Default = Sizes{Jobs: 1500, Days: 730, Patterns: 1000, CitationsPerPattern: 12}

// Small is a tree that generates, loads and builds in well under a second.
var Small = Sizes{Jobs: 60, Days: 14, Patterns: 20, CitationsPerPattern: 6}

const seed = 20260510

// end is the last snapshot day, fixed so the output never depends on the clock.
var end = time.Date(2026, 5, 10, 0, 0, 0, 0, time.UTC)

func (s Sizes) withDefaults() Sizes {
	or := func(v, d, lo int) int {
		if v == 0 {
			v = d
		}
		return max(v, lo)
	}
	return Sizes{
		Jobs:                or(s.Jobs, Default.Jobs, 16),
		Days:                or(s.Days, Default.Days, 1),
		Patterns:            or(s.Patterns, Default.Patterns, 2),
		CitationsPerPattern: or(s.CitationsPerPattern, Default.CitationsPerPattern, 0),
	}
}

// stream is an independent random source per part of the tree, so that changing one size
// (say Patterns) leaves the files of the other parts byte-identical.
func stream(part uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, part)) }

// gen carries one part's random source and the job names prose and patterns may cite.
type gen struct {
	r      *rand.Rand
	s      Sizes
	stable []string // pinned jobs: on every snapshot of both datasets, so any report can name them
	fam    []int    // family of each stable job
}

// Write generates the tree into dir, which it creates if needed.
func Write(dir string, s Sizes) error {
	s = s.withDefaults()
	for _, f := range []struct {
		name string
		data []byte
	}{{"repos.yaml", writeRepos()}, {"sigs.yaml", writeSIGs()}, {"categories.yaml", writeCategories()}} {
		if err := writeFile(dir, f.name, f.data); err != nil {
			return err
		}
	}
	u := newUniverse(stream(1), s)
	for i, ds := range []string{"failures", "flakes"} {
		if err := writeSnapshots(dir, stream(2+uint64(i)), u, s, ds, end); err != nil {
			return err
		}
	}
	n := pinnedCount(s)
	plans := planPatterns(stream(4), s)
	g := &gen{r: stream(5), s: s, stable: u.names[:n], fam: u.fam[:n]}
	for i := range plans {
		if err := writeFile(dir, "patterns/"+plans[i].slug+".yaml", g.pattern(plans, i)); err != nil {
			return err
		}
	}
	g.r = stream(6)
	return g.writeReports(dir, plans)
}

func writeFile(dir, name string, data []byte) error {
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		return fmt.Errorf("synth: %w", err)
	}
	return nil
}
