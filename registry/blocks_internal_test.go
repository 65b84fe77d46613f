package registry

import (
	"math/rand"
	"testing"
)

// The set of blocks holds every block added, through its growth, and
// few others (a block it holds wrongly is a look-up for nothing).
func TestBlockSetHolds(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	var s blockSet
	type block struct {
		rule int
		hash uint64
	}
	var added []block
	for i := 0; i < 100000; i++ {
		b := block{rng.Intn(13), rng.Uint64()}
		if i%7 == 0 {
			b.hash = uint64(i) // small hashes: the low bits alone differ
		}
		s.add(b.rule, b.hash)
		added = append(added, b)
		if i%10 == 0 {
			s.add(b.rule, b.hash) // twice: held once
		}
	}
	s.add(0, 0x9e3779b97f4a7c15) // its entry would be 0 (empty): 1
	if !s.has(0, 0x9e3779b97f4a7c15) {
		t.Fatal("the block whose entry would be 0 is not held")
	}
	if s.n != len(added)+1 {
		t.Fatalf("%d entries for %d blocks", s.n, len(added)+1)
	}
	for _, b := range added {
		if !s.has(b.rule, b.hash) {
			t.Fatalf("block %d/%x added, not held", b.rule, b.hash)
		}
	}
	if 4*s.n > 3*len(s.slots) {
		t.Errorf("%d entries in %d slots: more than three quarters full", s.n, len(s.slots))
	}
	wrong := 0
	for i := 0; i < 100000; i++ {
		if s.has(rng.Intn(13), rng.Uint64()) {
			wrong++
		}
	}
	if wrong > 0 {
		t.Errorf("%d of 100000 blocks never added are held", wrong)
	}
	var empty *blockSet
	if empty.len() != 0 {
		t.Errorf("nil set: len %d", empty.len())
	}
}
