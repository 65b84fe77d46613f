package refdata_test

import (
	"fmt"

	"github.com/dancu-vn/dancu/internal/refdata"
)

// The identification-number code of a province of birth registration,
// with its province before and after the 1 July 2025 reform.
func ExampleLoad() {
	t, err := refdata.Load("id_province_codes.csv")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range t.Rows {
		if t.Get(r, "code") == "002" {
			fmt.Println(t.Get(r, "gso_province_name_full"), "→", t.Get(r, "province_2025_name"))
		}
	}
	// Output: Tỉnh Hà Giang → Tỉnh Tuyên Quang
}
