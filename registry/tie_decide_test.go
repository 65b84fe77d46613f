package registry_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/dancu-vn/dancu/registry"
	"github.com/dancu-vn/dancu/schemas"
)

// tieRuling is a ruling the review desk makes on an ambiguous_tie
// (web/tie.go) as the registry receives it: the record is a namesake
// (same_person on the tied record and that namesake's record only), none
// of them (different_persons on all the records, the tied record apart
// from the candidates' records: tieApart), or the namesakes are one
// person after all (same_person on all the records).
func tieRuling(id, conflict, decision string, records ...string) schemas.Decision {
	return schemas.Decision{DecisionID: id, ConflictID: conflict, ConflictKind: schemas.ConflictAmbiguousTie, Decision: decision,
		RecordIDs: slices.Sorted(slices.Values(records))}
}

// tieApart is "none of them": the tied record apart from the
// candidates' records (one group: this ruling says nothing of them).
func tieApart(id, conflict, tied string, candidates ...string) schemas.Decision {
	d := tieRuling(id, conflict, schemas.DecisionDifferentPersons, append([]string{tied}, candidates...)...)
	d.Groups = [][]string{{tied}, slices.Sorted(slices.Values(candidates))}
	return d
}

// Each ruling on the tie of a year-only record between two namesakes
// (tieRecords) gives its persons after every arrival order and batch
// size of the three records: "it is A" joins the record to A and leaves
// B apart, "it is B" the other way, "none of them" leaves three persons,
// "A and B are one" one person of the three records. Delivered again the
// ruling changes nothing; a later record of each namesake joins its own
// person; and the tie is not raised open again.
func TestTieRulingsInAnyOrder(t *testing.T) {
	a, b, y := tieRecords()
	a2, b2 := a, b
	a2.RecordID, b2.RecordID = "tc/a", "tc/b"
	recs := []schemas.Record{a, b, y}
	all := []string{a.RecordID, b.RecordID, y.RecordID}
	for _, tc := range []struct {
		name   string
		d      schemas.Decision
		groups [][]string // the persons after the ruling, by record
	}{
		{"it is A", tieRuling("d1", "", schemas.DecisionSamePerson, y.RecordID, a.RecordID), [][]string{{a.RecordID, y.RecordID, a2.RecordID}, {b.RecordID, b2.RecordID}}},
		{"it is B", tieRuling("d1", "", schemas.DecisionSamePerson, y.RecordID, b.RecordID), [][]string{{a.RecordID, a2.RecordID}, {b.RecordID, y.RecordID, b2.RecordID}}},
		{"none of them", tieApart("d1", "", y.RecordID, a.RecordID, b.RecordID), [][]string{{a.RecordID, a2.RecordID}, {b.RecordID, b2.RecordID}, {y.RecordID}}},
		{"A and B are one", tieRuling("d1", "", schemas.DecisionSamePerson, all...), [][]string{{a.RecordID, b.RecordID, y.RecordID, a2.RecordID, b2.RecordID}}},
	} {
		for _, ord := range permutations(len(recs)) {
			for n := 1; n <= len(recs); n++ {
				t.Run(fmt.Sprintf("%s/order %v batch %d", tc.name, ord, n), func(t *testing.T) {
					reg, p, open := arriveIn(t, recs, ord, n)
					var conflict string
					for id, c := range open {
						if c.Kind == schemas.ConflictAmbiguousTie && c.Status == schemas.StatusOpen {
							conflict = id
						}
					}
					if conflict == "" {
						t.Fatalf("no open ambiguous_tie conflict: %+v", open)
					}
					d := tc.d
					d.ConflictID = conflict
					out := p.apply(reg.Decide(context.Background(), d))
					for _, ev := range out.Events {
						if ev.Reason != "decision:d1" {
							t.Errorf("event %+v does not cite the decision", ev)
						}
					}
					if again := p.apply(reg.Decide(context.Background(), d)); len(again.Links)+len(again.Events)+len(again.Persons) != 0 {
						t.Errorf("the ruling delivered again changed %+v", again)
					}
					later := p.apply(reg.AddRecords(context.Background(), registry.NewRecords(), []schemas.Record{a2, b2}))
					for _, c := range append(out.Conflicts, later.Conflicts...) {
						if c.Kind == schemas.ConflictAmbiguousTie && c.Status == schemas.StatusOpen {
							t.Errorf("the tie raised open again: %+v", c)
						}
					}
					checkPersons(t, p.of, tc.groups)
				})
			}
		}
	}
}

