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

// A same_person ruling on three records corrected to different persons
// {a, b} {c} withdraws its must-links: c is apart from a and b, and a and
// b are together only as far as their evidence links them — one person
// when it does, two when it does not. Delivered again the correction
// changes nothing; after a restart a fifth record like a joins a alone
// (no must-link is left to pull b or c in). A store whose must-links do
// not say which rulings set them (before they were kept) reads them as
// the ruling's in force on their records. A must-link another ruling
// also set (a = b on another conflict) stays.
func TestSamePersonCorrectedToDifferentPersons(t *testing.T) {
	s, err := vietnamese.Trained()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	a, linked := twoRecordsOfOnePerson()
	// unlinked is not linked to a by the model (another name and date),
	// and no guard keeps it from a (same sex, birth year within two).
	unlinked := schemas.Record{RecordID: "f2/8", FullName: "Lê Thị Mai", BirthDate: "1991-07-02", BirthYear: 1991, Sex: "F"}
	for _, tc := range []struct {
		name     string
		b, c     schemas.Record
		together bool // a and b one person after the correction
		old      bool // the must-links' rulings forgotten before the correction
		other    bool // a = b ruled on another conflict first
	}{
		{"evidence links a and b", linked, unlinked, true, false, false},
		{"evidence does not link a and b", unlinked, linked, false, false, false},
		{"evidence does not link a and b, older store", unlinked, linked, false, true, false},
		{"evidence does not link a and b, another ruling joins them", unlinked, linked, true, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, c := tc.b, tc.c
			dir := t.TempDir()
			reg, err := registry.Open(registry.Config{Dir: dir, Settings: s})
			if err != nil {
				t.Fatal(err)
			}
			defer func() { reg.Close() }()
			p := persons{t: t, of: map[string]string{}}
			p.apply(reg.AddRecords(ctx, registry.NewRecords(), []schemas.Record{a, b, c}))
			if tc.other {
				p.apply(reg.Decide(ctx, schemas.Decision{DecisionID: "d0", ConflictID: "k0", ConflictKind: schemas.ConflictSharedID,
					RecordIDs: []string{a.RecordID, b.RecordID}, Decision: schemas.DecisionSamePerson}))
			}
			ids := []string{a.RecordID, b.RecordID, c.RecordID}
			same := schemas.Decision{DecisionID: "d1", ConflictID: "k1", ConflictKind: schemas.ConflictSharedID, RecordIDs: ids,
				Decision: schemas.DecisionSamePerson}
			p.apply(reg.Decide(ctx, same))
			if p.of[a.RecordID] != p.of[b.RecordID] || p.of[a.RecordID] != p.of[c.RecordID] {
				t.Fatalf("same_person on a, b, c: %v", p.of)
			}
			if tc.old {
				if err := registry.ForgetMustLinkRulings(reg); err != nil {
					t.Fatal(err)
				}
			}
			fix := same
			fix.DecisionID, fix.Decision, fix.StatusBefore = "d2", schemas.DecisionDifferentPersons, schemas.StatusDecided
			fix.Groups = [][]string{{a.RecordID, b.RecordID}, {c.RecordID}}
			check := func(when string) {
				t.Helper()
				if p.of[c.RecordID] == p.of[a.RecordID] || p.of[c.RecordID] == p.of[b.RecordID] {
					t.Errorf("%s: c with a or b: %v", when, p.of)
				}
				if (p.of[a.RecordID] == p.of[b.RecordID]) != tc.together {
					t.Errorf("%s: a and b one person %v, want %v: %v", when, !tc.together, tc.together, p.of)
				}
			}
			p.apply(reg.Decide(ctx, fix))
			check("after the correction")
			again := p.apply(reg.Decide(ctx, fix))
			if len(again.Persons)+len(again.Links)+len(again.Events) != 0 {
				t.Errorf("the correction delivered again changed %+v", again)
			}
			if err := reg.Close(); err != nil {
				t.Fatal(err)
			}
			if reg, err = registry.Open(registry.Config{Dir: dir, Settings: s}); err != nil {
				t.Fatal(err)
			}
			e := a
			e.RecordID = "f5/1"
			p.apply(reg.AddRecords(ctx, registry.NewRecords(), []schemas.Record{e}))
			check("after a restart and a record like a")
			if p.of[e.RecordID] != p.of[a.RecordID] {
				t.Errorf("the record like a in %s, a in %s", p.of[e.RecordID], p.of[a.RecordID])
			}
		})
	}
}

// A link a correction sets again lists the correction alone, so that a
// second correction that does not say it withdraws it: {a, b} {c}, then
// {a} {b, c} (a ≠ c set again), then {a, c} {b} frees a and c, one
// person again (their evidence links them), b apart.
func TestSecondCorrectionWithdrawsALinkSetAgain(t *testing.T) {
	reg, p, a, b, c := threeRecordsOfOnePerson(t)
	ctx := context.Background()
	first, fix := regroupRulings(a.RecordID, b.RecordID, c.RecordID)
	p.apply(reg.Decide(ctx, first))
	p.apply(reg.Decide(ctx, fix))
	again := fix
	again.DecisionID, again.Groups = "d3", [][]string{{a.RecordID, c.RecordID}, {b.RecordID}}
	p.apply(reg.Decide(ctx, again))
	if p.of[a.RecordID] != p.of[c.RecordID] || p.of[a.RecordID] == p.of[b.RecordID] {
		t.Errorf("after {a} {b, c} corrected to {a, c} {b}: %v (want a and c one person, b apart)", p.of)
	}
}
