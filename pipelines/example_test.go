package pipelines_test

import (
	"fmt"
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
