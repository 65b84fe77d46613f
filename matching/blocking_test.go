package matching

import (
	"strings"
	"testing"
)

// TestMonthdayKey checks the col.monthday key part: records of one name
// born on the same day and month of different years share a block (a
// misread birth year), a date without its day or month has no key, and
// the registry's KeyMaker agrees with offline blocking.
func TestMonthdayKey(t *testing.T) {
	s, err := ParseSettings([]byte(strings.Replace(toySettings,
		"  - {name: last, keys: [last]}\n  - {name: dob, keys: [dob]}\n",
		"  - {name: birthday, keys: [last, dob.monthday]}\n  - {name: year, keys: [last, dob.year]}\n", 1)))
	if err != nil {
		t.Fatal(err)
	}
	rows := []map[string]string{
		{"last": "nguyen", "dob": "1978-06-20"},
		{"last": "nguyen", "dob": "1977-06-20"},
		{"last": "nguyen", "dob": "1977-06-21"},
		{"last": "nguyen", "dob": "1977"},
		{"last": "tran", "dob": "1977-06-20"},
	}
	ids := []string{"a", "b", "c", "d", "e"}
	f := toyFrame(t, s, rows, ids)
	st, err := AnalyseBlocking(f, s, 1)
	if err != nil {
		t.Fatal(err)
	}
	// birthday: a-b only; year: b-c, b-d, c-d.
	if st.Rules[0].Pairs != 1 || st.Rules[1].Pairs != 3 || st.Candidates != 4 {
		t.Errorf("pairs per rule %d, %d, candidates %d; want 1, 3, 4", st.Rules[0].Pairs, st.Rules[1].Pairs, st.Candidates)
	}
	if got := st.Rules[0].Largest[0].Key; got != "nguyen | 06-20" {
		t.Errorf("largest birthday block %q, want %q", got, "nguyen | 06-20")
	}
	c, err := PairsCompleteness(f, s, map[string]string{"a": "1", "b": "1", "d": "1"})
	if err != nil {
		t.Fatal(err)
	}
	// a-b only by birthday, b-d only by year, a-d by none.
	if c.TruePairs != 3 || c.Covered != 2 || c.Only[0] != 1 || c.Only[1] != 1 {
		t.Errorf("completeness %+v, want 2 of 3 covered, one only by each rule", c)
	}
	km, err := NewKeyMaker(NewFrame(s), s)
	if err != nil {
		t.Fatal(err)
	}
	key := func(i int) uint64 {
		for _, k := range km.Keys(f, i, nil) {
			if k.Rule == 0 {
				return k.Hash
			}
		}
		return 0
	}
	if key(0) == 0 || key(0) != key(1) || key(2) == key(1) || key(4) == key(1) || key(3) != 0 {
		t.Errorf("KeyMaker birthday keys %x %x %x %x %x: want a = b, c and e apart, none for a year alone", key(0), key(1), key(2), key(3), key(4))
	}
	bad := strings.Replace(toySettings, "keys: [last]}", "keys: [city.monthday]}", 1)
	sb, err := ParseSettings([]byte(bad))
	if err == nil {
		_, err = AnalyseBlocking(toyFrame(t, sb, rows, ids), sb, 1)
	}
	if err == nil || !strings.Contains(err.Error(), "city") {
		t.Errorf("city.monthday (not a date): error %v, want one naming city", err)
	}
}
