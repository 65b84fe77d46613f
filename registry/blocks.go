package registry

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/maphash"
	"log/slog"
	"math"
	"math/bits"
	"slices"
	"sort"
	"sync/atomic"
	"time"

	"github.com/cockroachdb/pebble"

	"github.com/dancu-vn/dancu/matching"
)

// blockSet is the set of the blocks the registry's blocking index holds
// (every block a record was ever written to), in memory: a look-up of a
// block it does not hold skips the store. Most of a batch's blocks are
// new (a new number, a new name and birth date): looked up in the store,
// each cost a search of the memtable and a filter probe per table
// (issue 9: block look-ups were a ninth of the CPU at a million records,
// and only a third of them found a block at 100,000).
//
// It holds a 64-bit hash of each block (rule and key hash mixed) and,
// beside it, the block's rule (tags): two blocks of one rule and one key
// hash are one block (as they were one in the store's 'b' keys), blocks
// of different rules never (reg23: the rule is compared on look-up, and
// probing goes on past another rule's entry). The hashes are kept in one
// array, open addressing with linear probing, at most three quarters
// full: 8 bytes a slot and 1 of tag, no pointers for the garbage
// collector to scan, and a look-up is one cache miss (a Go map of the 5.5 million blocks of a million records
// took 151 MB and 420 ns a look-up at load 10, two fifths of it
// in probing its groups).
//
// A registry's set is its whole blocking index since reg22: the store
// keeps no block entries, and the set knows every block's members (one, a
// list up to the rule's max_block, or, past it, the entries in key order:
// wideBlocks). It is read when the registry opens from the file it was
// saved in (blockset.go: at close and every Config.BlockSetCheckpoint
// records; the records after the save made into keys and added), or,
// without a file the store names, built from the records' fields (one
// pass over the 'r' keys: readRecordBlockSet), in the background: a
// store cut off in any state gives the exact set of the records it
// holds; opening does not wait for it, a batch or a withdrawal does. Until reg23 two blocks of different rules
// sharing an entry (a 64-bit hash: about one store in 10^6 at a million
// records) made every batch from the one naming the second fail; a block
// of a rule without max_block of more than maxListed members (1,048,574)
// still does. A Scorer's set is built from its store's blocking index
// ('b' keys: readBlockSet).
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
//
// A block of two members or more, up to its rule's max_block (64 for a
// rule without one), has its members in lists instead (listOf, in one
// array: memberLists): a look-up of it is answered here too (listed).
// Looked up in the store, each of the 276,084 blocks of more than one
// member that 181,476 records named cost a search of a 256 MB memtable
// and a filter probe per level-0 table: 10 µs a record, an eighth of the
// registry's CPU (reg15). A block larger than that is still read from the
// store, as its window needs its members in key order (members); the set
// marks it as larger than its max_block (large), so that it is not read
// only to learn that (its members only grow), and a block of a rule
// without max_block, of more than 64, is looked up.
type blockSet struct {
	slots []uint64 // 0: empty; a power of two long
	// tags, by slot: the block's rule and whether its entry stands for
	// 0 (blockTag). An entry is its slot's and its tag's together, one
	// for each block (rule, hash): blocks of different rules sharing a
	// 64-bit entry are two entries, each answered with its own members.
	tags []uint8
	// one, by slot: what the set knows of the block's members: 0 nothing
	// (look it up); oneOf(rule, seq), its one member; listOf(rule, at),
	// its members in lists at at. nil: members not kept.
	one   []uint64
	lists memberLists
	n     int
	shift uint // 64 - log2(len(slots))
	// members: one is kept (a registry's set; a Scorer's is not).
	members bool
	// wide: the entries of the blocks marked large, for their windows
	// (windows.go); nil when members are not kept.
	wide *wideBlocks
	// grows counts the set's rehashes (grow): a slot found before one is
	// a block's until the next (slotsKept).
	grows int
}

// listTag marks an entry of one that names a list of members.
const listTag = 1 << 63

// listOf is the entry of block rule's members in lists at at.
func listOf(rule int, at int) uint64 { return listTag | uint64(rule+1)<<48 | uint64(at) }

// largeAt is the place of a block larger than its rule's max_block: the
// set keeps no list of it.
const largeAt = 1<<48 - 1

// tooManyAt is the place of a block of a rule without max_block holding
// more members than a list can (maxListed): a batch naming it fails.
const tooManyAt = 1<<48 - 2

