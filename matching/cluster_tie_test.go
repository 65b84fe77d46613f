package matching

import (
	"slices"
	"testing"

	"github.com/dancu-vn/dancu/matching/settings"
)

// tieFrame is two namesakes born the same year on different days and a
// record giving only the year (a police list), whose links to each weigh
// the same; rows in the order given.
func tieFrame(t *testing.T, rows []map[string]string) (*Frame, *settings.Settings) {
	t.Helper()
	s, err := settings.Parse([]byte(fullDateSettings))
	if err != nil {
		t.Fatal(err)
	}
	f := NewFrame(s)
	for _, r := range rows {
		if err := f.Add(r["rid"], 0, func(k string) string { return r[k] }, nil); err != nil {
			t.Fatal(err)
		}
	}
	return f, s
}

// TestClusterTieJoinsNeither: a record whose links to two namesakes the
// full_date guard keeps apart weigh exactly the same joins neither, in
// any order of the rows and of the pairs (before, it went to the
// namesake of the smaller row); a stronger link to one, or a tie
// between two clusters the guards let be one, still joins.
func TestClusterTieJoinsNeither(t *testing.T) {
	recs := []map[string]string{
		{"rid": "a", "name": "lan", "dob": "1994-10-15"},
		{"rid": "y", "name": "lan", "dob": "1994"},
		{"rid": "b", "name": "lan", "dob": "1994-04-05"},
	}
	orders := [][]int{{0, 1, 2}, {1, 0, 2}, {2, 1, 0}, {1, 2, 0}}
	for _, ord := range orders {
		var rows []map[string]string
		at := map[string]int32{}
		for i, k := range ord {
			rows = append(rows, recs[k])
			at[recs[k]["rid"]] = int32(i)
		}
		f, s := tieFrame(t, rows)
		pair := func(x, y string, w float32) Pair {
			a, b := at[x], at[y]
			return Pair{A: min(a, b), B: max(a, b), Weight: w}
		}
		for _, pairs := range [][]Pair{
			{pair("a", "y", 12), pair("y", "b", 12)},
			{pair("y", "b", 12), pair("a", "y", 12)},
		} {
			cl, err := Cluster(f, s, pairs)
			if err != nil {
				t.Fatal(err)
			}
			if m := cl.Members(); len(m) != 3 {
				t.Fatalf("rows %v: clusters %v, want the year-only record with neither namesake", ord, cl.Of)
			}
			if len(cl.Blocked) != 2 || cl.Blocked[0].Guard.Kind != GuardTie || cl.Blocked[1].Guard.Kind != GuardTie {
				t.Fatalf("rows %v: blocked %+v, want both links refused as a tie", ord, cl.Blocked)
			}
			if cl.Prob[at["y"]] != 0 {
				t.Errorf("rows %v: the year-only record's probability %v, want 0 (alone)", ord, cl.Prob[at["y"]])
			}
		}
		// A stronger link to one namesake: no tie.
		cl, err := Cluster(f, s, []Pair{pair("a", "y", 12), pair("y", "b", 11.5)})
		if err != nil {
			t.Fatal(err)
		}
		if cl.Of[at["y"]] != cl.Of[at["a"]] || cl.Of[at["y"]] == cl.Of[at["b"]] {
			t.Errorf("rows %v: clusters %v, want the year-only record with the stronger link's namesake", ord, cl.Of)
		}
	}
	// Two records the guards let be one person (the same day), and the
	// year-only record tied between them: all three are one.
	recs[2]["dob"] = "1994-10-15"
	f, s := tieFrame(t, recs)
	cl, err := Cluster(f, s, []Pair{{A: 0, B: 1, Weight: 12}, {A: 1, B: 2, Weight: 12}})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(cl.Of, []int32{0, 0, 0}) {
		t.Errorf("clusters %v, want one person of the three", cl.Of)
	}
}

// TestClusterTieNumbersAlone: two records of one birthday the number
// guard alone keeps apart may be one person with two numbers (two_ids,
// for review): a record tied between them still joins one, by rows.
func TestClusterTieNumbersAlone(t *testing.T) {
	f, s := tieFrame(t, []map[string]string{
		{"rid": "a", "name": "lan", "dob": "1994-10-15", "id": "001194000123"},
		{"rid": "y", "name": "lan", "dob": "1994"},
		{"rid": "b", "name": "lan", "dob": "1994-10-15", "id": "001194987654"},
	})
	cl, err := Cluster(f, s, []Pair{{A: 0, B: 1, Weight: 12}, {A: 1, B: 2, Weight: 12}})
	if err != nil {
		t.Fatal(err)
	}
	if cl.Of[0] == cl.Of[2] || cl.Of[1] != cl.Of[0] && cl.Of[1] != cl.Of[2] {
		t.Errorf("clusters %v, want the two numbers apart and the year-only record with one of them", cl.Of)
	}
	for _, b := range cl.Blocked {
		if b.Guard.Kind == GuardTie {
			t.Errorf("blocked %+v as a tie", b)
		}
	}
}

// TestClusterTieHoldsForWeakerLinks: once tied, the record does not join
// either namesake through a weaker link later (a second record of one of
// them), nor a third namesake: the weaker link is no evidence to choose.
func TestClusterTieHoldsForWeakerLinks(t *testing.T) {
	f, s := tieFrame(t, []map[string]string{
		{"rid": "a", "name": "lan", "dob": "1994-10-15"},
		{"rid": "y", "name": "lan", "dob": "1994"},
		{"rid": "b", "name": "lan", "dob": "1994-04-05"},
		{"rid": "a2", "name": "lan", "dob": "1994-10-15"},
	})
	cl, err := Cluster(f, s, []Pair{{A: 0, B: 1, Weight: 12}, {A: 1, B: 2, Weight: 12}, {A: 0, B: 3, Weight: 20}, {A: 1, B: 3, Weight: 9}})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(cl.Of, []int32{0, 1, 2, 0}) {
		t.Errorf("clusters %v, want the namesake's two records one person and the year-only record alone", cl.Of)
	}
	// Nor a third namesake, less like it than either.
	f, s = tieFrame(t, []map[string]string{
		{"rid": "a", "name": "lan", "dob": "1994-10-15"},
		{"rid": "y", "name": "lan", "dob": "1994"},
		{"rid": "b", "name": "lan", "dob": "1994-04-05"},
		{"rid": "c", "name": "lan", "dob": "1994-07-20"},
	})
	cl, err = Cluster(f, s, []Pair{{A: 0, B: 1, Weight: 12}, {A: 1, B: 2, Weight: 12}, {A: 1, B: 3, Weight: 9}})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(cl.Of, []int32{0, 1, 2, 3}) {
		t.Errorf("clusters %v, want four persons: the year-only record joins no third namesake", cl.Of)
	}
}
