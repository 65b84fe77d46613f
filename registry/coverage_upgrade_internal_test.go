package registry

import (
	"context"
	"encoding/binary"
	"slices"
	"testing"
	"time"

	"github.com/cockroachdb/pebble"

	"github.com/dancu-vn/dancu/schemas"
)

// A store left by the registry of migration 0015 (persons' states that
// name no batch, no persons' rows kept by batch) keeps counting right
// under the code of 0016: a person delivered again comes one by one with
// OldKnown = 0 (the load stage compares it with person_state), not with
// rows of a batch the store does not have; a person that then changes
// comes in the summed rows, its old state read from the store; and a
// person row emitted after that names its batch.
func TestCoverageStatesFrom0015(t *testing.T) {
	now := time.Date(2026, 5, 10, 0, 0, 0, 0, time.UTC)
	r := openAt(t, now)
	ad := NewRecords()
	ctx := context.Background()
	rec := func(id, name, dob, number string) schemas.Record { return vnRecord(now, id, name, dob, number) }
	a1 := rec("ra1", "Nguyễn Thị Thu Hà", "1985-03-15", "040185012345")
	a2 := rec("ra2", "NGUYEN THI THU HA", "1985-03-15", "040185012345")
	b1 := rec("rb1", "Trần Văn Bình", "1972-11-02", "")
	out, err := r.AddRecords(ctx, ad, []schemas.Record{a1, a2, b1})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.PersonDeltaSums) == 0 || len(out.Deltas) != 0 {
		t.Fatalf("first batch: %d summed rows, %d per-person deltas; want some and none", len(out.PersonDeltaSums), len(out.Deltas))
	}
	// As the registry of 0015 left its store: states without a batch, no
	// persons' rows by batch (in the persons' values since round 11).
	derived := map[string][]byte{}
	for _, p := range out.Persons {
		derived[p.PersonID] = encodeCoverageKeyed(schemas.CoverageOf(p), out.PersonDeltaSums[0].Batch)
	}
	it, err := r.db.NewIter(&pebble.IterOptions{LowerBound: []byte{kGuards}, UpperBound: []byte{kGuards + 1}})
	if err != nil {
		t.Fatal(err)
	}
	wb := r.db.NewBatch()
	n := 0
	for ok := it.First(); ok; ok = it.Next() {
		st, g, err := splitPersonValue(it.Value())
		if err != nil {
			t.Fatal(err)
		}
		if isDerivedPerson(st) { // since cov18: what its records give, and its batch's
			st = derived[string(it.Key()[1:])]
		}
		c, err := decodeCoverage(st)
		if err != nil {
			t.Fatal(err)
		}
		if coverageBatch(st) == "" {
			t.Fatalf("state of %s names no batch under 0016's code", it.Key()[1:])
		}
		wb.Set(append([]byte(nil), it.Key()...), appendPersonValue(nil, encodeCoverage(c), g), nil)
		n++
	}
	it.Close()
	wb.DeleteRange([]byte{kPersonDeltas}, []byte{kPersonDeltas + 1}, nil)
	if err := wb.Commit(pebble.Sync); err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Fatalf("%d persons' states, want 2", n)
	}

	// a1 delivered again: its person comes one by one, for person_state.
	again, err := r.AddRecords(ctx, ad, []schemas.Record{a1})
	if err != nil {
		t.Fatal(err)
	}
	if len(again.PersonDeltaSums) != 0 || len(again.Deltas) != 1 || again.Deltas[0].OldKnown != 0 || again.Deltas[0].Living != 1 {
		t.Fatalf("redelivery: %d summed rows and per-person deltas %+v; want none and one with OldKnown = 0", len(again.PersonDeltaSums), again.Deltas)
	}

	// b gains a 12-digit number: a change from the state kept by 0015,
	// summed; its new state names this batch.
	b2 := rec("rb2", "Trần Văn Bình", "1972-11-02", "040072098765")
	ch, err := r.AddRecords(ctx, ad, []schemas.Record{b2})
	if err != nil {
		t.Fatal(err)
	}
	if len(ch.Deltas) != 0 || len(ch.PersonDeltaSums) == 0 {
		t.Fatalf("a number for b: %d per-person deltas, %d summed rows; want none and some", len(ch.Deltas), len(ch.PersonDeltaSums))
	}
	var with, without int
	for _, d := range ch.PersonDeltaSums {
		with += int(d.AddedWithID) - int(d.RemovedWithID)
		without += int(d.Added) - int(d.Removed)
	}
	if with != 1 || without != 0 {
		t.Errorf("a number for b: %+d with a number, %+d persons; want +1 and 0 (moved within its unit)", with, without)
	}
	var pb string
	for _, l := range ch.Links {
		if l.RecordID == "rb2" {
			pb = l.PersonID
		}
	}
	v, _, ok, err := getPersonValue(r.db, pb)
	if err != nil || !ok {
		t.Fatalf("state of %q: %v, %v", pb, ok, err)
	}
	if coverageBatch(v) != ch.PersonDeltaSums[0].Batch {
		t.Errorf("b's new state names batch %q, want %q", coverageBatch(v), ch.PersonDeltaSums[0].Batch)
	}
	// b delivered again now: the rows of the batch its state names, again.
	again, err = r.AddRecords(ctx, ad, []schemas.Record{b1})
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Deltas) != 0 || len(again.PersonDeltaSums) != len(ch.PersonDeltaSums) || again.PersonDeltaSums[0].Batch != ch.PersonDeltaSums[0].Batch {
		t.Errorf("b delivered again: %d per-person deltas, %d summed rows; want none and the %d rows of the batch that changed it", len(again.Deltas), len(again.PersonDeltaSums), len(ch.PersonDeltaSums))
	}
}

