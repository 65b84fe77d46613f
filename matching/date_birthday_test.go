package matching

import (
	"testing"

	"github.com/dancu-vn/dancu/matching/settings"
)

// TestDateBirthdayLevel: date_birthday holds when two full dates' months
// and days are within max days of each other whatever their years — a
// date moved by ten years (3,650 days: two or three days earlier in the
// year, the leap days between) or a year mistyped — across the turn of
// the year, with 29 February read as 1 March; never for a date lacking
// its day, and after the levels on the whole date (a date a few days off
// in the same year lands on within a month).
func TestDateBirthdayLevel(t *testing.T) {
	s, err := settings.Parse([]byte(`
version: 1
name: birthday
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
      - {label: within a month, op: date_days, column: dob, max: 31}
      - {label: birthday within a week, op: date_birthday, column: dob, max: 7}
      - {label: within 10 years, op: date_years, column: dob, max: 10}
`))
	if err != nil {
		t.Fatal(err)
	}
	dates := []string{
		"1990-03-14", // 0
		"2000-03-12", // 1: 3,650 days later
		"1985-03-20", // 2: six days off, five years before
		"1990-03-22", // 3: eight days off, the same year
		"1999-12-30", // 4
		"1993-01-03", // 5: four days off across the new year
		"1996-02-29", // 6
		"1991-03-03", // 7: 29 February as 1 March, two days off
		"1990-03",    // 8: no day
		"1990-03-30", // 9: sixteen days off, the same year
		"1994-03-30", // 10: sixteen days off, four years on
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
	const exact, month, birthday, decade, other = 1, 2, 3, 4, 5
	for _, tt := range []struct {
		a, b int32
		want uint8
	}{
		{0, 1, birthday}, {1, 0, birthday}, {0, 2, birthday}, {0, 3, month},
		{4, 5, birthday}, {5, 4, birthday}, {6, 7, birthday}, {0, 8, decade},
		{0, 9, month}, {0, 10, decade}, {1, 10, decade}, {2, 1, other}, {0, 0, exact},
	} {
		if got := c.gamma(f, 0, tt.a, tt.b); got != tt.want {
			t.Errorf("%s against %s: level %d, want %d", dates[tt.a], dates[tt.b], got, tt.want)
		}
	}
}