// listAt is where entry e's list is, when it names one.
func listAt(e uint64) (int, bool) {
	at := int(e & (1<<48 - 1))
	return at, e&listTag != 0 && at != largeAt && at != tooManyAt
}

// maxListed is the most members the set lists for a block of a rule
// without max_block (its members are all compared, however many): what
// one chunk of the lists holds. Since the store keeps no blocking index
// (reg22), the set lists every block's members up to its max_block.
const maxListed = 1<<chunkBits - 2

// memberLists holds the member lists of blocks one after the other in
// chunks, each an array without pointers: at at, the list's length
// and capacity (len | cap<<32), then cap places. A list outgrowing its
// places moves to the end (the old places are waste), and the lists are
// copied into new chunks when waste is half of them. Chunks, not one
// array grown by append: a million records' lists are about 100 MB, and
// each growth would copy them and leave the old array to the collector
// (which the registry's GOGC 400 lets wait).
type memberLists struct {
	chunks [][]uint64
	used   int // places handed out (lists and ends of chunks left unused)
	waste  int
}

// chunkBits: a chunk is at most 1<<chunkBits places (8 MiB), the first
// 4,096 and each twice the last (a small registry's set stays small); at
// is the chunk's index << chunkBits | the place in it.
const chunkBits = 20

// list is the list at at.
func (l *memberLists) list(at int) []uint64 {
	c := l.chunks[at>>chunkBits]
	at &= 1<<chunkBits - 1
	n := int(uint32(c[at]))
	return c[at+1 : at+1+n : at+1+n]
}

// size is the places the lists take.
func (l *memberLists) size() int { return l.used }

// put writes a new list of a, then b, with room to grow up to limit
// (at most 1<<chunkBits - 1), and returns where.
func (l *memberLists) put(a, b []uint64, limit int) int {
	n := len(a) + len(b)
	c := min(max(2*n, 4), limit)
	if k := len(l.chunks) - 1; k < 0 || len(l.chunks[k])+1+c > cap(l.chunks[k]) {
		size := 1 << 12
		if k >= 0 {
			rest := cap(l.chunks[k]) - len(l.chunks[k])
			l.waste, l.used = l.waste+rest, l.used+rest
			size = min(2*cap(l.chunks[k]), 1<<chunkBits)
		}
		l.chunks = append(l.chunks, make([]uint64, 0, size))
	}
	l.used += 1 + c
	k := len(l.chunks) - 1
	ch := l.chunks[k]
	at := len(ch)
	ch = append(ch, uint64(n)|uint64(c)<<32)
	ch = append(ch, a...)
	ch = append(ch, b...)
	l.chunks[k] = ch[:at+1+c]
	return k<<chunkBits | at
}

// extend appends b to the list at at when it has room, and says whether
// it had.
func (l *memberLists) extend(at int, b []uint64) bool {
	ch := l.chunks[at>>chunkBits]
	at &= 1<<chunkBits - 1
	n, c := int(uint32(ch[at])), int(ch[at]>>32)
	if n+len(b) > c {
		return false
	}
	copy(ch[at+1+n:], b)
	ch[at] = uint64(n+len(b)) | uint64(c)<<32
	return true
}

// drop counts the list at at as waste.
func (l *memberLists) drop(at int) {
	l.waste += 1 + int(l.chunks[at>>chunkBits][at&(1<<chunkBits-1)]>>32)
}

// oneOf is the entry of block rule's one member seq (never 0).
func oneOf(rule int, seq uint64) uint64 { return uint64(rule+1)<<48 | (seq + 1) }

// blockSetID is the entry of block (rule, hash): never 0 (an empty slot).
// With blockTag, it names one block (rule, hash) only.
func blockSetID(rule int, hash uint64) uint64 {
	if id := hash ^ ruleMix(rule); id != 0 {
		return id
	}
	return 1
}

// ruleMix is what block entries of rule are mixed with.
func ruleMix(rule int) uint64 {
	if ruleMixes != nil {
		return ruleMixes[rule]
	}
	return (uint64(rule) + 1) * 0x9e3779b97f4a7c15
}

// ruleMixes, when not nil, are the rules' mixes instead, for tests that
// make blocks of different rules share their entry (SetRuleMixes).
var ruleMixes []uint64

// maxSetRules is the most blocking rules a set of blocks tells apart
// (the rule in blockTag's seven bits); Open refuses settings of more.
const maxSetRules = 128

