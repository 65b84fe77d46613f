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
type blockSet struct {
	slots []uint64 // 0: empty; a power of two long
	n     int
	shift uint // 64 - log2(len(slots))
}

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

func (s *blockSet) has(rule int, hash uint64) bool {
	if s.n == 0 {
		return false
	}
	id := blockSetID(rule, hash)
	mask := uint64(len(s.slots) - 1)
	for i := s.slot(id); ; i = (i + 1) & mask {
		switch s.slots[i] {
		case id:
			return true
		case 0:
			return false
		}
	}
}

func (s *blockSet) add(rule int, hash uint64) { s.addID(blockSetID(rule, hash)) }

func (s *blockSet) addID(id uint64) {
	if 4*(s.n+1) > 3*len(s.slots) {
		s.grow()
	}
	mask := uint64(len(s.slots) - 1)
	for i := s.slot(id); ; i = (i + 1) & mask {
		switch s.slots[i] {
		case id:
			return
		case 0:
			s.slots[i] = id
			s.n++
			return
		}
	}
}

func (s *blockSet) grow() {
	old := s.slots
	size := max(1<<12, 2*len(old))
	s.slots, s.n, s.shift = make([]uint64, size), 0, uint(64-bits.TrailingZeros(uint(size)))
	for _, id := range old {
		if id != 0 {
			s.addID(id)
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
// (loadBlocks) from an iterator over its blocking index as it is now.
func (r *Registry) startBlockSet(db *pebble.DB) error {
	it, err := db.NewIter(&pebble.IterOptions{LowerBound: []byte{kBlock}, UpperBound: []byte{kBlock + 1}})
	if err != nil {
		return err
	}
	r.blocksSince, r.blocksDone = &blockSet{}, make(chan struct{})
	go r.loadBlocks(it)
	return nil
}

// loadBlocks builds the set of blocks from it, an iterator over the
// blocking index created when the registry opened (the store as it was
// then), in the background: until it is done, every block is looked up in
// the store, and the blocks batches write meanwhile are kept aside
// (blocksSince) and added to it. Close stops it.
func (r *Registry) loadBlocks(it *pebble.Iterator) {
	defer close(r.blocksDone)
	start := time.Now()
	s, err := readBlockSet(it, &r.blocksStop)
	if err != nil {
		if !errors.Is(err, errStopped) {
			slog.Warn("registry: the set of blocks was not built; every block is looked up in the store", "err", err)
		}
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, id := range r.blocksSince.slots {
		if id != 0 {
			s.addID(id)
		}
	}
	r.blocks, r.blocksSince = s, nil
	r.stats.BlockSetLoad = time.Since(start)
}

var errStopped = errors.New("stopped")

// readBlockSet reads the blocks of the store's blocking index through
// it, in one pass, and closes it; it stops early when stop is set.
func readBlockSet(it *pebble.Iterator, stop *atomic.Bool) (s *blockSet, err error) {
	defer func() {
		if cerr := it.Close(); err == nil && cerr != nil {
			s, err = nil, fmt.Errorf("read blocking index: %w", cerr)
		}
	}()
	s = &blockSet{}
	var last [blockPrefixLen]byte
	n := 0
	for ok := it.First(); ok; ok = it.Next() {
		if n++; n%65536 == 0 && stop.Load() {
			return nil, errStopped
		}
		k := it.Key()
		if len(k) < blockPrefixLen+seqLen {
			return nil, fmt.Errorf("read blocking index: key of %d bytes", len(k))
		}
		if string(k[:blockPrefixLen]) == string(last[:]) {
			continue
		}
		copy(last[:], k)
		s.add(int(k[1]), binary.BigEndian.Uint64(k[2:blockPrefixLen]))
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
