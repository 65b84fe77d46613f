package registry_test

import (
	"context"
	"testing"

	"github.com/dancu-vn/dancu/registry"
	"github.com/dancu-vn/dancu/schemas"
)

// TestVerifiedChangesNothing: the desk's verified ruling (a conflict of
// one record checked in the field and closed) reaches the match stage
// like any decision; the registry applies it as it does
// needs_verification, changing nothing, rather than refusing it to the
// dead letters as an unknown decision. A decision it does not know is
// still refused.
func TestVerifiedChangesNothing(t *testing.T) {
	reg := openVietnamese(t)
	ctx := context.Background()
	a := schemas.Record{RecordID: "f1/3", FullName: "Trần Văn Bình", BirthDate: "1985-06-01", BirthYear: 1985, Sex: "M",
		IDNumber: "001190012345", PermProvinceCode: "01", PermCommuneCode: "00004"} // the number encodes a woman born in 1990
	if _, err := reg.AddRecords(ctx, registry.NewRecords(), []schemas.Record{a}); err != nil {
		t.Fatal(err)
	}
	out, err := reg.Decide(ctx, schemas.Decision{DecisionID: "dv1", ConflictKind: schemas.ConflictIDContradicts, RecordIDs: []string{a.RecordID},
		Decision: schemas.DecisionVerified, Note: "số đúng, năm sinh ghi sai"})
	if err != nil || len(out.Persons) != 0 || len(out.Links) != 0 || len(out.Events) != 0 || len(out.Conflicts) != 0 {
		t.Errorf("verified: %+v %v, want nothing changed and no error", out, err)
	}
	if _, err := reg.Decide(ctx, schemas.Decision{DecisionID: "dv2", RecordIDs: []string{a.RecordID}, Decision: "maybe"}); err == nil {
		t.Error("an unknown decision was applied")
	}
}
