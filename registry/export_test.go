package registry

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"

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

// CheckWideBlocks compares the entries of large blocks r keeps in memory
// (windows.go) with its store: each kept block must hold the store's
// entries of the block, in the same order, and be larger than its
// max_block. It returns how many blocks larger than their max_block the
// store holds and how many of them are kept, for tests.
func CheckWideBlocks(r *Registry) (large, kept int, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.blocks == nil || r.blocks.wide == nil {
		return 0, 0, fmt.Errorf("no set of blocks with members")
	}
	it, err := r.db.NewIter(&pebble.IterOptions{LowerBound: []byte{kBlock}, UpperBound: []byte{kBlock + 1}})
	if err != nil {
		return 0, 0, err
	}
	defer it.Close()
	seen := map[blockID]bool{}
	var cur wideBlock
	var id blockID
	done := func() error {
		if cur.len() == 0 {
			return nil
		}
		seen[id] = true
		m := r.maxBlock[id.rule]
		if m <= 0 || cur.len() <= m {
			if r.blocks.wide.get(id) != nil {
				return fmt.Errorf("block %d/%x of %d entries (max_block %d) kept", id.rule, id.hash, cur.len(), m)
			}
			return nil
		}
		large++
		b := r.blocks.wide.get(id)
		if b == nil {
			return nil
		}
		kept++
		if !bytes.Equal(b.keys, cur.keys) || !slices.Equal(b.ends, cur.ends) {
			return fmt.Errorf("block %d/%x: %d entries kept, the store's %d differ", id.rule, id.hash, b.len(), cur.len())
		}
		return nil
	}
	for ok := it.First(); ok; ok = it.Next() {
		k := it.Key()
		next := blockID{int(k[1]), binary.BigEndian.Uint64(k[2:blockPrefixLen])}
		if next != id || cur.len() == 0 {
			if err := done(); err != nil {
				return large, kept, err
			}
			id, cur = next, wideBlock{}
		}
		cur.append(k[blockPrefixLen:])
	}
	if err := done(); err != nil {
		return large, kept, err
	}
	for id := range r.blocks.wide.m {
		if !seen[id] {
			return large, kept, fmt.Errorf("block %d/%x kept, not in the store", id.rule, id.hash)
		}
	}
	return large, kept, it.Error()
}
