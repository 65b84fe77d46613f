package matching

import (
	"fmt"
	"math"
	"math/rand"
	"sort"

	"github.com/dancu-vn/dancu/matching/settings"
)

// Fitting year_span guards to the data (issue 12). A guard is a hard
// rule: clustering refuses every join that breaks it, whatever the
// evidence. A settings file may carry one the data does not keep to —
// the docs' example "birth years span at most 2" on a file where a tenth
// of the dates moved by ten years (a typo in the year's tens) — and then
// it splits those people. Training measures each year_span guard on the
// candidate pairs that every comparison not reading the guard's column
// calls matches (probability ≥ 0.5 without the date's own levels): the
// strangers among them have the year gaps of random pairs, so what lies
// beyond those on some gap is matches (gapExcess), and the share of
// those the guard would keep apart is the share of matches it breaks.
// When more than maxGuardBroken of them break it, the model widens the
// guard to the smallest span that keeps to that share (Model.Guards,
// Settings.EffectiveGuards) and training warns; a guard the data keeps to
// stays as written.
const (
	// maxGuardBroken is the share of matches a guard may break and still
	// be taken as a rule of the data (one in a hundred: a guard is for
	// what never happens, not for what is merely rare).
	maxGuardBroken = 0.01
	// minGuardBreaks: fewer matches than this beyond a span are no
	// evidence against it (a few chance pairs), whatever their share.
	minGuardBreaks = 10
	// minGuardMatches: with fewer expected matches (the sum of the
	// probabilities) among pairs with both years, the guard is kept.
	minGuardMatches = 30
	// maxFitSpan bounds the fitted span; a guard that needs more is
	// effectively off (no one's records span 150 years).
	maxFitSpan = 150
	// maxFitPairs: above this many candidate pairs, a hash sample of
	// about this many is measured.
	maxFitPairs = 2_000_000
)

// fitGuards measures the year_span guards of s on the candidate pairs of
// f with model (see above) and returns one GuardFit per guard measured.
//
// With kept set (the vectors of the pass that counted the candidates),
// the pairs' vectors are read from it instead of compared again.
func fitGuards(f *Frame, c *compiled, bs []*blocker, s *settings.Settings, model *settings.Model, candidates int64, kept *vectorStore) []settings.GuardFit {
	var out []settings.GuardFit
	if len(bs) == 0 {
		return nil
	}
	ws := newWeights(c, model, s.Training.Prior)
	sample := uint64(1)
	if candidates > maxFitPairs {
		sample = uint64(candidates/maxFitPairs + 1)
	}
	ws.tabulateTF(c, f, candidates/int64(sample))
	for _, gd := range s.Guards {
		if gd.Kind == "full_date" {
			if fit, ok := fitFullDate(f, c, bs, s, ws, gd, sample, kept); ok {
				out = append(out, fit)
			}
			continue
		}
		if gd.Kind != "year_span" {
			continue
		}
		ci, ok := f.byName[gd.Column]
		if !ok {
			continue
		}
		vals := &f.cols[ci].vals
		cls := func(i, j int32) int {
			ya, _, _ := unpackDate(vals.at(int(i)))
			yb, _, _ := unpackDate(vals.at(int(j)))
			c := 2 * min(max(ya-yb, yb-ya), maxFitSpan+1)
			if oneDigitApart(ya, yb) {
				c++
			}
			return c
		}
		const nClass = 2 * (maxFitSpan + 2)
		// The candidate pairs with both years that the other comparisons
		// call matches (weight ≥ 0, probability ≥ 0.5), by the class of
		// their years' gap.
		counts := countOtherMatches(f, c, bs, s, ws, ci, sample, kept, nClass,
			func(i, j int32) bool { return vals.at(int(i)) != 0 && vals.at(int(j)) != 0 },
			func(i, j int32, _ float64) int { return cls(i, j) })
		q := randomGapClasses(f, vals, s.LinkType, nClass, cls)
		excess, expected := gapExcess(counts, q, gd.Max)
		fit := settings.GuardFit{Kind: gd.Kind, Column: gd.Column, Max: gd.Max, Fitted: gd.Max, Expected: expected}
		if expected < minGuardMatches {
			out = append(out, fit)
			continue
		}
		broken := func(span int) float64 {
			var b float64
			for k := range excess {
				if gap, one := k/2, k%2 == 1; gap > span && !(gd.OneDigit && one) {
					b += excess[k]
				}
			}
			return b / expected
		}
		fit.Broken = broken(gd.Max)
		for fit.Fitted < maxFitSpan && broken(fit.Fitted) > maxGuardBroken && broken(fit.Fitted)*expected >= minGuardBreaks {
			fit.Fitted++
		}
		out = append(out, fit)
	}
	return out
}

