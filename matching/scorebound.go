package matching

import (
	"math"
	"slices"
)

// pairBound lets ScorePairs stop comparing a pair as soon as the
// comparisons left cannot lift it to the review threshold: such a pair is
// not returned whatever they say, so evaluating them is wasted (issue 9:
// the comparisons were a fifth of the registry's CPU at a million
// records, most of them namesakes that end below the threshold). The
// pairs it returns, and their weights, are those of the full evaluation:
// a pair that is not stopped is scored as before (weights.score over
// every level).
//
// The bound of comparison k is the most it can add over its levels for
// this pair: the level's weight (not below 0 when OCR confidence may
// scale it, since confidence lies in [0, 1]), with the term-frequency
// adjustment the pair's values would get there; the null level adds 0.
// Vetoes and dependences only take weight off, so they are left out; a
// model with folded comparisons (which may give weight back) is not
// bounded.
type pairBound struct {
	ok     bool
	order  []int     // comparisons in evaluation order: cheap ones first, each group largest bound first
	up     []float64 // up[k]: the bound of k over its levels without a term-frequency adjustment
	tf     [][]uint8 // tf[k]: the levels (gamma) of k adjusted on term frequency
	withTF []int     // the comparisons with such levels
	fixed  float64   // the bounds of the others, summed
	logU   [][]float64
	// logTF[column][value] caches log2(max(tf, tfMin)) of a value's term
	// frequency (NaN: not yet computed): a pair's bound then needs no
	// logarithm.
	logTF [][]float64
	// rowUp, when tabulateRows built it, holds for each row a bound per
	// comparison with term-frequency levels (in withTF's order): the most
	// the comparison can add to a pair holding the row. A tf level's
	// weight for a pair is w + min(log2 u − log2 max(tf, tfMin), tfCap)
	// with the larger tf of the two values (tfWeight), so it is at most
	// the smaller of that sum over each row's own value; a row's bound is
	// the largest of those over its levels, and a pair's the smaller of
	// its two rows' — no tighter than bound's, read as two floats where
	// bound read a logarithm table per column and value (cache misses,
	// most of scoring's time in the bound). Weights are then taken from
	// weights.weight, and pb is read only: goroutines may share it.
	rowUp []float64
}

// expensiveOps compare strings by similarity or edit distance.
var expensiveOps = map[int]bool{opJW: true, opEdit: true, opOneEdit: true, opOCREdit: true, opWordsSubset: true, opFirstWordMoved: true}

func newPairBound(c *compiled, ws *weights) *pairBound {
	pb := &pairBound{ok: len(ws.folds) == 0 && len(ws.w) == len(c.comps)}
	if !pb.ok {
		return pb
	}
	pb.up = make([]float64, len(c.comps))
	pb.logU = make([][]float64, len(c.comps))
	pb.logTF = make([][]float64, len(c.s.Columns)+64)
	pb.tf = make([][]uint8, len(c.comps))
	var cheap, dear []int
	for k := range c.comps {
		cc := &c.comps[k]
		for g := 1; g < len(ws.w[k]); g++ {
			if g <= len(cc.levels) && cc.levels[g-1].tf >= 0 {
				pb.tf[k] = append(pb.tf[k], uint8(g))
				if pb.logU[k] == nil {
					pb.logU[k] = make([]float64, len(ws.w[k]))
				}
				pb.logU[k][g] = math.Log2(ws.u[k][g])
				continue
			}
			pb.up[k] = math.Max(pb.up[k], pb.scaled(cc, ws.w[k][g]))
		}
		if len(pb.tf[k]) > 0 {
			pb.withTF = append(pb.withTF, k)
		} else {
			pb.fixed += pb.up[k]
		}
		exp := false
		for _, l := range cc.levels {
			exp = exp || expensiveOps[l.op]
		}
		if exp {
			dear = append(dear, k)
		} else {
			cheap = append(cheap, k)
		}
	}
	byUp := func(a, b int) int {
		if pb.up[a] != pb.up[b] {
			if pb.up[a] > pb.up[b] {
				return -1
			}
			return 1
		}
		return a - b
	}
	slices.SortStableFunc(cheap, byUp)
	slices.SortStableFunc(dear, byUp)
	pb.order = append(cheap, dear...)
	return pb
}

// tabulateRows builds pb.rowUp for f's rows (see pairBound), for a pass
// over more pairs than f has rows. f's values and term frequencies, and
// ws, must not change while pb is used.
func (pb *pairBound) tabulateRows(c *compiled, ws *weights, f *Frame) {
	nw := len(pb.withTF)
	if !pb.ok || nw == 0 {
		return
	}
	n := f.Len()
	rows := make([]float64, n*nw)
	for x, k := range pb.withTF {
		cc := &c.comps[k]
		for i := 0; i < n; i++ {
			rows[i*nw+x] = pb.up[k]
		}
		for _, g := range pb.tf[k] {
			tc := cc.levels[g-1].tf
			col := &f.cols[tc]
			w := ws.w[k][g]
			// By value first: one logarithm a value, not a row. A value
			// without a term frequency (none) bounds nothing: the other
			// row's does, or the cap.
			byVal := make([]float64, col.dict.len())
			for v := range byVal {
				up := w + ws.tfCap
				if tf := f.tfOf(tc, uint32(v)); tf > 0 {
					up = math.Min(w+(pb.logU[k][g]-math.Log2(math.Max(tf, ws.tfMin))), up)
				}
				byVal[v] = pb.scaled(cc, up)
			}
			for i := range n {
				if u := byVal[col.vals.at(i)]; u > rows[i*nw+x] {
					rows[i*nw+x] = u
				}
			}
		}
	}
	pb.rowUp = rows
}

