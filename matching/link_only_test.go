package matching

import (
	"testing"

	"github.com/dancu-vn/dancu/matching/settings"
)

// TestLinkOnlyOnePerFile: in a link_only link a person holds at most one
// record of each file, as the guide defines link_only ("two files without
// duplicates inside each"). A hospital record that scores the match
// threshold against two electoral records (a father and son, namesakes)
// joins the stronger only; before, it chained all three into one person
// (acc17's link set: 196 of its 201 false pairs). A dedupe_and_link of
// the same pairs still joins all three. (Single linkage: only the guards
// decide here.)
func TestLinkOnlyOnePerFile(t *testing.T) {
	for _, lt := range []string{settings.LinkOnly, settings.LinkAndDedupe} {
		s, err := settings.Parse([]byte(`
version: 1
name: one_per_file
link_type: ` + lt + `
columns:
  - {name: last}
blocking:
  - {name: last, keys: [last]}
comparisons:
  - {name: last, null_columns: [last], levels: [{label: exact, op: exact, column: last}]}
clustering: {linkage: single}
`))
		if err != nil {
			t.Fatal(err)
		}
		f := NewFrame(s)
		for i, r := range []struct {
			id  string
			src int
		}{{"H1", 0}, {"E1", 1}, {"E2", 1}, {"H2", 0}} {
			if err := f.Add(r.id, r.src, func(string) string { return "weber" }, nil); err != nil {
				t.Fatalf("row %d: %v", i, err)
			}
		}
		// H1–E1 strongest, then H1–E2; H2–E2 weakest, all above 0.5.
		pairs := []Pair{{A: 0, B: 1, Weight: 9}, {A: 0, B: 2, Weight: 6}, {A: 3, B: 2, Weight: 3}}
		cl, err := Cluster(f, s, pairs)
		if err != nil {
			t.Fatal(err)
		}
		same := func(a, b int) bool { return cl.Of[a] == cl.Of[b] }
		if lt == settings.LinkOnly {
			if !same(0, 1) || same(0, 2) || !same(3, 2) {
				t.Errorf("link_only: clusters %v, want {H1 E1} {H2 E2}", cl.Of)
			}
			continue
		}
		if !same(0, 1) || !same(0, 2) || !same(0, 3) {
			t.Errorf("%s: clusters %v, want one", lt, cl.Of)
		}
	}
}
