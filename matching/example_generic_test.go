package matching_test

import (
	"fmt"

	"github.com/dancu-vn/dancu/matching"
	"github.com/dancu-vn/dancu/matching/settings"
)

// A number typed on more records than generic_values' max_records is read
// as missing on all of them before blocking and scoring; what was masked
// is returned, to report with its value masked.
func ExampleFrame_MaskGenericValues() {
	s, err := settings.Parse([]byte(`
version: 1
name: example
columns:
  - {name: name, transforms: [fold]}
  - {name: number, kind: code}
blocking:
  - {name: number, keys: [number]}
comparisons:
  - name: number
    null_columns: [number]
    levels:
      - {label: exact, op: exact, column: number}
generic_values:
  - {column: number, max_records: 2}
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	rows := []map[string]string{
		{"id": "a", "name": "Lò Văn Páo", "number": "001090000045"},
		{"id": "b", "name": "Giàng A Dình", "number": "001090000045"},
		{"id": "c", "name": "Thào Mí Dế", "number": "001090000045"},
		{"id": "d", "name": "Vàng Thị Mai", "number": "002186001234"},
		{"id": "e", "name": "Vàng Thị Mai", "number": "002186001234"},
	}
	f := matching.NewFrame(s)
	for _, r := range rows {
		f.Add(r["id"], 0, func(k string) string { return r[k] }, nil)
	}
	gen, err := f.MaskGenericValues(s)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, g := range gen {
		fmt.Println(g)
	}
	fmt.Printf("a: %q, d: %q\n", f.Value("number", 0), f.Value("number", 3))
	// Output:
	// number 0010******45: 3 records
	// a: "", d: "002186001234"
}
