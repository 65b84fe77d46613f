package vietnamese

import (
	"testing"

	"github.com/dancu-vn/dancu/matching"
	"github.com/dancu-vn/dancu/schemas"
)

// Two 12-digit numbers equal but for their first three digits (the
// province code of birth) are one number keyed with another province's
// prefix: the records of one name, birth date and address carrying them
// are one person, who then carries two numbers and is IDConflicting, for
// a reviewer to tell which is right. Before (acc41, issue 12), the
// distinct-number guard kept them two persons. Two numbers that differ
// in their last digits stay two persons' (twins, one date, one address).
func TestNumberEqualButForTheProvinceCode(t *testing.T) {
	a, b := base(), base()
	a.CMND, b.CMND = "", ""
	b.IDNumber = "026190012345" // 001190012345 with Vĩnh Phúc's code
	of := linkRecords(t, []schemas.Record{a, b})
	if of[0] != of[1] {
		t.Fatalf("one person's records, numbers %s and %s (the province code alone differs): not linked", a.IDNumber, b.IDNumber)
	}

	// In Vĩnh Phúc (26): the person's number is the one of its province,
	// though the other sorts first, and the other is raised for review.
	a.IDNumber, b.IDNumber = "001190012345", "026190012345"
	for _, r := range []*schemas.Record{&a, &b} {
		r.PermProvinceCode, r.PermNewProvinceCode, r.PermDistrictCode, r.PermCommuneCode, r.PermNewCommuneCode = "26", "", "", "", ""
	}
	recs := []schemas.Record{a, b}
	for i := range recs {
		recs[i].RecordID = string(rune('a' + i))
	}
	f, s := trainedFrame(t, recs, false)
	res, err := matching.Link(t.Context(), f, s)
	if err != nil {
		t.Fatal(err)
	}
	sums, conflicts := matching.Summarise(res, func(root int32) string { return "P" })
	if len(sums) != 1 || sums[0].IDStatus != schemas.IDConflicting || sums[0].IDNumber != "026190012345" {
		t.Fatalf("persons %+v: want one, holding 026190012345, conflicting", sums)
	}
	raised := false
	for _, c := range conflicts {
		raised = raised || c.Kind == schemas.ConflictIDContradicts && c.IDNumber == "001190012345"
	}
	if !raised {
		t.Errorf("conflicts %+v: want 001190012345 raised as contradicting the person", conflicts)
	}

	// Twins: one date, parents and address, numbers of their own.
	x, y := household("Nguyễn Thị Hoa", "2012-03-05"), household("Nguyễn Thị Hồng", "2012-03-05")
	x.IDNumber, y.IDNumber = "001312004567", "001312009876"
	if of := linkRecords(t, []schemas.Record{x, y}); of[0] == of[1] {
		t.Errorf("twins with numbers of their own: linked")
	}
}
