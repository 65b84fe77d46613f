package registry

import (
	"context"
	"testing"

	"github.com/cockroachdb/pebble"

	"github.com/dancu-vn/dancu/schemas"
)

// Persons' states derived from their records (cov18) give the outputs
// whole states give (a registry with wholePersons, as before cov18):
// batches of new records that merge with earlier persons, records
// delivered again (their persons' rows and the rows of the batches that
// last changed them emitted again), corrections, police decisions,
// withdrawals (a person losing records, one losing all), a restart and a
// store of format 4 opened as 5. Derived states are most persons' after
// the first batches, and a person touched again keeps a whole one.
func TestPersonStatesDerived(t *testing.T) {
	recs := synthRecords(t, 600, 7, 13)
	ad := NewRecords()
	_, open := trainedOpener(t)
	curDir, wholeDir := t.TempDir(), t.TempDir()
	cur, whole := open(curDir), open(wholeDir)
	whole.wholePersons = true
	defer func() { cur.Close(); whole.Close() }()
	ctx := context.Background()
	both := func(step string, f func(r *Registry) (*Output, error)) *Output {
		t.Helper()
		return sameOutputs(t, step, "whole persons' states", cur, whole, f)
	}
	add := func(step string, batch []schemas.Record) *Output {
		t.Helper()
		out := both(step, func(r *Registry) (*Output, error) { return r.AddRecords(ctx, ad, batch) })
		return out
	}
	// counts returns the persons whose values in r hold a derived state
	// and how many hold a state at all.
	counts := func(r *Registry) (derived map[string]bool, states int) {
		t.Helper()
		it, err := r.db.NewIter(&pebble.IterOptions{LowerBound: []byte{kGuards}, UpperBound: []byte{kGuards + 1}})
		if err != nil {
			t.Fatal(err)
		}
		defer it.Close()
		derived = map[string]bool{}
		for ok := it.First(); ok; ok = it.Next() {
			st, _, err := splitPersonValue(it.Value())
			if err != nil {
				t.Fatal(err)
			}
			if isDerivedPerson(st) {
				derived[string(it.Key()[1:])] = true
			}
			if len(st) > 0 {
				states++
			}
		}
		return derived, states
	}
	check := func(step string, atLeast int) map[string]bool {
		t.Helper()
		d, n := counts(cur)
		if wd, _ := counts(whole); len(wd) != 0 {
			t.Fatalf("%s: %d derived states in the store of whole ones", step, len(wd))
		}
		if len(d) < atLeast || len(d) == n {
			t.Fatalf("%s: %d of %d persons' states derived, want at least %d and not all", step, len(d), n, atLeast)
		}
		t.Logf("%s: %d of %d persons' states derived", step, len(d), n)
		return d
	}

	const n = 40
	half := len(recs) / 2
	for i := 0; i < half; i += n {
		add("first half", recs[i:min(i+n, half)])
	}
	d0 := check("first half", half/4)
	// Delivered again: the persons' rows, and the batches' rows that
	// last changed them, again.
	if out := add("delivered again", recs[:2*n]); len(out.PersonDeltaSums) == 0 {
		t.Fatal("delivered again: no persons' rows emitted again")
	}
	// Delivered again with new records in the same batch.
	add("delivered again with new ones", recs[2*n:half+n])
	// Corrections and police decisions over persons of derived states.
	fixed := append([]schemas.Record(nil), recs[10:30]...)
	for i := range fixed {
		r := &fixed[i]
		switch i % 3 {
		case 0:
			r.PermCommuneCode, r.PermNewCommuneCode = r.PermCommuneCode+"9", r.PermNewCommuneCode+"9"
		case 1:
			r.IDNumber, r.CMND = "", "123456789"
		}
	}
	add("corrected", fixed)
	for i := 100; i+1 < half && i < 200; i += 20 {
		a, b := recs[i].RecordID, recs[i+1].RecordID
		both("same person", func(r *Registry) (*Output, error) {
			return r.Decide(ctx, schemas.Decision{DecisionID: "d" + a, RecordIDs: []string{a, b}, Decision: schemas.DecisionSamePerson})
		})
	}
	// Withdrawals: records of persons still of derived states, one person
	// losing one record, others all theirs.
	for i, ids := range [][]string{{recs[half-5].RecordID}, {recs[half-9].RecordID, recs[half-10].RecordID, recs[half-11].RecordID}} {
		w := schemas.Withdrawal{WithdrawalID: "w" + ids[0], Batch: "b" + ids[0], RecordIDs: ids}
		both("withdrawn", func(r *Registry) (*Output, error) { return r.Withdraw(ctx, w) })
		if i == 0 {
			add("withdrawn, delivered again", recs[half-20:half])
		}
	}
	d1 := check("touched again", 1)
	rewritten := 0
	for pid := range d0 {
		if !d1[pid] {
			rewritten++
		}
	}
	if rewritten == 0 {
		t.Fatal("touched again: every person derived after the first half still is, want some written whole")
	}
	t.Logf("touched again: %d of the first half's derived states written whole", rewritten)

	// A restart; then cur's store as format 4 left it (all persons'
	// states whole: whole's), opened as 5.
	for _, r := range []**Registry{&cur, &whole} {
		if err := (*r).Close(); err != nil {
			t.Fatal(err)
		}
	}
	cur, whole = open(curDir), open(wholeDir)
	whole.wholePersons = true
	add("restarted", recs[half:half+n])
	if err := whole.db.Set(metaKey("format"), []byte(formatRound14), pebble.Sync); err != nil {
		t.Fatal(err)
	}
	whole.Close()
	whole = open(wholeDir)
	if v, _, err := getClone(whole.db, metaKey("format")); err != nil || string(v) != storeFormat {
		t.Fatalf("format 4's store opened: format %q (%v), want %q", v, err, storeFormat)
	}
	whole.wholePersons = true
	for i := half + n; i < len(recs); i += n {
		add("second half", recs[i:min(i+n, len(recs))])
	}
	add("first half's delivered again", recs[n:3*n])
	add("second half's delivered again", recs[half:half+2*n])
	check("second half", half/4)
}
