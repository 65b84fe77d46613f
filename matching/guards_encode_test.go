package matching

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"unicode/utf8"

	"github.com/dancu-vn/dancu/matching/settings"
)

// canonical is st as decodeSummary gives it back: per guard a list (nil
// when empty) and a span, MonthDay nil when it holds no day.
func canonical(st clusterSummary) clusterSummary {
	n := max(len(st.Values), len(st.YearLo), len(st.YearHi), len(st.MonthDay))
	if n == 0 {
		return clusterSummary{}
	}
	out := clusterSummary{Values: make([][]string, n), YearLo: make([]int, n), YearHi: make([]int, n)}
	for gi := range n {
		if gi < len(st.Values) && len(st.Values[gi]) > 0 {
			out.Values[gi] = st.Values[gi]
		}
		out.YearLo[gi], out.YearHi[gi] = intAt(st.YearLo, gi), intAt(st.YearHi, gi)
		if md := intAt(st.MonthDay, gi); md != 0 {
			if out.MonthDay == nil {
				out.MonthDay = make([]int, n)
			}
			out.MonthDay[gi] = md
		}
	}
	return out
}

// summaryCases are guard summaries of every shape the binary form writes
// apart: numbers with leading zeros and of 19 and 20 digits, dates packed
// and not (month 16, day 32, no dashes), a name_birth value whose date is
// another guard's value, values repeated across guards, texts JSON
// escapes, empty values and spaces, negative and differing days, spans
// said by a date and spans not.
var summaryCases = []clusterSummary{
	{},
	{Values: [][]string{}, YearLo: []int{}, YearHi: nil},
	{Values: [][]string{nil, {"079123456789"}, {}}, YearLo: []int{0, 0, 1984}, YearHi: []int{0, 0, 1986}},
	{Values: [][]string{{"a\"b", `c\d`, "<x", "y>", "&z", "tab\tnl\n", "Nguyễn", "bad\xff", "line\u2028sep", "\x7f"}}},
	{YearLo: []int{-12, 0}, YearHi: []int{2024}},
	{Values: [][]string{{"nam", "nữ"}, nil}, YearLo: []int{0, 1990}, YearHi: []int{0, 1992}},
	// The Vietnamese guards: id_own, year_span dob, full_date dob,
	// sex_sure, family_sure, cmnd, name_birth.
	{
		Values:   [][]string{{"001190012345"}, nil, {"1994-07-12"}, {"F"}, {"nguyen"}, {"029034088"}, {"nguyen hoang my 1994-07-12 79"}},
		YearLo:   []int{0, 1994, 0, 0, 0, 0, 0},
		YearHi:   []int{0, 1994, 0, 0, 0, 0, 0},
		MonthDay: []int{0, 712, 0, 0, 0, 0, 0},
	},
	{ // two dates, a span of two years, the days differing
		Values:   [][]string{{"001190012345", "001190012346"}, nil, {"1994-07-12", "1995-07-12"}, {"F"}, nil, nil, {"le thi a 1994-07-12 79", "le thi a 1995-07-12 01"}},
		YearLo:   []int{0, 1994, 0, 0, 0, 0, 0},
		YearHi:   []int{0, 1995, 0, 0, 0, 0, 0},
		MonthDay: []int{0, -1, 0, 0, 0, 0, 0},
	},
	{ // the span's year a date's, no day kept (a guard without one_digit)
		Values: [][]string{nil, {"2001-01-05"}},
		YearLo: []int{2001, 0},
		YearHi: []int{2001, 0},
	},
	{ // the year a date's but the day another: written as it is
		Values:   [][]string{nil, {"2001-01-05"}},
		YearLo:   []int{2001, 0},
		YearHi:   []int{2001, 0},
		MonthDay: []int{106, 0},
	},
	{ // no value to say the span
		YearLo:   []int{0, 1960},
		YearHi:   []int{0, 1960},
		MonthDay: []int{0, 1231},
	},
	{Values: [][]string{
		{"0", "00", "0000000000000000000", "9999999999999999999", "99999999999999999999", "18446744073709551615"},
		{"1985-16-01", "1985-12-32", "19851201", "1985-1-01", "0000-00-00", "9999-15-31"},
		{"", " ", "  ", "a ", " 1", "x 1985-03-12", "x  1", "1 2", "an 0000000000000000000 1985-03-12 00"},
		{"0", "x 0"}, // repeats of the first guard's values
	}},
}

