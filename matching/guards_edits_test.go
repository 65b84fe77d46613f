package matching

import (
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
		s, err := settings.Parse([]byte(`
version: 1
name: edits
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
  - {kind: distinct, column: cmnd, max: ` + string(rune('0'+c.max)) + `}
`))
		if err != nil {
			t.Fatal(err)
		}
		f := NewFrame(s)
		for i, v := range []string{number, c.other} {
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
		if ok, _, why := gs.Compatible(gs.Summary(f, 0), gs.Summary(f, 1)); ok != c.ok {
			t.Errorf("%s against %s, max %d: compatible %v (%q), want %v", number, c.other, c.max, ok, why, c.ok)
		}
	}
}
