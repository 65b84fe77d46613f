package matching

import (
	"context"

	"github.com/dancu-vn/dancu/matching/settings"
)

// ScorePairsEveryLevel scores pairs as ScorePairs did before it stopped
// pairs early (pairBound): every comparison of every pair. It also
// returns how many of the pairs the bound stops. The reference the
// bounded ScorePairs must equal.
func ScorePairsEveryLevel(f *Frame, s *settings.Settings, pairs [][2]int32) ([]Pair, int, error) {
	s, c, ws, err := scoringOf(f, s)
	if err != nil {
		return nil, 0, err
	}
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

// ScorePairsRowBound scores pairs as predict does a pass over many pairs:
// the compared values and the bounds read record by record (useRows,
// pairBound.tabulateRows), term-frequency adjustments tabulated. It also
// returns how many of the pairs the bound stops.
func ScorePairsRowBound(f *Frame, s *settings.Settings, pairs [][2]int32) ([]Pair, int, error) {
	s, c, ws, err := scoringOf(f, s)
	if err != nil {
		return nil, 0, err
	}
	ws.tabulateTF(c, f, 1<<62)
	c.useRows(f)
	minW := logit2(s.Thresholds.Review)
	pb := newPairBound(c, ws)
	pb.tabulateRows(c, ws, f)
	if pb.rowUp == nil {
		return nil, 0, nil
	}
	g := make([]uint8, len(c.comps))
	rest := make([]float64, len(c.comps))
	jw := newJWMemo()
	var out []Pair
	stopped := 0
	for _, p := range pairs {
		a, b := min(p[0], p[1]), max(p[0], p[1])
		if a == b || !f.pairAllowed(s.LinkType, a, b) {
			continue
		}
		if !pb.gammas(c, ws, f, g, rest, a, b, minW, jw) {
			stopped++
			continue
		}
		if sc := ws.score(c, f, g, a, b); sc >= minW {
			out = append(out, Pair{A: a, B: b, Weight: float32(sc)})
		}
	}
	return out, stopped, nil
}

// scoringOf compiles s (with its defaults) for f and builds its weights,
// as the two scorers above start.
func scoringOf(f *Frame, s *settings.Settings) (*settings.Settings, *compiled, *weights, error) {
	sd := *s.WithDefaults()
	c, err := compile(&sd, f)
	if err != nil {
		return nil, nil, nil, err
	}
	return &sd, c, newWeights(c, sd.Model, sd.Training.Prior), nil
}

// Rebind lets b, prepared for another frame of the same settings, be
// added to f (benchmarks add the same batches to a new frame each time).
func (b *Batch) Rebind(f *Frame) { b.f = f }

// FirstLevelAgainstGamma compares firstLevel with gamma == 1 on every
// comparison of pairs (rows of f, either order): it returns how many
// (pair, comparison) were asked, how many landed on the first level and
// how many firstLevel answered otherwise than gamma.
func FirstLevelAgainstGamma(f *Frame, s *settings.Settings, pairs [][2]int32) (asked, first, wrong int, err error) {
	_, c, _, err := scoringOf(f, s)
	if err != nil {
		return 0, 0, 0, err
	}
	for _, p := range pairs {
		a, b := min(p[0], p[1]), max(p[0], p[1])
		for k := range c.comps {
			asked++
			g := c.gamma(f, k, a, b) == 1
			if g {
				first++
			}
			if c.firstLevel(f, k, a, b) != g {
				wrong++
			}
		}
	}
	return asked, first, wrong, nil
}

// TrainAsLink builds the blockers of s on f once and returns a function
// that trains as Link does: on those blockers, keeping the candidate
// pairs' vectors for scoring.
func TrainAsLink(f *Frame, s *settings.Settings) (func(ctx context.Context) (*settings.Model, *TrainReport, error), error) {
	sd := *s.WithDefaults()
	bs, err := blockAll(f, &sd)
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context) (*settings.Model, *TrainReport, error) {
		return train(ctx, f, &sd, nil, bs, &vectorStore{})
	}, nil
}

// OnOneCore makes Cluster score no edge beforehand (scoreAlone) and
// summarise run on one core (workers, summariseRun) when one is true,
// else Cluster scores them on 16 goroutines and summarise cuts the
// persons into 16 runs; the function returned puts them back.
func OnOneCore(one bool) func() {
	a, w, r := scoreAlone, workers, summariseRun
	if one {
		scoreAlone, workers, summariseRun = false, 1, 1<<30
	} else {
		workers, summariseRun = 16, 2
	}
	return func() { scoreAlone, workers, summariseRun = a, w, r }
}

// LocalSame returns, by row, localFor's count of the records sharing the
// row's locality and value of column col, and the same counted afresh
// through a map (as localFor counted before link4).
func LocalSame(f *Frame, col string) (got, want []uint32) {
	ci := f.byName[col]
	c := &f.cols[ci]
	loc := &f.cols[c.tfWithin]
	m := map[uint64]uint32{}
	for i := range f.Len() {
		if l, v := loc.vals.at(i), c.vals.at(i); l != 0 && v != 0 {
			m[uint64(l)<<32|uint64(v)]++
		}
	}
	want = make([]uint32, f.Len())
	for i := range want {
		if l, v := loc.vals.at(i), c.vals.at(i); l != 0 && v != 0 {
			want[i] = m[uint64(l)<<32|uint64(v)]
		}
	}
	return f.localFor(ci).same, want
}

// EstimateUAsLink returns a function estimating u from the random pairs
// as training does (the compared values read record by record), for
// BenchmarkEstimateU; it returns the pairs compared and the patterns
// found.
func EstimateUAsLink(f *Frame, s *settings.Settings) (func() (int64, int), error) {
	sd := *s.WithDefaults()
	c, err := compile(&sd, f)
	if err != nil {
		return nil, err
	}
	c.useRows(f)
	return func() (int64, int) {
		_, n, _, pats := estimateU(f, c, &sd)
		return n, len(pats)
	}, nil
}

// DecodePersonGuards reads a guard summary as personsJoinable does
// (BenchmarkPersonGuards).
func DecodePersonGuards(enc []byte) error {
	_, err := decodeSummary(enc)
	return err
}
