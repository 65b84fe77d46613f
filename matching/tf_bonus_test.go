package matching

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/matching/settings"
)

// tfBonusSettings compares a first name with its term frequency, a date
// of birth and a number; %s is the settings' no_tf_bonus_when, if any.
const tfBonusSettings = `
version: 1
name: tfbonus
columns:
  - {name: first, transforms: [lower]}
  - {name: dob, kind: date}
  - {name: id, kind: code}
blocking:
  - {name: first, keys: [first]}
comparisons:
  - name: first
    null_columns: [first]
    levels:
      - {label: exact, op: exact, column: first, tf: first}
  - name: dob
    null_columns: [dob]
    levels:
      - {label: exact, op: date_exact, column: dob}
  - name: id
    null_columns: [id]
    levels:
      - {label: same number, op: exact, column: id}
%s`

const tfBonusWhen = `no_tf_bonus_when:
  - {comparison: dob, levels: [else]}
  - {comparison: id, levels: [else]}
`

// TestNoTFBonusWhen: a pair whose dates of birth or numbers differ (a
// listed comparison on a listed level) scores a rare name it shares at
// the level's weight, without the term-frequency bonus; a common name's
// adjustment, which lowers the weight, stays; a blank date or number
// contradicts nothing; without the setting the bonus is there. The
// explanation says so and adds up to the score, and a record against a
// cluster (average linkage's profile) is scored the same way.
func TestNoTFBonusWhen(t *testing.T) {
	rows := []map[string]string{
		{"first": "Giang", "dob": "1990-05-01", "id": "001"}, // 0
		{"first": "Giang", "dob": "1990-05-01", "id": "001"}, // 1: the same
		{"first": "Giang", "dob": "1992-07-03"},              // 2: another date
		{"first": "Giang", "id": "002"},                      // 3: another number
		{"first": "Giang"},                                   // 4: nothing to contradict
		{"first": "Nguyen", "dob": "1970-01-01"},             // 5
		{"first": "Nguyen", "dob": "1971-02-02"},             // 6: another date
	}
	const uName, tfRare, tfCommon = 0.05, 0.001, 0.3
	model := settings.Model{Lambda: 0.01, Comparisons: []settings.ComparisonModel{
		{Name: "first", M: []float64{0.9, 0.1}, U: []float64{uName, 1 - uName}},
		{Name: "dob", M: []float64{0.8, 0.2}, U: []float64{0.01, 0.99}},
		{Name: "id", M: []float64{0.9, 0.1}, U: []float64{0.001, 0.999}},
	}, TermFrequencies: map[string]map[string]float64{"first": {"giang": tfRare, "nguyen": tfCommon}}, TermFloor: 1e-4}
	build := func(when string) (*settings.Settings, *Frame, *compiled, *weights) {
		s, err := settings.Parse([]byte(fmt.Sprintf(tfBonusSettings, when)))
		if err != nil {
			t.Fatal(err)
		}
		m := model
		s.Model = &m
		f, c, ws := scoredFrame(t, s, rows)
		return s, f, c, ws
	}
	score := func(f *Frame, c *compiled, ws *weights, a, b int32) float64 {
		gs := make([]uint8, len(c.comps))
		for k := range gs {
			gs[k] = c.gamma(f, k, a, b)
		}
		return ws.score(c, f, gs, a, b)
	}
	bonus, common := math.Log2(uName/tfRare), math.Log2(uName/tfCommon)
	s, f, c, ws := build(tfBonusWhen)
	_, f0, c0, ws0 := build("")
	for _, tc := range []struct {
		name        string
		a, b        int32
		adj, adjOff float64 // the name's adjustment with and without the setting
	}{
		{"same date and number", 0, 1, bonus, bonus},
		{"dates differ", 0, 2, 0, bonus},
		{"numbers differ", 0, 3, 0, bonus},
		{"blanks contradict nothing", 0, 4, bonus, bonus},
		{"a common name's adjustment stays", 5, 6, common, common},
	} {
		rest := score(f, c, ws, tc.a, tc.b) - ws.w[0][1]
		rest0 := score(f0, c0, ws0, tc.a, tc.b) - ws0.w[0][1]
		gs := []uint8{c.gamma(f, 0, tc.a, tc.b), c.gamma(f, 1, tc.a, tc.b), c.gamma(f, 2, tc.a, tc.b)}
		others := ws.prior + ws.w[1][gs[1]] + ws.w[2][gs[2]]
		if got := rest - others; math.Abs(got-tc.adj) > 1e-9 {
			t.Errorf("%s: name's adjustment %v, want %v", tc.name, got, tc.adj)
		}
		if got := rest0 - others; math.Abs(got-tc.adjOff) > 1e-9 {
			t.Errorf("%s, without no_tf_bonus_when: name's adjustment %v, want %v", tc.name, got, tc.adjOff)
		}
		e := ExplainPair(f, s, tc.a, tc.b)
		if math.Abs(e.Total-score(f, c, ws, tc.a, tc.b)) > 1e-9 {
			t.Errorf("%s: explanation's total %v, score %v", tc.name, e.Total, score(f, c, ws, tc.a, tc.b))
		}
		if said := strings.Contains(e.Steps[0].Level, "no_tf_bonus_when"); said != (tc.adj != tc.adjOff) {
			t.Errorf("%s: explanation's level %q", tc.name, e.Steps[0].Level)
		}
	}
	// A record against a cluster of one record is that pair.
	al, err := newAverageLinkage(f, s)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range [][2]int32{{2, 0}, {4, 0}} {
		if got, want := al.profileScore(p[0], p[1]), score(f, c, ws, p[1], p[0]); math.Abs(got-want) > 1e-9 {
			t.Errorf("rows %d against %d's cluster: %v, want the pair's %v", p[0], p[1], got, want)
		}
	}
}

// TestNoTFBonusWhenValidate: each condition names a comparison of the
// settings and levels it has.
func TestNoTFBonusWhenValidate(t *testing.T) {
	for _, when := range []string{
		"no_tf_bonus_when:\n  - {comparison: nowhere, levels: [else]}\n",
		"no_tf_bonus_when:\n  - {comparison: dob, levels: [no such level]}\n",
		// A condition that can never hold, and one whose unless would
		// be read nowhere (it lifts vetoes only): each a setting a user
		// believes in and the matcher ignores.
		"no_tf_bonus_when:\n  - {comparison: dob, levels: []}\n",
		"no_tf_bonus_when:\n  - {comparison: dob, levels: [else], unless: [{comparison: id, levels: [same number]}]}\n",
	} {
		if _, err := settings.Parse([]byte(fmt.Sprintf(tfBonusSettings, when))); err == nil || !strings.Contains(err.Error(), "no_tf_bonus_when[0]") {
			t.Errorf("%q: error %v, want one naming no_tf_bonus_when[0]", when, err)
		}
	}
}
