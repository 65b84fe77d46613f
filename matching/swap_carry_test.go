package matching

import (
	"testing"

	"github.com/dancu-vn/dancu/matching/settings"
)

// TestDateDigitTakesYearCarry: date_digit holds for a year off by one
// with the same month and day across a decade (1969 and 1970, 1999 and
// 2000: two or more digits), as it does within one (1968 and 1969), and
// not for a year off by one with another day, nor two years apart
// (acc49: 14 of the German-style seed 181's missed pairs had the year
// across a decade and the birthday kept, and fell to date_birthday, which
// any year satisfies).
func TestDateDigitTakesYearCarry(t *testing.T) {
	s, err := settings.Parse([]byte(`
version: 1
name: carry
columns:
  - {name: name, transforms: [lower]}
  - {name: dob, kind: date, date_format: ymd}
blocking:
  - {name: name, keys: [name]}
comparisons:
  - name: dob
    null_columns: [dob]
    levels:
      - {label: exact, op: date_exact, column: dob}
      - {label: one digit off, op: date_digit, column: dob}
      - {label: birthday within a week, op: date_birthday, column: dob, max: 7}
`))
	if err != nil {
		t.Fatal(err)
	}
	dates := []string{
		"1969-08-01", // 0
		"1970-08-01", // 1: a year on, across the decade
		"1968-08-01", // 2: a year back, one digit
		"1970-08-02", // 3: a year on and a day off
		"1971-08-01", // 4: two years on
		"1999-12-31", // 5
		"2000-12-31", // 6: across the century
		"1970",       // 7: no day
	}
	rows := make([]map[string]string, len(dates))
	ids := make([]string, len(dates))
	for i, d := range dates {
		rows[i] = map[string]string{"name": "x", "dob": d}
		ids[i] = string(rune('a' + i))
	}
	f := toyFrame(t, s, rows, ids)
	c, err := compile(s.WithDefaults(), f)
	if err != nil {
		t.Fatal(err)
	}
	c.useRows(f)
	const exact, digit, birthday, other = 1, 2, 3, 4
	for _, tt := range []struct {
		a, b int32
		want uint8
	}{
		{0, 1, digit}, {1, 0, digit}, {0, 2, digit}, {1, 3, digit}, {0, 3, birthday},
		{0, 4, birthday}, {5, 6, digit}, {6, 5, digit}, {0, 7, other}, {0, 0, exact},
	} {
		if got := c.gamma(f, 0, tt.a, tt.b); got != tt.want {
			t.Errorf("%s against %s: level %d, want %d", dates[tt.a], dates[tt.b], got, tt.want)
		}
	}
}

// crossSettings are two name comparisons, each with exact, a cross level
// and jw levels, as a newcomer writes them from SETTINGS.md.
const crossSettings = `
version: 1
name: cross
columns:
  - {name: first, transforms: [lower]}
  - {name: last, transforms: [lower]}
blocking:
  - {name: last, keys: [last]}
comparisons:
  - name: first_name
    null_columns: [first]
    levels:
      - {label: exact, op: exact, column: first}
      - {label: swapped, op: cross, column: first, other: last}
      - {label: close, op: jw, column: first, threshold: 0.9}
  - name: last_name
    null_columns: [last]
    levels:
      - {label: exact, op: exact, column: last}
      - {label: swapped, op: cross, column: last, other: first}
      - {label: close, op: jw, column: last, threshold: 0.9}
`

// TestCrossSwapWithTypo: both names swapped and one of them mistyped
// ("Schluz Sabine" for "Sabine Schulz") lands on both cross levels, as a
// swap without the typo does; a half swap whose other names are more
// than one edit apart still counts once (TestCrossHalfSwapCountsOnce).
// Before acc49 the swap with a typo counted as a half swap, and the
// surname comparison fell to else: 7 and 4 missed pairs of the
// German-style seeds 183 and 181.
func TestCrossSwapWithTypo(t *testing.T) {
	s, err := settings.Parse([]byte(crossSettings))
	if err != nil {
		t.Fatal(err)
	}
	rows := []map[string]string{
		{"first": "Sabine", "last": "Schulz"},
		{"first": "Schluz", "last": "Sabine"}, // swapped, the surname mistyped
		{"first": "Schulz", "last": "Sabnie"}, // swapped, the first name mistyped
		{"first": "Schulz", "last": "Koch"},   // half: row 0's surname as first name
		{"first": "Scholz", "last": "Sabina"}, // swapped, both mistyped: no equality
	}
	checkNameLevels(t, s, rows, []nameLevels{
		{0, 1, 2, 2, "Sabine Schulz / Schluz Sabine"},
		{1, 0, 2, 2, "Schluz Sabine / Sabine Schulz"},
		{0, 2, 2, 2, "Sabine Schulz / Schulz Sabnie"},
		{0, 3, 2, 4, "Sabine Schulz / Schulz Koch (half swap)"},
		{0, 4, 4, 4, "Sabine Schulz / Scholz Sabina"},
	})
}

// TestCrossWeighsNoMoreThanExact: a cross level whose u training found
// near 0 (few first names are also surnames) weighs no more than its
// comparison's exact level, and its u given the other name's cross level
// is not taken off again; a cross level weighing less keeps its weight.
func TestCrossWeighsNoMoreThanExact(t *testing.T) {
	s, err := settings.Parse([]byte(crossSettings))
	if err != nil {
		t.Fatal(err)
	}
	f := toyFrame(t, s, []map[string]string{{"first": "Anna", "last": "Busch"}}, []string{"a"})
	c, err := compile(s, f)
	if err != nil {
		t.Fatal(err)
	}
	m := &settings.Model{Lambda: 0.01, LambdaGlobal: 1e-5, Comparisons: []settings.ComparisonModel{
		{Name: "first_name", M: []float64{0.7, 0.02, 0.1, 0.18}, U: []float64{0.01, 0.001, 0.01, 0.979}},
		{Name: "last_name", M: []float64{0.6, 0.08, 0.2, 0.12}, U: []float64{0.01, 0.00001, 0.01, 0.97999}},
	}, Dependent: []settings.Dependence{{Comparison: "last_name", Level: "swapped", Given: "first_name", GivenLevel: "swapped", U: 0.001}}}
	ws := newWeights(c, m, "global")
	raw0, raw1 := m.Comparisons[0].Weights(), m.Comparisons[1].Weights()
	if ws.w[0][2] != raw0[1] || raw0[1] >= raw0[0] {
		t.Errorf("first_name swapped weighs %.2f, want its own %.2f (below exact %.2f)", ws.w[0][2], raw0[1], raw0[0])
	}
	if raw1[1] <= raw1[0] || ws.w[1][2] != ws.w[1][1] {
		t.Errorf("last_name swapped weighs %.2f (raw %.2f), want exact's %.2f", ws.w[1][2], raw1[1], ws.w[1][1])
	}
	if len(ws.deps) != 0 {
		t.Errorf("dependences %+v kept for a capped level", ws.deps)
	}
}
