package matching

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
)

// TestTrainLeavesOutDerivedComparisons checks column lineage: a session
// blocked on the soundex of the surname must leave out the surname
// comparison (same input), and one blocked on the city must keep it.
func TestTrainLeavesOutDerivedComparisons(t *testing.T) {
	y := strings.Replace(toySettings, "  - {name: nid, kind: code}\n",
		"  - {name: nid, kind: code}\n  - {name: last_sx, from: last, transforms: [soundex]}\n", 1)
	y = strings.Replace(y, "  - {name: dob, keys: [dob]}\n", "  - {name: dob, keys: [dob]}\n  - {name: last_sx_city, keys: [last_sx, city]}\n", 1)
	s, err := ParseSettings([]byte(y))
	if err != nil {
		t.Fatal(err)
	}
	rows, ids, _ := toyRows(600, 3)
	f := toyFrame(t, s, rows, ids)
	_, rep, err := Train(context.Background(), f, s, nil)
	if err != nil {
		t.Fatal(err)
	}
	fixed := map[string][]string{}
	for _, ss := range rep.Sessions {
		fixed[ss.Rule] = ss.Fixed
	}
	if got := fixed["last_sx_city"]; !slices.Contains(got, "last") || !slices.Contains(got, "city") || slices.Contains(got, "first") {
		t.Errorf("session last_sx_city left out %v, want last and city (not first)", got)
	}
	if got := fixed["dob"]; !slices.Equal(got, []string{"dob"}) {
		t.Errorf("session dob left out %v, want [dob]", got)
	}
	if got := Lineage(ColumnSpec{Name: "x", From: "vn.given_key"}); !slices.Equal(got, []string{"full_name"}) {
		t.Errorf("lineage of vn.given_key = %v, want [full_name]", got)
	}
	if got := Lineage(ColumnSpec{Name: "x", Inputs: []string{"a", "b"}}); !slices.Equal(got, []string{"a", "b"}) {
		t.Errorf("declared inputs = %v", got)
	}
}

// TestDeterministicLambda checks λ from deterministic rules: the pairs
// agreeing on the rules' keys over the recall, against a count made here
// by brute force, and the warning when EM disagrees with it.
func TestDeterministicLambda(t *testing.T) {
	s, err := ParseSettings([]byte(toySettings + `training:
  deterministic:
    - {name: name_dob, keys: [first, last, dob]}
  recall: 0.5
`))
	if err != nil {
		t.Fatal(err)
	}
	rows, ids, _ := toyRows(800, 5)
	f := toyFrame(t, s, rows, ids)
	var want int64
	for i := range rows {
		for j := i + 1; j < len(rows); j++ {
			a, b := rows[i], rows[j]
			if a["first"] == b["first"] && a["last"] == b["last"] && a["dob"] == b["dob"] {
				want++
			}
		}
	}
	m, rep, err := Train(context.Background(), f, s, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.RulePairs != want {
		t.Errorf("deterministic pairs = %d, brute force %d", rep.RulePairs, want)
	}
	total := float64(len(rows)) * float64(len(rows)-1) / 2
	if wantL := float64(want) / 0.5 / total; math.Abs(m.LambdaGlobal-wantL) > 1e-9 {
		t.Errorf("λ = %g, want %g", m.LambdaGlobal, wantL)
	}
	// A recall far too low makes λ far too high: the check must say so.
	s.Training.Recall = 0.01
	_, rep, err = Train(context.Background(), f, s, nil)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, w := range rep.Warnings {
		found = found || strings.Contains(w, "differ")
	}
	if !found {
		t.Errorf("no EM-versus-rules warning at recall 0.01 (λ rules %g, EM %g): %v", rep.LambdaRules, rep.LambdaEM, rep.Warnings)
	}
}

// TestTrainWarnsOnImplausibleSession links records that all share a
// surname and blocks on a copy of it not declared as derived: that
// session's match rate is near 1 and training must warn.
func TestTrainWarnsOnImplausibleSession(t *testing.T) {
	s, err := ParseSettings([]byte(toySettings))
	if err != nil {
		t.Fatal(err)
	}
	var rows []map[string]string
	var ids []string
	for i := 0; i < 300; i++ {
		// Ten records per person, every field equal: each blocking rule's
		// pairs are all matches.
		r := map[string]string{"first": firsts[i/10%len(firsts)], "last": lasts[i/10%len(lasts)],
			"dob": fmt.Sprintf("19%02d-01-%02d", i/10, 1+i/10%28), "city": "hue"}
		rows, ids = append(rows, r), append(ids, fmt.Sprint(i))
	}
	f := toyFrame(t, s, rows, ids)
	_, rep, err := Train(context.Background(), f, s, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(rep.Warnings, "\n"), "match rate") {
		t.Errorf("no session warning: %v\n%s", rep.Warnings, rep)
	}
}

// TestCompatible checks the exported cluster guard, which an incremental
// matcher calls with summaries it keeps per person.
func TestCompatible(t *testing.T) {
	s, err := ParseSettings([]byte(toySettings))
	if err != nil {
		t.Fatal(err)
	}
	rows := []map[string]string{
		{"dob": "1990-01-01", "nid": "001190000001"},
		{"dob": "1991-05-01"},
		{"dob": "1990-01-01", "nid": "001190000999"},
		{"dob": "1994"},
	}
	f := toyFrame(t, s, rows, []string{"a", "b", "c", "d"})
	gs, err := NewGuardSet(f, s)
	if err != nil {
		t.Fatal(err)
	}
	a, b, c, d := gs.Summary(f, 0), gs.Summary(f, 1), gs.Summary(f, 2), gs.Summary(f, 3)
	if ok, _, why := gs.Compatible(a, b); !ok {
		t.Errorf("a, b: %s", why)
	}
	ab := gs.Merge(a, b)
	if ok, _, _ := gs.Compatible(ab, c); ok {
		t.Error("a+b and c hold two numbers but are compatible")
	}
	// 1990..1991 with 1994 spans 4 > 2 years; b alone with d spans 3.
	if ok, gi, _ := gs.Compatible(ab, d); ok || s.Guards[gi].Kind != "year_span" {
		t.Errorf("a+b and d: ok %v guard %d, want a year_span refusal", ok, gi)
	}
	if ok, _, _ := gs.Compatible(gs.Summary(f, 1), gs.Summary(f, 1)); !ok {
		t.Error("a record is incompatible with itself")
	}
}
