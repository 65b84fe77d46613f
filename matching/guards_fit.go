package matching

import (
	"fmt"
	"math"
	"math/rand"
	"slices"
	"sort"
	"sync"

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

// fitGuards measures the year_span and full_date guards of s on the
// candidate pairs of f with model (see above and fitFullDate) and returns
// one GuardFit per guard measured, in the order of s.Guards.
//
// With kept set (the vectors of the pass that counted the candidates),
// the pairs' vectors are read from it instead of compared again. One
// pass over the candidate pairs counts for every guard, and one draw of
// random pairs serves the guards of one column.
func fitGuards(f *Frame, c *compiled, bs []*blocker, s *settings.Settings, model *settings.Model, candidates int64, kept *vectorStore) []settings.GuardFit {
	if len(bs) == 0 {
		return nil
	}
	var ms []*guardMeasure
	for _, gd := range s.Guards {
		ci, ok := f.byName[gd.Column]
		if !ok {
			continue
		}
		switch gd.Kind {
		case "year_span":
			ms = append(ms, yearSpanMeasure(gd, ci, &f.cols[ci].vals))
		case "full_date":
			ms = append(ms, fullDateMeasure(gd, ci, &f.cols[ci].vals))
		}
	}
	if len(ms) == 0 {
		return nil
	}
	ws := newWeights(c, model, s.Training.Prior)
	sample := uint64(1)
	if candidates > maxFitPairs {
		sample = uint64(candidates/maxFitPairs + 1)
	}
	ws.tabulateTF(c, f, candidates/int64(sample))
	countOtherMatches(f, c, bs, s, ws, sample, kept, ms)
	randomClasses(f, s.LinkType, ms)
	out := make([]settings.GuardFit, 0, len(ms))
	for _, m := range ms {
		if m.gd.Kind == "full_date" {
			out = append(out, fitFullDate(m))
		} else {
			out = append(out, fitYearSpan(m))
		}
	}
	return out
}

// guardMeasure is what the fit of one guard counts: the candidate pairs
// that both have its values (have) and that the comparisons not reading
// its column call matches, by class (cls, given their weight without
// those comparisons: counts); and random pairs of records with a value
// in its column, by class (randCls, nRand classes: q).
type guardMeasure struct {
	gd      settings.Guard
	col     int
	nClass  int
	have    func(i, j int32) bool
	cls     func(i, j int32, w float64) int
	nRand   int
	randCls func(i, j int32) int
	counts  []float64
	q       []float64
}

// yearSpanMeasure measures a year_span guard on column ci: classes of
// the years' gap (twice the gap, plus one when the years are a digit
// apart), gaps above maxFitSpan as one.
func yearSpanMeasure(gd settings.Guard, ci int, vals *colVals) *guardMeasure {
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
	return &guardMeasure{gd: gd, col: ci, nClass: nClass,
		have:    func(i, j int32) bool { return vals.at(int(i)) != 0 && vals.at(int(j)) != 0 },
		cls:     func(i, j int32, _ float64) int { return cls(i, j) },
		nRand:   nClass,
		randCls: cls}
}

// fitYearSpan fits a year_span guard from its measure (see above).
func fitYearSpan(m *guardMeasure) settings.GuardFit {
	gd := m.gd
	excess, expected := gapExcess(m.counts, m.q, gd.Max)
	fit := settings.GuardFit{Kind: gd.Kind, Column: gd.Column, Max: gd.Max, Fitted: gd.Max, Expected: expected}
	if expected < minGuardMatches {
		return fit
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
	return fit
}

// countOtherMatches fills the counts of each measure of ms: by class,
// the candidate pairs of f that have the measure's values and that the
// comparisons not reading its column call matches (weight ≥ 0 without
// the column's own levels, which its cls gets), in one pass over the
// pairs; measures that leave out the same comparisons share each pair's
// weight. The pairs training kept, with their vectors, are gone over when
// they are the sample's (or every pair); else the blockers make the pairs
// and they are compared again.
func countOtherMatches(f *Frame, c *compiled, bs []*blocker, s *settings.Settings, ws *weights, sample uint64, kept *vectorStore, ms []*guardMeasure) {
	// The comparisons each measure leaves out, and the measures that
	// leave out the same ones.
	type group struct {
		skip []bool
		ms   []int
	}
	var groups []*group
	for x, m := range ms {
		in := f.lineageOf([]int{m.col})
		skip := make([]bool, len(c.comps))
		for k, cc := range c.comps {
			for y := range f.lineageOf(cc.cols) {
				if in[y] {
					skip[k] = true
				}
			}
		}
		var gr *group
		for _, g := range groups {
			if slices.Equal(g.skip, skip) {
				gr = g
			}
		}
		if gr == nil {
			gr = &group{skip: skip}
			groups = append(groups, gr)
		}
		gr.ms = append(gr.ms, x)
	}
	counts := make([][][]float64, workers) // per worker, per measure
	bufs := make([][]uint8, workers)
	haves := make([][]bool, workers)
	for w := range counts {
		counts[w] = make([][]float64, len(ms))
		for x, m := range ms {
			counts[w][x] = make([]float64, m.nClass)
		}
		bufs[w] = make([]uint8, len(c.comps))
		haves[w] = make([]bool, len(ms))
	}
	visit := func(w int, i, j int32, v []uint8) {
		if sample > 1 && fitHash(i, j)%sample != 0 {
			return
		}
		have := haves[w]
		for _, gr := range groups {
			any := false
			for _, x := range gr.ms {
				have[x] = ms[x].have(i, j)
				any = any || have[x]
			}
			if !any {
				continue
			}
			g := bufs[w]
			for k := range c.comps {
				switch {
				case gr.skip[k]:
					g[k] = 0
				case v != nil:
					g[k] = v[k]
				default:
					g[k] = c.gamma(f, k, i, j)
				}
			}
			sc := ws.score(c, f, g, i, j)
			if sc < 0 {
				continue
			}
			for _, x := range gr.ms {
				if have[x] {
					counts[w][x][ms[x].cls(i, j, sc)]++
				}
			}
		}
	}
	if kept != nil && kept.ok && kept.rows != nil && (kept.sample <= 1 || kept.sample == sample) {
		// The pairs training compared (every pair, or this very
		// sample) and their vectors, worker by worker.
		var wg sync.WaitGroup
		for w := range workers {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				for src := w; src < len(kept.rows); src += workers {
					ids, vecs := kept.ids[src], kept.vecs[src]
					for x, ij := range kept.rows[src] {
						visit(w, int32(ij>>32), int32(uint32(ij)), vecs[ids[x]])
					}
				}
			}(w)
		}
		wg.Wait()
	} else {
		var marks *pairMarks // training's choice of pairs, when it kept it
		if kept != nil && kept.marks.ok {
			marks = &kept.marks
		}
		for r := range bs {
			forMarkedPairChunks(f, bs, r, true, s.LinkType, marks, nil, func(w int, i, j int32) { visit(w, i, j, nil) })
		}
	}
	for x, m := range ms {
		m.counts = counts[0][x]
		for w := 1; w < workers; w++ {
			for k := range m.counts {
				m.counts[k] += counts[w][x][k]
			}
		}
	}
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

// randomClasses fills the q of each measure of ms: the distribution of
// its classes among random pairs of records that both have a value in
// its column (different people, nearly all): 200,000 pairs drawn with a
// fixed seed, each class counted from one half so that no class is
// impossible. The measures of one column share one draw.
func randomClasses(f *Frame, linkType string, ms []*guardMeasure) {
	drawn := map[int][][2]int32{}
	for _, m := range ms {
		pairs, ok := drawn[m.col]
		if !ok {
			pairs = randomPairsWith(f, &f.cols[m.col].vals, linkType)
			drawn[m.col] = pairs
		}
		q := make([]float64, m.nRand)
		for k := range q {
			q[k] = 0.5
		}
		for _, p := range pairs {
			q[m.randCls(p[0], p[1])]++
		}
		norm(q)
		m.q = q
	}
}

// randomFitPairs is the number of random pairs a guard's fit draws.
const randomFitPairs = 200_000

// randomPairsWith draws the random pairs randomClasses counts: up to
// randomFitPairs pairs (a < b) of records with a value in vals that the link
// type allows, in up to 1,000,000 tries.
func randomPairsWith(f *Frame, vals *colVals, linkType string) [][2]int32 {
	var with []int32
	for i := range vals.len() {
		if vals.at(i) != 0 {
			with = append(with, int32(i))
		}
	}
	var out [][2]int32
	if len(with) >= 2 {
		out = make([][2]int32, 0, randomFitPairs)
		r := rand.New(rand.NewSource(1))
		for tries := 0; len(out) < randomFitPairs && tries < 1_000_000; tries++ {
			a, b := with[r.Intn(len(with))], with[r.Intn(len(with))]
			if a == b {
				continue
			}
			a, b = min(a, b), max(a, b)
			if !f.pairAllowed(linkType, a, b) {
				continue
			}
			out = append(out, [2]int32{a, b})
		}
	}
	return out
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

// fullDateMeasure measures a full_date guard (issue 12 point 2) on
// column ci: the candidate pairs with two full dates by weight (in halves
// of a bit, 0 to 40) and whether their dates are one birthday; random
// pairs by one birthday (0), not (1), or not two full dates (2).
func fullDateMeasure(gd settings.Guard, ci int, vals *colVals) *guardMeasure {
	// Each row's full date (fullDate), written once for each date: a
	// pass over the candidate pairs asks for it millions of times.
	dates := make([]string, vals.len())
	seen := map[uint32]string{}
	for i := range dates {
		v := vals.at(i)
		d, ok := seen[v]
		if !ok {
			d, _ = fullDate(v)
			seen[v] = d
		}
		dates[i] = d
	}
	full := func(i int32) (string, bool) { return dates[i], dates[i] != "" }
	return &guardMeasure{gd: gd, col: ci, nClass: 2 * fullDateBins,
		have: func(i, j int32) bool {
			_, a := full(i)
			_, b := full(j)
			return a && b
		},
		cls: func(i, j int32, w float64) int {
			a, _ := full(i)
			b, _ := full(j)
			k := 2 * min(int(w*2), fullDateBins-1)
			if !oneBirthday(a, b) {
				k++
			}
			return k
		},
		nRand: 3,
		randCls: func(i, j int32) int {
			a, okA := full(i)
			b, okB := full(j)
			switch {
			case !okA || !okB:
				return 2
			case oneBirthday(a, b):
				return 0
			}
			return 1
		}}
}

// fullDateBins: the weight bins of a full_date guard's measure, halves
// of a bit from 0 to 40.
const fullDateBins = 80

// fitFullDate fits a full_date guard from its measure: among the
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
func fitFullDate(ms *guardMeasure) settings.GuardFit {
	gd, counts, q := ms.gd, ms.counts, ms.q
	const bins = fullDateBins
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
		return fit
	}
	fit.Broken = m
	if m > maxGuardBroken && m*matches >= minGuardBreaks {
		fit.Fitted = -1
	}
	return fit
}
