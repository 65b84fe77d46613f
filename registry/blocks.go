package registry

import (
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"math/bits"
	"sync/atomic"
	"time"

	"github.com/cockroachdb/pebble"
)

// blockSet is the set of the blocks the registry's blocking index holds
// (every block a record was ever written to), in memory: a look-up of a
// block it does not hold skips the store. Most of a batch's blocks are
// new (a new number, a new name and birth date): looked up in the store,
// each cost a search of the memtable and a filter probe per table
// (issue 9: block look-ups were a ninth of the CPU at a million records,
// and only a third of them found a block at 100,000).
//
// It holds a 64-bit hash of each block (rule and key hash mixed), so two
// blocks may share an entry: a block it does not hold is certainly not in
// the store (no false negative); one it holds may not be (a look-up that
// finds nothing, as before). The hashes are kept in one array, open
// addressing with linear probing, at most three quarters full: 8 bytes a
// slot, no pointers for the garbage collector to scan, and a look-up is
// one cache miss (a Go map of the 5.5 million blocks of a million records
// took 151 MB and 420 ns a look-up at load 10, two fifths of it
// in probing its groups).
//
// It is rebuilt from the store's blocking index when the registry opens
// (one pass over the 'b' keys, in the background: loadBlocks), not
// persisted: a store written by any earlier version, or cut off in any
// state, gives the exact set of what it holds, and opening does not wait
// for it.
//
// A Scorer (the score role's blocking index, scorer.go) keeps one too,
// in its Registry of settings, built and used the same way.
//
// Beside each entry it keeps the one member of a block that has one
// (one, when known: the rule and the record; 0 when the block has more, or
// is not known to have one): a look-up of such a block is answered here
// (single), not in the store — at 200,000 records in batches of 20,000,
// 55% of the blocks looked up in the store had one member. The entry's
// rule is kept with the record, so that a block sharing the entry of
// another (of another rule) is never answered with the other's member.
// The registry sets it after each commit, for every block the batch
// wrote (setOne); a Scorer, which does not read it, keeps no members (one
// is nil: 8 bytes a slot, not 16).
type blockSet struct {
	slots []uint64 // 0: empty; a power of two long
	one   []uint64 // by slot: oneOf(rule, seq) of the block's one member, or 0; nil: members not kept
	n     int
	shift uint // 64 - log2(len(slots))
	// members: one is kept (a registry's set; a Scorer's is not).
	members bool
}

// oneOf is the entry of block rule's one member seq (never 0).
func oneOf(rule int, seq uint64) uint64 { return uint64(rule+1)<<48 | (seq + 1) }

// blockSetID is the entry of block (rule, hash): never 0 (an empty slot).
func blockSetID(rule int, hash uint64) uint64 {
	if id := hash ^ (uint64(rule)+1)*0x9e3779b97f4a7c15; id != 0 {
		return id
	}
	return 1
}

// slot is where the probe for id starts (Fibonacci hashing: the high
// bits of a multiplication, however the block hashes' low bits fall).
func (s *blockSet) slot(id uint64) uint64 { return (id * 0x9e3779b97f4a7c15) >> s.shift }

func (s *blockSet) has(rule int, hash uint64) bool { return s.find(blockSetID(rule, hash)) >= 0 }

// find is the slot of id, -1 when the set does not hold it.
func (s *blockSet) find(id uint64) int {
	if s.n == 0 {
		return -1
	}
	mask := uint64(len(s.slots) - 1)
	for i := s.slot(id); ; i = (i + 1) & mask {
		switch s.slots[i] {
		case id:
			return int(i)
		case 0:
			return -1
		}
	}
}

// single returns the one member of block (rule, hash) when the set
// knows the block holds exactly one.
func (s *blockSet) single(rule int, hash uint64) (uint64, bool) {
	id := blockSetID(rule, hash)
	if s.one == nil {
		return 0, false
	}
	i := s.find(id)
	// (Id 1 also stands for the one block of each rule whose id would be
	// 0: the rule alone does not tell its blocks apart.)
	if i < 0 || id == 1 || s.one[i] == 0 || s.one[i]>>48 != uint64(rule+1) {
		return 0, false
	}
	return s.one[i]&(1<<48-1) - 1, true
}

// setOne says what block (rule, hash) holds now: one member, seq (one),
// or more (or not known): the entry is then cleared.
func (s *blockSet) setOne(rule int, hash uint64, seq uint64, one bool) {
	i := s.addID(blockSetID(rule, hash))
	if s.one == nil {
		return
	}
	if one {
		s.one[i] = oneOf(rule, seq)
	} else {
		s.one[i] = 0
	}
}

