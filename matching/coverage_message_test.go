package matching

import (
	"strings"
	"testing"
)

// TestSuggestPairsBelowOne: a rule to add that makes under half a pair per
// record said "0 pairs per record" (acc17's dedupe: postcode alone, 0.41),
// which reads as a rule that proposes nothing. The figure is now written
// with two significant digits below 10.
func TestSuggestPairsBelowOne(t *testing.T) {
	for _, c := range []struct {
		pairs float64
		want  string
	}{{0.41, "(0.41 pairs per record here"}, {3.4, "(3.4 pairs per record here"}, {548, "would make 548 pairs per record"}} {
		cov := &BlockingCoverage{
			Matches: 1000, ByRules: []float64{400, 300, 300}, Captures: 3,
			PerRule: []RuleCoverage{{Rule: "a", Matches: 600, Only: 200}, {Rule: "b", Matches: 600, Only: 200}},
			Missed:  200, Recall: 1000.0 / 1200,
			Suggest: []string{"postcode"}, SuggestMatches: 150, SuggestPairs: c.pairs,
		}
		var rule string
		for _, w := range coverageWarnings(cov, nil) {
			if strings.HasPrefix(w, "rule to add") {
				rule = w
			}
		}
		if !strings.Contains(rule, c.want) {
			t.Errorf("%g pairs per record: the rule to add reads %q, want it to contain %q", c.pairs, rule, c.want)
		}
	}
}