// A store written before round 7, which kept each record's coverage state
// under a key of its own (kRecordCoverage + id) and only the sequence in
// the id's value, keeps counting right after a restart under round 7's
// code, which keeps the state in the id's value: the same batches give
// the same records' rows as in a store written by round 7's code
// throughout (a record loaded again, a corrected address, the corrected
// record loaded again), and a state that changes moves into the id's
// value.
func TestRecordStatesBeforeRound7(t *testing.T) {
	now := coverageNow
	_, open := trainedOpener(t)
	oldDir, newDir := t.TempDir(), t.TempDir()
	old, cur := open(oldDir), open(newDir)
	defer func() { old.Close(); cur.Close() }()
	ad := NewRecords()
	ctx := context.Background()
	rec := func(id, name, dob, commune string) schemas.Record {
		return schemas.Record{RecordID: id, SchemaVersion: schemas.Version, SourceKind: schemas.KindCSV, FullName: name, BirthDate: dob,
			Sex: "F", PermProvinceCode: "40", PermDistrictCode: "412", PermCommuneCode: commune, PermNewProvinceCode: "40",
			PermNewCommuneCode: commune, SourceDate: now}
	}
	a := rec("ra", "Nguyễn Thị Thu Hà", "1985-03-15", "16681")
	b := rec("rb", "Trần Thị Bình", "1972-11-02", "16681")
	c := rec("rc", "Lê Thị Mai", "1990-01-20", "16684")
	add := func(step string, recs ...schemas.Record) []schemas.RecordDelta {
		t.Helper()
		o, err := old.AddRecords(ctx, ad, recs)
		if err != nil {
			t.Fatalf("%s, store from before round 7: %v", step, err)
		}
		n, err := cur.AddRecords(ctx, ad, recs)
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		if !slices.Equal(o.RecordDeltas, n.RecordDeltas) {
			t.Fatalf("%s: records' rows\n%+v\nfrom a store written before round 7, want\n%+v", step, o.RecordDeltas, n.RecordDeltas)
		}
		return n.RecordDeltas
	}
	first := add("first batch", a, b, c)
	if len(first) != 2 {
		t.Fatalf("first batch: %d rows, want 2 (two communes)", len(first))
	}

	// The store as the registry before round 7 left it, then a restart.
	it, err := old.db.NewIter(&pebble.IterOptions{LowerBound: []byte{kID}, UpperBound: []byte{kID + 1}})
	if err != nil {
		t.Fatal(err)
	}
	wb := old.db.NewBatch()
	n := 0
	kept, seqs := map[string][]byte{}, map[string]uint64{}
	for ok := it.First(); ok; ok = it.Next() {
		seq, state, err := parseIDValue(it.Value())
		if err != nil || len(state) == 0 {
			t.Fatalf("id %s: state %x, %v; want one", it.Key()[1:], state, err)
		}
		kept[string(it.Key()[1:])], seqs[string(it.Key()[1:])] = slices.Clone(state), seq
		n++
	}
	it.Close()
	// Whole states, as a store before round 12 kept them.
	if err := old.expandRecordStates(old.db, kept, seqs); err != nil {
		t.Fatal(err)
	}
	for id, state := range kept {
		wb.Set(recordCoverageKey(id), state, nil)
		wb.Set(idKey(id), binary.AppendUvarint(nil, seqs[id]), nil)
	}
	if err := wb.Commit(pebble.Sync); err != nil {
		t.Fatal(err)
	}
	if n != 3 {
		t.Fatalf("%d ids, want 3", n)
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}
	old = open(oldDir)

	again := add("a loaded again", a)
	if !slices.Equal(again, first) {
		t.Errorf("a loaded again: %+v, want the first batch's rows again", again)
	}
	b.PermCommuneCode, b.PermNewCommuneCode = "16684", "16684"
	moved := add("b's address corrected", b)
	var net int
	for _, d := range moved {
		if d.Batch != first[0].Batch {
			net += int(d.Added) - int(d.Removed)
			if d.CommuneCode == "16681" && d.Removed != 1 || d.CommuneCode == "16684" && d.Added != 1 {
				t.Errorf("b's address corrected: row %+v, want −1 in 16681 and +1 in 16684", d)
			}
		}
	}
	if net != 0 || len(moved) != 2+len(first) {
		t.Errorf("b's address corrected: %+v; want −1 and +1, then the first batch's rows", moved)
	}
	// b's state moved into its id's value.
	v, closer, err := old.db.Get(idKey("rb"))
	if err != nil {
		t.Fatal(err)
	}
	_, state, _ := parseIDValue(v)
	if st, _, err := decodeRecordCoverage(state); err != nil || st.CommuneCode != "16684" {
		t.Errorf("b's id value holds state %+v (%v), want commune 16684", st, err)
	}
	closer.Close()
	if _, closer, err := old.db.Get(recordCoverageKey("rb")); err == nil {
		closer.Close()
		t.Error("b's state is still kept under its own key")
	}
	add("b loaded again", b)
}
