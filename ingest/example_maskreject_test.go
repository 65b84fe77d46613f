package ingest_test

import (
	"fmt"

	"github.com/dancu-vn/dancu/ingest"
	"github.com/dancu-vn/dancu/schemas"
)

// A garbled name is masked as a name; a remark the reader masked
// already, as free text, is quoted as read.
func ExampleMaskRejectValue() {
	name := &schemas.Reject{Reason: "full name has no letters", Value: "Nguyễn Văn An"}
	remark := &schemas.Reject{Reason: "the remark column says the person died or moved away: not taken as a living resident", Value: "Chuyển đi Hà N."}
	fmt.Println(ingest.MaskRejectValue(name))
	fmt.Println(ingest.MaskRejectValue(remark))
	// Output:
	// Nguyễn V. A.
	// Chuyển đi Hà N.
}