// scaled is what weight w can add once OCR confidence (in [0, 1]) may
// scale it.
func (pb *pairBound) scaled(cc *cComparison, w float64) float64 {
	if cc.conf >= 0 {
		return math.Max(w, 0)
	}
	return w
}

// bound returns the bound of comparison k for rows a, b (see pairBound).
func (pb *pairBound) bound(c *compiled, ws *weights, f *Frame, k int, a, b int32) float64 {
	up := pb.up[k]
	cc := &c.comps[k]
	for _, g := range pb.tf[k] {
		up = math.Max(up, pb.scaled(cc, pb.tfWeight(cc, ws, f, k, g, a, b)))
	}
	return up
}

// tfWeight is the weight of level g of comparison k (one adjusted on term
// frequency) for rows a, b before OCR confidence scales it: weights.weight
// with the logarithms cached (equal to rounding).
func (pb *pairBound) tfWeight(cc *cComparison, ws *weights, f *Frame, k int, g uint8, a, b int32) float64 {
	w := ws.w[k][g]
	tc := cc.levels[g-1].tf
	if la, lb := pb.logTFOf(f, ws, tc, a), pb.logTFOf(f, ws, tc, b); !math.IsInf(la, -1) || !math.IsInf(lb, -1) {
		w += math.Min(pb.logU[k][g]-math.Max(la, lb), ws.tfCap)
	}
	return w
}

// weight is what comparison k at level g adds for rows a, b: weights.weight
// to rounding.
func (pb *pairBound) weight(c *compiled, ws *weights, f *Frame, k int, g uint8, a, b int32) float64 {
	if g == 0 {
		return 0
	}
	cc := &c.comps[k]
	w := ws.w[k][g]
	if slices.Contains(pb.tf[k], g) {
		w = pb.tfWeight(cc, ws, f, k, g, a, b)
	}
	if cc.conf >= 0 {
		w *= math.Min(f.confidence(cc.conf, int(a)), f.confidence(cc.conf, int(b)))
	}
	return w
}

// logTFOf is log2(max(tf, tfMin)) of row i's value in column ci, -Inf
// when its term frequency is 0 (no adjustment).
func (pb *pairBound) logTFOf(f *Frame, ws *weights, ci int, i int32) float64 {
	v := f.cols[ci].vals.at(int(i))
	if ci >= len(pb.logTF) {
		pb.logTF = append(pb.logTF, make([][]float64, ci+1-len(pb.logTF))...)
	}
	t := pb.logTF[ci]
	if int(v) >= len(t) {
		n := max(int(v)+1, f.cols[ci].dict.len())
		t = append(t, make([]float64, n-len(t))...)
		for j := len(pb.logTF[ci]); j < n; j++ {
			t[j] = math.NaN()
		}
		pb.logTF[ci] = t
	}
	if l := t[v]; !math.IsNaN(l) {
		return l
	}
	l := math.Inf(-1)
	if tf := f.tf(ci, int(i)); tf > 0 {
		l = math.Log2(math.Max(tf, ws.tfMin))
	}
	t[v] = l
	return l
}

// boundSlack keeps rounding (the bound sums in another order than the
// score) from stopping a pair whose score is at the threshold.
const boundSlack = 1e-6

// gammas sets g to the levels of rows a, b and reports true, or reports
// false as soon as the comparisons left cannot bring the pair to minW
// (g is then partly set). rest is scratch space, one float per comparison.
func (pb *pairBound) gammas(c *compiled, ws *weights, f *Frame, g []uint8, rest []float64, a, b int32, minW float64, jw *jwMemo) bool {
	// The pair's values are located once, not once a comparison.
	p := c.rows.pair(f, a, b)
	if !pb.ok {
		for k := range c.comps {
			g[k] = c.gammaRows(f, k, &p, jw)
		}
		return true
	}
	copy(rest, pb.up)
	left := pb.fixed
	if ru := pb.rowUp; ru != nil {
		nw := len(pb.withTF)
		ra, rb := ru[int(a)*nw:int(a)*nw+nw], ru[int(b)*nw:int(b)*nw+nw]
		for x, k := range pb.withTF {
			rest[k] = min(ra[x], rb[x])
			left += rest[k]
		}
	} else {
		for _, k := range pb.withTF {
			rest[k] = pb.bound(c, ws, f, k, a, b)
			left += rest[k]
		}
	}
	total := ws.prior
	for _, k := range pb.order {
		g[k] = c.gammaRows(f, k, &p, jw)
		left -= rest[k]
		if pb.rowUp != nil {
			w, adj := ws.weight(c, f, k, g[k], a, b)
			total += w + adj
		} else {
			total += pb.weight(c, ws, f, k, g[k], a, b)
		}
		if total+left < minW-boundSlack {
			return false
		}
	}
	return true
}