// blockTag is the tag of block (rule, hash) beside its entry: the rule,
// and whether its entry would be 0 (blockSetID gives 1 for it, and for
// the block whose entry is 1: the bit tells them apart).
func blockTag(rule int, hash uint64) uint8 {
	t := uint8(rule) << 1
	if hash == ruleMix(rule) {
		t |= 1
	}
	return t
}

// slot is where the probe for id starts (Fibonacci hashing: the high
// bits of a multiplication, however the block hashes' low bits fall).
func (s *blockSet) slot(id uint64) uint64 { return slotOrder(id) >> s.shift }

// slotOrder is the product whose top bits are entry id's slot in a set
// of any size: entries in its order are in the order of their slots
// (sortKeyRefs).
func slotOrder(id uint64) uint64 { return id * 0x9e3779b97f4a7c15 }

func (s *blockSet) has(rule int, hash uint64) bool { return s.findBlock(rule, hash) >= 0 }

// findBlock is the slot of block (rule, hash), -1 when the set does not
// hold it.
func (s *blockSet) findBlock(rule int, hash uint64) int {
	return s.find(blockSetID(rule, hash), blockTag(rule, hash))
}

// find is the slot of entry id of tag tag, -1 when the set does not
// hold it. Probing goes on past the entry id of another tag (another
// rule's block).
func (s *blockSet) find(id uint64, tag uint8) int {
	if s.n == 0 {
		return -1
	}
	mask := uint64(len(s.slots) - 1)
	for i := s.slot(id); ; i = (i + 1) & mask {
		switch s.slots[i] {
		case id:
			if s.tags[i] == tag {
				return int(i)
			}
		case 0:
			return -1
		}
	}
}

// single returns the one member of block (rule, hash) when the set
// knows the block holds exactly one.
func (s *blockSet) single(rule int, hash uint64) (uint64, bool) {
	if s.one == nil {
		return 0, false
	}
	return s.singleAt(s.findBlock(rule, hash), rule)
}

// singleAt is single for the block of rule at slot i (findBlock; -1:
// not in the set).
func (s *blockSet) singleAt(i, rule int) (uint64, bool) {
	if s.one == nil || i < 0 || s.one[i] == 0 || s.one[i]>>48 != uint64(rule+1) {
		return 0, false
	}
	return s.one[i]&(1<<48-1) - 1, true
}

// listed returns the members of block (rule, hash) when the set lists
// them (two or more; the slice is the set's: not to be changed).
func (s *blockSet) listed(rule int, hash uint64) ([]uint64, bool) {
	if s.one == nil {
		return nil, false
	}
	return s.listedAt(s.findBlock(rule, hash), rule)
}

// listedAt is listed for the block of rule at slot i (findBlock; -1:
// not in the set).
func (s *blockSet) listedAt(i, rule int) ([]uint64, bool) {
	if s.one == nil || i < 0 {
		return nil, false
	}
	e := s.one[i]
	at, ok := listAt(e)
	if !ok || (e>>48)&0x7fff != uint64(rule+1) {
		return nil, false
	}
	return s.lists.list(at), true
}

// large says whether the set knows block (rule, hash) to be larger than
// its rule's max_block.
func (s *blockSet) large(rule int, hash uint64) bool {
	if s.one == nil {
		return false
	}
	return s.largeAt(s.findBlock(rule, hash), rule)
}

// largeAt is large for the block of rule at slot i (findBlock; -1: not
// in the set).
func (s *blockSet) largeAt(i, rule int) bool {
	return s.one != nil && i >= 0 && s.one[i] == listOf(rule, largeAt)
}

// setMembers says what block (rule, hash), of a rule of max_block
// maxBlock (0: none), holds now: the members a, then b; nothing known
// when maxBlock < 0. A block of one member is answered by single, one of
// none or more, up to listLimit, by listed, one larger than its max_block
// by large; of others (more than maxListed without max_block) nothing is
// known. When a is the block's list as
// listed returned it, b is appended to it in place if it has room.
func (s *blockSet) setMembers(rule int, hash uint64, a, b []uint64, maxBlock int) {
	s.setCount(rule, hash, a, b, len(a)+len(b), maxBlock)
}

// setCount is setMembers for a block of n members, a and b when it has at
// most listLimit.
func (s *blockSet) setCount(rule int, hash uint64, a, b []uint64, n, maxBlock int) {
	s.setCountAt(s.addID(blockSetID(rule, hash), blockTag(rule, hash)), rule, hash, a, b, n, maxBlock)
}

