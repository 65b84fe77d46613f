package settings_test

import (
	"fmt"
	"strings"

	"github.com/dancu-vn/dancu/matching/settings"
)

// ExampleBlockingEscapes: every rule of these settings keys on a name, so
// a match whose first and last names were swapped is never compared.
func ExampleBlockingEscapes() {
	s, err := settings.Parse([]byte(`
version: 1
name: names_only
columns:
  - {name: first, from: first_name, transforms: [fold]}
  - {name: last, from: last_name, transforms: [fold]}
  - {name: dob, kind: date}
blocking:
  - {name: last_dob, keys: [last, dob]}
  - {name: first_dob, keys: [first, dob.year]}
  - {name: names, keys: [first, last]}
comparisons:
  - {name: first, null_columns: [first], levels: [{label: exact, op: exact, column: first}]}
  - {name: last, null_columns: [last], levels: [{label: exact, op: exact, column: last}]}
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, w := range settings.BlockingEscapes(s) {
		fmt.Println(w[:strings.Index(w, ":")])
	}
	// Output:
	// every rule keys on one of last_name and dob; last_name and first_name; dob and first_name
}
