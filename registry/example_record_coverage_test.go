package registry_test

import (
	"fmt"
	"time"

	"github.com/dancu-vn/dancu/registry"
	"github.com/dancu-vn/dancu/schemas"
)

// The records' coverage deltas a registry emits per batch, summed by
// unit, computed with a RecordCoverageTracker: two new records in one
// commune are one row of +2; the same records loaded again are nothing
// new (the rows of the batch that last counted them come again, under
// their keys, which the load stage has inserted already); a corrected
// address moves one record from its old unit to its new one.
func ExampleRecordCoverageTracker() {
	var tr registry.RecordCoverageTracker
	at := time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)
	rec := func(id, commune string) schemas.Record {
		return schemas.Record{RecordID: id, SourceKind: schemas.KindCSV, IDNumber: "040090012345",
			PermProvinceCode: "40", PermDistrictCode: "412", PermCommuneCode: commune, SourceDate: at}
	}
	show := func(step string, rows []schemas.RecordDelta, first string) {
		fmt.Println(step)
		for _, d := range rows {
			again := ""
			if d.Batch == first {
				again = " (emitted again)"
			}
			fmt.Printf("  commune %s: +%d -%d, with a number +%d -%d%s\n", d.CommuneCode, d.Added, d.Removed, d.AddedWithID, d.RemovedWithID, again)
		}
	}
	recs := []schemas.Record{rec("r1", "16681"), rec("r2", "16681")}
	first := tr.Deltas(recs, at)
	show("first load", first, "")
	show("loaded again", tr.Deltas(recs, at), first[0].Batch)
	show("r2 corrected", tr.Deltas([]schemas.Record{rec("r2", "16684")}, at), first[0].Batch)
	// Output:
	// first load
	//   commune 16681: +2 -0, with a number +2 -0
	// loaded again
	//   commune 16681: +2 -0, with a number +2 -0 (emitted again)
	// r2 corrected
	//   commune 16681: +0 -1, with a number +0 -1
	//   commune 16684: +1 -0, with a number +1 -0
	//   commune 16681: +2 -0, with a number +2 -0 (emitted again)
}

// SumPersonDeltas sums a batch's per-person deltas by unit, birth year
// and month, as the registry emits them (migration 0016): a person who
// moves is −1 in the old commune and +1 in the new one.
func ExampleSumPersonDeltas() {
	var tr registry.CoverageTracker
	at := time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)
	a := schemas.Person{PersonID: "P-a", Version: 1, ProvinceCode: "40", CommuneCode: "16681", UpdatedAt: at}
	b := schemas.Person{PersonID: "P-b", Version: 1, ProvinceCode: "40", CommuneCode: "16681", UpdatedAt: at}
	_, sums := registry.SumPersonDeltas(tr.Deltas([]schemas.Person{a, b}))
	fmt.Println(len(sums), "row:", sums[0].CommuneCode, "+", sums[0].Added)
	b.Version, b.CommuneCode = 2, "16684"
	_, sums = registry.SumPersonDeltas(tr.Deltas([]schemas.Person{b}))
	for _, s := range sums {
		fmt.Printf("%s +%d -%d\n", s.CommuneCode, s.Added, s.Removed)
	}
	// Output:
	// 1 row: 16681 + 2
	// 16681 +0 -1
	// 16684 +1 -0
}
