package registry

import (
	"bytes"
	"context"
	"encoding/binary"
	"math"
	"slices"
	"testing"

	"github.com/dancu-vn/dancu/matching/vietnamese"
	"github.com/dancu-vn/dancu/schemas"
)

// storedEdges reads record x's committed edges from the store, in key
// order.
func storedEdges(t *testing.T, r *Registry, x uint64) []adjEdge {
	t.Helper()
	it, err := r.db.NewIter(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer it.Close()
	prefix := appendSeq([]byte{kAdj}, x)
	var out []adjEdge
	for ok := it.SeekGE(prefix); ok && bytes.HasPrefix(it.Key(), prefix); ok = it.Next() {
		out = append(out, adjEdge{getSeq(it.Key()[1+seqLen:]), math.Float32frombits(binary.BigEndian.Uint32(it.Value()))})
	}
	return out
}

// sameAsStore checks that every list the cache knows is the store's, and
// returns how many records it knows.
func sameAsStore(t *testing.T, r *Registry, when string) int {
	t.Helper()
	known := 0
	for x := uint64(0); x < r.next; x++ {
		got, ok := r.adj.get(x)
		if !ok {
			continue
		}
		known++
		if want := storedEdges(t, r, x); !slices.Equal(got, want) {
			t.Fatalf("%s: record %d's edges in the cache %v, in the store %v", when, x, got, want)
		}
	}
	return known
}

// TestEdgeCacheFollowsTheStore adds a generated population in batches,
// with a decision (a must-link: an edge written by Decide) and a
// withdrawal (edges deleted) between them, and checks after each that
// every record's edges the cache holds are the store's, and that Add's
// persons are those of a registry that reads every edge from the store.
// It fails when Decide or Withdraw leave the cache as it was, or the
// commit appends a batch's edges wrongly.
func TestEdgeCacheFollowsTheStore(t *testing.T) {
	ctx := context.Background()
	s, err := vietnamese.Trained()
	if err != nil {
		t.Fatal(err)
	}
	_, recs := trainedWithGenerated(t)
	open := func() *Registry {
		r, err := Open(Config{Dir: t.TempDir(), Settings: s})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { r.Close() })
		return r
	}
	r, plain := open(), open()
	plain.adj = nil // every edge from the store
	ad := NewRecords()
	both := func(what string, fn func(*Registry) (*Output, error)) {
		t.Helper()
		got, err := fn(r)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		want, err := fn(plain)
		if err != nil {
			t.Fatalf("%s (no cache): %v", what, err)
		}
		if g, w := outputDigest(t, got), outputDigest(t, want); g != w {
			t.Fatalf("%s: output %s with the cache, %s without", what, g, w)
		}
	}
	add := func(lo, hi int) {
		t.Helper()
		both("add", func(x *Registry) (*Output, error) { return x.AddRecords(ctx, ad, recs[lo:hi]) })
	}
	third := len(recs) / 3
	for lo := 0; lo < third; lo += 100 {
		add(lo, min(lo+100, third))
	}
	if k := sameAsStore(t, r, "after the first batches"); k != int(r.next) {
		t.Fatalf("the cache knows %d of the %d records a process added", k, r.next)
	}
	if r.adj.edges == 0 {
		t.Fatal("no edge in the cache")
	}
	// A must-link between two records of different persons, both known
	// to the cache: Decide writes their edge.
	a, b := recs[0].RecordID, recs[third-1].RecordID
	both("decide", func(x *Registry) (*Output, error) {
		return x.Decide(ctx, schemas.Decision{DecisionID: "d1", RecordIDs: []string{a, b}, Decision: schemas.DecisionSamePerson})
	})
	add(third, 2*third)
	if k := sameAsStore(t, r, "after a decision and a batch"); k == 0 {
		t.Fatal("the cache knows no record after a decision and a batch")
	}
	both("withdraw", func(x *Registry) (*Output, error) {
		return x.Withdraw(ctx, schemas.Withdrawal{WithdrawalID: "w1", Batch: "b1", RecordIDs: []string{recs[5].RecordID, recs[third+3].RecordID}})
	})
	for lo := 2 * third; lo < len(recs); lo += 100 {
		add(lo, min(lo+100, len(recs)))
	}
	if k := sameAsStore(t, r, "after a withdrawal and batches"); k == 0 {
		t.Fatal("the cache knows no record after a withdrawal and batches")
	}
}
