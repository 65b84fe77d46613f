package matching_test

import (
	"context"
	"fmt"

	"github.com/dancu-vn/dancu/matching"
	"github.com/dancu-vn/dancu/matching/settings"
)

// exampleSettings are a small trained settings document: names compared
// exactly or by Jaro–Winkler, dates exactly, blocking on the date or the
// folded name.
func exampleSettings() *settings.Settings {
	s, err := settings.Parse([]byte(`
version: 1
name: example
columns:
  - {name: name, transforms: [fold]}
  - {name: dob, kind: date}
blocking:
  - {name: dob, keys: [dob]}
  - {name: name, keys: [name]}
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
		panic(err)
	}
	s.Model = &settings.Model{Lambda: 0.01, LambdaGlobal: 0.01, Comparisons: []settings.ComparisonModel{
		{Name: "name", M: []float64{0.9, 0.098, 0.002}, U: []float64{0.001, 0.01, 0.989}},
		{Name: "dob", M: []float64{0.95, 0.05}, U: []float64{0.0001, 0.9999}},
	}}
	return s
}

func exampleFrame(s *settings.Settings) *matching.Frame {
	f := matching.NewFrame(s)
	for _, r := range []map[string]string{
		{"id": "a", "name": "Nguyễn Thị Thuỷ", "dob": "1990-03-15"},
		{"id": "b", "name": "Nguyen Thi Thuy", "dob": "15/03/1990"},
		{"id": "c", "name": "Trần Văn Bình", "dob": "1990-03-15"},
		{"id": "d", "name": "Tran Van Binh", "dob": "1971"},
	} {
		if err := f.Add(r["id"], 0, func(k string) string { return r[k] }, nil); err != nil {
			panic(err)
		}
	}
	return f
}

// Why two records are (or are not) one person: the prior, then each
// comparison's level and weight.
func ExampleExplainPair() {
	s := exampleSettings()
	f := exampleFrame(s)
	a, _ := f.Index("a")
	b, _ := f.Index("b")
	x := matching.ExplainPair(f, s, int32(a), int32(b))
	for _, st := range x.Steps {
		fmt.Printf("%s: %s (%+.1f)\n", st.Comparison, st.Level, st.Weight)
	}
	fmt.Printf("match probability %.3f\n", x.Probability)
	// Output:
	// name: exact (+9.8)
	// dob: exact (+13.2)
	// match probability 1.000
}

// How many candidate pairs each blocking rule makes, before any
// comparison: a rule's New pairs are those no earlier rule made.
func ExampleAnalyseBlocking() {
	s := exampleSettings()
	st, err := matching.AnalyseBlocking(exampleFrame(s), s, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range st.Rules {
		fmt.Println(r.Name, r.Pairs, r.New)
	}
	fmt.Println("candidates", st.Candidates, "of", st.TotalPairs)
	// Output:
	// dob 3 3
	// name 2 1
	// candidates 4 of 6
}

// Predict, then Cluster, one by one (Link does both, after Train when the
// settings have no model): c and d share a name but not a birth date, and
// stay two persons.
func ExampleCluster() {
	s := exampleSettings()
	f := exampleFrame(s)
	pairs, _, err := matching.Predict(context.Background(), f, s)
	if err != nil {
		fmt.Println(err)
		return
	}
	cl, err := matching.Cluster(f, s, pairs)
	if err != nil {
		fmt.Println(err)
		return
	}
	for i := 0; i < f.Len(); i++ {
		fmt.Println(f.ID(i), f.ID(int(cl.Of[i])))
	}
	// Output:
	// a a
	// b a
	// c c
	// d d
}