// TestSummaryBinaryRoundTrip: every summary of summaryCases comes back
// from its binary form as it was (canonical), and shorter than its JSON
// for the summaries with values; the Vietnamese person's under a third.
func TestSummaryBinaryRoundTrip(t *testing.T) {
	for i, st := range summaryCases {
		enc := appendSummaryBinary(nil, st)
		got, err := decodeSummary(enc)
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		if want := canonical(st); !reflect.DeepEqual(got, want) {
			t.Errorf("case %d:\n got %#v\nwant %#v", i, got, want)
		}
		js, err := json.Marshal(st)
		if err != nil {
			t.Fatal(err)
		}
		if slices.ContainsFunc(st.Values, func(vs []string) bool { return len(vs) > 0 }) && len(enc) >= len(js) {
			t.Errorf("case %d: binary %d bytes, JSON %d", i, len(enc), len(js))
		}
	}
	vn := summaryCases[6]
	enc, js := appendSummaryBinary(nil, vn), must(json.Marshal(vn))
	if 3*len(enc) > len(js) {
		t.Errorf("a Vietnamese person: binary %d bytes (%q), JSON %d: want under a third", len(enc), enc, len(js))
	}
	t.Logf("a Vietnamese person: binary %d bytes, JSON %d", len(enc), len(js))
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// TestSummaryJSONStillRead: a summary a store keeps as JSON (written
// before reg25) is read as the binary form of it is, and PersonGuardsJSON
// gives the same JSON back from either.
func TestSummaryJSONStillRead(t *testing.T) {
	for i, st := range summaryCases {
		if !validUTF8(st) {
			continue // JSON keeps U+FFFD for it (the binary form the bytes)
		}
		js := must(json.Marshal(st))
		fromJSON, err := decodeSummary(js)
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		fromBinary, err := decodeSummary(appendSummaryBinary(nil, st))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(canonical(fromJSON), fromBinary) {
			t.Errorf("case %d: from JSON %#v, from binary %#v", i, fromJSON, fromBinary)
		}
		a, errA := PersonGuardsJSON(js)
		b, errB := PersonGuardsJSON(appendSummaryBinary(nil, st))
		if errA != nil || errB != nil {
			t.Fatal(errA, errB)
		}
		if want := must(json.Marshal(canonical(st))); string(b) != string(want) || string(a) != string(must(json.Marshal(fromJSON))) {
			t.Errorf("case %d: PersonGuardsJSON %s and %s, want %s", i, a, b, want)
		}
	}
	for _, bad := range []string{"", "x", "\x02", "\x02\x01", "\x02\x01\x04", "\x02\x01\x01\x02", "\x02\x01\x02\x05", "\x02\x01\x05\x00", "\x02\x01\x04\x03", "\x02\x01\x04\x0c\x01", "\x02\x01\x04\x09\xff\xff\xff\xff\xff", "\x02\x01\x04\x00\x00"} {
		if st, err := decodeSummary([]byte(bad)); err == nil {
			t.Errorf("%q read as %#v, want an error", bad, st)
		}
	}
}

func validUTF8(st clusterSummary) bool {
	for _, vs := range st.Values {
		for _, v := range vs {
			if !utf8.ValidString(v) {
				return false
			}
		}
	}
	return true
}

// FuzzDecodeSummary: no input makes decodeSummary panic, and a binary
// summary it reads is written back to the same summary.
func FuzzDecodeSummary(f *testing.F) {
	for _, st := range summaryCases {
		f.Add(appendSummaryBinary(nil, st))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		st, err := decodeSummary(b)
		if err != nil || len(b) == 0 || b[0] != summaryBinary {
			return
		}
		again, err := decodeSummary(appendSummaryBinary(nil, st))
		if err != nil || !reflect.DeepEqual(again, canonical(st)) {
			t.Fatalf("%q read as %#v, written and read again %#v (%v)", b, st, again, err)
		}
	})
}

// TestStoredSummaryJudgesAsBefore: for persons of a frame under the
// full_date settings (ids, a year_span with one_digit, full dates), a
// summary read back from the binary form and from the JSON a store kept
// before reg25 let the same persons be one (Compatible) as the summary
// itself.
func TestStoredSummaryJudgesAsBefore(t *testing.T) {
	s, err := settings.Parse([]byte(fullDateSettings))
	if err != nil {
		t.Fatal(err)
	}
	f := NewFrame(s)
	dobs := []string{"1984-03-02", "1984", "1994-03-02", "1985-03-02", "", "1984-02-03", "1986", "1984-03-02"}
	ids := []string{"079084001234", "", "", "079084001235", "079084001234", "", "", ""}
	for i := range dobs {
		rec := map[string]string{"name": "lan", "dob": dobs[i], "id": ids[i]}
		if err := f.Add(fmt.Sprintf("r%d", i), 0, func(k string) string { return rec[k] }, nil); err != nil {
			t.Fatal(err)
		}
	}
	gs, err := newGuardSet(f, s)
	if err != nil {
		t.Fatal(err)
	}
	// Persons: every pair and triple of rows.
	var persons [][]int32
	for a := range int32(f.Len()) {
		for b := a + 1; b < int32(f.Len()); b++ {
			persons = append(persons, []int32{a, b})
			for c := b + 1; c < int32(f.Len()); c++ {
				persons = append(persons, []int32{a, b, c})
			}
		}
	}
	sums := make([]clusterSummary, len(persons))
	for i, p := range persons {
		sums[i] = gs.summaryOf(f, p)
		sums[i].trimMonthDay()
	}
	judged, apart := 0, 0
	for i := range sums {
		bin, err := decodeSummary(must(EncodePersonGuards(f, s, persons[i])))
		if err != nil {
			t.Fatal(err)
		}
		js, err := decodeSummary(must(json.Marshal(sums[i])))
		if err != nil {
			t.Fatal(err)
		}
		for j := range sums {
			want, _, _ := gs.Compatible(sums[i], sums[j])
			gotB, _, _ := gs.Compatible(bin, sums[j])
			gotJ, _, _ := gs.Compatible(js, sums[j])
			if gotB != want || gotJ != want {
				t.Fatalf("persons %v and %v: compatible %v, from binary %v, from JSON %v", persons[i], persons[j], want, gotB, gotJ)
			}
			judged++
			if !want {
				apart++
			}
		}
	}
	if apart == 0 || apart == judged {
		t.Fatalf("%d of %d pairs of persons kept apart: the test shows nothing", apart, judged)
	}
	t.Logf("%d pairs of persons judged, %d kept apart", judged, apart)
}
