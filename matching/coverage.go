package matching

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/dancu-vn/dancu/matching/settings"
)

// BlockingCoverage estimates, without labels, how many matching pairs
// the blocking rules never propose. Every candidate pair is scored with
// the trained model (by its levels, as EM scores it); its match
// probability counts as a fraction of a match. A match found by one rule only is a match the others missed:
// when many are, some are surely missed by every rule. The number missed
// by all is estimated as capture–recapture does with K rules as K
// "captures" (Chao's lower bound f1²/2f2 from the matches found by
// exactly one and exactly two rules); it assumes the rules miss matches
// independently, so rules on the same fields make it optimistic.
type BlockingCoverage struct {
	// Matches is the expected number of matching pairs among the
	// candidates (the sum of their match probabilities).
	Matches float64
	// ByRules[k] is the expected number of matching pairs that exactly
	// k+1 rules propose.
	ByRules []float64
	// PerRule are each rule's expected matches, and those only it finds.
	PerRule []RuleCoverage
	// Missed is the estimated number of matching pairs no rule proposes;
	// Recall = Matches / (Matches + Missed).
	Missed, Recall float64
	// Swapped is the expected number of matches found on a cross level
	// (first and last name swapped): found through other fields only,
	// unless a rule's key does not depend on the names' order.
	Swapped float64
	// Elapsed is the time the estimate took once the pairs were counted
	// (their comparison vectors and rules are counted while training).
	Elapsed time.Duration
}

// RuleCoverage is one rule's share of the expected matches.
type RuleCoverage struct {
	Rule          string
	Matches, Only float64
}

// blockingCoverage reads the candidate pairs' comparison vectors and the
// rules that make them (covered, counted while training) with the model
// of s. Pairs are weighed by their levels, without term-frequency or
// OCR-confidence adjustment, as EM weighs them.
func blockingCoverage(c *compiled, bs []*blocker, s *settings.Settings, covered patterns) *BlockingCoverage {
	if len(bs) < 2 {
		return nil
	}
	start := time.Now()
	ws := newWeights(c, s.Model, s.Training.Prior)
	nr, nc := min(len(bs), 32), len(c.comps)
	cov := &BlockingCoverage{ByRules: make([]float64, len(bs))}
	per, only := make([]float64, nr), make([]float64, nr)
	for key, cnt := range covered {
		g := []uint8(key[:nc])
		w := ws.prior
		swapped := false
		for k, l := range g {
			w += ws.w[k][l]
			cc := &c.comps[k]
			swapped = swapped || (l > 0 && int(l) <= len(cc.levels) && cc.levels[l-1].op == opCross)
		}
		for _, fd := range ws.folds {
			if g[fd.k] == 1 && g[fd.into] == 1 {
				w -= ws.w[fd.k][1]
			}
		}
		if len(ws.deps) > 0 {
			w -= ws.depAdj(c, nil, g, 0, 0, false)
		}
		if c.hasVeto && w >= ws.vetoCap && c.vetoed(g) {
			w = ws.vetoCap
		}
		p := probability(w) * float64(cnt)
		if p < 0.01*float64(cnt) {
			continue
		}
		m := uint32(key[nc]) | uint32(key[nc+1])<<8 | uint32(key[nc+2])<<16 | uint32(key[nc+3])<<24
		n, last := 0, -1
		for q := 0; q < nr; q++ {
			if m&(1<<q) != 0 {
				n++
				last = q
				per[q] += p
			}
		}
		if n == 0 {
			continue
		}
		cov.ByRules[n-1] += p
		if n == 1 {
			only[last] += p
		}
		if swapped {
			cov.Swapped += p
		}
	}
	for q, b := range bs {
		rc := RuleCoverage{Rule: b.rule.Name}
		if q < nr {
			rc.Matches, rc.Only = per[q], only[q]
		}
		cov.PerRule = append(cov.PerRule, rc)
		cov.Matches += cov.ByRules[q]
	}
	f1, f2 := cov.ByRules[0], cov.ByRules[1]
	if f2 > 0 {
		cov.Missed = f1 * f1 / (2 * f2)
	} else {
		cov.Missed = f1 * math.Max(f1-1, 0) / 2
	}
	if cov.Matches > 0 {
		cov.Recall = cov.Matches / (cov.Matches + cov.Missed)
	}
	cov.Elapsed = time.Since(start)
	return cov
}

// minCoverageRecall: below this estimated blocking recall, training warns.
const minCoverageRecall = 0.95

// String prints the estimate, one line per rule.
func (cov *BlockingCoverage) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "blocking coverage: %.0f expected matching pairs among the candidates; found by 1, 2, 3+ rules: %.0f, %.0f, %.0f; about %.0f missed by every rule (estimated blocking recall %.3f)",
		cov.Matches, cov.ByRules[0], cov.ByRules[1], sumFrom(cov.ByRules, 2), cov.Missed, cov.Recall)
	fmt.Fprintf(&b, "; %v", cov.Elapsed.Round(time.Millisecond))
	b.WriteByte('\n')
	for _, r := range cov.PerRule {
		fmt.Fprintf(&b, "  rule %-22s finds %.0f expected matches, %.0f of them no other rule finds\n", r.Rule, r.Matches, r.Only)
	}
	return b.String()
}

func sumFrom(x []float64, i int) float64 {
	s := 0.0
	for ; i < len(x); i++ {
		s += x[i]
	}
	return s
}

// coverageWarnings says when blocking probably misses matches, and what
// rule would find them.
func coverageWarnings(cov *BlockingCoverage, s *settings.Settings) []string {
	if cov == nil || cov.Matches < 20 {
		return nil
	}
	var out []string
	if cov.Recall < minCoverageRecall {
		var lone []string
		for _, r := range cov.PerRule {
			if r.Only > 0.2*cov.Matches/float64(len(cov.PerRule)) {
				lone = append(lone, fmt.Sprintf("%s (%.0f)", r.Rule, r.Only))
			}
		}
		out = append(out, fmt.Sprintf("blocking probably misses matches: %.0f expected matches are found by one rule only (%s), so about %.0f are found by none (estimated blocking recall %.2f < %.2f); add rules whose keys share no field with each other, so that a pair with any one or two fields wrong still meets one — see \"Blocking that finds the matches\" in dancu settings doc",
			cov.ByRules[0], strings.Join(lone, ", "), cov.Missed, cov.Recall, minCoverageRecall))
	}
	if cov.Swapped >= 0.02*cov.Matches && !hasOrderFreeKey(s) {
		out = append(out, fmt.Sprintf("%.0f expected matches have names in each other's column (a cross level); no blocking rule has a key that ignores the names' order, so such pairs are found only when other fields agree — add a column {join: [FIRST, LAST], transforms: [fold, sorted_words]} and a rule on it",
			cov.Swapped))
	}
	return out
}

// hasOrderFreeKey reports whether some blocking rule keys on a column
// whose words are sorted.
func hasOrderFreeKey(s *settings.Settings) bool {
	sorted := map[string]bool{}
	for _, c := range s.Columns {
		for _, t := range c.Transforms {
			if t == "sorted_words" {
				sorted[c.Name] = true
			}
		}
	}
	for _, r := range s.Blocking {
		for _, k := range r.Keys {
			if sorted[k] {
				return true
			}
		}
	}
	return false
}
