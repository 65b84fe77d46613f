package matching

import (
	"fmt"
	"math"
	"math/rand"

	"github.com/dancu-vn/dancu/matching/settings"
)

// Fitting year_span guards to the data (issue 12). A guard is a hard
// rule: clustering refuses every join that breaks it, whatever the
// evidence. A settings file may carry one the data does not keep to —
// the docs' example "birth years span at most 2" on a file where a tenth
// of the dates moved by ten years (a typo in the year's tens) — and then
// it splits those people. Training measures each year_span guard on the
// candidate pairs: each pair is weighed by its match probability from
// every comparison that does not read the guard's column (so the date's
// own levels do not decide the question), and the share of that weight
// on pairs the guard would keep apart is the share of matches it breaks.
// When more than maxGuardBroken of them break it, the model widens the
// guard to the smallest span that keeps to that share (Model.Guards,
// Settings.EffectiveGuards) and training warns; a guard the data keeps to
// stays as written.
const (
	// maxGuardBroken is the share of matches a guard may break and still
	// be taken as a rule of the data (one in a hundred: a guard is for
	// what never happens, not for what is merely rare).
	maxGuardBroken = 0.01
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
func fitGuards(f *Frame, c *compiled, bs []*blocker, s *settings.Settings, model *settings.Model, candidates int64) []settings.GuardFit {
	var out []settings.GuardFit
	if len(bs) == 0 {
		return nil
	}
	ws := newWeights(c, model, s.Training.Prior)
	sample := uint64(1)
	if candidates > maxFitPairs {
		sample = uint64(candidates/maxFitPairs + 1)
	}
	for _, gd := range s.Guards {
		if gd.Kind != "year_span" {
			continue
		}
		ci, ok := f.byName[gd.Column]
		if !ok {
			continue
		}
		in := f.lineageOf([]int{ci})
		skip := make([]bool, len(c.comps))
		for k, cc := range c.comps {
			for x := range f.lineageOf(cc.cols) {
				if in[x] {
					skip[k] = true
				}
			}
		}
		vals := f.cols[ci].vals
		cls := func(i, j int32) int {
			ya, _, _ := unpackDate(vals[i])
			yb, _, _ := unpackDate(vals[j])
			c := 2 * min(max(ya-yb, yb-ya), maxFitSpan+1)
			if oneDigitApart(ya, yb) {
				c++
			}
			return c
		}
		const nClass = 2 * (maxFitSpan + 2)
		// counts[w][class][bin]: candidate pairs with both years, by the
		// class of their years' gap and the bin of their match weight
		// from the other comparisons.
		counts := make([][][fitBins]float64, workers)
		bufs := make([][]uint8, workers)
		for w := range counts {
			counts[w] = make([][fitBins]float64, nClass)
			bufs[w] = make([]uint8, len(c.comps))
		}
		for r := range bs {
			forPairs(f, bs, r, true, s.LinkType, func(w int, i, j int32) {
				if sample > 1 && fitHash(i, j)%sample != 0 {
					return
				}
				if vals[i] == 0 || vals[j] == 0 {
					return
				}
				g := bufs[w]
				for k := range c.comps {
					if skip[k] {
						g[k] = 0
					} else {
						g[k] = c.gamma(f, k, i, j)
					}
				}
				counts[w][cls(i, j)][weightBin(ws.score(c, f, g, i, j))]++
			})
		}
		for w := 1; w < workers; w++ {
			for k := range counts[0] {
				for b := range counts[0][k] {
					counts[0][k][b] += counts[w][k][b]
				}
			}
		}
		q := randomGapClasses(f, vals, s.LinkType, nClass, cls)
		pm, expected := fitGapEM(counts[0], q, gd.Max)
		fit := settings.GuardFit{Kind: gd.Kind, Column: gd.Column, Max: gd.Max, Fitted: gd.Max, Expected: expected}
		if expected < minGuardMatches {
			out = append(out, fit)
			continue
		}
		broken := func(span int) float64 {
			var b float64
			for k := range pm {
				if gap, one := k/2, k%2 == 1; gap > span && !(gd.OneDigit && one) {
					b += pm[k]
				}
			}
			return b
		}
		fit.Broken = broken(gd.Max)
		for fit.Fitted < maxFitSpan && broken(fit.Fitted) > maxGuardBroken {
			fit.Fitted++
		}
		out = append(out, fit)
	}
	return out
}

// guardFitWarnings says which guards training widened.
func guardFitWarnings(fits []settings.GuardFit) []string {
	var out []string
	for _, g := range fits {
		if g.Fitted > g.Max {
			out = append(out, fmt.Sprintf("guard %s on %s (max %d): %.1f%% of the %.0f matches the other comparisons find among the candidate pairs have birth years further apart; the model widens it to %d years (a guard refuses only what the data never shows; the date comparison still weighs such pairs)",
				g.Kind, g.Column, g.Max, 100*g.Broken, g.Expected, g.Fitted))
		}
	}
	return out
}

// fitBins is the number of bins of match weight (in bits, prior
// included) the gap fit groups pairs by: one per bit from -40 to +40.
const fitBins = 81

func weightBin(w float64) int {
	return min(max(int(math.Round(w))+40, 0), fitBins-1)
}

// randomGapClasses returns the distribution of gap classes among random
// pairs of records that both have a year (different people, nearly all):
// 200,000 pairs drawn with a fixed seed, each class counted from one half
// so that no class is impossible.
func randomGapClasses(f *Frame, vals []uint32, linkType string, nClass int, cls func(i, j int32) int) []float64 {
	var with []int32
	for i, v := range vals {
		if v != 0 {
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

// fitGapEM estimates, by EM from the guard's span, the distribution pm of the gap classes among
// matching pairs. Pairs are grouped by their weight from the other
// comparisons; each group's match share starts at the probability that
// weight says and is re-estimated (the other comparisons alone may be
// too sure: two strangers sharing both names and a city), non-matches'
// gaps follow q (random pairs) and matches' follow pm. It returns pm and
// the expected matches among the pairs counted.
func fitGapEM(counts [][fitBins]float64, q []float64, span int) ([]float64, float64) {
	// Start from the guard as written: matches keep within its span but
	// for one in a hundred; the data must pull pm away from there.
	pm := make([]float64, len(q))
	for k := range pm {
		if k/2 <= span {
			pm[k] = 0.99 / float64(2*(span+1))
		} else {
			pm[k] = 0.01 / float64(len(pm)-2*(span+1))
		}
	}
	var prior, nb [fitBins]float64
	for b := range prior {
		prior[b] = probability(float64(b - 40))
	}
	for k := range counts {
		for b, n := range counts[k] {
			nb[b] += n
		}
	}
	var expected float64
	for it := 0; it < 500; it++ {
		next := make([]float64, len(pm))
		var pb [fitBins]float64
		expected = 0
		for k := range counts {
			for b, n := range counts[k] {
				if n == 0 {
					continue
				}
				m, u := prior[b]*pm[k], (1-prior[b])*q[k]
				post := n * m / (m + u)
				next[k] += post
				pb[b] += post
				expected += post
			}
		}
		if expected == 0 {
			return pm, 0
		}
		change := 0.0
		for k := range next {
			next[k] /= expected
			change = math.Max(change, math.Abs(next[k]-pm[k]))
		}
		for b := range prior {
			if nb[b] > 0 {
				prior[b] = clampP(pb[b] / nb[b])
			}
		}
		pm = next
		if change < 1e-7 {
			break
		}
	}
	return pm, expected
}

// fitHash mixes a pair's rows, for sampling the candidate pairs.
func fitHash(i, j int32) uint64 {
	h := uint64(i)*0x9E3779B97F4A7C15 ^ uint64(j)*0xC2B2AE3D27D4EB4F
	h ^= h >> 31
	return h * 0x94D049BB133111EB >> 7
}
