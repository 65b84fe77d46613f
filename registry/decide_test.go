package registry_test

import (
	"context"
	"testing"

	"github.com/dancu-vn/dancu/registry"
	"github.com/dancu-vn/dancu/schemas"
)

// Police decisions split and join persons, with events citing them; the
// same decision again changes nothing.
func TestDecisions(t *testing.T) {
	reg := openVietnamese(t)
	ctx := context.Background()
	a := schemas.Record{RecordID: "f1/2", FullName: "Nguyễn Thị Thu Hà", BirthDate: "1990-03-15", BirthYear: 1990, Sex: "F",
		IDNumber: "001190012345", PermProvinceCode: "01", PermCommuneCode: "00004"}
	b := a
	b.RecordID, b.FullName = "f2/7", "NGUYEN THI THU HA"
	// c is not linked by the model (another name and date) but no guard
	// keeps it from a (same sex, birth year within two).
	c := schemas.Record{RecordID: "f2/8", FullName: "Lê Thị Mai", BirthDate: "1991-07-02", BirthYear: 1991, Sex: "F"}
	out, err := reg.AddRecords(ctx, registry.NewRecords(), []schemas.Record{a, b, c})
	if err != nil {
		t.Fatal(err)
	}
	person := map[string]string{}
	apply := func(o *registry.Output) {
		for _, l := range o.Links {
			person[l.RecordID] = l.PersonID
		}
	}
	apply(out)
	pa, pc := registry.PersonID(a.RecordID), registry.PersonID(c.RecordID)
	if person[a.RecordID] != pa || person[b.RecordID] != pa || person[c.RecordID] != pc {
		t.Fatalf("before decisions: %v", person)
	}

	split, err := reg.Decide(ctx, schemas.Decision{DecisionID: "d1", RecordIDs: []string{a.RecordID, b.RecordID}, Decision: schemas.DecisionDifferentPersons})
	if err != nil {
		t.Fatal(err)
	}
	apply(split)
	if person[a.RecordID] != pa || person[b.RecordID] != registry.PersonID(b.RecordID) {
		t.Errorf("after different_persons: a in %s (want %s, the founding record's), b in %s", person[a.RecordID], pa, person[b.RecordID])
	}
	if len(split.Events) != 1 || split.Events[0].Kind != schemas.PersonSplit || split.Events[0].PersonID != pa || split.Events[0].Reason != "decision:d1" {
		t.Errorf("split events %+v", split.Events)
	}

	join, err := reg.Decide(ctx, schemas.Decision{DecisionID: "d2", RecordIDs: []string{c.RecordID, a.RecordID}, Decision: schemas.DecisionSamePerson})
	if err != nil {
		t.Fatal(err)
	}
	apply(join)
	if person[c.RecordID] != pa || person[a.RecordID] != pa {
		t.Errorf("after same_person: a in %s, c in %s, want both in the older %s", person[a.RecordID], person[c.RecordID], pa)
	}
	merged := false
	for _, ev := range join.Events {
		merged = merged || (ev.Kind == schemas.PersonMerge && ev.PersonID == pa && len(ev.Others) == 1 && ev.Others[0] == pc && ev.Reason == "decision:d2")
	}
	retired := false
	for _, p := range join.Persons {
		retired = retired || (p.PersonID == pc && p.MergedInto == pa)
	}
	if !merged || !retired {
		t.Errorf("same_person: events %+v, persons %+v", join.Events, join.Persons)
	}

	again, err := reg.Decide(ctx, schemas.Decision{DecisionID: "d2", RecordIDs: []string{c.RecordID, a.RecordID}, Decision: schemas.DecisionSamePerson})
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Persons)+len(again.Links)+len(again.Events) != 0 {
		t.Errorf("the same decision again changed %+v", again)
	}
	if _, err := reg.Decide(ctx, schemas.Decision{DecisionID: "d3", RecordIDs: []string{a.RecordID, "nowhere/1"}, Decision: schemas.DecisionSamePerson}); err == nil {
		t.Error("a decision on an unknown record was accepted")
	}
}

// Two files that reuse the same local record codes link as two sets of
// records (identity is the canonical record id: file hash + sheet + row),
// and the same row delivered again is one record.
func TestRecordsOfTwoFilesSharingCodes(t *testing.T) {
	reg := openVietnamese(t)
	a := schemas.Record{RecordID: schemas.RecordID("hash-of-file-1", "", 2), SourceRecordID: "NK1", FullName: "Nguyễn Thị Thu Hà",
		BirthDate: "1990-03-15", BirthYear: 1990, Sex: "F", PermProvinceCode: "01", PermCommuneCode: "00004"}
	b := schemas.Record{RecordID: schemas.RecordID("hash-of-file-2", "", 2), SourceRecordID: "NK1", FullName: "Lê Văn Tám",
		BirthDate: "1971-01-02", BirthYear: 1971, Sex: "M"}
	ctx := context.Background()
	ad := registry.NewRecords()
	if _, err := reg.AddRecords(ctx, ad, []schemas.Record{a}); err != nil {
		t.Fatal(err)
	}
	out, err := reg.AddRecords(ctx, ad, []schemas.Record{b, a})
	if err != nil {
		t.Fatal(err)
	}
	if reg.Len() != 2 {
		t.Errorf("registry holds %d records, want 2 (a once, b)", reg.Len())
	}
	linked := map[string]string{}
	for _, l := range out.Links {
		linked[l.RecordID] = l.PersonID
	}
	if linked[b.RecordID] == "" || linked[b.RecordID] == linked[a.RecordID] {
		t.Errorf("the second file's row: links %v", linked)
	}
}