// setCountAt is setCount for block (rule, hash) at slot i, where the
// set holds it (addID's or findBlock's slot, no rehash since: slotsKept).
func (s *blockSet) setCountAt(i, rule int, hash uint64, a, b []uint64, n, maxBlock int) {
	if s.one == nil {
		return
	}
	old := s.one[i]
	limit := listLimit(maxBlock)
	switch {
	case maxBlock < 0:
		s.one[i] = 0
	case n > limit && windowedAt(maxBlock, n):
		s.one[i] = listOf(rule, largeAt)
	case n > limit:
		s.one[i] = listOf(rule, tooManyAt)
	case n == 1 && len(a) == 1:
		s.one[i] = oneOf(rule, a[0])
	case n == 1:
		s.one[i] = oneOf(rule, b[0])
	default:
		if at, ok := listAt(old); ok && (old>>48)&0x7fff == uint64(rule+1) && len(a) > 0 {
			if l := s.lists.list(at); len(l) == len(a) && &l[0] == &a[0] && s.lists.extend(at, b) {
				return
			}
		}
		s.one[i] = listOf(rule, s.lists.put(a, b, limit))
	}
	if s.wide != nil && s.one[i] != listOf(rule, largeAt) {
		s.wide.drop(blockID{rule, hash}) // not large (any more): no entries kept
	}
	if at, ok := listAt(old); ok && s.one[i] != old {
		s.lists.drop(at)
		s.compactLists()
	}
}

// compactLists copies the lists in use into new chunks when half of
// the places are waste.
func (s *blockSet) compactLists() {
	if 2*s.lists.waste < s.lists.size() || s.lists.size() < 1<<18 {
		return
	}
	old := s.lists
	s.lists = memberLists{}
	for i, e := range s.one {
		if at, ok := listAt(e); ok {
			ch := old.chunks[at>>chunkBits]
			at &= 1<<chunkBits - 1
			n, c := int(uint32(ch[at])), int(ch[at]>>32)
			s.one[i] = e&^(1<<48-1) | uint64(s.lists.put(ch[at+1:at+1+n], nil, c))
		}
	}
}

func (s *blockSet) add(rule int, hash uint64) { s.addID(blockSetID(rule, hash), blockTag(rule, hash)) }

// empty says whether the set holds block (rule, hash) without knowing a
// member of it: a block a batch added (add) and did not commit. In a
// registry's set, which knows every block's members (reg22), it holds
// none.
func (s *blockSet) empty(rule int, hash uint64) bool { return s.emptyAt(s.findBlock(rule, hash)) }

// emptyAt is empty for the block at slot i (findBlock; -1: not in the
// set).
func (s *blockSet) emptyAt(i int) bool { return i >= 0 && s.one != nil && s.one[i] == 0 }

// slotsKept says whether the slots found when the set had rehashed
// grows times are still their blocks' (no rehash since).
func (s *blockSet) slotsKept(grows int) bool { return s.grows == grows }

// remove takes record seq, whose entry in block (rule, hash) is suffix
// (its sort value, 0, seq: appendBlockKey after the block's prefix), out
// of the block's members as the set knows them (a withdrawal).
func (s *blockSet) remove(rule int, hash, seq uint64, suffix []byte, maxBlock int) error {
	i := s.findBlock(rule, hash)
	if i < 0 || s.one == nil {
		return fmt.Errorf("block %d/%x not in the set of blocks", rule, hash)
	}
	if m, ok := s.single(rule, hash); ok {
		if m != seq {
			return fmt.Errorf("block %d/%x: record %d not among its members", rule, hash, seq)
		}
		s.setCount(rule, hash, nil, nil, 0, maxBlock)
		return nil
	}
	if l, ok := s.listed(rule, hash); ok {
		left := make([]uint64, 0, len(l))
		for _, m := range l {
			if m != seq {
				left = append(left, m)
			}
		}
		if len(left) != len(l)-1 {
			return fmt.Errorf("block %d/%x: record %d not among its members", rule, hash, seq)
		}
		s.setCount(rule, hash, left, nil, len(left), maxBlock)
		return nil
	}
	w := s.wide.get(blockID{rule, hash})
	if !s.large(rule, hash) || w == nil {
		return fmt.Errorf("block %d/%x: its members not known", rule, hash)
	}
	pos := sort.Search(w.len(), func(i int) bool { return bytes.Compare(w.at(i), suffix) >= 0 })
	if pos == w.len() || !bytes.Equal(w.at(pos), suffix) {
		return fmt.Errorf("block %d/%x: record %d not among its entries", rule, hash, seq)
	}
	left := &wideBlock{keys: make([]byte, 0, len(w.keys)-len(suffix)), ends: make([]uint32, 0, w.len()-1)}
	for j := range w.len() {
		if j != pos {
			left.append(w.at(j))
		}
	}
	if windowedAt(maxBlock, left.len()) {
		s.wide.set(blockID{rule, hash}, left)
		return nil
	}
	seqs := make([]uint64, left.len())
	for j := range seqs {
		seqs[j] = left.seq(j)
	}
	s.setCount(rule, hash, seqs, nil, len(seqs), maxBlock) // drops its entries
	return nil
}

