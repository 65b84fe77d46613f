package registry_test

import (
	"context"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/matching/vietnamese"
	"github.com/dancu-vn/dancu/registry"
	"github.com/dancu-vn/dancu/schemas"
)

// Police decisions split and join persons, with events citing them; the
// same decision again changes nothing.
func TestDecisions(t *testing.T) {
	reg := openVietnamese(t)
	ctx := context.Background()
	a, b := twoRecordsOfOnePerson()
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

// twoRecordsOfOnePerson returns two records the model links: one name
// written two ways, the same birth date and number.
func twoRecordsOfOnePerson() (a, b schemas.Record) {
	a = schemas.Record{RecordID: "f1/2", FullName: "Nguyễn Thị Thu Hà", BirthDate: "1990-03-15", BirthYear: 1990, Sex: "F",
		IDNumber: "001190012345", PermProvinceCode: "01", PermCommuneCode: "00004"}
	b = a
	b.RecordID, b.FullName = "f2/7", "NGUYEN THI THU HA"
	return a, b
}

// persons follows where each record is, from the outputs applied in
// order.
type persons struct {
	t  *testing.T
	of map[string]string
}

func (p persons) apply(o *registry.Output, err error) *registry.Output {
	p.t.Helper()
	if err != nil {
		p.t.Fatal(err)
	}
	for _, l := range o.Links {
		p.of[l.RecordID] = l.PersonID
	}
	return o
}

// A different_persons decision on a shared_id conflict between person A
// (two records: an xlsx and a csv row of Trần Tiên) and person B keeps
// A's two records together and B apart: the groups are the persons, not
// the records, and no conflict of three persons is raised.
func TestDifferentPersonsSplitsPersonsNotRecords(t *testing.T) {
	reg := openVietnamese(t)
	ctx := context.Background()
	a1 := schemas.Record{RecordID: "xlsx/2", FullName: "Trần Tiên", BirthDate: "1985-04-10", BirthYear: 1985, Sex: "M",
		IDNumber: "001085012345", PermProvinceCode: "01", PermCommuneCode: "00004"}
	a2 := a1
	a2.RecordID, a2.FullName = "csv/5", "TRAN TIEN"
	// b carries A's number but is a woman born twenty years earlier: the
	// guards keep her apart, and the number is shared.
	b := schemas.Record{RecordID: "csv/9", FullName: "Trần Thị Tiên", BirthDate: "1963-01-20", BirthYear: 1963, Sex: "F",
		IDNumber: "001085012345", PermProvinceCode: "01", PermCommuneCode: "00004"}
	p := persons{t: t, of: map[string]string{}}
	out := p.apply(reg.AddRecords(ctx, registry.NewRecords(), []schemas.Record{a1, a2, b}))
	pa, pb := registry.PersonID(a1.RecordID), registry.PersonID(b.RecordID)
	if p.of[a1.RecordID] != pa || p.of[a2.RecordID] != pa || p.of[b.RecordID] != pb {
		t.Fatalf("before the decision: %v (want A = %s twice, B = %s)", p.of, pa, pb)
	}
	var shared *schemas.Conflict
	for i, c := range out.Conflicts {
		if c.Kind == schemas.ConflictSharedID {
			shared = &out.Conflicts[i]
		}
	}
	if shared == nil || len(shared.PersonIDs) != 2 {
		t.Fatalf("no shared_id conflict between A and B: %+v", out.Conflicts)
	}
	d := schemas.Decision{DecisionID: "d1", ConflictID: shared.ConflictID, PersonIDs: shared.PersonIDs, RecordIDs: shared.RecordIDs,
		Decision: schemas.DecisionDifferentPersons}
	split := p.apply(reg.Decide(ctx, d))
	if p.of[a1.RecordID] != pa || p.of[a2.RecordID] != pa || p.of[b.RecordID] != pb {
		t.Errorf("after different_persons: %v (want A's two records in %s, B in %s)", p.of, pa, pb)
	}
	if len(split.Events) != 0 {
		t.Errorf("the decision split or merged a person: %+v", split.Events)
	}
	for _, c := range split.Conflicts {
		if len(c.PersonIDs) > 2 {
			t.Errorf("a conflict of %d persons raised: %s %v", len(c.PersonIDs), c.Kind, c.PersonIDs)
		}
	}
}

// A different_persons ruling holds: a third record matching both sides,
// arriving after it and after a restart, joins one side only; a later
// same_person on the same records overrides it; the ruling delivered
// again changes nothing.
func TestDifferentPersonsHolds(t *testing.T) {
	s, err := vietnamese.Trained()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	reg, err := registry.Open(registry.Config{Dir: dir, Settings: s})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	a, b := twoRecordsOfOnePerson()
	p := persons{t: t, of: map[string]string{}}
	p.apply(reg.AddRecords(ctx, registry.NewRecords(), []schemas.Record{a, b}))
	apart := schemas.Decision{DecisionID: "d1", RecordIDs: []string{a.RecordID, b.RecordID}, Decision: schemas.DecisionDifferentPersons}
	p.apply(reg.Decide(ctx, apart))
	if p.of[a.RecordID] == p.of[b.RecordID] {
		t.Fatalf("different_persons left %v", p.of)
	}
	if err := reg.Close(); err != nil {
		t.Fatal(err)
	}
	if reg, err = registry.Open(registry.Config{Dir: dir, Settings: s}); err != nil {
		t.Fatal(err)
	}
	defer func() { reg.Close() }()

	c := a
	c.RecordID, c.FullName = "f3/1", "Nguyễn Thị Thu Hà"
	p.apply(reg.AddRecords(ctx, registry.NewRecords(), []schemas.Record{c}))
	if p.of[a.RecordID] == p.of[b.RecordID] || (p.of[c.RecordID] != p.of[a.RecordID] && p.of[c.RecordID] != p.of[b.RecordID]) {
		t.Errorf("a third record after the ruling and a restart: %v (want a and b apart, c with one of them)", p.of)
	}

	p.apply(reg.Decide(ctx, schemas.Decision{DecisionID: "d2", RecordIDs: []string{b.RecordID, a.RecordID}, Decision: schemas.DecisionSamePerson}))
	if p.of[a.RecordID] != p.of[b.RecordID] || p.of[c.RecordID] != p.of[a.RecordID] {
		t.Errorf("a later same_person: %v (want one person)", p.of)
	}
	again, err := reg.Decide(ctx, apart)
	if err != nil {
		t.Fatal(err)
	}
	p.apply(again, nil)
	if len(again.Persons)+len(again.Links)+len(again.Events) != 0 || p.of[a.RecordID] != p.of[b.RecordID] {
		t.Errorf("the first ruling delivered again changed %+v", again)
	}
	// And the latest ruling wins the other way too.
	p.apply(reg.Decide(ctx, schemas.Decision{DecisionID: "d3", RecordIDs: []string{a.RecordID, b.RecordID}, Decision: schemas.DecisionDifferentPersons}))
	if p.of[a.RecordID] == p.of[b.RecordID] {
		t.Errorf("different_persons after same_person: %v", p.of)
	}
}

// different_persons on three records of one person that nothing tells
// apart is refused, saying why, and changes nothing: the person is not
// cut into single records.
func TestDifferentPersonsInsideOnePersonNeedsGroups(t *testing.T) {
	reg, p, a, b, c := threeRecordsOfOnePerson(t)
	ctx := context.Background()
	_, err := reg.Decide(ctx, schemas.Decision{DecisionID: "d1", RecordIDs: []string{a.RecordID, b.RecordID, c.RecordID}, Decision: schemas.DecisionDifferentPersons})
	if err == nil || !strings.Contains(err.Error(), "all of one person") {
		t.Fatalf("want a refusal naming the one person, got %v", err)
	}
	// Refused, not applied: the same id later, on two records, applies.
	out := p.apply(reg.Decide(ctx, schemas.Decision{DecisionID: "d1", RecordIDs: []string{a.RecordID, b.RecordID}, Decision: schemas.DecisionDifferentPersons}))
	if len(out.Events) == 0 || p.of[a.RecordID] == p.of[b.RecordID] {
		t.Errorf("after the refusal, the decision on two records: %v, events %+v", p.of, out.Events)
	}
}

// A different_persons ruling with the reviewer's groups keeps exactly
// those groups apart: three records of one person (which apartGroups
// refuses) become the two persons the reviewer said, a group's records
// staying together; and the groups, not the persons, decide on records
// of two persons.
func TestDifferentPersonsReviewersGroups(t *testing.T) {
	reg, p, a, b, c := threeRecordsOfOnePerson(t)
	ctx := context.Background()
	ids := []string{a.RecordID, b.RecordID, c.RecordID}
	p.apply(reg.Decide(ctx, schemas.Decision{DecisionID: "d1", RecordIDs: ids, Decision: schemas.DecisionDifferentPersons,
		Groups: [][]string{{c.RecordID, a.RecordID}, {b.RecordID}}}))
	if p.of[a.RecordID] != p.of[c.RecordID] || p.of[a.RecordID] == p.of[b.RecordID] {
		t.Fatalf("groups {a, c} {b}: %v (want a and c together, b apart)", p.of)
	}
	// Now two persons, {a, c} and {b}: a second grouping across them
	// takes c from a's person, and leaves b apart from both.
	p.apply(reg.Decide(ctx, schemas.Decision{DecisionID: "d2", RecordIDs: ids, Decision: schemas.DecisionDifferentPersons,
		Groups: [][]string{{a.RecordID}, {b.RecordID}, {c.RecordID}}}))
	if p.of[a.RecordID] == p.of[c.RecordID] || p.of[a.RecordID] == p.of[b.RecordID] || p.of[b.RecordID] == p.of[c.RecordID] {
		t.Errorf("groups {a} {b} {c}: %v (want three persons)", p.of)
	}
}

// A grouping that is not one of the decision's records into two groups
// or more is refused, saying why, and changes nothing (the same id
// later, with valid groups, applies).
func TestDifferentPersonsInvalidGroupsRefused(t *testing.T) {
	reg, p, a, b, c := threeRecordsOfOnePerson(t)
	ctx := context.Background()
	ids := []string{a.RecordID, b.RecordID, c.RecordID}
	for _, bad := range []struct {
		decision string
		groups   [][]string
		want     string
	}{
		{schemas.DecisionDifferentPersons, [][]string{ids}, "two groups or more"},
		{schemas.DecisionDifferentPersons, [][]string{{a.RecordID, b.RecordID}}, "two groups or more"},
		{schemas.DecisionDifferentPersons, [][]string{{a.RecordID}, {b.RecordID}}, "in no group: " + c.RecordID},
		{schemas.DecisionDifferentPersons, [][]string{{a.RecordID, b.RecordID}, {b.RecordID, c.RecordID}}, "more than one group"},
		{schemas.DecisionDifferentPersons, [][]string{{a.RecordID, b.RecordID}, {c.RecordID, "f9/9"}}, "not one of the decision's records"},
		{schemas.DecisionDifferentPersons, [][]string{{a.RecordID, b.RecordID}, {}, {c.RecordID}}, "is empty"},
		{schemas.DecisionSamePerson, [][]string{{a.RecordID, b.RecordID}, {c.RecordID}}, "only different_persons"},
	} {
		_, err := reg.Decide(ctx, schemas.Decision{DecisionID: "d1", RecordIDs: ids, Decision: bad.decision, Groups: bad.groups})
		if err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%s groups %v: %v, want a refusal saying %q", bad.decision, bad.groups, err, bad.want)
		}
	}
	if p.of[a.RecordID] != p.of[b.RecordID] || p.of[a.RecordID] != p.of[c.RecordID] {
		t.Fatalf("refusals changed the person: %v", p.of)
	}
	p.apply(reg.Decide(ctx, schemas.Decision{DecisionID: "d1", RecordIDs: ids, Decision: schemas.DecisionDifferentPersons,
		Groups: [][]string{{a.RecordID}, {b.RecordID, c.RecordID}}}))
	if p.of[b.RecordID] != p.of[c.RecordID] || p.of[a.RecordID] == p.of[b.RecordID] {
		t.Errorf("after the refusals, valid groups {a} {b, c}: %v", p.of)
	}
}

// threeRecordsOfOnePerson opens a registry holding three records, a, b
// and c, that are one person (p records it) and that no number tells
// apart.
func threeRecordsOfOnePerson(t *testing.T) (*registry.Registry, persons, schemas.Record, schemas.Record, schemas.Record) {
	t.Helper()
	reg := openVietnamese(t)
	a, b := twoRecordsOfOnePerson()
	c := a
	c.RecordID = "f3/1"
	p := persons{t: t, of: map[string]string{}}
	p.apply(reg.AddRecords(context.Background(), registry.NewRecords(), []schemas.Record{a, b, c}))
	if p.of[a.RecordID] != p.of[b.RecordID] || p.of[a.RecordID] != p.of[c.RecordID] {
		t.Fatalf("not one person: %v", p.of)
	}
	return reg, p, a, b, c
}
