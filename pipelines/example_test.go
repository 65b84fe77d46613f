package pipelines_test

import (
	"fmt"
	"os"
	"time"

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

func ExampleCoverageReport_WriteTable() {
	rep := &pipelines.CoverageReport{
		Era: "old",
		Rows: []pipelines.CoverageRow{
			{ProvinceCode: "01", ProvinceName: "Thành phố Hà Nội", Records: 1800, Persons: 1000, Population2024: 8717600, CoveragePct: 0.0115},
			{ProvinceCode: "02", ProvinceName: "Tỉnh Hà Giang", Population2024: 911400},
		},
		Records: 1802, Persons: 1000, Unresolved: 2, Rejects: 3,
	}
	rep.WriteTable(os.Stdout, false)
	// Output:
	// code                province  records  persons  population 2024  coverage %
	//     01        Thành phố Hà Nội     1800     1000          8717600      0.0115
	//      —  (address not resolved)        2
	//                          TOTAL     1802     1000
	// rejected rows: 3
}
