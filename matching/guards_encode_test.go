package matching

import (
	"encoding/json"
	"testing"
)

// TestSummaryJSONIsMarshal: appendSummaryJSON writes the bytes
// json.Marshal writes for a guard summary: empty and nil lists, values
// encoding/json escapes (quotes, backslashes, HTML's <, > and &, control
// characters, non-ASCII, invalid UTF-8, U+2028), negative years.
func TestSummaryJSONIsMarshal(t *testing.T) {
	for _, st := range []clusterSummary{
		{},
		{Values: [][]string{}, YearLo: []int{}, YearHi: nil},
		{Values: [][]string{nil, {"079123456789"}, {}}, YearLo: []int{0, 0, 1984}, YearHi: []int{0, 0, 1986}},
		{Values: [][]string{{"a\"b", `c\d`, "<x", "y>", "&z", "tab\tnl\n", "Nguyễn", "bad\xff", "line\u2028sep", "\x7f"}}},
		{YearLo: []int{-12, 0}, YearHi: []int{2024}},
		{Values: [][]string{{"nam", "nữ"}, nil}, YearLo: []int{0, 1990}, YearHi: []int{0, 1992}},
	} {
		want, err := json.Marshal(st)
		if err != nil {
			t.Fatal(err)
		}
		got, err := appendSummaryJSON(nil, st)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("%+v:\n got %s\nwant %s", st, got, want)
		}
	}
}
