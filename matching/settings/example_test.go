package settings_test

import (
	"fmt"

	"github.com/dancu-vn/dancu/matching/settings"
)

// Settings are data: parse a document, and a wrong field is named with
// its line.
func ExampleParse() {
	s, err := settings.Parse([]byte(`
name: people
columns:
  - {name: first, transforms: [fold, trim]}
  - {name: dob, kind: date}
blocking:
  - {name: dob, keys: [dob]}
comparisons:
  - name: first
    null_columns: [first]
    levels:
      - {label: exact, op: exact, column: first}
      - {label: close, op: jw, column: first, threshold: 0.9}
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(s.Name, s.LinkType, s.Thresholds.Match, s.Clustering.Linkage, s.Columns[1].DateFormat)

	_, err = settings.Parse([]byte(`
name: people
columns: [{name: first}]
blocking: [{name: b, keys: [first]}]
comparisons:
  - {name: first, null_columns: [first], levels: [{label: x, op: jaro, column: first}]}
`))
	fmt.Println(err)
	// Output:
	// people dedupe_only 0.5 average dmy
	// invalid settings: line 6: comparisons[0].levels[0].op: unknown "jaro"
}

// The settings of the public benchmarks are embedded by name.
func ExampleDefault() {
	s, err := settings.Default("febrl")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(s.Name, len(s.Blocking) > 0, s.Model != nil)
	// Output: febrl true false
}

// A level with m near 0 would count against a pair more than else; it is
// weighed as else.
func ExampleComparisonModel_Weights() {
	cm := settings.ComparisonModel{Name: "dob",
		M: []float64{0.80, 0.15, 1e-7, 0.05}, // exact, ±1 year, same year, else
		U: []float64{0.001, 0.05, 0.0002, 0.9489}}
	fmt.Printf("%+.2f\n", cm.Weights())
	levels, raw := cm.AsElse()
	fmt.Printf("%v %+.2f\n", levels, raw[0])
	// Output:
	// [+9.64 +1.58 -4.25 -4.25]
	// [2] -10.97
}