// countOtherMatches counts, by class, the candidate pairs of f that both
// have (have) and that the comparisons not reading column ci call
// matches (weight ≥ 0 without the column's own levels); cls gets that
// weight. Training's kept vectors are read when they fit the sample.
func countOtherMatches(f *Frame, c *compiled, bs []*blocker, s *settings.Settings, ws *weights, ci int, sample uint64, kept *vectorStore, nClass int, have func(i, j int32) bool, cls func(i, j int32, w float64) int) []float64 {
	in := f.lineageOf([]int{ci})
	skip := make([]bool, len(c.comps))
	for k, cc := range c.comps {
		for x := range f.lineageOf(cc.cols) {
			if in[x] {
				skip[k] = true
			}
		}
	}
	counts := make([][]float64, workers)
	bufs := make([][]uint8, workers)
	for w := range counts {
		counts[w] = make([]float64, nClass)
		bufs[w] = make([]uint8, len(c.comps))
	}
	// The vectors of every pair, or of the pairs of this very sample
	// (training compared the same one).
	var vr *vectorReader
	if kept != nil && kept.ok && (kept.sample <= 1 || kept.sample == sample) {
		vr = kept.reader()
	}
	var marks *pairMarks // training's choice of pairs, when it kept it
	if kept != nil && kept.marks.ok {
		marks = &kept.marks
	}
	for r := range bs {
		var start func(w, ch int)
		if vr != nil {
			start = func(w, ch int) { vr.start(r, ch, w) }
		}
		forMarkedPairChunks(f, bs, r, true, s.LinkType, marks, start, func(w int, i, j int32) {
			var v []uint8
			in := sample <= 1 || fitHash(i, j)%sample == 0
			if vr != nil && (in || kept.sample <= 1) {
				v = vr.next(w)
			}
			if !in || !have(i, j) {
				return
			}
			g := bufs[w]
			for k := range c.comps {
				switch {
				case skip[k]:
					g[k] = 0
				case v != nil:
					g[k] = v[k]
				default:
					g[k] = c.gamma(f, k, i, j)
				}
			}
			sc := ws.score(c, f, g, i, j)
			if sc < 0 {
				return
			}
			counts[w][cls(i, j, sc)]++
		})
	}
	for w := 1; w < workers; w++ {
		for k := range counts[0] {
			counts[0][k] += counts[w][k]
		}
	}
	return counts[0]
}

// guardFitWarnings says which guards training widened.
func guardFitWarnings(fits []settings.GuardFit) []string {
	var out []string
	for _, g := range fits {
		if g.Kind == "full_date" && g.Fitted < 0 {
			out = append(out, fmt.Sprintf("guard %s on %s: %.1f%% of the %.0f matches the other comparisons find among the candidate pairs have full dates of birth that are not one birthday written differently; the model drops the guard (a guard refuses only what the data never shows; the date comparison still weighs such pairs)",
				g.Kind, g.Column, 100*g.Broken, g.Expected))
			continue
		}
		if g.Fitted > g.Max {
			out = append(out, fmt.Sprintf("guard %s on %s (max %d): %.1f%% of the %.0f matches the other comparisons find among the candidate pairs have birth years further apart; the model widens it to %d years (a guard refuses only what the data never shows; the date comparison still weighs such pairs)",
				g.Kind, g.Column, g.Max, 100*g.Broken, g.Expected, g.Fitted))
		}
	}
	return out
}

// randomGapClasses returns the distribution of gap classes among random
// pairs of records that both have a year (different people, nearly all):
// 200,000 pairs drawn with a fixed seed, each class counted from one half
// so that no class is impossible.
func randomGapClasses(f *Frame, vals *colVals, linkType string, nClass int, cls func(i, j int32) int) []float64 {
	var with []int32
	for i := range vals.len() {
		if vals.at(i) != 0 {
			with = append(with, int32(i))
		}
	}
	q := make([]float64, nClass)
	for k := range q {
		q[k] = 0.5
	}
	if len(with) >= 2 {
		r := rand.New(rand.NewSource(1))
		for n, tries := 0, 0; n < 200_000 && tries < 1_000_000; tries++ {
			a, b := with[r.Intn(len(with))], with[r.Intn(len(with))]
			if a == b {
				continue
			}
			a, b = min(a, b), max(a, b)
			if !f.pairAllowed(linkType, a, b) {
				continue
			}
			q[cls(a, b)]++
			n++
		}
	}
	norm(q)
	return q
}

