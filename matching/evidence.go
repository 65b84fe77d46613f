package matching

import (
	"math"

	"github.com/dancu-vn/dancu/matching/settings"
)

// evidenceBin is the width, in bits, of the bins evidenceRecall sums
// match weights in; evidenceCap bounds one comparison's weight (beyond it
// a level decides alone: a veto, or a unique number).
const (
	evidenceBin = 0.05
	evidenceCap = 64.0
	// lowEvidenceRecall: below it training's report says that the
	// recall is held by the records' evidence, not by blocking.
	lowEvidenceRecall = 0.9
)

// evidenceRecall estimates the share of matching pairs that the model
// scores at or above the match threshold, whichever rule proposes them:
// what the records hold, not what blocking finds. Each comparison of a
// match is null when either record lacks its values (the share of records
// lacking them, independently on each side), else on its levels with the
// model's m; a level with a term-frequency column weighs by the value the
// two share, each value as often among matches as among records. The
// comparisons add independently, as the model adds them; folded ones are
// left out (they add nothing when their twin agrees) and dependent levels
// are taken at their overall u.
//
// Where a third of every field is blank, a match often has one or two
// comparisons present, and one agreeing common value (a surname, a town)
// is far too little to link at λ of a few in a hundred thousand: this is
// the recall no blocking rule, comparison level or training recovers
// (acc21: 0.66 estimated, 0.657 of the true pairs scored so by the model
// fitted from the labels).
func evidenceRecall(f *Frame, c *compiled, s *settings.Settings, model *settings.Model) float64 {
	if f.Len() == 0 || len(model.Comparisons) != len(c.comps) {
		return 0
	}
	ws := newWeights(c, model, s.Training.Prior)
	folded := map[int]bool{}
	for _, fd := range ws.folds {
		folded[fd.k] = true
	}
	bin := func(w float64) int {
		if math.IsNaN(w) {
			return 0 // a level neither side of a tiny sample reached (m and u 0): no evidence
		}
		return int(math.Round(math.Max(-evidenceCap, math.Min(evidenceCap, w)) / evidenceBin))
	}
	// dist[i] is the chance that the comparisons so far weigh (i - off)
	// bins.
	dist, off := []float64{1}, 0
	for k := range c.comps {
		if folded[k] {
			continue
		}
		q := lackingShare(f, &c.comps[k])
		pn := 1 - (1-q)*(1-q)
		step := map[int]float64{0: pn}
		for g := 1; g <= len(model.Comparisons[k].M); g++ {
			pm := (1 - pn) * model.Comparisons[k].M[g-1]
			if !(pm > 0) { // NaN too: m of a comparison no pair reached
				continue
			}
			w := ws.w[k][g]
			tc := -1
			if g <= len(c.comps[k].levels) {
				tc = c.comps[k].levels[g-1].tf
			}
			if tc < 0 || f.cols[tc].date || len(f.cols[tc].counts) < 2 {
				step[bin(w)] += pm
				continue
			}
			counts := f.cols[tc].counts
			tot := 0.0
			for _, n := range counts[1:] {
				tot += float64(n)
			}
			if tot == 0 {
				step[bin(w)] += pm
				continue
			}
			for v := 1; v < len(counts); v++ {
				if counts[v] == 0 {
					continue
				}
				adj := 0.0
				if tf := f.tfOf(tc, uint32(v)); tf > 0 {
					adj = ws.tfAdjOf(k, uint8(g), tf)
				}
				step[bin(w+adj)] += pm * float64(counts[v]) / tot
			}
		}
		lo, hi := 0, 0
		for b := range step {
			lo, hi = min(lo, b), max(hi, b)
		}
		next := make([]float64, len(dist)+hi-lo)
		for i, p := range dist {
			if p < 1e-15 {
				continue
			}
			for b, q := range step {
				next[i+b-lo] += p * q
			}
		}
		dist, off = next, off-lo
	}
	need := logit2(s.Thresholds.Match) - ws.prior
	r := 0.0
	for i, p := range dist {
		if float64(i-off)*evidenceBin >= need {
			r += p
		}
	}
	return r
}
