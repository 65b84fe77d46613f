package matching

import (
	"testing"

	"github.com/dancu-vn/dancu/matching/settings"
)

// TestBirthDatesMeet: two persons whose records state full birth dates,
// none equal to or one slip from the other's, are two people, whatever
// their refused link's two records show (one may state only the year);
// a slip (a digit, day and month swapped) or a side without a full date
// keeps the two_ids question open.
func TestBirthDatesMeet(t *testing.T) {
	s, err := settings.Parse([]byte(`
version: 1
name: dates
columns:
  - {name: dob, kind: date}
blocking:
  - {name: dob, keys: [dob]}
comparisons:
  - name: dob
    null_columns: [dob]
    levels:
      - {label: exact, op: date_exact, column: dob}
`))
	if err != nil {
		t.Fatal(err)
	}
	dates := []string{"1985-06-10", "1985", "1985-11-23", "1985-06-11", "1985-10-06", "", "1985-06"}
	f := NewFrame(s)
	for i, d := range dates {
		d := d
		if err := f.Add(string(rune('a'+i)), 0, func(k string) string { return map[string]string{"dob": d}[k] }, nil); err != nil {
			t.Fatal(err)
		}
	}
	ci := f.byName["dob"]
	for _, tc := range []struct {
		a, b []int32
		want bool
	}{
		{[]int32{0, 1}, []int32{2}, false}, // 1985-06-10 (and 1985) against 1985-11-23
		{[]int32{0, 1}, []int32{3}, true},  // one digit
		{[]int32{0}, []int32{4}, true},     // day and month swapped
		{[]int32{1}, []int32{2}, true},     // a year only
		{[]int32{0}, []int32{5, 6}, true},  // no date, a month only
		{[]int32{0, 2}, []int32{2}, true},  // one date shared
	} {
		if got := birthDatesMeet(f, ci, tc.a, tc.b); got != tc.want {
			t.Errorf("dates %v against %v: meet %v, want %v", pick(dates, tc.a), pick(dates, tc.b), got, tc.want)
		}
	}
}

func pick(s []string, rows []int32) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = s[r]
	}
	return out
}
