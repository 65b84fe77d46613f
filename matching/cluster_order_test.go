package matching

import (
	"fmt"
	"testing"

	"github.com/dancu-vn/dancu/matching/settings"
)

// TestClusterPartitionAnyRowOrder: Cluster's persons do not depend on
// the order of the frame's rows — the order of a file, or of a
// registry's arrivals (invariant (b)). Ties were broken by rows, and
// each join's sides were its rows': with guards that are no equivalence
// that decided the persons. A year-only record linked equally to three
// namesakes whose full dates are not one birthday joined whichever came
// first; a year misread by one digit (1934 for 1984) joined to a
// record with the right year took that year's span or kept its own,
// by which of the two rows came first, and a 1985 record could then
// join or not. Every order of the rows, with the same pairs, must give
// the same partition.
func TestClusterPartitionAnyRowOrder(t *testing.T) {
	s, err := settings.Parse([]byte(fullDateSettings))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		dobs  []string
		pairs [][3]int // rows of the records as listed, weight
	}{
		{"year-only tied to three namesakes", []string{"1994-10-15", "1994-04-05", "1994-07-20", "1994"},
			[][3]int{{3, 0, 12}, {3, 1, 12}, {3, 2, 12}}},
		{"a misread year", []string{"1984", "1934", "1985"},
			[][3]int{{0, 1, 12}, {1, 2, 10}, {0, 2, 10}}},
	} {
		ids := make([]string, len(tc.dobs))
		for i := range ids {
			ids[i] = fmt.Sprintf("r%d", i)
		}
		var want map[string]string
		for _, order := range rowOrders(len(tc.dobs)) {
			f := NewFrame(s)
			row := make([]int32, len(order)) // record → row
			for r, i := range order {
				rec := map[string]string{"name": "lan", "dob": tc.dobs[i]}
				if err := f.Add(ids[i], 0, func(k string) string { return rec[k] }, nil); err != nil {
					t.Fatal(err)
				}
				row[i] = int32(r)
			}
			var pairs []Pair
			for _, p := range tc.pairs {
				a, b := row[p[0]], row[p[1]]
				pairs = append(pairs, Pair{A: min(a, b), B: max(a, b), Weight: float32(p[2])})
			}
			cl, err := Cluster(f, s, pairs)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for i := range ids {
				got[ids[i]] = f.ID(int(cl.Of[row[i]]))
			}
			if want == nil {
				want = got
				continue
			}
			for x := range ids {
				for y := range ids {
					if (want[ids[x]] == want[ids[y]]) != (got[ids[x]] == got[ids[y]]) {
						t.Fatalf("%s: rows in the order %v put %s and %s together %v, the first order %v", tc.name, order, ids[x], ids[y], !(want[ids[x]] == want[ids[y]]), want[ids[x]] == want[ids[y]])
					}
				}
			}
		}
	}
}

// rowOrders returns every order of 0..n-1.
func rowOrders(n int) [][]int {
	if n == 0 {
		return [][]int{{}}
	}
	var out [][]int
	for _, p := range rowOrders(n - 1) {
		for i := 0; i <= len(p); i++ {
			out = append(out, append(append(append([]int{}, p[:i]...), n-1), p[i:]...))
		}
	}
	return out
}

// TestPersonGuardsAnyRowOrder: a person's guard summary (what the
// registry stores and dancu link recomputes to judge a grey-zone pair)
// does not depend on the order of its rows. Merged in row order, a year
// misread by a digit (1934 for 1984) took the span of whichever came
// second: rows 1984, 1934, 1985 summed up as born 1934, the same rows
// in another order as born 1984–1985, so a neighbour born 1986 was one
// person's or not by the order the records came in.
func TestPersonGuardsAnyRowOrder(t *testing.T) {
	s, err := settings.Parse([]byte(fullDateSettings))
	if err != nil {
		t.Fatal(err)
	}
	dobs := []string{"1984", "1934", "1985"}
	var want string
	for _, order := range rowOrders(len(dobs)) {
		f := NewFrame(s)
		for _, i := range order {
			rec := map[string]string{"name": "lan", "dob": dobs[i]}
			if err := f.Add(fmt.Sprintf("r%d", i), 0, func(k string) string { return rec[k] }, nil); err != nil {
				t.Fatal(err)
			}
		}
		rows := []int32{0, 1, 2}
		enc, err := EncodePersonGuards(f, s, rows)
		if err != nil {
			t.Fatal(err)
		}
		pg, err := NewPersonGuards(f, s)
		if err != nil {
			t.Fatal(err)
		}
		fast, err := pg.Encode(rows)
		if err != nil {
			t.Fatal(err)
		}
		if string(fast) != string(enc) {
			t.Fatalf("rows in the order %v: Encode %s, EncodePersonGuards %s", order, fast, enc)
		}
		if want == "" {
			want = string(enc)
		} else if string(enc) != want {
			t.Fatalf("rows in the order %v: summary %s, the first order %s", order, enc, want)
		}
	}
}
