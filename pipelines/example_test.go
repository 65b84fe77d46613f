package pipelines_test

import (
	"fmt"
	"time"

	"github.com/dancu-vn/dancu/ingest"
	"github.com/dancu-vn/dancu/pipelines"
	"github.com/dancu-vn/dancu/schemas"
)

// The match stage's enricher fills the unit codes of both eras from the
// address text, reading it in the era of the source's date.
func ExampleResolveAddresses() {
	r := schemas.Record{
		PermAddress: "Số 5 phố Trúc Bạch, P. Trúc Bạch, Q. Ba Đình, TP Hà Nội",
		SourceDate:  time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC),
	}
	pipelines.ResolveAddresses(&r)
	fmt.Println("before 2025:", r.PermProvinceCode, r.PermDistrictCode, r.PermCommuneCode)
	fmt.Println("since 2025: ", r.PermNewProvinceCode, r.PermNewCommuneCode)
	// Output:
	// before 2025: 01 001 00004
	// since 2025:  01 00004
}

// Stats counts the records and rejects an import reads; Account adds the
// rows each sheet skipped and checks rows = accepted + rejected + skipped.
func ExampleStats_Account() {
	var st pipelines.Stats
	st.Count(ingest.Item{Record: &schemas.Record{Sheet: "Thôn 1", Row: 3}})
	st.Count(ingest.Item{Reject: &schemas.Reject{Sheet: "Thôn 1", Row: 4, Reason: "missing full name"}})
	err := st.Account(ingest.Description{File: "thon1.xlsx", Sheets: []ingest.Layout{{
		Sheet: "Thôn 1", Rows: 5, Accepted: 1, Rejected: 1, SkippedRows: 3,
		ByKind: map[ingest.SkipKind]int{ingest.SkipTitle: 1, ingest.SkipHeader: 1, ingest.SkipFooter: 1},
	}}})
	fmt.Println(err)
	fmt.Printf("rows %d = accepted %d + rejected %d + skipped %d\n", st.Rows, st.Accepted, st.Rejected, st.Skipped)
	// Output:
	// <nil>
	// rows 5 = accepted 1 + rejected 1 + skipped 3
}
