package registry

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/cockroachdb/pebble"

	"github.com/dancu-vn/dancu/schemas"
)

// A store written before round 11 (each person's coverage state under a
// key of its own, kCoverage, and its value the guard summary alone, a
// retired person's deleted) is migrated when it opens: afterwards its
// persons' values are byte for byte those a store written by round 11's
// code throughout holds, no kCoverage key is left, and the same batches
// (new records with merges, and records delivered again) give the same
// outputs, coverage rows included. A store of a newer format is refused.
func TestPersonValuesBeforeRound11(t *testing.T) {
	recs := synthRecords(t, 1000, 11, 3)
	s, open := trainedOpener(t)
	curDir, oldDir := t.TempDir(), t.TempDir()
	cur, old := open(curDir), open(oldDir)
	defer func() { cur.Close(); old.Close() }()
	ad := NewRecords()
	retired := 0
	person := map[string]string{} // record id → person
	both := func(step string, f func(r *Registry) (*Output, error)) {
		t.Helper()
		a := sameOutputs(t, step, "the migrated store", cur, old, f)
		for _, p := range a.Persons {
			if p.MergedInto != "" {
				retired++
			}
		}
		for _, l := range a.Links {
			person[l.RecordID] = l.PersonID
		}
	}
	add := func(step string, batch []schemas.Record) {
		t.Helper()
		both(step, func(r *Registry) (*Output, error) { return r.AddRecords(context.Background(), ad, batch) })
	}
	// Merges by police decisions (the records' own merges are rare in
	// this population): a person retired, its state kept.
	decide := func(step string, d schemas.Decision) {
		t.Helper()
		both(step, func(r *Registry) (*Output, error) { return r.Decide(context.Background(), d) })
	}
	const n = 50
	half := len(recs) / 2
	for i := 0; i < half; i += n {
		add("first half", recs[i:min(i+n, half)])
	}
	for i := 0; i+1 < half && i < 200; i += 20 {
		a, b := recs[i].RecordID, recs[i+1].RecordID
		if person[a] != person[b] {
			decide("same person", schemas.Decision{DecisionID: "d" + a, RecordIDs: []string{a, b}, Decision: schemas.DecisionSamePerson})
		}
	}
	persons := map[string]bool{}
	for _, p := range person {
		persons[p] = true
	}
	t.Logf("%d records, %d persons, %d retired in the first half", len(recs), len(persons), retired)
	if retired == 0 {
		t.Fatal("no person retired in the first half: the migration of a retired person's state is not tested")
	}

	// old's store as the registry before round 11 left it, then a restart.
	values := func(r *Registry) map[string][]byte {
		out := map[string][]byte{}
		it, err := r.db.NewIter(&pebble.IterOptions{LowerBound: []byte{kGuards}, UpperBound: []byte{kGuards + 1}})
		if err != nil {
			t.Fatal(err)
		}
		for ok := it.First(); ok; ok = it.Next() {
			out[string(it.Key())] = bytes.Clone(it.Value())
		}
		it.Close()
		return out
	}
	want := values(cur)
	wb := old.db.NewBatch()
	states, summaries := 0, 0
	for k, v := range values(old) {
		st, g, err := splitPersonValue(v)
		if err != nil {
			t.Fatal(err)
		}
		if len(st) > 0 {
			wb.Set(coverageKey(k[1:]), st, nil)
			states++
		}
		if len(g) > 0 {
			wb.Set([]byte(k), g, nil)
			summaries++
		} else {
			wb.Delete([]byte(k), nil)
		}
	}
	wb.Delete(metaKey("format"), nil)
	if err := wb.Commit(pebble.Sync); err != nil {
		t.Fatal(err)
	}
	if states <= summaries {
		t.Fatalf("%d states, %d summaries: want more states (the retired persons')", states, summaries)
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}
	old = open(oldDir)
	got := values(old)
	if len(got) != len(want) {
		t.Fatalf("migrated: %d persons' values, want %d", len(got), len(want))
	}
	for k, v := range want {
		if !bytes.Equal(got[k], v) {
			t.Fatalf("migrated: person %s's value %x, want %x", k[1:], got[k], v)
		}
	}
	it, err := old.db.NewIter(&pebble.IterOptions{LowerBound: []byte{kCoverage}, UpperBound: []byte{kCoverage + 1}})
	if err != nil {
		t.Fatal(err)
	}
	if it.First() {
		t.Errorf("migrated: state key %q left", it.Key())
	}
	it.Close()

	for i := half; i < len(recs); i += n {
		add("second half", recs[i:min(i+n, len(recs))])
	}
	for i := 0; i < 3*n; i += n {
		add("delivered again", recs[i:i+n])
	}

	// A store of a format this code does not know is refused.
	if err := old.db.Set(metaKey("format"), []byte(newerFormat()), pebble.Sync); err != nil {
		t.Fatal(err)
	}
	old.Close()
	if r, err := Open(Config{Dir: oldDir, Settings: s}); err == nil || !strings.Contains(err.Error(), "newer") {
		if err == nil {
			r.Close()
		}
		t.Errorf("a store of format %s opened (%v), want it refused", newerFormat(), err)
	}
	old, _ = Open(Config{Dir: t.TempDir(), Settings: s}) // for the deferred Close
}
