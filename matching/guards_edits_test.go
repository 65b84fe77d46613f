package matching

import (
	"strconv"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/matching/settings"
)

// TestDistinctGuardMaxEdits: a distinct guard's max is how many edits
// apart two of its values may be and still count as one (optimal string
// alignment: a substitution, an insertion or deletion, or two adjacent
// characters swapped, each one edit). Two copies of one number each
// carrying a slip are two edits apart: max 2 joins them where max 1 keeps
// them apart, and both keep apart two numbers three edits apart (acc45).
func TestDistinctGuardMaxEdits(t *testing.T) {
	const number = "184455191"
	for _, c := range []struct {
		other string
		max   int
		ok    bool
	}{
		{"184455191", 0, true},
		{"184455192", 0, false},
		{"184455192", 1, true},  // one digit off
		{"148455191", 1, true},  // two adjacent digits swapped
		{"684755191", 1, false}, // two slips: 684455191 and 184755191 of one number
		{"684755191", 2, true},
		{"148455192", 2, true},  // a swap and a digit off
		{"684755192", 2, false}, // three edits: another number
		{"108513015", 2, false}, // a namesake's CMND
	} {
		ok, why := cmndGuardCompatible(t, "max: "+strconv.Itoa(c.max), number, c.other)
		if ok != c.ok {
			t.Errorf("%s against %s, max %d: compatible %v (%q), want %v", number, c.other, c.max, ok, why, c.ok)
		}
	}
}

// TestDistinctGuardSamePrefix: with same_prefix n a distinct guard keeps
// apart only values whose first n characters agree — two CMNDs issued by
// one province's police; a mover's CMNDs of two provinces may join —,
// values within max edits still count as one, and a value shorter than n
// is compared whole; same_prefix on another kind of guard, or below 0,
// is refused (acc46).
func TestDistinctGuardSamePrefix(t *testing.T) {
	const number = "121371569"
	for _, c := range []struct {
		other  string
		prefix int
		ok     bool
	}{
		{"012345678", 0, false}, // acc45: any two CMNDs
		{"012345678", 2, true},  // Hà Nội's and Bắc Giang's
		{"128513015", 2, false}, // two of Bắc Giang
		{"121317560", 2, true},  // one with two slips (max 2)
		{"131371569", 2, true},  // a slip in the prefix: not kept apart
		{"138513015", 1, false}, // one digit of prefix agrees: kept apart
		{"138513015", 2, true},
		{"9", 2, false}, // too short to have a prefix: compared whole
	} {
		ok, why := cmndGuardCompatible(t, "max: 2, same_prefix: "+strconv.Itoa(c.prefix), number, c.other)
		if ok != c.ok {
			t.Errorf("%s against %s, same_prefix %d: compatible %v (%q), want %v", number, c.other, c.prefix, ok, why, c.ok)
		}
	}
	for _, g := range []string{
		"{kind: distinct, column: cmnd, same_prefix: -1}",
		"{kind: values, column: cmnd, same_prefix: 2}",
	} {
		_, err := settings.Parse([]byte(`
version: 1
name: prefix
columns:
  - {name: name}
  - {name: cmnd, kind: code}
blocking:
  - {name: name, keys: [name]}
comparisons:
  - name: name
    null_columns: [name]
    levels:
      - {label: exact, op: exact, column: name}
guards:
  - ` + g + `
`))
		if err == nil || !strings.Contains(err.Error(), "same_prefix") {
			t.Errorf("guard %s: error %v, want one naming same_prefix", g, err)
		}
	}
}

// cmndGuardCompatible asks a distinct guard on a CMND column, with opts
// (e.g. "max: 2, same_prefix: 2"), whether two namesakes' records holding
// the CMNDs a and b may be one person, and why not.
func cmndGuardCompatible(t *testing.T, opts, a, b string) (bool, string) {
	t.Helper()
	s, err := settings.Parse([]byte(`
version: 1
name: cmnd
columns:
  - {name: name}
  - {name: cmnd, kind: code}
blocking:
  - {name: name, keys: [name]}
comparisons:
  - name: name
    null_columns: [name]
    levels:
      - {label: exact, op: exact, column: name}
guards:
  - {kind: distinct, column: cmnd, ` + opts + `}
`))
	if err != nil {
		t.Fatal(err)
	}
	f := NewFrame(s)
	for i, v := range []string{a, b} {
		_ = f.Add(string(rune('a'+i)), 0, func(k string) string {
			if k == "cmnd" {
				return v
			}
			return "le hoang dong"
		}, nil)
	}
	gs, err := newGuardSet(f, s)
	if err != nil {
		t.Fatal(err)
	}
	ok, _, why := gs.Compatible(gs.Summary(f, 0), gs.Summary(f, 1))
	return ok, why
}
