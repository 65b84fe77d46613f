package schemas_test

import (
	"fmt"
	"testing"

	"github.com/dancu-vn/dancu/schemas"
)

// TestConflictKeyStable: the key ignores order and records; another
// person or number is new evidence and changes it.
func TestConflictKeyStable(t *testing.T) {
	a := schemas.ConflictKey("shared_id", "001090012345", []string{"P2", "P1"})
	if b := schemas.ConflictKey("shared_id", "001090012345", []string{"P1", "P2"}); a != b {
		t.Errorf("order changed the key: %q vs %q", a, b)
	}
	if b := schemas.ConflictKey("shared_id", "001090012345", []string{"P1", "P2", "P3"}); a == b {
		t.Error("a third person did not change the key")
	}
	if b := schemas.ConflictKey("two_ids", "002;001", []string{"P1"}); b != schemas.ConflictKey("two_ids", "001;002", []string{"P1"}) {
		t.Error("the order of two numbers changed the key")
	}
	if b := schemas.ConflictKey("grey_zone", "001090012345", []string{"P1", "P2"}); a == b {
		t.Error("the kind did not change the key")
	}
}

func ExampleConflictKey() {
	k1 := schemas.ConflictKey("two_ids", "079205001234;001090012345", []string{"P9"})
	k2 := schemas.ConflictKey("two_ids", "001090012345;079205001234", []string{"P9"})
	fmt.Println(k1 == k2)
	// Output: true
}

// A conflict's id names its kind, numbers and persons, in any order, not
// its records: a new record of the same persons raises the same conflict.
func ExampleConflictID() {
	a := schemas.ConflictID("shared_id", "001190012345", []string{"Pb", "Pa"})
	b := schemas.ConflictID("shared_id", "001190012345", []string{"Pa", "Pb"})
	c := schemas.ConflictID("shared_id", "001190012345", []string{"Pa", "Pb", "Pc"})
	fmt.Println(a == b, a == c, len(a))
	// Output: true false 25
}
