package matching

import (
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/matching/settings"
)

// TestLambdaWarnings: an implausible λ is a warning (--strict fails) only
// when the model takes it; EM's λ, when the model took the confident-pair
// bound instead, is a note naming the λ the model took.
func TestLambdaWarnings(t *testing.T) {
	const records, total = 20_000, 200_000_000 // 10,000 pairs per record
	emOnly := &TrainReport{Records: records, TotalPairs: total, LambdaEM: 2e-3, LambdaGlobal: 2e-3}
	w, n := lambdaWarnings(emOnly)
	if len(w) != 1 || len(n) != 0 || !strings.Contains(w[0], "λ (EM, the one the model takes)") || !strings.Contains(w[0], "20.0 per record > 5") {
		t.Errorf("EM's λ taken, 20 per record: warnings %q, notes %q; want one warning", w, n)
	}
	bounded := &TrainReport{Records: records, TotalPairs: total, LambdaEM: 2e-3, LambdaGlobal: 2e-4, LambdaConfident: 2e-4, LambdaBounded: true}
	w, n = lambdaWarnings(bounded)
	if len(w) != 0 || len(n) != 1 || !strings.Contains(n[0], "the model does not use it: it takes λ (confident-pair bound) 0.0002, 2.00 per record") {
		t.Errorf("bounded λ, 2 per record: warnings %q, notes %q; want one note naming the bound", w, n)
	}
	bounded.LambdaGlobal, bounded.LambdaStep = 4e-4, 4e-4
	if _, n = lambdaWarnings(bounded); len(n) != 1 || !strings.Contains(n[0], "one EM step") {
		t.Errorf("stepped λ: notes %q, want the step named", n)
	}
	bounded.LambdaGlobal, bounded.LambdaStep = 1e-3, 0
	if w, _ = lambdaWarnings(bounded); len(w) != 1 || !strings.Contains(w[0], "confident-pair bound, the one the model takes") {
		t.Errorf("bound itself implausible (10 per record): warnings %q, want one", w)
	}
	rules := &TrainReport{Records: records, TotalPairs: total, LambdaEM: 1e-4, LambdaRules: 1e-3, LambdaGlobal: 1e-3}
	if w, n = lambdaWarnings(rules); len(w) != 1 || len(n) != 0 || !strings.Contains(w[0], "deterministic rules") {
		t.Errorf("deterministic rules' λ implausible: warnings %q, notes %q", w, n)
	}
	fine := &TrainReport{Records: records, TotalPairs: total, LambdaEM: 1e-4, LambdaGlobal: 1e-4}
	if w, n = lambdaWarnings(fine); len(w)+len(n) != 0 {
		t.Errorf("plausible λ: warnings %q, notes %q", w, n)
	}
}

// TestLevelBelowElseWeighsAsElse: a level whose trained m is near 0 would
// weigh against a pair more than else; it is weighed as else, in scores
// and in explain's waterfall, and training names it in a note.
func TestLevelBelowElseWeighsAsElse(t *testing.T) {
	s, err := settings.Parse([]byte(`
version: 1
name: floor
columns:
  - {name: dob, kind: date, date_format: ymd}
blocking:
  - {name: dob, keys: [dob.year]}
comparisons:
  - name: dob
    null_columns: [dob]
    levels:
      - {label: exact, op: date_exact, column: dob}
      - {label: "±1 year", op: date_years, column: dob, max: 1}
      - {label: same decade, op: date_years, column: dob, max: 9}
`))
	if err != nil {
		t.Fatal(err)
	}
	s.Model = &settings.Model{Lambda: 0.01, LambdaGlobal: 0.001, Comparisons: []settings.ComparisonModel{{Name: "dob",
		M: []float64{0.8, 0.15, 1e-7, 0.05}, U: []float64{0.001, 0.05, 0.1, 0.849}}}}
	f := toyFrame(t, s, []map[string]string{{"dob": "1950-01-02"}, {"dob": "1955-03-04"}, {"dob": "1990-05-06"}}, []string{"a", "b", "c"})
	decade, far := ExplainPair(f, s, 0, 1), ExplainPair(f, s, 0, 2)
	if decade.Err != nil || far.Err != nil {
		t.Fatal(decade.Err, far.Err)
	}
	if d, e := decade.Steps[0], far.Steps[0]; d.Level != "same decade" || e.Level != "else" || d.Weight != e.Weight || e.Weight > -4 {
		t.Errorf("same decade %s %+.2f, else %s %+.2f: want same decade weighed as else", d.Level, d.Weight, e.Level, e.Weight)
	}
	notes := asElseNotes(s, s.Model)
	if len(notes) != 1 || !strings.Contains(notes[0], `comparison dob, level "same decade"`) || !strings.Contains(notes[0], "weighed as else") {
		t.Errorf("notes %q, want one naming dob's same decade", notes)
	}
	if d := settings.DescribeModel(s); !strings.Contains(d, "(as else: log2 m/u") {
		t.Errorf("model description does not say the level is weighed as else:\n%s", d)
	}
}
