package registry

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"math"
	"math/rand"
	"slices"
	"testing"

	"github.com/cockroachdb/pebble"
	"github.com/cockroachdb/pebble/vfs"
)

// TestCommitSortedMerges: commitSorted writes wb's writes, the block
// entries (extra) and the batch's edges, all three given apart, as one
// store holding each key with its value, whatever way their keys
// interleave; edges out of key order are refused.
func TestCommitSortedMerges(t *testing.T) {
	db, err := pebble.Open("", &pebble.Options{FS: vfs.NewMem(), Comparer: comparer})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rng := rand.New(rand.NewSource(3))
	want := map[string]string{}
	wb := db.NewIndexedBatch()
	for i := 0; i < 3000; i++ {
		// Keys of every kind around the edges' and the blocks': 'L',
		// 'b' (a window's entry written to wb), 'c', 'p', 'r'.
		kind := []byte{kLast, kBlock, kConflict, kPerson, kRecord}[rng.Intn(5)]
		k := appendSeq([]byte{kind}, rng.Uint64()%1e6)
		v := []byte{byte(i)}
		wb.Set(k, v, nil)
		want[string(k)] = string(v)
	}
	var extra [][]byte
	for i := 0; i < 2000; i++ {
		k := appendSeq(binary.BigEndian.AppendUint64([]byte{kBlock, byte(rng.Intn(13))}, rng.Uint64()), rng.Uint64()%1e6)
		if _, ok := want[string(k)]; ok {
			continue
		}
		extra = append(extra, k)
		want[string(k)] = ""
	}
	slices.SortFunc(extra, bytes.Compare)
	var edges []edge
	for i := 0; i < 2000; i++ {
		a, b := rng.Uint64()%1e6, rng.Uint64()%1e6
		w := float32(rng.NormFloat64() * 10)
		edges = append(edges, edge{a, b, w}, edge{b, a, w})
	}
	slices.SortFunc(edges, func(x, y edge) int {
		if x.a != y.a {
			return cmp.Compare(x.a, y.a)
		}
		return cmp.Compare(x.b, y.b)
	})
	edges = slices.CompactFunc(edges, func(x, y edge) bool { return x.a == y.a && x.b == y.b })
	for _, e := range edges {
		want[string(adjKey(e.a, e.b))] = string(f32(e.w))
	}
	if err := commitSorted(db, wb, extra, edges, pebble.NoSync); err != nil {
		t.Fatal(err)
	}
	it, err := db.NewIter(nil)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for ok := it.First(); ok; ok = it.Next() {
		got[string(it.Key())] = string(it.Value())
	}
	it.Close()
	if len(got) != len(want) {
		t.Fatalf("%d keys in the store, want %d", len(got), len(want))
	}
	for k, v := range want {
		if got[k] != v {
			t.Fatalf("key %x: value %x, want %x", k, got[k], v)
		}
	}
	if w := math.Float32frombits(binary.BigEndian.Uint32([]byte(got[string(adjKey(edges[0].a, edges[0].b))]))); w != edges[0].w {
		t.Errorf("edge weight %v, want %v", w, edges[0].w)
	}
	wb2 := db.NewIndexedBatch()
	defer wb2.Close()
	back := []edge{{5, 6, 1}, {5, 4, 1}}
	if err := commitSorted(db, wb2, nil, back, pebble.NoSync); err == nil {
		t.Error("edges out of key order committed without an error")
	}
}
