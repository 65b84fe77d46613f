package registry

import (
	"context"
	"testing"
	"time"

	"github.com/cockroachdb/pebble"

	"github.com/dancu-vn/dancu/matching/vietnamese"
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
	s, err := vietnamese.Trained()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 5, 10, 0, 0, 0, 0, time.UTC)
	r, err := Open(Config{Dir: t.TempDir(), Settings: s, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	ad := NewRecords()
	ctx := context.Background()
	rec := func(id, name, dob, number string) schemas.Record {
		return schemas.Record{RecordID: id, SchemaVersion: schemas.Version, SourceKind: schemas.KindCSV, FullName: name, BirthDate: dob,
			BirthYear: uint16(dob[0]-'0')*1000 + uint16(dob[1]-'0')*100 + uint16(dob[2]-'0')*10 + uint16(dob[3]-'0'), Sex: "F",
			IDNumber: number, PermProvinceCode: "40", PermDistrictCode: "412", PermCommuneCode: "16681", PermNewProvinceCode: "40",
			PermNewCommuneCode: "16681", SourceDate: now}
	}
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
	// persons' rows by batch.
	it, err := r.db.NewIter(&pebble.IterOptions{LowerBound: []byte{kCoverage}, UpperBound: []byte{kCoverage + 1}})
	if err != nil {
		t.Fatal(err)
	}
	wb := r.db.NewBatch()
	n := 0
	for ok := it.First(); ok; ok = it.Next() {
		c, err := decodeCoverage(it.Value())
		if err != nil {
			t.Fatal(err)
		}
		if coverageBatch(it.Value()) == "" {
			t.Fatalf("state of %s names no batch under 0016's code", it.Key()[1:])
		}
		wb.Set(append([]byte(nil), it.Key()...), encodeCoverage(c), nil)
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
	v, closer, err := r.db.Get(coverageKey(pb))
	if err != nil {
		t.Fatalf("state of %q: %v", pb, err)
	}
	if coverageBatch(v) != ch.PersonDeltaSums[0].Batch {
		t.Errorf("b's new state names batch %q, want %q", coverageBatch(v), ch.PersonDeltaSums[0].Batch)
	}
	closer.Close()
	// b delivered again now: the rows of the batch its state names, again.
	again, err = r.AddRecords(ctx, ad, []schemas.Record{b1})
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Deltas) != 0 || len(again.PersonDeltaSums) != len(ch.PersonDeltaSums) || again.PersonDeltaSums[0].Batch != ch.PersonDeltaSums[0].Batch {
		t.Errorf("b delivered again: %d per-person deltas, %d summed rows; want none and the %d rows of the batch that changed it", len(again.Deltas), len(again.PersonDeltaSums), len(ch.PersonDeltaSums))
	}
}
