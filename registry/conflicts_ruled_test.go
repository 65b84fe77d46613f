package registry_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/registry"
	"github.com/dancu-vn/dancu/schemas"
)

// A conflict a police ruling answered is not raised open again: two
// records of one woman with two valid numbers raise a two_ids between
// two persons; a same_person ruling merges them, and the two_ids the
// merged person raises (another id: other persons) comes decided, citing
// the ruling. A new record carrying one of the numbers is evidence the
// ruling did not see: the conflict opens again. A later ruling on the
// same conflict (a correction) is the one in force.
func TestRuledConflictNotRaisedOpenAgain(t *testing.T) {
	reg := openVietnamese(t)
	ctx := context.Background()
	a, b := twoRecordsOfOnePerson()
	b.IDNumber = "001190067890"
	first, err := reg.AddRecords(ctx, registry.NewRecords(), []schemas.Record{a, b})
	if err != nil {
		t.Fatal(err)
	}
	two := ofKind(first.Conflicts, schemas.ConflictTwoIDs)
	if len(two) != 1 || len(two[0].PersonIDs) != 2 || two[0].Status != schemas.StatusOpen {
		t.Fatalf("two numbers on two persons: two_ids %+v (all %+v)", two, first.Conflicts)
	}
	c1 := two[0]
	t0 := time.Date(2026, 12, 5, 9, 0, 0, 0, time.UTC)
	rule := func(id, decision string, at time.Time) *registry.Output {
		t.Helper()
		out, err := reg.Decide(ctx, schemas.Decision{DecisionID: id, ConflictID: c1.ConflictID, ConflictKind: c1.Kind, PersonIDs: c1.PersonIDs,
			RecordIDs: c1.RecordIDs, Decision: decision, DecidedAt: at, StatusAfter: schemas.StatusDecided})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	join := rule("d1", schemas.DecisionSamePerson, t0)
	var again []schemas.Conflict
	for _, c := range ofKind(join.Conflicts, schemas.ConflictTwoIDs) {
		if c.ConflictID != c1.ConflictID {
			again = append(again, c)
		}
	}
	if len(again) != 1 || len(again[0].PersonIDs) != 1 {
		t.Fatalf("after same_person the merged person's two_ids: %+v (all %+v)", again, join.Conflicts)
	}
	c2 := again[0]
	// Its records each once (user31: the two_ids of a person the ruling
	// merged listed each record twice, the desk six columns for three).
	if recs := slices.Compact(slices.Sorted(slices.Values(c2.RecordIDs))); len(recs) != len(c2.RecordIDs) {
		t.Errorf("the merged person's two_ids lists a record twice: %q", c2.RecordIDs)
	}
	if c2.Status != schemas.StatusDecided || !strings.Contains(c2.Explanation, "d1") || !strings.Contains(c2.Explanation, c1.ConflictID) {
		t.Errorf("the merged person's two_ids, answered by d1: status %q, explanation %q", c2.Status, c2.Explanation)
	}
	for _, c := range join.Conflicts {
		if c.Status == schemas.StatusOpen {
			t.Errorf("after the ruling, open: %+v", c)
		}
	}

	// A supervisor's correction: different persons after all. The ruling
	// in force is d2 now: what the split raises on these records cites it.
	apart := rule("d2", schemas.DecisionDifferentPersons, t0.Add(time.Hour))
	for _, c := range apart.Conflicts {
		if c.Status == schemas.StatusOpen || (c.Status == schemas.StatusDecided && !strings.Contains(c.Explanation, "d2")) {
			t.Errorf("after the correction: %+v", c)
		}
	}
	// And back: the merged person's two_ids comes decided, citing d3.
	back := rule("d3", schemas.DecisionSamePerson, t0.Add(2*time.Hour))
	cited := false
	for _, c := range back.Conflicts {
		if c.Status == schemas.StatusOpen || (c.Status == schemas.StatusDecided && !strings.Contains(c.Explanation, "d3")) {
			t.Errorf("after the second correction: %+v", c)
		}
		cited = cited || (c.Kind == schemas.ConflictTwoIDs && c.Status == schemas.StatusDecided)
	}
	if !cited {
		t.Errorf("after the second correction no two_ids decided by d3: %+v", back.Conflicts)
	}

	// A new record of her carrying the second number: open again.
	n := b
	n.RecordID, n.FullName = "f3/1", "Nguyễn Thu Hà"
	more, err := reg.AddRecords(ctx, registry.NewRecords(), []schemas.Record{n})
	if err != nil {
		t.Fatal(err)
	}
	var reopened bool
	for _, c := range ofKind(more.Conflicts, schemas.ConflictTwoIDs) {
		if slices.Contains(c.RecordIDs, n.RecordID) {
			reopened = true
			if c.Status != schemas.StatusOpen {
				t.Errorf("a two_ids with a new record is %q, want open: %+v", c.Status, c)
			}
		}
	}
	if !reopened {
		t.Errorf("the new record raised no two_ids: %+v", more.Conflicts)
	}
}

func ofKind(cs []schemas.Conflict, kind string) []schemas.Conflict {
	var out []schemas.Conflict
	for _, c := range cs {
		if c.Kind == kind {
			out = append(out, c)
		}
	}
	return out
}