// addID adds entry id of tag tag (its one member not known) and returns
// its slot.
func (s *blockSet) addID(id uint64, tag uint8) int {
	if 4*(s.n+1) > 3*len(s.slots) {
		s.grow()
	}
	mask := uint64(len(s.slots) - 1)
	for i := s.slot(id); ; i = (i + 1) & mask {
		switch s.slots[i] {
		case id:
			if s.tags[i] == tag {
				return int(i)
			}
		case 0:
			s.slots[i], s.tags[i] = id, tag
			s.n++
			return int(i)
		}
	}
}

func (s *blockSet) grow() { s.growTo(max(1<<12, 2*len(s.slots))) }

// reserve makes room for n entries more, so that adding them rehashes
// nothing: the slots a batch finds before it adds its blocks (scoreLocal)
// stay theirs to its commit (slotsKept), which then probes for none of
// them again. It grows the set to the size adding the n entries one by
// one would, and says whether it grew (the slots found before are not
// theirs any more).
func (s *blockSet) reserve(n int) bool {
	if n <= 0 {
		return false
	}
	size := max(1<<12, len(s.slots))
	for 4*(s.n+n) > 3*size {
		size *= 2
	}
	if size > len(s.slots) {
		s.growTo(size)
		return true
	}
	return false
}

// growTo rehashes the set into size slots (a power of two).
func (s *blockSet) growTo(size int) {
	s.grows++
	old, oldTags, oldOne := s.slots, s.tags, s.one
	s.slots, s.tags, s.n, s.shift = make([]uint64, size), make([]uint8, size), 0, uint(64-bits.TrailingZeros(uint(size)))
	if s.members {
		s.one = make([]uint64, size)
	}
	for j, id := range old {
		if id != 0 {
			if i := s.addID(id, oldTags[j]); s.one != nil {
				s.one[i] = oldOne[j]
			}
		}
	}
}

