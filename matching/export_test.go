package matching

import "github.com/dancu-vn/dancu/matching/settings"

// ScorePairsEveryLevel scores pairs as ScorePairs did before it stopped
// pairs early (pairBound): every comparison of every pair. It also
// returns how many of the pairs the bound stops. The reference the
// bounded ScorePairs must equal.
func ScorePairsEveryLevel(f *Frame, s *settings.Settings, pairs [][2]int32) ([]Pair, int, error) {
	sd := *s.WithDefaults()
	s = &sd
	c, err := compile(s, f)
	if err != nil {
		return nil, 0, err
	}
	ws := newWeights(c, s.Model, s.Training.Prior)
	minW := logit2(s.Thresholds.Review)
	pb := newPairBound(c, ws)
	g := make([]uint8, len(c.comps))
	g2 := make([]uint8, len(c.comps))
	rest := make([]float64, len(c.comps))
	var out []Pair
	stopped := 0
	for _, p := range pairs {
		a, b := min(p[0], p[1]), max(p[0], p[1])
		if a == b || !f.pairAllowed(s.LinkType, a, b) {
			continue
		}
		for k := range c.comps {
			g[k] = c.gamma(f, k, a, b)
		}
		if !pb.gammas(c, ws, f, g2, rest, a, b, minW, nil) {
			stopped++
		}
		if sc := ws.score(c, f, g, a, b); sc >= minW {
			out = append(out, Pair{A: a, B: b, Weight: float32(sc)})
		}
	}
	return out, stopped, nil
}
