package schemas_test

import (
	"fmt"

	"github.com/dancu-vn/dancu/schemas"
)

// A record of schema version 1 holds household_no and remark empty
// because that version did not read them: compare it with a newer one
// on the other columns only.
func ExampleColumnsAfter() {
	fmt.Println(schemas.ColumnsAfter(1), schemas.AddedIn("remark"), schemas.AddedIn("full_name"))
	// Output: [household_no remark] 2 1
}