// bytes is the memory the set takes.
func (s *blockSet) bytes() int64 {
	if s == nil {
		return 0
	}
	n := len(s.slots) + len(s.one)
	for _, c := range s.lists.chunks {
		n += cap(c)
	}
	if s.wide != nil {
		return 8*int64(n) + int64(len(s.tags)) + s.wide.bytes
	}
	return 8*int64(n) + int64(len(s.tags))
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
// maxBlocks: each rule's max_block, for the members the set keeps
// (setMembers); nil: it keeps none. With ids, then the set of its record
// ids (ids.go), from an iterator over its ids taken at the same time.
//
// A registry's set (maxBlocks not nil) is built from its records ('r'
// keys: readRecordBlockSet), its store keeping no blocking index since
// reg22; a Scorer's from its blocking index.
func (r *Registry) startBlockSet(db *pebble.DB, maxBlocks []int, ids bool) error {
	space := byte(kBlock)
	if maxBlocks != nil {
		space = kRecord
	}
	it, err := db.NewIter(&pebble.IterOptions{LowerBound: []byte{space}, UpperBound: []byte{space + 1}})
	if err != nil {
		return err
	}
	var idIts []*pebble.Iterator
	if ids {
		for _, kind := range idSetKinds {
			idIt, err := db.NewIter(&pebble.IterOptions{LowerBound: []byte{kind}, UpperBound: []byte{kind + 1}})
			if err != nil {
				it.Close()
				for _, x := range idIts {
					x.Close()
				}
				return err
			}
			idIts = append(idIts, idIt)
		}
		r.idSeed, r.idsSince = maphash.MakeSeed(), &blockSet{}
	}
	r.blocksSince, r.blocksDone, r.blocksReady = &blockSet{}, make(chan struct{}), make(chan struct{}) // its slots only are read
	go r.loadBlocks(it, idIts, maxBlocks)
	return nil
}

// listLimit is the most members the set of blocks keeps of a block of a
// rule of max_block maxBlock: a larger block is read as a window around
// each record, from the store.
func listLimit(maxBlock int) int {
	if maxBlock > 0 {
		return min(maxBlock, maxListed)
	}
	return maxListed
}

// loadBlocks builds the set of blocks from it, an iterator over the
// blocking index created when the registry opened (the store as it was
// then), in the background: until it is done, every block is looked up in
// the store, and the blocks batches write meanwhile are kept aside
// (blocksSince) and added to it. Close stops it.
//
// Then, from idIts (none: none), the set of the store's record ids,
// tombstones and valid numbers (ids.go), those batches write meanwhile
// kept aside (idsSince).
//
// Batches and withdrawals wait for the set of blocks (blocksReady), not
// for the set of ids (reg24): until it is built they look every id up.
func (r *Registry) loadBlocks(it *pebble.Iterator, idIts []*pebble.Iterator, maxBlocks []int) {
	defer close(r.blocksDone)
	if it != nil {
		r.loadBlockSet(it, maxBlocks)
	}
	close(r.blocksReady)
	if len(idIts) == 0 {
		return
	}
	if r.blocksStop.Load() {
		for _, x := range idIts {
			x.Close()
		}
		return
	}
	s, err := readIDSet(idIts, r.idSeed, &r.blocksStop)
	if err != nil {
		if !errors.Is(err, errStopped) {
			slog.Warn("registry: the set of record ids was not built; every id is looked up in the store", "err", err)
		}
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for j, id := range r.idsSince.slots {
		if id != 0 {
			s.addID(id, r.idsSince.tags[j])
		}
	}
	r.ids, r.idsSince = s, nil
}

// loadBlockSet is loadBlocks' set of blocks.
func (r *Registry) loadBlockSet(it *pebble.Iterator, maxBlocks []int) {
	start := time.Now()
	var s *blockSet
	var err error
	replayed, savedNext := 0, uint64(0)
	if maxBlocks != nil && r.setFile {
		s, replayed, savedNext = r.loadSavedBlockSet(it, maxBlocks)
	}
	if s != nil {
		if err := it.Close(); err != nil {
			slog.Warn("registry: read records", "err", err)
		}
	} else if maxBlocks != nil {
		s, err = r.readRecordBlockSet(it, &r.blocksStop, maxBlocks)
	} else {
		s, err = readBlockSet(it, &r.blocksStop, maxBlocks)
	}
	if err != nil {
		switch {
		case errors.Is(err, errStopped):
		case maxBlocks != nil:
			slog.Error("registry: the set of blocks was not built from the records; batches and withdrawals fail until the registry is opened again", "err", err)
		default:
			slog.Warn("registry: the set of blocks was not built; every block is looked up in the store", "err", err)
		}
		if maxBlocks != nil {
			r.blocksErr = err
		}
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	// The blocks written since the store was read: their members as
	// read are no longer known.
	for j, id := range r.blocksSince.slots {
		if id != 0 {
			if i := s.addID(id, r.blocksSince.tags[j]); s.one != nil {
				if at, ok := listAt(s.one[i]); ok {
					s.lists.drop(at)
				}
				s.one[i] = 0
			}
		}
	}
	if s.wide != nil {
		s.wide.forget(r.blocksSince)
	}
	r.blocks, r.blocksSince = s, nil
	r.stats.BlockSetLoad = time.Since(start)
	if savedNext > 0 {
		r.saved, r.savedNext = true, savedNext
		r.stats.BlockSetFromFile, r.stats.BlockSetReplayed = true, int64(replayed)
	}
}

var errStopped = errors.New("stopped")

// readBlockSet reads the blocks of the store's blocking index through
// it, in one pass, and closes it; it stops early when stop is set.
// maxBlocks: each rule's max_block, for the members the set keeps (nil:
// none).
func readBlockSet(it *pebble.Iterator, stop *atomic.Bool, maxBlocks []int) (s *blockSet, err error) {
	defer func() {
		if cerr := it.Close(); err == nil && cerr != nil {
			s, err = nil, fmt.Errorf("read blocking index: %w", cerr)
		}
	}()
	s = &blockSet{members: maxBlocks != nil}
	if s.members {
		s.wide = &wideBlocks{m: map[blockID]*wideBlock{}}
	}
	var last [blockPrefixLen]byte
	var members []uint64  // the last block's, up to its limit
	var entries wideBlock // the last block's, all of them, when members are kept
	rule, hash, count, limit := -1, uint64(0), 0, 0
	done := func() {
		switch {
		case rule < 0 || !s.members:
		case rule >= len(maxBlocks):
			s.setMembers(rule, hash, nil, nil, -1)
		default:
			s.setCount(rule, hash, members, nil, count, maxBlocks[rule])
			if windowedAt(maxBlocks[rule], count) {
				s.wide.set(blockID{rule, hash}, &wideBlock{keys: slices.Clone(entries.keys), ends: slices.Clone(entries.ends)})
			}
		}
	}
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
			if count++; count <= limit {
				members = append(members, seqOfBlockKey(k))
			}
			if s.members {
				entries.append(k[blockPrefixLen:])
			}
			continue
		}
		done()
		copy(last[:], k)
		rule, hash, count, limit = int(k[1]), binary.BigEndian.Uint64(k[2:blockPrefixLen]), 1, 0
		if s.members && rule < len(maxBlocks) {
			limit = listLimit(maxBlocks[rule])
		}
		s.add(rule, hash)
		members = append(members[:0], seqOfBlockKey(k))
		entries.keys, entries.ends = entries.keys[:0], entries.ends[:0]
		if s.members {
			entries.append(k[blockPrefixLen:])
		}
	}
	done()
	if err := it.Error(); err != nil {
		return nil, fmt.Errorf("read blocking index: %w", err)
	}
	return s, nil
}

// readRecordBlockSet builds a registry's set of blocks from its records,
// read through it (an iterator over the 'r' keys, closed here): each
// record's blocking keys made from its fields (the KeyMaker, as a batch
// makes them), grouped by block (sortKeyRefs), every block's members
// listed up to its max_block and the entries of a larger one kept in key
// order (wideBlocks). It stops early when stop is set.
//
// The registry's store keeps no blocking index since reg22 (twelve keys a
// record, the most bytes and keys its flushes wrote: issue 9); the set
// answers every look-up of a block and every window, so that it is built
// before a batch or a withdrawal (Add and Withdraw wait for it). Since
// reg24 it is read from the file the registry saved it in (blockset.go)
// when one is there for this store, and only the records after it are
// read here (loadSavedBlockSet).
func (r *Registry) readRecordBlockSet(it *pebble.Iterator, stop *atomic.Bool, maxBlocks []int) (s *blockSet, err error) {
	defer func() {
		if cerr := it.Close(); err == nil && cerr != nil {
			s, err = nil, fmt.Errorf("read records: %w", cerr)
		}
	}()
	e, err := r.readRecordEntries(it, 0, stop)
	if err != nil {
		return nil, err
	}
	s = &blockSet{members: true, wide: &wideBlocks{m: map[blockID]*wideBlock{}}}
	if err := r.mergeEntries(s, e, maxBlocks); err != nil {
		return nil, err
	}
	return s, nil
}

// recordEntries are the block entries of records read from the store
// (readRecordEntries): entry i is block (refs[i].rule, refs[i].hash) of
// record seqs[refs[i].at], whose sort value is sorts[ends[at-1]:ends[at]];
// refs sorted by block, then by record (in the order they were read).
type recordEntries struct {
	refs  []keyRef
	seqs  []uint64
	sorts []byte
	ends  []uint32
	// records read
	records int
}

func (e *recordEntries) sortOf(at int32) []byte {
	lo := uint32(0)
	if at > 0 {
		lo = e.ends[at-1]
	}
	return e.sorts[lo:e.ends[at]]
}

// readRecordEntries reads the records through it from sequence from on
// (it is not closed) and makes their blocking keys.
func (r *Registry) readRecordEntries(it *pebble.Iterator, from uint64, stop *atomic.Bool) (*recordEntries, error) {
	e := &recordEntries{}
	const chunk = 4096
	blobs := make([]*recordBlob, 0, chunk)
	chunkSeqs := make([]uint64, 0, chunk)
	var keys []matching.RowKey
	flush := func() error {
		if len(blobs) == 0 {
			return nil
		}
		f := matching.NewFrame(r.s)
		if err := r.addAllToFrame(f, blobs); err != nil {
			return err
		}
		for i, seq := range chunkSeqs {
			keys = r.km.Keys(f, i, keys[:0])
			for _, rk := range keys {
				if len(e.refs) >= math.MaxInt32 {
					return errors.New("more block entries than the set can build")
				}
				e.refs = append(e.refs, keyRef{rk.Hash, int32(rk.Rule), int32(len(e.refs))})
				e.seqs = append(e.seqs, seq)
				e.sorts = append(e.sorts, rk.Sort...)
				e.ends = append(e.ends, uint32(len(e.sorts)))
			}
		}
		blobs, chunkSeqs = blobs[:0], chunkSeqs[:0]
		return nil
	}
	n := 0
	for ok := it.SeekGE(seqKey(kRecord, from)); ok; ok = it.Next() {
		if n++; n%65536 == 0 && stop.Load() {
			return nil, errStopped
		}
		k := it.Key()
		if len(k) != 1+seqLen {
			return nil, fmt.Errorf("read records: key of %d bytes", len(k))
		}
		b, err := decodeBlob(it.Value(), len(r.fields), len(r.confs))
		if err != nil {
			return nil, fmt.Errorf("read records: record %d: %w", getSeq(k[1:]), err)
		}
		blobs, chunkSeqs = append(blobs, b), append(chunkSeqs, getSeq(k[1:]))
		if len(blobs) == chunk {
			if err := flush(); err != nil {
				return nil, err
			}
		}
	}
	if err := it.Error(); err != nil {
		return nil, fmt.Errorf("read records: %w", err)
	}
	if err := flush(); err != nil {
		return nil, err
	}
	if len(e.sorts) > math.MaxUint32 {
		return nil, errors.New("more block entries than the set can build")
	}
	if stop.Load() {
		return nil, errStopped
	}
	e.records = n
	e.refs = sortKeyRefs(e.refs)
	return e, nil
}

// mergeEntries adds the entries e, of records later than every member s
// knows, to the blocks of s: appended to a block's list, inserted in key
// order among a large block's entries, and, for a block they take past
// its max_block, its earlier members' entries read from their records
// (entriesOf). Into an empty set, it builds the set of e's records.
func (r *Registry) mergeEntries(s *blockSet, e *recordEntries, maxBlocks []int) error {
	var members []uint64
	var entries [][]byte
	for lo := 0; lo < len(e.refs); {
		hi := lo + 1
		for hi < len(e.refs) && e.refs[hi].rule == e.refs[lo].rule && e.refs[hi].hash == e.refs[lo].hash {
			hi++
		}
		rule, hash := int(e.refs[lo].rule), e.refs[lo].hash
		if rule >= len(maxBlocks) {
			return fmt.Errorf("read records: a key of rule %d, of %d rules", rule, len(maxBlocks))
		}
		mb := maxBlocks[rule]
		members = members[:0]
		for _, x := range e.refs[lo:hi] {
			members = append(members, e.seqs[x.at]) // in the order of the records
		}
		entries = entries[:0]
		newEntries := func() {
			for _, x := range e.refs[lo:hi] {
				entries = append(entries, appendSeq(append(slices.Clip(e.sortOf(x.at)), 0), e.seqs[x.at]))
			}
		}
		id := blockID{rule, hash}
		// What s knows of the block before these records.
		var old []uint64
		switch i := s.findBlock(rule, hash); {
		case i < 0 || s.one[i] == 0:
		case s.one[i] == listOf(rule, tooManyAt):
			s.setCount(rule, hash, nil, nil, maxListed+1, mb) // more still
			lo = hi
			continue
		case s.large(rule, hash):
			w := s.wide.get(id)
			if w == nil {
				return fmt.Errorf("block %d/%x: larger than its max_block, its entries not known", rule, hash)
			}
			for j := range w.len() {
				entries = append(entries, w.at(j))
			}
			newEntries()
			s.wide.set(id, wideOf(entries))
			lo = hi
			continue
		default:
			if m, ok := s.single(rule, hash); ok {
				old = []uint64{m}
			} else if l, ok := s.listed(rule, hash); ok {
				old = l
			} else {
				return fmt.Errorf("block %d/%x: its members not known to the set of blocks", rule, hash)
			}
		}
		n := len(old) + len(members)
		if !windowedAt(mb, n) {
			s.setCount(rule, hash, old, members, n, mb)
			lo = hi
			continue
		}
		if len(old) > 0 {
			var err error
			if entries, err = r.entriesOf(rule, hash, old, entries); err != nil {
				return err
			}
		}
		newEntries()
		s.setCount(rule, hash, nil, nil, n, mb)
		s.wide.set(id, wideOf(entries))
		lo = hi
	}
	return nil
}

// wideOf is a block's entries, entries sorted in key order (sorted here).
func wideOf(entries [][]byte) *wideBlock {
	slices.SortFunc(entries, bytes.Compare)
	n := 0
	for _, x := range entries {
		n += len(x)
	}
	w := &wideBlock{keys: make([]byte, 0, n), ends: make([]uint32, 0, len(entries))}
	for _, x := range entries {
		w.append(x)
	}
	return w
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
