package registry

import (
	"fmt"
	"math/rand"
	"slices"
	"testing"
)

// setOne says what block (rule, hash) holds now: one member, seq (one),
// or more (not known: the entry is cleared).
func (s *blockSet) setOne(rule int, hash uint64, seq uint64, one bool) {
	if one {
		s.setMembers(rule, hash, []uint64{seq}, nil, 0)
	} else {
		s.setMembers(rule, hash, nil, nil, -1)
	}
}

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

// The set answers a block's one member only for that block: not for a
// block of another rule sharing its entry (which is another entry, with
// its own member: reg23), not once the block has more, and through the
// set's growth; the two blocks of a rule whose entries would be 0 and 1
// are two entries too.
func TestBlockSetOneMember(t *testing.T) {
	s := blockSet{members: true}
	const h1 uint64 = 0x1234567890abcdef
	k := uint64(0x9e3779b97f4a7c15)
	h2 := h1 ^ 1*k ^ 4*k // rule 3's block with rule 0's entry
	if blockSetID(0, h1) != blockSetID(3, h2) {
		t.Fatal("the two blocks do not share an entry")
	}
	s.add(0, h1)
	if _, ok := s.single(0, h1); ok {
		t.Fatal("a block added without its member is answered")
	}
	s.setOne(0, h1, 5, true)
	if seq, ok := s.single(0, h1); !ok || seq != 5 {
		t.Fatalf("block of one member 5: %d, %v", seq, ok)
	}
	if _, ok := s.single(3, h2); ok {
		t.Fatal("the other rule's block sharing the entry is answered with this one's member")
	}
	s.setOne(3, h2, 7, true)
	if seq, ok := s.single(0, h1); !ok || seq != 5 {
		t.Fatalf("the first block, once the other rule's block of its entry has member 7: %d, %v; want 5", seq, ok)
	}
	z0, z1 := ruleMix(2), ruleMix(2)^1 // rule 2's entries 0 (kept as 1) and 1
	s.setOne(2, z0, 11, true)
	s.setOne(2, z1, 12, true)
	if a, ok := s.single(2, z0); !ok || a != 11 {
		t.Fatalf("the block whose entry would be 0: %d, %v; want 11", a, ok)
	}
	if b, ok := s.single(2, z1); !ok || b != 12 {
		t.Fatalf("the block whose entry is 1: %d, %v; want 12", b, ok)
	}
	if seq, ok := s.single(3, h2); !ok || seq != 7 {
		t.Fatalf("block of one member 7: %d, %v", seq, ok)
	}
	s.setOne(0, 99, 1<<40-1, true) // the largest sequence
	rng := rand.New(rand.NewSource(2))
	for i := 0; i < 50000; i++ { // growth
		s.add(rng.Intn(13), rng.Uint64())
	}
	if seq, ok := s.single(3, h2); !ok || seq != 7 {
		t.Fatalf("after growth: %d, %v", seq, ok)
	}
	if seq, ok := s.single(0, h1); !ok || seq != 5 {
		t.Fatalf("after growth, the first block: %d, %v", seq, ok)
	}
	if a, ok := s.single(2, z0); !ok || a != 11 {
		t.Fatalf("after growth, the block whose entry would be 0: %d, %v", a, ok)
	}
	if seq, ok := s.single(0, 99); !ok || seq != 1<<40-1 {
		t.Fatalf("largest sequence: %d, %v", seq, ok)
	}
	s.setOne(3, h2, 0, false) // a second member
	if _, ok := s.single(3, h2); ok {
		t.Fatal("a block of two members is answered")
	}
	if !s.has(3, h2) || !s.has(0, h1) {
		t.Fatal("blocks no longer held")
	}
}

// TestBlockSetWithoutMembers: a set that keeps no members (a Scorer's)
// holds its blocks, answers none with a member and has no array for them.
func TestBlockSetWithoutMembers(t *testing.T) {
	var s blockSet
	rng := rand.New(rand.NewSource(3))
	for i := 0; i < 20000; i++ {
		s.setOne(rng.Intn(13), rng.Uint64(), uint64(i), true)
	}
	s.setOne(2, 42, 9, true)
	if !s.has(2, 42) {
		t.Fatal("a block set without members does not hold it")
	}
	if _, ok := s.single(2, 42); ok {
		t.Fatal("a set without members answers a block with a member")
	}
	if s.one != nil || s.len() != 20001 {
		t.Fatalf("members array %d long, %d blocks; want none, 20001", len(s.one), s.len())
	}
}