// gapExcess separates, among the pairs the other comparisons call
// matches (n, by gap class), the strangers from the matches: strangers'
// gaps follow q (random pairs), and their number S is the median, over
// the classes beyond the guard's span, of n/q — matches that break the
// guard gather on a few gaps (a year's tens digit mistyped: ten years),
// strangers spread over all. A class's excess over S·q counts as matches
// only when it is beyond chance (three standard deviations of a Poisson
// count, plus one). It returns the excess per class and the matches
// (all pairs counted less S).
func gapExcess(n, q []float64, span int) ([]float64, float64) {
	floor := 0.1 / float64(len(q))
	var ratios []float64
	var total float64
	for k := range n {
		total += n[k]
		if k/2 > span && q[k] >= floor {
			ratios = append(ratios, n[k]/q[k])
		}
	}
	var strangers float64
	if len(ratios) > 0 {
		sort.Float64s(ratios)
		strangers = ratios[len(ratios)/2]
	}
	excess := make([]float64, len(n))
	for k := range n {
		e := strangers * q[k]
		if n[k] > e+3*math.Sqrt(e)+1 {
			excess[k] = n[k] - e
		}
	}
	return excess, max(total-strangers, 0)
}

// fitHash mixes a pair's rows, for sampling the candidate pairs.
func fitHash(i, j int32) uint64 {
	h := uint64(i)*0x9E3779B97F4A7C15 ^ uint64(j)*0xC2B2AE3D27D4EB4F
	h ^= h >> 31
	return h * 0x94D049BB133111EB >> 7
}

// fitFullDate measures a full_date guard (issue 12 point 2) on the
// candidate pairs with two full dates that the comparisons not reading
// the date call matches (weight ≥ 0), the upper half of them by weight
// (see below). Each such pair is a match with the probability p its
// weight gives, and its dates are one birthday or not
// (oneBirthday): a match breaks the guard with the share m sought, a
// stranger with the share u of random pairs (most: only a day-month
// within a lunar lag, the same or a digit away, is one birthday). m is
// fitted by EM over the pairs' (p, broken) — the model's own estimated
// matches, never labels — and Expected is the matches it finds. Above
// maxGuardBroken (with at least minGuardBreaks of them) the fit drops the
// guard (Fitted -1: Settings.EffectiveGuards leaves it out).
func fitFullDate(f *Frame, c *compiled, bs []*blocker, s *settings.Settings, ws *weights, gd settings.Guard, sample uint64, kept *vectorStore) (settings.GuardFit, bool) {
	ci, ok := f.byName[gd.Column]
	if !ok {
		return settings.GuardFit{}, false
	}
	vals := &f.cols[ci].vals
	full := func(i int32) (string, bool) { return fullDate(vals.at(int(i))) }
	const bins = 80 // weight in halves of a bit, 0 to 40
	counts := countOtherMatches(f, c, bs, s, ws, ci, sample, kept, 2*bins,
		func(i, j int32) bool {
			_, a := full(i)
			_, b := full(j)
			return a && b
		},
		func(i, j int32, w float64) int {
			a, _ := full(i)
			b, _ := full(j)
			k := 2 * min(int(w*2), bins-1)
			if !oneBirthday(a, b) {
				k++
			}
			return k
		})
	q := randomGapClasses(f, vals, s.LinkType, 3, func(i, j int32) int {
		a, okA := full(i)
		b, okB := full(j)
		switch {
		case !okA || !okB:
			return 2
		case oneBirthday(a, b):
			return 0
		}
		return 1
	})
	u := q[1] / (q[0] + q[1])
	// The upper half of the pairs by weight: where the other comparisons
	// agree less, strangers whose weights the model overstates (namesakes
	// of one village, one year) gather, and their dates would count as
	// matches' (fourthpop dev 1901: 12% of the pairs at 10 bits are not one
	// birthday, 0.3% above 20 bits). EM assumes a match's dates do not
	// depend on how strongly its other fields agree, so the share measured
	// there is the matches' share.
	var total, cum float64
	for _, n := range counts {
		total += n
	}
	lo := bins - 1
	for ; lo > 0; lo-- {
		cum += counts[2*lo] + counts[2*lo+1]
		if cum >= total/2 {
			break
		}
	}
	m := 0.05
	var matches float64
	for range 200 {
		var brk float64
		matches = 0
		for b := lo; b < bins; b++ {
			p := 1 / (1 + math.Exp2(-(float64(b)+0.5)/2))
			n0, n1 := counts[2*b], counts[2*b+1]
			r0 := p * (1 - m) / (p*(1-m) + (1-p)*(1-u))
			r1 := p * m / (p*m + (1-p)*u)
			brk += n1 * r1
			matches += n0*r0 + n1*r1
		}
		if matches == 0 {
			break
		}
		m = brk / matches
	}
	fit := settings.GuardFit{Kind: gd.Kind, Column: gd.Column, Expected: matches}
	if matches < minGuardMatches {
		return fit, true
	}
	fit.Broken = m
	if m > maxGuardBroken && m*matches >= minGuardBreaks {
		fit.Fitted = -1
	}
	return fit, true
}
