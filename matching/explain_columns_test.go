package matching_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/dancu-vn/dancu/matching"
)

// TestWaterfallColumnsAligned: every row of the waterfall has its weight
// and running total in the header's columns, whatever the length of its
// level: "another province, the number names the other's" (46
// characters) and "(u given …)" levels pushed theirs 8 to 30 columns to
// the right, on the desk's "why the matcher raised it" too (user31).
func TestWaterfallColumnsAligned(t *testing.T) {
	e := &matching.Explanation{A: "r1", B: "r2", Prior: -16.41, Total: -21.46, Steps: []matching.Step{
		{Comparison: "family_name", Level: "exact", ValueA: "Nguyễn", ValueB: "Nguyễn", Weight: 2.34, TF: -1.13},
		{Comparison: "address", Level: "another province, the number names the other's", ValueA: "07555", ValueB: "09607", Weight: 0.71},
		{Comparison: "parents", Level: "one parent's name equal (u given family_name)", ValueA: "", ValueB: "nguyen minh dung", Weight: 8.34},
		{Comparison: "sex", Level: "exact", ValueA: "F", ValueB: "F", Weight: 0.99},
	}}
	lines := strings.Split(e.String(), "\n")
	head := lines[1]
	// The end of each of the header's number columns, in characters.
	end := func(s, col string) int { return utf8.RuneCountInString(s[:strings.Index(s, col)]) + len(col) }
	weightEnd, runEnd := end(head, "weight"), end(head, "running")
	for _, l := range lines[2:] {
		if l == "" || strings.HasPrefix(l, "match probability") {
			continue
		}
		f := strings.Fields(l)
		r := []rune(l)
		// The row's weight is the first number field after the level;
		// the running total ends at runEnd (the total row has none).
		for _, w := range f {
			if (strings.HasPrefix(w, "+") || strings.HasPrefix(w, "-")) && strings.Contains(w, ".") {
				at := strings.Index(l, w)
				if got := utf8.RuneCountInString(l[:at]) + len(w); got != weightEnd {
					t.Errorf("weight %s ends at column %d, the header's at %d:\n%s\n%s", w, got, weightEnd, head, l)
				}
				break
			}
		}
		if !strings.HasPrefix(l, "total") && (len(r) < runEnd || r[runEnd-1] < '0' || r[runEnd-1] > '9' || (runEnd < len(r) && r[runEnd] != ' ')) {
			t.Errorf("the running total does not end at column %d:\n%s\n%s", runEnd, head, l)
		}
	}
}
