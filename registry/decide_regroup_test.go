package registry_test

import (
	"context"
	"testing"

	"github.com/dancu-vn/dancu/matching/vietnamese"
	"github.com/dancu-vn/dancu/registry"
	"github.com/dancu-vn/dancu/schemas"
)

// regroupRulings are a different_persons ruling on conflict k1 of three
// records of one person, {a, b} {c}, and a supervisor's correction on
// the same conflict regrouping them {a} {b, c}.
func regroupRulings(a, b, c string) (first, fix schemas.Decision) {
	ids := []string{a, b, c}
	first = schemas.Decision{DecisionID: "d1", ConflictID: "k1", ConflictKind: schemas.ConflictSharedID, RecordIDs: ids,
		Decision: schemas.DecisionDifferentPersons, Groups: [][]string{{a, b}, {c}}}
	fix = first
	fix.DecisionID, fix.Groups, fix.StatusBefore = "d2", [][]string{{a}, {b, c}}, schemas.StatusDecided
	return first, fix
}

// A correction that only regroups a different_persons ruling replaces
// its cannot-links: b and c, which the first ruling kept apart and the
// correction puts in one group, are one person again (their evidence
// links them), a stays apart from both; delivered again it changes
// nothing, and after a restart, and in a registry rebuilt from the same
// records and rulings (the changelog's replay), the persons are the same.
func TestRegroupingCorrectionApplied(t *testing.T) {
	s, err := vietnamese.Trained()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	a, b := twoRecordsOfOnePerson()
	c := a
	c.RecordID = "f3/1"
	first, fix := regroupRulings(a.RecordID, b.RecordID, c.RecordID)
	// build applies the records and the rulings to a registry on dir.
	build := func(dir string) (*registry.Registry, persons) {
		t.Helper()
		reg, err := registry.Open(registry.Config{Dir: dir, Settings: s})
		if err != nil {
			t.Fatal(err)
		}
		p := persons{t: t, of: map[string]string{}}
		p.apply(reg.AddRecords(ctx, registry.NewRecords(), []schemas.Record{a, b, c}))
		p.apply(reg.Decide(ctx, first))
		if p.of[a.RecordID] != p.of[b.RecordID] || p.of[a.RecordID] == p.of[c.RecordID] {
			t.Fatalf("first ruling {a, b} {c}: %v", p.of)
		}
		out := p.apply(reg.Decide(ctx, fix))
		if len(out.Events) == 0 {
			t.Errorf("the regrouping caused no person event")
		}
		for _, ev := range out.Events {
			if ev.Reason != "decision:d2" {
				t.Errorf("event %+v does not cite the correction", ev)
			}
		}
		return reg, p
	}
	dir := t.TempDir()
	reg, p := build(dir)
	regrouped := func(p persons, when string) {
		t.Helper()
		if p.of[b.RecordID] != p.of[c.RecordID] || p.of[a.RecordID] == p.of[b.RecordID] {
			t.Errorf("%s: %v (want a apart, b and c one person)", when, p.of)
		}
	}
	regrouped(p, "after the correction {a} {b, c}")

	again := p.apply(reg.Decide(ctx, fix))
	if len(again.Persons)+len(again.Links)+len(again.Events) != 0 {
		t.Errorf("the correction delivered again changed %+v", again)
	}
	regrouped(p, "after the correction delivered again")

	// A restart: the cannot-links hold as the correction left them (a
	// fourth record like all three joins one side only).
	if err := reg.Close(); err != nil {
		t.Fatal(err)
	}
	if reg, err = registry.Open(registry.Config{Dir: dir, Settings: s}); err != nil {
		t.Fatal(err)
	}
	defer func() { reg.Close() }()
	d := a
	d.RecordID = "f4/1"
	p.apply(reg.AddRecords(ctx, registry.NewRecords(), []schemas.Record{d}))
	regrouped(p, "after a restart and a fourth record")
	if p.of[d.RecordID] != p.of[a.RecordID] && p.of[d.RecordID] != p.of[b.RecordID] {
		t.Errorf("the fourth record in %s, with neither side: %v", p.of[d.RecordID], p.of)
	}

	// Rebuilt from the records and rulings (what a matcher replaying the
	// changelog does): the same persons.
	rebuilt, q := build(t.TempDir())
	defer rebuilt.Close()
	for _, id := range []string{a.RecordID, b.RecordID, c.RecordID} {
		if q.of[id] != p.of[id] {
			t.Errorf("rebuilt: %s in %s, was %s", id, q.of[id], p.of[id])
		}
	}
}

// A regrouping withdraws only the cannot-links of the ruling it corrects:
// one another ruling set (on records b and c alone, another conflict)
// stays, and b and c stay apart; the records of a group are not forced
// together.
func TestRegroupingKeepsOtherRulings(t *testing.T) {
	reg, p, a, b, c := threeRecordsOfOnePerson(t)
	ctx := context.Background()
	first, fix := regroupRulings(a.RecordID, b.RecordID, c.RecordID)
	p.apply(reg.Decide(ctx, schemas.Decision{DecisionID: "d0", ConflictID: "k0", ConflictKind: schemas.ConflictSharedID,
		RecordIDs: []string{b.RecordID, c.RecordID}, Decision: schemas.DecisionDifferentPersons}))
	p.apply(reg.Decide(ctx, first))
	p.apply(reg.Decide(ctx, fix))
	if p.of[b.RecordID] == p.of[c.RecordID] || p.of[a.RecordID] == p.of[b.RecordID] || p.of[a.RecordID] == p.of[c.RecordID] {
		t.Errorf("regrouped {a} {b, c} with b ≠ c ruled on another conflict: %v (want three persons)", p.of)
	}
	// The other ruling corrected to same person: now b and c join.
	p.apply(reg.Decide(ctx, schemas.Decision{DecisionID: "d3", ConflictID: "k0", ConflictKind: schemas.ConflictSharedID,
		RecordIDs: []string{b.RecordID, c.RecordID}, Decision: schemas.DecisionSamePerson, StatusBefore: schemas.StatusDecided}))
	if p.of[b.RecordID] != p.of[c.RecordID] || p.of[a.RecordID] == p.of[b.RecordID] {
		t.Errorf("k0 corrected to same person: %v (want a apart, b and c one)", p.of)
	}
}
