package matching

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/matching/settings"
)

// TestTrainLabels checks that review decisions move the model the way
// they should: labelled non-matches sharing a surname make the surname's
// exact level likelier among non-matches (u up, weight down), and
// labelled matches whose given names differ by a typo make the jw level
// likelier among matches (m up). Without labels of a kind, its side of
// the model is as trained without labels.
func TestTrainLabels(t *testing.T) {
	s, err := settings.Parse([]byte(toySettings))
	if err != nil {
		t.Fatal(err)
	}
	rows, ids, truth := toyRows(1500, 7)
	f := toyFrame(t, s, rows, ids)
	var labels []LabelledPair
	// Non-matches: records of different entities with the same surname.
	bySurname := map[string]string{}
	for i, r := range rows {
		if j, ok := bySurname[r["last"]]; ok && truth[j] != truth[ids[i]] && len(labels) < 300 {
			labels = append(labels, LabelledPair{A: j, B: ids[i]})
		}
		bySurname[r["last"]] = ids[i]
	}
	nonMatches := len(labels)
	// Matches: records of one entity whose given names differ.
	firstOf := map[string]int{}
	for i := range rows {
		e := truth[ids[i]]
		if j, ok := firstOf[e]; ok && rows[j]["first"] != rows[i]["first"] {
			labels = append(labels, LabelledPair{A: ids[j], B: ids[i], Match: true})
		}
		firstOf[e] = i
	}
	matches := len(labels) - nonMatches
	if nonMatches < 50 || matches < 20 {
		t.Fatalf("test data: %d non-matches, %d matches", nonMatches, matches)
	}
	base, _, err := Train(context.Background(), f, s, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, rep, err := Train(context.Background(), f, s, labels)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Labelled != matches || rep.LabelledNonMatches != nonMatches {
		t.Errorf("labelled pairs used: %d matches, %d non-matches; want %d, %d", rep.Labelled, rep.LabelledNonMatches, matches, nonMatches)
	}
	comp := func(m *settings.Model, name string) settings.ComparisonModel {
		for _, c := range m.Comparisons {
			if c.Name == name {
				return c
			}
		}
		t.Fatalf("no comparison %s", name)
		return settings.ComparisonModel{}
	}
	// Level 0 is exact, 1 jw (toySettings).
	bl, gl := comp(base, "last"), comp(got, "last")
	if !(gl.U[0] > bl.U[0]) {
		t.Errorf("u of last exact %.6f with non-match labels, %.6f without: want higher", gl.U[0], bl.U[0])
	}
	if !(gl.M[0]/gl.U[0] < bl.M[0]/bl.U[0]) {
		t.Errorf("m/u of last exact %.3f with non-match labels, %.3f without: want lower", gl.M[0]/gl.U[0], bl.M[0]/bl.U[0])
	}
	bf, gf := comp(base, "first"), comp(got, "first")
	if !(gf.M[1] > bf.M[1]) {
		t.Errorf("m of first jw %.4f with match labels, %.4f without: want higher", gf.M[1], bf.M[1])
	}
	// Only non-match labels: m is as without labels (up to the float
	// rounding of training's parallel sums).
	onlyNon, _, err := Train(context.Background(), f, s, labels[:nonMatches])
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range onlyNon.Comparisons {
		for l := range c.M {
			if math.Abs(c.M[l]-base.Comparisons[i].M[l]) > 1e-9 {
				t.Errorf("%s m[%d] %.6f with only non-match labels, %.6f without", c.Name, l, c.M[l], base.Comparisons[i].M[l])
			}
		}
	}
}

// TestTrainWarnsOfUnknownLabels checks that labelled pairs naming records
// the input does not hold (a label file written with the sources' own
// codes) are reported in a training warning, not dropped without a word,
// and that known ones raise none.
func TestTrainWarnsOfUnknownLabels(t *testing.T) {
	s, err := settings.Parse([]byte(toySettings))
	if err != nil {
		t.Fatal(err)
	}
	rows, ids, _ := toyRows(300, 3)
	f := toyFrame(t, s, rows, ids)
	warned := func(labels []LabelledPair) string {
		_, rep, err := Train(context.Background(), f, s, labels)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range rep.Warnings {
			if strings.Contains(w, "labelled pairs name a record not in the input") {
				return w
			}
		}
		return ""
	}
	known := []LabelledPair{{A: ids[0], B: ids[1]}, {A: ids[2], B: ids[3], Match: true}}
	if w := warned(known); w != "" {
		t.Errorf("known labels warned: %s", w)
	}
	w := warned(append(known, LabelledPair{A: "HS-0042", B: ids[4], Match: true}, LabelledPair{A: ids[5], B: "HS-0043"}))
	if !strings.Contains(w, "2 of 4") || !strings.Contains(w, `"HS-0042"`) {
		t.Errorf("warning %q: want 2 of 4 pairs unknown, the first HS-0042", w)
	}
}