// The set's lists of members agree with the blocks' members as a batch
// after another adds to them — extended in place, moved when full,
// compacted, past their limit not known, a block sharing another rule's
// entry answered with its own members — through the set's growth.
func TestBlockSetLists(t *testing.T) {
	s := blockSet{members: true}
	rng := rand.New(rand.NewSource(4))
	type block struct {
		rule int
		hash uint64
	}
	const limit = 6
	want := map[block][]uint64{}
	var blocks []block
	for i := 0; i < 3000; i++ {
		blocks = append(blocks, block{rng.Intn(4), rng.Uint64()})
	}
	k := uint64(0x9e3779b97f4a7c15)
	shared := block{3, blocks[0].hash ^ uint64(blocks[0].rule+1)*k ^ 4*k} // blocks[0]'s entry
	blocks = append(blocks, shared)
	known := func(b block) ([]uint64, bool) {
		if seq, ok := s.single(b.rule, b.hash); ok {
			return []uint64{seq}, true
		}
		return s.listed(b.rule, b.hash)
	}
	seq := uint64(0)
	for batch := 0; batch < 400; batch++ {
		// A batch: some blocks get one to three new members each,
		// their committed members as the set or the store gives them.
		var written []block
		var committed, added [][]uint64
		for _, x := range rng.Perm(len(blocks))[:50] {
			b := blocks[x]
			c, ok := known(b)
			if !ok {
				c = want[b] // read from the store
			}
			var add []uint64
			for j := rng.Intn(3); j >= 0; j-- {
				add = append(add, seq)
				seq++
			}
			written, committed, added = append(written, b), append(committed, c), append(added, add)
		}
		for j, b := range written {
			s.setMembers(b.rule, b.hash, committed[j], added[j], limit)
			want[b] = append(append([]uint64(nil), want[b]...), added[j]...)
		}
		for i := 0; i < 200; i++ { // growth
			s.add(rng.Intn(13), rng.Uint64())
		}
		for _, b := range blocks {
			got, ok := known(b)
			if ok && !slices.Equal(got, want[b]) {
				t.Fatalf("batch %d: block %v answered %v, holds %v", batch, b, got, want[b])
			}
			if n := len(want[b]); !ok && n > 0 && n <= limit {
				t.Fatalf("batch %d: block %v of %d members not answered", batch, b, n)
			}
			if l := s.large(b.rule, b.hash); l && len(want[b]) <= limit || !l && len(want[b]) > limit {
				t.Fatalf("batch %d: block %v of %d members: larger than max_block %d %v", batch, b, len(want[b]), limit, l)
			}
		}
	}
	if s.lists.waste > s.lists.size() || len(s.lists.chunks) == 0 {
		t.Errorf("lists: %d places, %d of them waste", s.lists.size(), s.lists.waste)
	}
	s.setMembers(0, 77, []uint64{1, 2}, []uint64{3}, 2) // over its max_block
	if _, ok := s.listed(0, 77); ok || !s.large(0, 77) {
		t.Errorf("a block over its max_block: listed %v, large %v", ok, s.large(0, 77))
	}
	members := make([]uint64, maxListed+1)
	s.setMembers(1, 77, members, nil, 0) // over the set's limit, without max_block
	if _, ok := s.listed(1, 77); ok || s.large(1, 77) || !s.has(1, 77) {
		t.Errorf("a block of %d members without max_block: listed %v, large %v", len(members), ok, s.large(1, 77))
	}
}

// Compacting the lists keeps every block's members.
func TestBlockSetListsCompact(t *testing.T) {
	s := blockSet{members: true}
	want := map[uint64][]uint64{}
	// Lists that grow one member at a time move each time they are full,
	// until the waste is half the places and they are compacted: 64
	// members each, moved at 4, 10, 22 and 46, put 151 places a block
	// (6.0 million), 65 of them in use.
	for round := 0; round < 64; round++ {
		for h := uint64(1); h <= 40000; h++ {
			old, _ := s.listed(1, h)
			if seq, ok := s.single(1, h); ok {
				old = []uint64{seq}
			}
			s.setMembers(1, h, old, []uint64{h*100 + uint64(round)}, 64)
			want[h] = append(want[h], h*100+uint64(round))
		}
	}
	for h, w := range want {
		got, ok := s.listed(1, h)
		if !ok || !slices.Equal(got, w) {
			t.Fatalf("block %d: %v, %v; want %v", h, got, ok, w)
		}
	}
	if 2*s.lists.waste > s.lists.size() || s.lists.size() > 4<<chunkBits {
		t.Errorf("%d places, %d of them waste: not compacted", s.lists.size(), s.lists.waste)
	}
}

