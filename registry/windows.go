package registry

import (
	"bytes"
	"fmt"
	"slices"
	"sort"

	"github.com/dancu-vn/dancu/matching"
)

// wideBlocks holds, in memory, the entries of the blocks larger than
// their rule's max_block (those the set of blocks marks large), in key
// order, so that the window around a new record (members: its sideWindow
// neighbours on each side by sort value) is a binary search, not a
// SeekGE and a SeekLT of the store through the batch. Read from the
// store, each window cost a search of the indexed batch, the memtables,
// every level-0 table and the levels below: 18 µs a record at a million
// records, a tenth of the registry's CPU (reg15, round 13).
//
// A block's entries are the suffixes of its keys after the block's
// prefix (sort value, 0, sequence: appendBlockKey), one after the other
// in one array without pointers. The set keeps them beside its entries
// (blockSet.wide): built with it from the store (readBlockSet), dropped
// with its members for the blocks written while it was built
// (loadBlocks), and after each commit extended with the batch's entries
// of each large block, or read whole from the store for a block that has
// just become large (updateWide).
type wideBlocks struct {
	m     map[blockID]*wideBlock
	bytes int64 // the entries' arrays
}

// wideBlock is a block's entries in key order: entry i is
// keys[ends[i-1]:ends[i]] (from 0 for the first).
type wideBlock struct {
	keys []byte
	ends []uint32
}

func (b *wideBlock) len() int { return len(b.ends) }

// at is entry i's suffix.
func (b *wideBlock) at(i int) []byte {
	start := uint32(0)
	if i > 0 {
		start = b.ends[i-1]
	}
	return b.keys[start:b.ends[i]]
}

func (b *wideBlock) seq(i int) uint64 { return getSeq(b.keys[b.ends[i]-seqLen : b.ends[i]]) }

func (b *wideBlock) size() int64 { return int64(cap(b.keys) + 4*cap(b.ends)) }

// append adds suffix k after the entries (which must come before it).
func (b *wideBlock) append(k []byte) {
	b.keys = append(b.keys, k...)
	b.ends = append(b.ends, uint32(len(b.keys)))
}

// get returns the entries of block id, nil when not kept.
func (w *wideBlocks) get(id blockID) *wideBlock {
	if w == nil {
		return nil
	}
	return w.m[id]
}

// set keeps b as block id's entries.
func (w *wideBlocks) set(id blockID, b *wideBlock) {
	if old := w.m[id]; old != nil {
		w.bytes -= old.size()
	}
	w.m[id] = b
	w.bytes += b.size()
}

// drop forgets block id's entries.
func (w *wideBlocks) drop(id blockID) {
	if b := w.m[id]; b != nil {
		delete(w.m, id)
		w.bytes -= b.size()
	}
}

// forget drops the blocks the set since holds (written while the store was
// read for the set of blocks: their entries as read are not all).
func (w *wideBlocks) forget(since *blockSet) {
	for id := range w.m {
		if since.has(id.rule, id.hash) {
			w.drop(id)
		}
	}
}

// merged is b with the suffixes add (sorted, none among b's) merged in.
func (b *wideBlock) merged(add [][]byte) *wideBlock {
	n := len(b.keys)
	for _, k := range add {
		n += len(k)
	}
	out := &wideBlock{keys: make([]byte, 0, n), ends: make([]uint32, 0, len(b.ends)+len(add))}
	i := 0
	for _, k := range add {
		for ; i < b.len() && bytes.Compare(b.at(i), k) < 0; i++ {
			out.append(b.at(i))
		}
		out.append(k)
	}
	for ; i < b.len(); i++ {
		out.append(b.at(i))
	}
	return out
}

// window calls fn with the side entries on each side of the suffix me
// (the first side at or after it, the last side before it) among the
// block's entries and batch, the full keys of this batch's earlier
// members of the block (not among the entries): what members reads
// from the store through the batch.
func (b *wideBlock) window(me []byte, side int, batch [][]byte, fn func(uint64)) {
	pos := sort.Search(b.len(), func(i int) bool { return bytes.Compare(b.at(i), me) >= 0 })
	if len(batch) == 0 {
		for i := pos; i < min(pos+side, b.len()); i++ {
			fn(b.seq(i))
		}
		for i := pos - 1; i >= max(0, pos-side); i-- {
			fn(b.seq(i))
		}
		return
	}
	var after, before [][]byte
	for _, k := range batch {
		if k = k[blockPrefixLen:]; bytes.Compare(k, me) >= 0 {
			after = append(after, k)
		} else {
			before = append(before, k)
		}
	}
	slices.SortFunc(after, bytes.Compare)
	slices.SortFunc(before, func(x, y []byte) int { return bytes.Compare(y, x) })
	// Forward: the smaller of the next entry and the next of after.
	for i, j, k := pos, 0, 0; k < side && (i < b.len() || j < len(after)); k++ {
		if j == len(after) || i < b.len() && bytes.Compare(b.at(i), after[j]) < 0 {
			fn(b.seq(i))
			i++
		} else {
			fn(getSeq(after[j][len(after[j])-seqLen:]))
			j++
		}
	}
	// Backward: the larger of the entry before and the next of before.
	for i, j, k := pos-1, 0, 0; k < side && (i >= 0 || j < len(before)); k++ {
		if j == len(before) || i >= 0 && bytes.Compare(b.at(i), before[j]) > 0 {
			fn(b.seq(i))
			i--
		} else {
			fn(getSeq(before[j][len(before[j])-seqLen:]))
			j++
		}
	}
}

