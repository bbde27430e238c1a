package analyze

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"
	"unsafe"
)

// sortHead puts the same first top elements in the same order as a full sort, and keeps
// every element: ties included, as status lists break them by position.
func TestSortHead(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 2, 5, 20, 21, 100, 1500} {
		for _, top := range []int{0, 1, 2, 7, 20, 100, 2000} {
			list := make([]int, n)
			for i := range list {
				list[i] = r.IntN(n/3 + 1) // many ties
			}
			want := slices.Clone(list)
			slices.Sort(want)
			got := slices.Clone(list)
			sortHead(got, top, cmp.Compare[int])
			k := len(got)
			if top > 0 {
				k = min(top, len(got))
			}
			if !slices.Equal(got[:k], want[:k]) {
				t.Errorf("n %d top %d: head %v, want %v", n, top, got[:k], want[:k])
			}
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf("n %d top %d: elements lost or duplicated", n, top)
			}
		}
	}
}

// A status judges every job of every snapshot: judged is kept small.
func TestJudgedSize(t *testing.T) {
	if n := unsafe.Sizeof(judged{}); n > 32 {
		t.Errorf("judged is %d bytes, want at most 32", n)
	}
}
