package offline_test

import (
	"fmt"
	"os"

	"github.com/dancu-vn/dancu/matching/settings"
	"github.com/dancu-vn/dancu/registry/offline"
)

// A registry keeps the input fields the settings read (not the whole
// source row) and each record's person, and reads them back from its
// directory on the next run.
func ExampleLoad() {
	s, err := settings.Parse([]byte(`
version: 1
name: example
columns:
  - {name: name, transforms: [fold]}
blocking:
  - {name: name, keys: [name]}
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
	dir, err := os.MkdirTemp("", "registry")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	row := map[string]string{"name": "Nguyễn Lan", "phone": "0901"}
	reg := offline.New()
	reg.Add(offline.Capture(s, "r1", 0, func(k string) string { return row[k] }, nil))
	reg.PersonOf["r1"], reg.Next = "P000001", 1
	if err := reg.Save(dir); err != nil {
		fmt.Println(err)
		return
	}
	again, err := offline.Load(dir)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(again.Records[0].Fields, again.PersonOf["r1"], again.Has("r1"), again.Has("r2"))
	// Output: map[name:Nguyễn Lan] P000001 true false
}
