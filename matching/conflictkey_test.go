package matching_test

import (
	"fmt"
	"testing"

	"github.com/dancu-vn/dancu/matching"
)

// TestConflictKeyStable: the key ignores order and records; another
// person or number is new evidence and changes it.
func TestConflictKeyStable(t *testing.T) {
	a := matching.ConflictKey("shared_id", "001090012345", []string{"P2", "P1"})
	if b := matching.ConflictKey("shared_id", "001090012345", []string{"P1", "P2"}); a != b {
		t.Errorf("order changed the key: %q vs %q", a, b)
	}
	if b := matching.ConflictKey("shared_id", "001090012345", []string{"P1", "P2", "P3"}); a == b {
		t.Error("a third person did not change the key")
	}
	if b := matching.ConflictKey("two_ids", "002;001", []string{"P1"}); b != matching.ConflictKey("two_ids", "001;002", []string{"P1"}) {
		t.Error("the order of two numbers changed the key")
	}
	if b := matching.ConflictKey("grey_zone", "001090012345", []string{"P1", "P2"}); a == b {
		t.Error("the kind did not change the key")
	}
}

func ExampleConflictKey() {
	k1 := matching.ConflictKey("two_ids", "079205001234;001090012345", []string{"P9"})
	k2 := matching.ConflictKey("two_ids", "001090012345;079205001234", []string{"P9"})
	fmt.Println(k1 == k2)
	// Output: true
}
