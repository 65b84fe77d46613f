package matching_test

import (
	"fmt"

	"github.com/dancu-vn/dancu/matching"
	"github.com/dancu-vn/dancu/matching/settings"
)

// Carry some rows of one frame into a new frame of the same settings, a
// column at a time (as the registry builds a recluster unit from its
// scoring frame): nothing is cleaned or parsed again.
func ExampleRowCopier_CopyRows() {
	s, err := settings.Parse([]byte(`
version: 1
name: example
columns:
  - {name: name, transforms: [fold]}
  - {name: dob, kind: date}
blocking:
  - {name: dob, keys: [dob]}
comparisons:
  - name: name
    null_columns: [name]
    levels:
      - {label: exact, op: exact, column: name}
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	src := matching.NewFrame(s)
	for i, r := range []map[string]string{
		{"name": "Nguyễn Văn An", "dob": "1990-01-02"},
		{"name": "Trần Thị Bình", "dob": "1985-07-30"},
		{"name": "Lê Văn Cường", "dob": "2001-11-11"},
	} {
		if err := src.Add(fmt.Sprintf("r%d", i), 0, func(k string) string { return r[k] }, nil); err != nil {
			fmt.Println(err)
			return
		}
	}
	dst := matching.NewFrame(s)
	rc, err := matching.NewRowCopier(dst, src)
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := rc.CopyRows([]int{2, 0}); err != nil {
		fmt.Println(err)
		return
	}
	for i := range dst.Len() {
		fmt.Println(dst.ID(i), dst.Value("name", i))
	}
	fmt.Println(rc.CopyRows([]int{0}) != nil) // r0 is there already
	// Output:
	// r2 le van cuong
	// r0 nguyen van an
	// true
}
