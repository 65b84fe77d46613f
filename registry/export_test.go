package registry

import (
	"encoding/json"
	"fmt"
	"slices"
	"sync/atomic"

	"github.com/cockroachdb/pebble"
)

// WaitBlockSet waits until r's set of blocks is built (or its build
// ended), for tests.
func WaitBlockSet(r *Registry) {
	if r.blocksDone != nil {
		<-r.blocksDone
	}
}

// WaitScorerBlockSet waits until sc's set of blocks is built (or its
// build ended), for tests.
func WaitScorerBlockSet(sc *Scorer) { WaitBlockSet(sc.reg) }

// SplitSmall makes the batch path split its work between goroutines from
// n items on (keys, block look-ups, pairs, writes, frame rows, a
// unit's rows for its number holders), for tests; the returned func
// restores the defaults.
func SplitSmall(n int) (restore func()) {
	k, b, p, o, f, u := minKeysPerWorker, minBlocksPerWorker, minPairsPerWorker, minSortPerWorker, minFramePerWorker, minUnitApart
	minKeysPerWorker, minBlocksPerWorker, minPairsPerWorker, minSortPerWorker, minFramePerWorker, minUnitApart = n, n, n, n, n, n
	return func() {
		minKeysPerWorker, minBlocksPerWorker, minPairsPerWorker, minSortPerWorker, minFramePerWorker, minUnitApart = k, b, p, o, f, u
	}
}

// RuleMix is what the sets of blocks mix the key hashes of rule with
// to make their entries, for tests.
func RuleMix(rule int) uint64 { return ruleMix(rule) }

// SetRuleMixes makes the sets of blocks mix each rule's key hashes with
// mixes[rule] instead, so that a test can make blocks of different rules
// share their 64-bit entry (by chance, about once in 10^6 stores of a
// million records); the returned func restores the default.
func SetRuleMixes(mixes []uint64) (restore func()) {
	ruleMixes = mixes
	return func() { ruleMixes = nil }
}

// SharedEntries counts the blocks of r's set of blocks whose entry another
// block (of another rule) holds too, for tests.
func SharedEntries(r *Registry) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.blocks == nil {
		return 0
	}
	seen := map[uint64]int{}
	for _, id := range r.blocks.slots {
		if id != 0 {
			seen[id]++
		}
	}
	n := 0
	for _, c := range seen {
		if c > 1 {
			n += c
		}
	}
	return n
}

// NoFrameWide makes the batches read the windows of the blocks they take
// past their max_block from the store, as before frameWide, for tests;
// the returned func restores the default.
func NoFrameWide() (restore func()) {
	useFrameWide = false
	return func() { useFrameWide = true }
}

// LastOutputJSONs returns the last output of out as the registry stores
// it (marshalLastOutput) and as encoding/json writes it, for tests.
func LastOutputJSONs(out *Output) (mine, std []byte, err1, err2 error) {
	mine, err1 = marshalLastOutput(out)
	std, err2 = json.Marshal(lastOutputOf(out))
	return mine, std, err1, err2
}

// ForgetMustLinkRulings deletes the record of which rulings set each
// must-link ('j' keys), leaving the must-links: a store as a registry
// before that record was kept left it, for tests.
func ForgetMustLinkRulings(r *Registry) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.db.DeleteRange([]byte{kJoined}, []byte{kJoined + 1}, pebble.Sync)
}

// CheckWideBlocks compares r's set of blocks (blocks.go, windows.go)
// with one built again from its records (readRecordBlockSet, as when the
// registry opens): every block must have the same members (one, a list
// in any order, none) or, when larger than its max_block, the same
// entries in the same order; a block the set holds beyond those must have
// no member. It returns how many blocks larger than their max_block the
// records give and how many of them are kept, for tests. (Before reg22
// it compared the kept entries with the store's blocking index.)
func CheckWideBlocks(r *Registry) (large, kept int, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.blocks == nil || r.blocks.wide == nil {
		return 0, 0, fmt.Errorf("no set of blocks with members")
	}
	it, err := r.db.NewIter(&pebble.IterOptions{LowerBound: []byte{kRecord}, UpperBound: []byte{kRecord + 1}})
	if err != nil {
		return 0, 0, err
	}
	var stop atomic.Bool
	want, err := r.readRecordBlockSet(it, &stop, r.maxBlock)
	if err != nil {
		return 0, 0, err
	}
	describe := func(s *blockSet, rule int, hash uint64) string {
		if !s.has(rule, hash) {
			return "absent"
		}
		if s.empty(rule, hash) {
			return "empty"
		}
		if m, ok := s.single(rule, hash); ok {
			return fmt.Sprint("one ", m)
		}
		if l, ok := s.listed(rule, hash); ok {
			if len(l) == 0 {
				return "empty"
			}
			return fmt.Sprint("list ", slices.Sorted(slices.Values(l)))
		}
		if s.large(rule, hash) {
			if w := s.wide.get(blockID{rule, hash}); w != nil {
				return fmt.Sprintf("large %x %v", w.keys, w.ends)
			}
			return "large, no entries"
		}
		return "unknown"
	}
	ruleOf := func(s *blockSet, i int) (int, uint64, bool) {
		id, tag := s.slots[i], s.tags[i]
		if id == 0 {
			return 0, 0, false
		}
		rule := int(tag >> 1)
		if tag&1 != 0 {
			return rule, ruleMix(rule), true // its entry would be 0
		}
		return rule, id ^ ruleMix(rule), true
	}
	for i := range want.slots {
		rule, hash, ok := ruleOf(want, i)
		if !ok {
			continue
		}
		w, got := describe(want, rule, hash), describe(r.blocks, rule, hash)
		if w != got {
			return large, kept, fmt.Errorf("block %d/%x: the set holds %.200s, its records give %.200s", rule, hash, got, w)
		}
		if want.large(rule, hash) {
			large++
			kept++
		}
	}
	for i := range r.blocks.slots {
		rule, hash, ok := ruleOf(r.blocks, i)
		if !ok {
			continue
		}
		if d := describe(r.blocks, rule, hash); d != "empty" && !want.has(rule, hash) {
			return large, kept, fmt.Errorf("block %d/%x: the set holds %.200s, not in the records", rule, hash, d)
		}
	}
	for id := range r.blocks.wide.m {
		if !want.large(id.rule, id.hash) {
			return large, kept, fmt.Errorf("block %d/%x kept, not larger than its max_block in the records", id.rule, id.hash)
		}
	}
	return large, kept, nil
}
