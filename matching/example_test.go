package matching_test

import (
	"context"
	"fmt"

	"github.com/dancu-vn/dancu/matching"
	"github.com/dancu-vn/dancu/matching/settings"
)

// Link a few rows with a settings document of your own: the model is
// trained without labels when the settings carry none.
func ExampleLink() {
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
      - {label: similar, op: jw, column: name, threshold: 0.9}
  - name: dob
    null_columns: [dob]
    levels:
      - {label: exact, op: date_exact, column: dob}
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	s.Model = &settings.Model{Lambda: 0.01, LambdaGlobal: 0.01, Comparisons: []settings.ComparisonModel{
		{Name: "name", M: []float64{0.9, 0.098, 0.002}, U: []float64{0.001, 0.01, 0.989}},
		{Name: "dob", M: []float64{0.95, 0.05}, U: []float64{0.0001, 0.9999}},
	}}
	rows := []map[string]string{
		{"id": "a", "name": "Nguyễn Thị Thuỷ", "dob": "1990-03-15"},
		{"id": "b", "name": "Nguyen Thi Thuy", "dob": "15/03/1990"},
		{"id": "c", "name": "Trần Văn Bình", "dob": "1990-03-15"},
	}
	f := matching.NewFrame(s)
	for _, r := range rows {
		r := r
		f.Add(r["id"], 0, func(k string) string { return r[k] }, nil)
	}
	res, err := matching.Link(context.Background(), f, s)
	if err != nil {
		fmt.Println(err)
		return
	}
	as, _, _ := matching.Assign(res, nil)
	for _, a := range as {
		fmt.Println(a.RecordID, a.PersonID)
	}
	// These settings carry a model: Link did not train, and scoring
	// compared the candidate pairs itself. Without one, training compares
	// them and scoring reads their vectors (Predict.Reused). res.Phases
	// has each phase's wall time.
	fmt.Println("candidate pairs:", res.Predict.Comparisons, "trained:", res.Train != nil, "vectors from training:", res.Predict.Reused)
	// Output:
	// a P000001
	// b P000001
	// c P000002
	// candidate pairs: 3 trained: false vectors from training: false
}

// What the clustering's guards remember of a person, for a matcher that
// later meets it through only some of its records (the registry keeps one
// per person and gives them back in Result.PersonGuards).
func ExampleEncodePersonGuards() {
	s, err := settings.Parse([]byte(`
version: 1
name: example
columns:
  - {name: id}
  - {name: dob, kind: date}
blocking:
  - {name: dob, keys: [dob]}
comparisons:
  - name: dob
    null_columns: [dob]
    levels:
      - {label: exact, op: date_exact, column: dob}
guards:
  - {kind: distinct, column: id, max: 1}
  - {kind: year_span, column: dob, max: 2}
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	f := matching.NewFrame(s)
	for _, r := range []map[string]string{
		{"rid": "a", "id": "001190012345", "dob": "1990-03-15"},
		{"rid": "b", "id": "", "dob": "1991-03-15"},
	} {
		f.Add(r["rid"], 0, func(k string) string { return r[k] }, nil)
	}
	enc, err := matching.EncodePersonGuards(f, s, []int32{0, 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	// A binary form of a few bytes (the registry keeps one per person);
	// PersonGuardsJSON reads it, or the JSON of a store written before.
	js, err := matching.PersonGuardsJSON(enc)
	fmt.Println(len(enc), "bytes:", string(js), err)
	// Output: 14 bytes: {"values":[["001190012345"],null],"year_lo":[0,1990],"year_hi":[0,1991]} <nil>
}