// sortKeyRefs orders a batch's keys as a comparison sort does (block, in
// the order of their slots, then place), whatever their number, rules and
// hashes: blocks of several keys, hashes sharing their top bits, blocks of
// two rules sharing their entry in the set (one slot order), and the refs
// made in the order of their place, as the batch makes them. Every
// block's keys are together, and the blocks come in the order of their
// slots in a set of blocks of any size.
func TestSortKeyRefs(t *testing.T) {
	rng := rand.New(rand.NewSource(19))
	for _, n := range []int{0, 1, 5, 63, 64, 65, 200, 1000, 30000} {
		for _, rules := range []int{1, 3, 13} {
			refs := make([]keyRef, n)
			for i := range refs {
				h := rng.Uint64()
				switch rng.Intn(5) {
				case 4: // another rule's block sharing an earlier key's entry
					if i > 0 && rules > 1 {
						e := refs[rng.Intn(i)]
						r := int32(rng.Intn(rules))
						refs[i] = keyRef{hash: e.hash ^ ruleMix(int(e.rule)) ^ ruleMix(int(r)), rule: r, at: int32(i)}
						continue
					}
				case 0: // a block of an earlier key
					if i > 0 {
						e := refs[rng.Intn(i)]
						refs[i] = keyRef{hash: e.hash, rule: e.rule, at: int32(i)}
						continue
					}
				case 1: // the top bits of an earlier key's hash
					if i > 0 {
						h = refs[rng.Intn(i)].hash&^(1<<40-1) | h&(1<<40-1)
					}
				}
				refs[i] = keyRef{hash: h, rule: int32(rng.Intn(rules)), at: int32(i)}
			}
			want := slices.Clone(refs)
			slices.SortFunc(want, compareKeyRefs)
			got := sortKeyRefs(refs)
			if !slices.Equal(got, want) {
				t.Errorf("%d keys of %d rules: not in the order of compareKeyRefs", n, rules)
			}
			// A block's keys together, the blocks in the order of
			// their slots (a set of 1<<16 slots: shift 48).
			s := &blockSet{shift: 48}
			seen := map[blockID]bool{}
			for i, e := range got {
				id := blockID{int(e.rule), e.hash}
				if i > 0 && (got[i-1].rule != e.rule || got[i-1].hash != e.hash) {
					if seen[id] {
						t.Fatalf("%d keys of %d rules: block %v's keys apart", n, rules, id)
					}
					if a, b := s.slot(blockSetID(int(got[i-1].rule), got[i-1].hash)), s.slot(blockSetID(int(e.rule), e.hash)); a > b {
						t.Fatalf("%d keys of %d rules: slot %d after slot %d", n, rules, b, a)
					}
				}
				seen[id] = true
			}
		}
	}
}

// BenchmarkSortKeyRefs sorts the keys of a batch of 2,000 and 20,000
// records (twelve each, of 13 rules) with sortKeyRefs, and with the
// comparison sort on two cores it replaced (compare).
func BenchmarkSortKeyRefs(b *testing.B) {
	for _, n := range []int{24000, 240000} {
		rng := rand.New(rand.NewSource(int64(n)))
		refs := make([]keyRef, n)
		for i := range refs {
			refs[i] = keyRef{hash: rng.Uint64(), rule: int32(i % 13), at: int32(i)}
		}
		work := make([]keyRef, n)
		b.Run(fmt.Sprintf("buckets/%d", n), func(b *testing.B) {
			for b.Loop() {
				copy(work, refs)
				sortKeyRefs(work)
			}
		})
		b.Run(fmt.Sprintf("compare/%d", n), func(b *testing.B) {
			for b.Loop() {
				copy(work, refs)
				sortInParts(work, compareKeyRefs, minSortPerWorker)
			}
		})
	}
}