// updateWide brings the kept entries of the large blocks the batch wrote
// (r.written) up to date once it is committed: the batch's entries
// merged into those kept when the batch read its windows there, or into
// those built for a block the batch took past its max_block (from the
// frame, frameWide, or from its members' records, storedWide). Since the
// store keeps no blocking index (reg22) there is nothing else to read
// them from: a block without them is an error, and the set of blocks is
// then built again from the records (Add).
func (r *Registry) updateWide() error {
	if r.blocks == nil || r.blocks.wide == nil {
		return nil
	}
	w := r.blocks.wide
	var add [][]byte
	for _, wb := range r.written {
		if !windowedAt(r.maxBlock[wb.rule], wb.n) {
			continue
		}
		id := blockID{wb.rule, wb.hash}
		b := wb.wide
		if b == nil || w.get(id) != b && !wb.fresh {
			return fmt.Errorf("block %d/%x: larger than its max_block, its entries not known", wb.rule, wb.hash)
		}
		add = add[:0]
		for _, k := range wb.keys {
			add = append(add, k[blockPrefixLen:])
		}
		slices.SortFunc(add, bytes.Compare)
		w.set(id, b.merged(add))
	}
	return nil
}

// storedWide is frameWide for a block whose committed members are not
// all in the scoring frame: their records read from the store and their
// blocking keys of b's rule made again. Before reg22 the block's windows
// were then read from the store's blocking index, which it no longer
// keeps.
func (r *Registry) storedWide(b *batchBlock) (*wideBlock, error) {
	rule := b.id.rule
	if r.blocks == nil || r.blocks.wide == nil || b.large || len(b.committed) > r.maxBlock[rule] {
		return nil, fmt.Errorf("block %d/%x: its members not known", rule, b.id.hash)
	}
	entries, err := r.entriesOf(rule, b.id.hash, b.committed, nil)
	if err != nil {
		return nil, err
	}
	r.stats.WideFromStore++
	return wideOf(entries), nil
}

// entriesOf appends to entries the entries of members seqs of block
// (rule, hash) (their sort value, 0, sequence: appendBlockKey after the
// block's prefix), made from their records read from the store.
func (r *Registry) entriesOf(rule int, hash uint64, members []uint64, entries [][]byte) ([][]byte, error) {
	seqs := slices.Sorted(slices.Values(members))
	blobs := make([]*recordBlob, len(seqs))
	if err := r.readBlobs(r.db, seqs, func(i int, rb *recordBlob) error {
		blobs[i] = rb
		return nil
	}); err != nil {
		return nil, err
	}
	f := matching.NewFrame(r.s)
	if err := r.addAllToFrame(f, blobs); err != nil {
		return nil, err
	}
	for i, m := range seqs {
		k, ok := r.km.Key(f, i, rule)
		if !ok || k.Hash != hash {
			return nil, fmt.Errorf("block %d/%x: record %d is not in it", rule, hash, m)
		}
		entries = append(entries, appendSeq(append(append(make([]byte, 0, len(k.Sort)+1+seqLen), k.Sort...), 0), m))
	}
	return entries, nil
}

// useFrameWide: frameWide builds entries (tests turn it off, to compare
// with the store's windows).
var useFrameWide = true

// frameWide builds the entries of block b, which the batch takes past
// its max_block, from its committed members' rows in the scoring frame f
// (each member's blocking key of b's rule: its sort value), as the store
// holds them: its windows in the batch are then read in memory, and its
// entries kept after the commit without reading the block from the store
// (updateWide). Before, those windows were read from the store through
// the batch and the block read whole after the commit: 1.3 s of the
// registry's samples over the last 400,000 of a million records (reg17).
// nil when the set keeps no entries, b's committed members are not all
// known (more than its max_block: readBlocks stops there; large: none
// read) or not all in f, or a member's key is not b's (then the store
// is read, as before).
func (r *Registry) frameWide(f *matching.Frame, b *batchBlock) *wideBlock {
	rule := b.id.rule
	if !useFrameWide || r.blocks == nil || r.blocks.wide == nil || b.large || len(b.committed) > r.maxBlock[rule] {
		return nil
	}
	entries := make([][]byte, 0, len(b.committed))
	for _, m := range b.committed {
		row, ok := r.cacheRow[m]
		if !ok {
			return nil
		}
		k, ok := r.km.Key(f, int(row), rule)
		if !ok || k.Hash != b.id.hash {
			return nil
		}
		entries = append(entries, appendSeq(append(append(make([]byte, 0, len(k.Sort)+1+seqLen), k.Sort...), 0), m))
	}
	slices.SortFunc(entries, bytes.Compare)
	w := &wideBlock{}
	for _, e := range entries {
		w.append(e)
	}
	r.stats.WideFromFrame++
	return w
}
