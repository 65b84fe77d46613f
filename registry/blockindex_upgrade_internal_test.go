package registry

import (
	"context"
	"testing"

	"github.com/cockroachdb/pebble"

	"github.com/dancu-vn/dancu/matching"
	"github.com/dancu-vn/dancu/schemas"
)

// A store of format 5 (cov18), which kept a blocking index ('b' keys:
// twelve a record), opened by this dancu (reg22): the index is deleted,
// the store marked as of format 6, and the set of blocks built from the
// records gives the outputs of a registry that never had the index —
// batches, records delivered again, a withdrawal, a restart.
func TestBlockIndexOfFormat5Dropped(t *testing.T) {
	recs := synthRecords(t, 500, 11, 17)
	ad := NewRecords()
	_, open := trainedOpener(t)
	curDir, oldDir := t.TempDir(), t.TempDir()
	cur, old := open(curDir), open(oldDir)
	defer func() { cur.Close(); old.Close() }()
	ctx := context.Background()
	add := func(step string, batch []schemas.Record) {
		t.Helper()
		sameOutputs(t, step, "a store of format 5 opened", cur, old, func(r *Registry) (*Output, error) { return r.AddRecords(ctx, ad, batch) })
	}
	const n = 50
	half := len(recs) / 2
	for i := 0; i < half; i += n {
		add("first half", recs[i:min(i+n, half)])
	}
	// old's store as format 5 left it: its records' block entries, as
	// that format's batches wrote them (appendBlockKey).
	f := matching.NewFrame(old.s)
	it, err := old.db.NewIter(&pebble.IterOptions{LowerBound: []byte{kRecord}, UpperBound: []byte{kRecord + 1}})
	if err != nil {
		t.Fatal(err)
	}
	wb := old.db.NewBatch()
	entries := 0
	for ok := it.First(); ok; ok = it.Next() {
		b, err := decodeBlob(it.Value(), len(old.fields), len(old.confs))
		if err != nil {
			t.Fatal(err)
		}
		if err := old.addToFrame(f, b); err != nil {
			t.Fatal(err)
		}
		for _, rk := range old.km.Keys(f, f.Len()-1, nil) {
			wb.Set(blockKey(rk, getSeq(it.Key()[1:])), nil, nil)
			entries++
		}
	}
	if err := it.Close(); err != nil {
		t.Fatal(err)
	}
	wb.Set(metaKey("format"), []byte(formatCov18), nil)
	if err := wb.Commit(pebble.Sync); err != nil {
		t.Fatal(err)
	}
	if entries < 8*half {
		t.Fatalf("%d block entries written for %d records", entries, half)
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}
	old = open(oldDir)
	if v, _, err := getClone(old.db, metaKey("format")); err != nil || string(v) != storeFormat {
		t.Fatalf("format 5's store opened: format %q (%v), want %q", v, err, storeFormat)
	}
	left := 0
	it, err = old.db.NewIter(&pebble.IterOptions{LowerBound: []byte{kBlock}, UpperBound: []byte{kBlock + 1}})
	if err != nil {
		t.Fatal(err)
	}
	for ok := it.First(); ok; ok = it.Next() {
		left++
	}
	if err := it.Close(); err != nil {
		t.Fatal(err)
	}
	if left != 0 {
		t.Fatalf("format 5's store opened: %d of its %d block entries left", left, entries)
	}
	t.Logf("format 5's store opened: its %d block entries deleted", entries)
	for i := half; i < len(recs); i += n {
		add("second half", recs[i:min(i+n, len(recs))])
	}
	add("delivered again", recs[half-n:half+n])
	ids := []string{recs[3].RecordID, recs[half+4].RecordID}
	w := schemas.Withdrawal{WithdrawalID: "w1", Batch: "b1", RecordIDs: ids}
	sameOutputs(t, "withdrawn", "a store of format 5 opened", cur, old, func(r *Registry) (*Output, error) { return r.Withdraw(ctx, w) })
	for _, r := range []**Registry{&cur, &old} {
		if err := (*r).Close(); err != nil {
			t.Fatal(err)
		}
	}
	cur, old = open(curDir), open(oldDir)
	add("restarted, delivered again", recs[:2*n])
}
