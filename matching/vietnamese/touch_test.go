package vietnamese

import (
	"testing"

	"github.com/dancu-vn/dancu/schemas"
)

// TestTouchRecord checks that TouchRecord reads nothing but the record
// (a zero record gives 0) and reads the texts of a full one without
// going past them.
func TestTouchRecord(t *testing.T) {
	if x := TouchRecord(&schemas.Record{}); x != 0 {
		t.Fatalf("TouchRecord of a zero record = %#x, want 0", x)
	}
	r := &schemas.Record{FullName: "A", PermAddress: "B", CurAddress: "C", NativePlace: "D", FatherName: "E", MotherName: "F", IDNumber: "G", BirthDate: "H"}
	TouchRecord(r)
}
