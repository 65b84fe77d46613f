package schemas_test

import (
	"fmt"

	"github.com/dancu-vn/dancu/schemas"
)

// Three records of one person, ruled different persons without groups:
// their valid numbers tell them apart, or the ruling says why not.
func ExampleGroupsByNumbers() {
	for _, numbers := range [][]string{
		{"001090012345", "001091054321", "001090012345"},
		{"001090012345", "", "001090012345"},
		{"001090012345", "001090012345", "001090012345"},
	} {
		group, why := schemas.GroupsByNumbers(numbers)
		fmt.Printf("%v %q\n", group, why)
	}
	// Output:
	// [0 1 0] ""
	// [] "1 of them have no valid 12-digit number"
	// [] "they all have the same number"
}
