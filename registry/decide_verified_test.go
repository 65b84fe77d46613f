package registry_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/registry"
	"github.com/dancu-vn/dancu/schemas"
)

// TestVerifiedAnswersTheContradiction: the desk's verified ruling on a
// conflict of one record (its number contradicts it; the field check
// found what is right) changes no link and no person, and is no longer
// nothing (user32: the person stayed conflicting): the person's number
// reads verified, the conflict raised again is raised decided, in the
// output of the ruling, after its redelivery (nothing more), after a
// restart and in the persons' export. A later record of the person
// without the number leaves it so; one carrying the number — a record the
// check did not see — makes the person conflicting again and its
// conflict open; verified again on the records it names then answers it
// again (user34). A decision the registry does not know is still refused.
func TestVerifiedAnswersTheContradiction(t *testing.T) {
	dir := t.TempDir()
	reg := openVietnameseAt(t, dir)
	ctx := context.Background()
	rec := func(id, number string) schemas.Record {
		return schemas.Record{RecordID: id, FullName: "Trần Văn Bình", BirthDate: "1985-06-01", BirthYear: 1985, Sex: "M",
			IDNumber: number, PermProvinceCode: "01", PermCommuneCode: "00004"}
	}
	a := rec("f1/3", "001190012345") // the number encodes a woman born in 1990
	out, err := reg.AddRecords(ctx, registry.NewRecords(), []schemas.Record{a})
	if err != nil {
		t.Fatal(err)
	}
	status := func(out *registry.Output, why string, want string) string {
		t.Helper()
		if len(out.Persons) != 1 || out.Persons[0].IDStatus != want {
			t.Fatalf("%s: persons %+v, want one, %s", why, out.Persons, want)
		}
		return out.Persons[0].PersonID
	}
	conflict := func(out *registry.Output, why, want string) schemas.Conflict {
		t.Helper()
		for _, c := range out.Conflicts {
			if c.Kind == schemas.ConflictIDContradicts {
				if c.Status != want {
					t.Errorf("%s: the id_contradicts is %s, want %s", why, c.Status, want)
				}
				return c
			}
		}
		t.Fatalf("%s: no id_contradicts among %+v", why, out.Conflicts)
		return schemas.Conflict{}
	}
	pid := status(out, "the record", schemas.IDConflicting)
	c := conflict(out, "the record", schemas.StatusOpen)
	d := schemas.Decision{DecisionID: "dv1", ConflictID: c.ConflictID, ConflictKind: c.Kind, PersonIDs: c.PersonIDs, RecordIDs: c.RecordIDs,
		Decision: schemas.DecisionVerified, Note: "số đúng, năm sinh ghi sai"}
	if out, err = reg.Decide(ctx, d); err != nil {
		t.Fatal(err)
	}
	if status(out, "verified", schemas.IDVerified) != pid || len(out.Events) != 0 || len(out.Links) != 1 || out.Links[0].PersonID != pid {
		t.Errorf("verified: %+v, want %s verified, its link, no event", out, pid)
	}
	if c := conflict(out, "verified", schemas.StatusDecided); c.ConflictID != d.ConflictID {
		t.Errorf("verified: the conflict raised again is %s, want %s", c.ConflictID, d.ConflictID)
	}
	if out, err = reg.Decide(ctx, d); err != nil || len(out.Persons)+len(out.Links)+len(out.Events)+len(out.Conflicts) != 0 {
		t.Errorf("verified again: %+v %v, want nothing", out, err)
	}
	if err := reg.Close(); err != nil {
		t.Fatal(err)
	}
	reg = openVietnameseAt(t, dir)
	t.Cleanup(func() { reg.Close() })
	var exported []schemas.Person
	if _, err := reg.Persons(ctx, 0, func(c registry.PersonsChunk) error { exported = append(exported, c.Persons...); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(exported) != 1 || exported[0].IDStatus != schemas.IDVerified {
		t.Errorf("the export after a restart: %+v, want %s verified", exported, pid)
	}

	// A later record of the person without the number: the check still
	// covers every record carrying it.
	if out, err = reg.AddRecords(ctx, registry.NewRecords(), []schemas.Record{rec("f2/7", "")}); err != nil {
		t.Fatal(err)
	}
	status(out, "a record without the number", schemas.IDVerified)
	conflict(out, "a record without the number", schemas.StatusDecided)
	// One carrying it, which the check did not see: conflicting, open.
	if out, err = reg.AddRecords(ctx, registry.NewRecords(), []schemas.Record{rec("f3/2", "001190012345")}); err != nil {
		t.Fatal(err)
	}
	status(out, "a record carrying the number", schemas.IDConflicting)
	c = conflict(out, "a record carrying the number", schemas.StatusOpen)
	if !slices.Contains(c.RecordIDs, "f3/2") || c.ConflictID != d.ConflictID {
		t.Errorf("the conflict after a record carrying the number: %s on %v, want %s with f3/2", c.ConflictID, c.RecordIDs, d.ConflictID)
	}
	// The desk lists it open again (reopened, user34); the check done
	// again rules verified on the records it names now: the ruling
	// replaces the first, the person reads verified, the conflict is
	// raised decided, and a redelivery changes nothing.
	d2 := schemas.Decision{DecisionID: "dv3", ConflictID: c.ConflictID, ConflictKind: c.Kind, PersonIDs: c.PersonIDs, RecordIDs: c.RecordIDs,
		Decision: schemas.DecisionVerified, Note: "hồ sơ mới cũng đúng số"}
	if out, err = reg.Decide(ctx, d2); err != nil {
		t.Fatal(err)
	}
	status(out, "verified again on the records now", schemas.IDVerified)
	if c := conflict(out, "verified again on the records now", schemas.StatusDecided); c.ConflictID != d.ConflictID || !strings.Contains(c.Explanation, "dv3") {
		t.Errorf("verified again: the conflict raised is %s, %q, want %s decided citing dv3", c.ConflictID, c.Explanation, d.ConflictID)
	}
	if out, err = reg.Decide(ctx, d2); err != nil || len(out.Persons)+len(out.Links)+len(out.Events)+len(out.Conflicts) != 0 {
		t.Errorf("verified again, redelivered: %+v %v, want nothing", out, err)
	}
	if _, err := reg.Decide(ctx, schemas.Decision{DecisionID: "dv2", RecordIDs: []string{a.RecordID}, Decision: "maybe"}); err == nil {
		t.Error("an unknown decision was applied")
	}
}
