package registry

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/rand"
	"slices"
	"testing"

	"github.com/cockroachdb/pebble"
	"github.com/cockroachdb/pebble/vfs"
	"github.com/dancu-vn/dancu/matching"
)

// A window read from a large block's entries kept in memory (wideBlock,
// with the batch's earlier entries beside them) names the members a
// window read from the store through the batch names (members: a SeekGE
// and a SeekLT around the record's entry), and merged keeps the entries
// in key order: blocks of random sort values, many of them equal, and
// batches of 0 to 5 entries, against a store holding the same.
func TestWideWindow(t *testing.T) {
	rng := rand.New(rand.NewSource(5))
	db, err := pebble.Open("", &pebble.Options{FS: vfs.NewMem(), Comparer: comparer})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sorts := []string{"", "1970", "1970-01", "1970-01-02", "1985-11-30", "an", "anh", "b"}
	seq := uint64(0)
	entry := func(hash uint64) matching.RowKey {
		return matching.RowKey{Rule: 2, Hash: hash, Sort: sorts[rng.Intn(len(sorts))]}
	}
	for round := range 300 {
		hash := uint64(round)
		// The block's committed entries: in the store and kept.
		var kept wideBlock
		var keys [][]byte
		for range 1 + rng.Intn(40) {
			seq++
			keys = append(keys, blockKey(entry(hash), seq))
		}
		slices.SortFunc(keys, bytes.Compare)
		wb := db.NewIndexedBatch()
		for _, k := range keys {
			kept.append(k[blockPrefixLen:])
			wb.Set(k, nil, nil)
		}
		if err := wb.Commit(nil); err != nil {
			t.Fatal(err)
		}
		// This batch's earlier entries, in wb only, and the record's.
		wb = db.NewIndexedBatch()
		var batch [][]byte
		for range rng.Intn(6) {
			seq++
			k := blockKey(entry(hash), seq)
			batch = append(batch, k)
			wb.Set(k, nil, nil)
		}
		seq++
		rk := entry(hash)
		me := blockKey(rk, seq)[blockPrefixLen:]
		side := 1 + rng.Intn(4)
		var want, got []uint64
		var wit *pebble.Iterator
		if err := storeWindow(wb, &wit, rk, seq, side, func(m uint64) { want = append(want, m) }); err != nil {
			t.Fatal(err)
		}
		wit.Close()
		wb.Close()
		kept.window(me, side, batch, func(m uint64) { got = append(got, m) })
		slices.Sort(want)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Fatalf("round %d (%d entries, %d of the batch, side %d): window %v, the store's %v", round, kept.len(), len(batch), side, got, want)
		}
		// The batch merged in: the entries of the store once committed.
		add := make([][]byte, len(batch))
		for i, k := range batch {
			add[i] = k[blockPrefixLen:]
		}
		slices.SortFunc(add, bytes.Compare)
		all := slices.Clone(keys)
		all = append(all, batch...)
		slices.SortFunc(all, bytes.Compare)
		m := kept.merged(add)
		if m.len() != len(all) {
			t.Fatalf("round %d: %d entries merged, want %d", round, m.len(), len(all))
		}
		for i, k := range all {
			if !bytes.Equal(m.at(i), k[blockPrefixLen:]) {
				t.Fatalf("round %d: entry %d %q, want %q", round, i, m.at(i), k[blockPrefixLen:])
			}
		}
	}
}

// BenchmarkWindow: a window of a large block (200 entries among 200,000
// of 1,000 blocks, flushed to tables and some in the memtable), read from
// the store through a batch (members' storeWindow) and from the entries
// kept in memory (wideBlock.window), two of the batch's entries beside.
func BenchmarkWindow(b *testing.B) {
	db, err := pebble.Open("", &pebble.Options{FS: vfs.NewMem(), Comparer: comparer})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	rng := rand.New(rand.NewSource(1))
	date := func() string { return fmt.Sprintf("19%02d-%02d-%02d", rng.Intn(100), 1+rng.Intn(12), 1+rng.Intn(28)) }
	seq := uint64(0)
	kept := map[uint64]*wideBlock{}
	var keys [][]byte
	for part := range 5 {
		wb := db.NewBatch()
		for range 40000 {
			seq++
			k := blockKey(matching.RowKey{Rule: 2, Hash: uint64(rng.Intn(1000)), Sort: date()}, seq)
			keys = append(keys, k)
			wb.Set(k, nil, nil)
		}
		if err := wb.Commit(nil); err != nil {
			b.Fatal(err)
		}
		if part < 4 {
			if err := db.Flush(); err != nil {
				b.Fatal(err)
			}
		}
	}
	slices.SortFunc(keys, bytes.Compare)
	for _, k := range keys {
		h := binary.BigEndian.Uint64(k[2:blockPrefixLen])
		if kept[h] == nil {
			kept[h] = &wideBlock{}
		}
		kept[h].append(k[blockPrefixLen:])
	}
	wb := db.NewIndexedBatch()
	defer wb.Close()
	var batch [][]byte
	for range 2 {
		seq++
		k := blockKey(matching.RowKey{Rule: 2, Hash: 7, Sort: date()}, seq)
		batch = append(batch, k)
		wb.Set(k, nil, nil)
	}
	rks := make([]matching.RowKey, 1024)
	for i := range rks {
		rks[i] = matching.RowKey{Rule: 2, Hash: 7, Sort: date()}
	}
	n := 0
	fn := func(uint64) { n++ }
	b.Run("store", func(b *testing.B) {
		var wit *pebble.Iterator
		for i := 0; b.Loop(); i++ {
			if err := storeWindow(wb, &wit, rks[i%len(rks)], seq+1, 3, fn); err != nil {
				b.Fatal(err)
			}
		}
		wit.Close()
	})
	b.Run("kept", func(b *testing.B) {
		var me []byte
		for i := 0; b.Loop(); i++ {
			rk := rks[i%len(rks)]
			me = appendSeq(append(append(me[:0], rk.Sort...), 0), seq+1)
			kept[7].window(me, 3, batch, fn)
		}
	})
}

// storeWindow is what the registry read before reg22 (its store then
// kept a blocking index): the side entries of block rk at or after record
// seq's entry and the side before it, read through wb, the reference the
// windows kept in memory are checked against.
func storeWindow(wb *pebble.Batch, wit **pebble.Iterator, rk matching.RowKey, seq uint64, side int, fn func(uint64)) error {
	prefix := blockPrefix(rk.Rule, rk.Hash)
	opts := &pebble.IterOptions{LowerBound: prefix, UpperBound: prefixEnd(prefix)}
	if *wit == nil {
		it, err := wb.NewIter(opts)
		if err != nil {
			return err
		}
		*wit = it
	} else {
		(*wit).SetOptions(opts)
	}
	it := *wit
	me := blockKey(rk, seq)
	k := 0
	for ok := it.SeekGE(me); ok && k < side; ok = it.Next() {
		fn(seqOfBlockKey(it.Key()))
		k++
	}
	k = 0
	for ok := it.SeekLT(me); ok && k < side; ok = it.Prev() {
		fn(seqOfBlockKey(it.Key()))
		k++
	}
	return it.Error()
}
