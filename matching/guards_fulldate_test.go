package matching

import (
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/matching/settings"
)

// fullDateSettings are guards on a number and a date of birth, the
// full_date guard yielding to a shared number.
const fullDateSettings = `
version: 1
name: full_date
columns:
  - {name: name}
  - {name: id, kind: code}
  - {name: dob, kind: date}
blocking:
  - {name: name, keys: [name]}
comparisons:
  - name: name
    null_columns: [name]
    levels:
      - {label: exact, op: exact, column: name}
guards:
  - {kind: distinct, column: id}
  - {kind: year_span, column: dob, max: 2, one_digit: true}
  - {kind: full_date, column: dob, unless_shared: id}
clustering: {linkage: single}
`

// TestFullDateGuardStopsAYearOnlyChain: two namesakes born the same year
// on different days, each linked to a record giving only the year (a
// police list), are two persons: Cluster joins the stronger link and
// refuses the weaker one for the full_date guard. Without the guard the
// year-only record chains them (acc19's 269 false pairs on fourthpop).
func TestFullDateGuardStopsAYearOnlyChain(t *testing.T) {
	s, err := settings.Parse([]byte(fullDateSettings))
	if err != nil {
		t.Fatal(err)
	}
	f := NewFrame(s)
	rec := []map[string]string{
		{"name": "lan", "dob": "1994-10-15"},
		{"name": "lan", "dob": "1994"},
		{"name": "lan", "dob": "1994-04-05"},
	}
	for i, r := range rec {
		_ = f.Add(string(rune('a'+i)), 0, func(k string) string { return r[k] }, nil)
	}
	cl, err := Cluster(f, s, []Pair{{A: 0, B: 1, Weight: 12}, {A: 1, B: 2, Weight: 10}})
	if err != nil {
		t.Fatal(err)
	}
	if cl.Of[0] != cl.Of[1] || cl.Of[1] == cl.Of[2] {
		t.Fatalf("clusters %v, want the year-only record with the stronger link's namesake and the other namesake apart", cl.Of)
	}
	if len(cl.Blocked) != 1 || cl.Blocked[0].Guard.Kind != "full_date" {
		t.Fatalf("blocked %+v, want the weaker link refused by full_date", cl.Blocked)
	}
	if why := cl.Blocked[0].Reason; strings.Contains(why, "-15") || strings.Contains(why, "-05") {
		t.Errorf("reason %q gives a day of birth", why)
	}
}

// TestFullDateGuardLevels: the dates one person's records give — the
// same day and month in another year (year_span judges years), day and
// month swapped, a digit misread, the lunar date of the solar one (3–8
// weeks before it, within a day) — are one birthday; other days, a date
// of the lunar window that is not the day's lunar date too, are not, unless the two share
// a number; 1 January (the day written when only the year is known) is
// no day.
func TestFullDateGuardLevels(t *testing.T) {
	s, err := settings.Parse([]byte(fullDateSettings))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		a, b, idA, idB string
		want           bool
	}{
		{a: "1994-10-15", b: "1994-10-15", want: true},
		{a: "1994-10-15", b: "1995-10-15", want: true},
		{a: "1994-04-05", b: "1994-05-04", want: true},
		{a: "1994-10-15", b: "1994-10-16", want: true},
		{a: "1994-10-15", b: "1994-10-25", want: true},
		{a: "1994-10-15", b: "1994-09-11", want: true},  // its lunar date
		{a: "1994-10-15", b: "1994-09-10", want: true},  // its lunar date, a day off
		{a: "1995-01-20", b: "1994-12-20", want: true},  // its lunar date, across the year
		{a: "1994-10-15", b: "1994-09-25", want: false}, // 20 days, not its lunar date
		{a: "1995-01-20", b: "1994-12-25", want: false}, // 26 days, not its lunar date
		{a: "1994-10-19", b: "1994-10-20", want: true},  // a day off, two digits
		{a: "1994-05-31", b: "1994-06-01", want: true},  // a day off, across a month
		{a: "1994-10-19", b: "1994-10-21", want: false}, // two days, two digits
		{a: "1994-10-15", b: "1994-10-30", want: false}, // 15 days
		{a: "1994-10-15", b: "1994-08-01", want: false}, // 75 days
		{a: "1994-10-15", b: "1994-04-05", want: false},
		{a: "1994-10-15", b: "1994-04-05", idA: "001094000001", idB: "001094000001", want: true},
		{a: "1994-10-15", b: "1994-04-05", idA: "001094000001", want: false},
		{a: "1994-10-15", b: "1994-01-01", want: true},
		{a: "1994-10-15", b: "1994", want: true},
	} {
		f := NewFrame(s)
		for i, r := range []map[string]string{{"name": "lan", "dob": tc.a, "id": tc.idA}, {"name": "lan", "dob": tc.b, "id": tc.idB}} {
			_ = f.Add(string(rune('a'+i)), 0, func(k string) string { return r[k] }, nil)
		}
		gs, err := newGuardSet(f, s)
		if err != nil {
			t.Fatal(err)
		}
		ok, gi, why := gs.Compatible(gs.Summary(f, 0), gs.Summary(f, 1))
		if ok != tc.want {
			t.Errorf("%s (%s) and %s (%s): compatible %v (guard %d, %q), want %v", tc.a, tc.idA, tc.b, tc.idB, ok, gi, why, tc.want)
		}
	}
}

// TestFullDateGuardUnlessSharedNeedsADistinctGuard: unless_shared names
// the column of a distinct guard, on a full_date guard only.
func TestFullDateGuardUnlessSharedNeedsADistinctGuard(t *testing.T) {
	for _, bad := range []string{
		strings.Replace(fullDateSettings, "unless_shared: id", "unless_shared: name", 1),
		strings.Replace(fullDateSettings, "{kind: year_span, column: dob, max: 2, one_digit: true}", "{kind: year_span, column: dob, max: 2, unless_shared: id}", 1),
	} {
		if _, err := settings.Parse([]byte(bad)); err == nil || !strings.Contains(err.Error(), "unless_shared") {
			t.Errorf("settings parsed (%v), want an error naming unless_shared", err)
		}
	}
}
