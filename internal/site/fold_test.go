package site

import (
	"maps"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"
)

// TestFoldPrefixesMatchesTheExhaustiveSearch compares foldPrefixes with the plain search of
// every longer key, longest first, on random SHAs that often start one another.
func TestFoldPrefixesMatchesTheExhaustiveSearch(t *testing.T) {
	exhaustive := func(sorted []string) map[string]string {
		commits := slices.Clone(sorted)
		sort.SliceStable(commits, func(i, j int) bool { return len(commits[i]) > len(commits[j]) })
		into := map[string]string{}
		for i, k := range commits {
			for _, longer := range commits[:i] {
				if into[longer] == "" && len(longer) > len(k) && strings.HasPrefix(longer, k) {
					into[k] = longer
					break
				}
			}
		}
		return into
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 200 {
		set := map[string]bool{}
		for range rng.IntN(40) {
			repo := []string{"k/k@", "k/t@", "k/kx@"}[rng.IntN(3)]
			sha := make([]byte, 1+rng.IntN(6))
			for i := range sha {
				sha[i] = "ab"[rng.IntN(2)]
			}
			set[repo+string(sha)] = true
		}
		keys := slices.Sorted(maps.Keys(set))
		if got, want := foldPrefixes(keys), exhaustive(keys); !maps.Equal(got, want) {
			t.Fatalf("round %d, keys %q:\n got  %v\n want %v", round, keys, got, want)
		}
	}
}