// A record tied among three namesakes (a conflict of four persons): "it
// is C" joins it to the third and leaves the other two apart; "none of
// them" leaves four persons.
func TestTieAmongThreeRulings(t *testing.T) {
	a, b, y := tieRecords()
	c := a
	c.RecordID, c.BirthDate = "hk/3", "1990-06-17"
	recs := []schemas.Record{a, b, c, y}
	for _, tc := range []struct {
		name   string
		d      schemas.Decision
		groups [][]string
	}{
		{"it is C", tieRuling("d1", "", schemas.DecisionSamePerson, y.RecordID, c.RecordID), [][]string{{a.RecordID}, {b.RecordID}, {c.RecordID, y.RecordID}}},
		{"none of them", tieApart("d1", "", y.RecordID, a.RecordID, b.RecordID, c.RecordID), [][]string{{a.RecordID}, {b.RecordID}, {c.RecordID}, {y.RecordID}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			reg, p, open := arriveIn(t, recs, []int{3, 0, 1, 2}, 1)
			d := tc.d
			for id, cf := range open {
				if cf.Kind == schemas.ConflictAmbiguousTie && cf.Status == schemas.StatusOpen {
					if len(cf.PersonIDs) != 4 {
						t.Fatalf("the tie among three: %+v, want four persons", cf)
					}
					d.ConflictID = id
				}
			}
			p.apply(reg.Decide(context.Background(), d))
			checkPersons(t, p.of, tc.groups)
		})
	}
}

// A supervisor's corrections of a placement move the record: "it is A"
// corrected to "it is B" withdraws the must-link to A (the record leaves
// A, joins B), then to "none of them" withdraws that one too and keeps
// the three apart. "None of them" says its groups (the tied record, the
// candidates' records): without them the registry groups the records by
// the persons it holds them in when it applies the ruling, and the
// record, then B's, stayed with B.
func TestTiePlacementCorrected(t *testing.T) {
	a, b, y := tieRecords()
	reg, p, open := arriveIn(t, []schemas.Record{a, b, y}, []int{0, 1, 2}, 3)
	var conflict string
	for id, c := range open {
		if c.Kind == schemas.ConflictAmbiguousTie {
			conflict = id
		}
	}
	ctx := context.Background()
	p.apply(reg.Decide(ctx, tieRuling("d1", conflict, schemas.DecisionSamePerson, y.RecordID, a.RecordID)))
	checkPersons(t, p.of, [][]string{{a.RecordID, y.RecordID}, {b.RecordID}})
	fix := tieRuling("d2", conflict, schemas.DecisionSamePerson, y.RecordID, b.RecordID)
	fix.StatusBefore = schemas.StatusDecided
	p.apply(reg.Decide(ctx, fix))
	checkPersons(t, p.of, [][]string{{a.RecordID}, {b.RecordID, y.RecordID}})
	fix2 := tieApart("d3", conflict, y.RecordID, a.RecordID, b.RecordID)
	fix2.StatusBefore = schemas.StatusDecided
	p.apply(reg.Decide(ctx, fix2))
	checkPersons(t, p.of, [][]string{{a.RecordID}, {b.RecordID}, {y.RecordID}})
}

// arriveIn adds recs to a new registry in the order ord, n at a time, and
// returns it (closed when the test ends), each record's person and each
// conflict as last raised, by id.
func arriveIn(t *testing.T, recs []schemas.Record, ord []int, n int) (*registry.Registry, persons, map[string]schemas.Conflict) {
	t.Helper()
	reg := openVietnamese(t)
	p := persons{t: t, of: map[string]string{}}
	conflicts := map[string]schemas.Conflict{}
	for i := 0; i < len(ord); i += n {
		var batch []schemas.Record
		for _, k := range ord[i:min(i+n, len(ord))] {
			batch = append(batch, recs[k])
		}
		out := p.apply(reg.AddRecords(context.Background(), registry.NewRecords(), batch))
		for _, c := range out.Conflicts {
			conflicts[c.ConflictID] = c
		}
	}
	return reg, p, conflicts
}

// checkPersons fails unless the records of each group share one person
// and no two groups do.
func checkPersons(t *testing.T, of map[string]string, groups [][]string) {
	t.Helper()
	seen := map[string]int{}
	for g, ids := range groups {
		for _, id := range ids {
			p := of[id]
			if p == "" {
				t.Errorf("record %s has no person", id)
				continue
			}
			if h, ok := seen[p]; ok && h != g {
				t.Errorf("persons %v: want %v", of, groups)
				return
			}
			seen[p] = g
			if of[ids[0]] != p {
				t.Errorf("persons %v: want %v", of, groups)
				return
			}
		}
	}
}
