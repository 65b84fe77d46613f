package matching

import (
	"context"
	"math/rand"
	"strconv"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/matching/settings"
)

// TestConfidentLambdaWithBlanks: where a third of every field is blank,
// few matches have every comparison present, the confident pairs (every
// comparison exact) fall under minConfidentRecall and nothing bounded
// EM's λ (acc17's dedupe: 22 matching pairs per record, 0.28 true). The
// pairs every present comparison of which is exact, at least half of them
// exact, bound it instead.
func TestConfidentLambdaWithBlanks(t *testing.T) {
	s, err := settings.Parse([]byte(`
version: 1
name: blanks
link_type: dedupe_only
columns:
` + blankColumns + `  - {name: names, join: [first_name, last_name], transforms: [fold, sorted_words]}
  - {name: born, date_parts: {year: birth_year, month: birth_month, day: birth_day}}
  - {name: plz, kind: code, from: zip}
blocking:
  - {name: names, keys: [names]}
  - {name: born, keys: [born]}
  - {name: ln_plz, keys: [ln, plz]}
comparisons:
` + blankComparisons))
	if err != nil {
		t.Fatal(err)
	}
	tb := blankGerman()
	f := NewFrame(s)
	if err := AddTable(f, tb, &Mapping{ID: "id"}, 0); err != nil {
		t.Fatal(err)
	}
	m, rep, err := Train(context.Background(), f, s, nil)
	if err != nil {
		t.Fatal(err)
	}
	truePairs := truePairsBy(tb.Rows, 8)
	got := m.LambdaGlobal * float64(rep.TotalPairs)
	t.Logf("matching pairs: true %d, model %.0f (EM %.0f, confident %.0f at recall %.3g, bounded %v)", truePairs, got,
		rep.LambdaEM*float64(rep.TotalPairs), rep.LambdaConfident*float64(rep.TotalPairs), rep.ConfidentRecall, rep.LambdaBounded)
	if rep.LambdaConfident == 0 {
		t.Error("no confident-pair bound on λ")
	}
	if got > 3*float64(truePairs) {
		t.Errorf("λ implies %.0f matching pairs, true %d: more than 3× too generous", got, truePairs)
	}
}

// blankColumns and blankComparisons are the columns and comparisons of
// blankGerman's names, date and postcode that both tests' settings hold.
const blankColumns = `  - {name: fn, from: first_name, transforms: [fold]}
  - {name: ln, from: last_name, transforms: [fold]}
`

const blankComparisons = `  - {name: first, null_columns: [fn], levels: [{label: exact, op: exact, column: fn}, {label: jw, op: jw, column: fn, threshold: 0.9}]}
  - {name: last, null_columns: [ln], levels: [{label: exact, op: exact, column: ln}, {label: jw, op: jw, column: ln, threshold: 0.9}]}
  - {name: born, null_columns: [born], levels: [{label: exact, op: date_exact, column: born}, {label: year, op: date_year, column: born}]}
  - {name: plz, null_columns: [plz], levels: [{label: exact, op: exact, column: plz}]}
`

// blankGerman is germanDedupe's 6,000 records with a third of the first
// names, last names, years of birth and postcodes blank, and a sex (the
// person's, never wrong) in a column of its own.
func blankGerman() *Table {
	tb := germanDedupe(6000, 0.1, 11)
	r := rand.New(rand.NewSource(3))
	tb.Header = append(tb.Header, "sex")
	for i, row := range tb.Rows {
		for _, c := range []int{1, 2, 3, 7} { // first, last, year (the date), zip
			if r.Intn(3) == 0 {
				row[c] = ""
			}
		}
		p, _ := strconv.Atoi(row[8])
		tb.Rows[i] = append(row, []string{"M", "F"}[p%2])
	}
	return tb
}

// TestRuleToAddIsNoSex: the rule training suggests to add is keyed on a
// field that narrows the pairs, never on a sex — which agrees on every
// match the names rule alone finds, and half of all people share (acc17's
// dedupe, where blanks made it the field most matches agreed on: "rule to
// add: … agree exactly on sex … 3395 pairs per record").
func TestRuleToAddIsNoSex(t *testing.T) {
	s, err := settings.Parse([]byte(`
version: 1
name: blanks_sex
link_type: dedupe_only
columns:
` + blankColumns + `  - {name: ln_sx, from: last_name, transforms: [soundex]}
  - {name: born, date_parts: {year: birth_year, month: birth_month, day: birth_day}}
  - {name: plz, kind: code, from: zip}
  - {name: sex, kind: code}
blocking:
  - {name: ln_year, keys: [ln_sx, born.year]}
  - {name: fn_plz, keys: [fn, plz]}
comparisons:
  - {name: sex, null_columns: [sex], levels: [{label: exact, op: exact, column: sex}]}
` + blankComparisons))
	if err != nil {
		t.Fatal(err)
	}
	f := NewFrame(s)
	if err := AddTable(f, blankGerman(), &Mapping{ID: "id"}, 0); err != nil {
		t.Fatal(err)
	}
	_, rep, err := Train(context.Background(), f, s, nil)
	if err != nil {
		t.Fatal(err)
	}
	cov := rep.Coverage
	if cov == nil {
		t.Fatal("no blocking coverage")
	}
	t.Logf("estimated blocking recall %.3f; suggest %v (%.0f of %.0f single-rule matches)", cov.Recall, cov.Suggest, cov.SuggestMatches, cov.ByRules[0])
	for _, w := range rep.BlockingWarnings {
		if strings.Contains(w, "rule to add") && strings.Contains(w, "on sex") {
			t.Errorf("suggests a rule on sex: %s", w)
		}
	}
	if len(cov.Suggest) == 0 && cov.Recall < minCoverageRecall {
		t.Logf("no field stands out: %q", rep.BlockingWarnings)
	}
}
