package matching

import (
	"math/rand"
	"slices"
	"testing"
)

// TestByFirstRow checks that byFirstRow returns the same pairs, ordered
// by first row and, within one, in the order they came.
func TestByFirstRow(t *testing.T) {
	rng := rand.New(rand.NewSource(5))
	const n = 300
	pairs := make([][2]int32, 5000)
	for x := range pairs {
		pairs[x] = [2]int32{int32(rng.Intn(n)), int32(x)} // second: the position
	}
	got := byFirstRow(slices.Clone(pairs), n)
	if len(got) != len(pairs) {
		t.Fatalf("%d pairs back of %d", len(got), len(pairs))
	}
	for x := 1; x < len(got); x++ {
		a, b := got[x-1], got[x]
		if a[0] > b[0] || a[0] == b[0] && a[1] >= b[1] {
			t.Fatalf("pairs %d and %d out of order: %v %v", x-1, x, a, b)
		}
	}
	seen := make([]bool, len(pairs))
	for _, p := range got {
		if p != pairs[p[1]] || seen[p[1]] {
			t.Fatalf("pair %v not one of the input's, or twice", p)
		}
		seen[p[1]] = true
	}
}