func (s *blockSet) add(rule int, hash uint64) { s.addID(blockSetID(rule, hash)) }

// addID adds id (its one member not known) and returns its slot.
func (s *blockSet) addID(id uint64) int {
	if 4*(s.n+1) > 3*len(s.slots) {
		s.grow()
	}
	mask := uint64(len(s.slots) - 1)
	for i := s.slot(id); ; i = (i + 1) & mask {
		switch s.slots[i] {
		case id:
			return int(i)
		case 0:
			s.slots[i] = id
			s.n++
			return int(i)
		}
	}
}

func (s *blockSet) grow() {
	old, oldOne := s.slots, s.one
	size := max(1<<12, 2*len(old))
	s.slots, s.n, s.shift = make([]uint64, size), 0, uint(64-bits.TrailingZeros(uint(size)))
	if s.members {
		s.one = make([]uint64, size)
	}
	for j, id := range old {
		if id != 0 {
			if i := s.addID(id); s.one != nil {
				s.one[i] = oldOne[j]
			}
		}
	}
}

// len is the number of entries.
func (s *blockSet) len() int {
	if s == nil {
		return 0
	}
	return s.n
}

// startBlockSet starts building the set of the blocks db holds
// (loadBlocks) from an iterator over its blocking index as it is now;
// members: the set keeps the one member of blocks that have one.
func (r *Registry) startBlockSet(db *pebble.DB, members bool) error {
	it, err := db.NewIter(&pebble.IterOptions{LowerBound: []byte{kBlock}, UpperBound: []byte{kBlock + 1}})
	if err != nil {
		return err
	}
	r.blocksSince, r.blocksDone = &blockSet{}, make(chan struct{}) // its slots only are read
	go r.loadBlocks(it, members)
	return nil
}

// loadBlocks builds the set of blocks from it, an iterator over the
// blocking index created when the registry opened (the store as it was
// then), in the background: until it is done, every block is looked up in
// the store, and the blocks batches write meanwhile are kept aside
// (blocksSince) and added to it. Close stops it.
func (r *Registry) loadBlocks(it *pebble.Iterator, members bool) {
	defer close(r.blocksDone)
	start := time.Now()
	s, err := readBlockSet(it, &r.blocksStop, members)
	if err != nil {
		if !errors.Is(err, errStopped) {
			slog.Warn("registry: the set of blocks was not built; every block is looked up in the store", "err", err)
		}
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	// The blocks written since the store was read: their one member as
	// read is no longer known.
	for _, id := range r.blocksSince.slots {
		if id != 0 {
			if i := s.addID(id); s.one != nil {
				s.one[i] = 0
			}
		}
	}
	r.blocks, r.blocksSince = s, nil
	r.stats.BlockSetLoad = time.Since(start)
}

var errStopped = errors.New("stopped")

// readBlockSet reads the blocks of the store's blocking index through
// it, in one pass, and closes it; it stops early when stop is set.
// members: the set keeps the one member of blocks that have one.
func readBlockSet(it *pebble.Iterator, stop *atomic.Bool, members bool) (s *blockSet, err error) {
	defer func() {
		if cerr := it.Close(); err == nil && cerr != nil {
			s, err = nil, fmt.Errorf("read blocking index: %w", cerr)
		}
	}()
	s = &blockSet{members: members}
	var last [blockPrefixLen]byte
	n, at := 0, -1 // at: the slot of the last block, while it has one member
	for ok := it.First(); ok; ok = it.Next() {
		if n++; n%65536 == 0 && stop.Load() {
			return nil, errStopped
		}
		k := it.Key()
		if len(k) < blockPrefixLen+seqLen {
			return nil, fmt.Errorf("read blocking index: key of %d bytes", len(k))
		}
		if string(k[:blockPrefixLen]) == string(last[:]) {
			if at >= 0 && s.one != nil {
				s.one[at], at = 0, -1 // a second member
			}
			continue
		}
		copy(last[:], k)
		rule := int(k[1])
		at = s.addID(blockSetID(rule, binary.BigEndian.Uint64(k[2:blockPrefixLen])))
		if s.one != nil {
			s.one[at] = oneOf(rule, seqOfBlockKey(k))
		}
	}
	if err := it.Error(); err != nil {
		return nil, fmt.Errorf("read blocking index: %w", err)
	}
	return s, nil
}

// noteBlock records that a batch writes block (rule, hash).
func (r *Registry) noteBlock(rule int, hash uint64) {
	switch {
	case r.blocks != nil:
		r.blocks.add(rule, hash)
	case r.blocksSince != nil:
		r.blocksSince.add(rule, hash)
	}
}
