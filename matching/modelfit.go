package matching

import (
	"fmt"
	"math"

	"github.com/dancu-vn/dancu/matching/settings"
)

// Model fit limits (fixed before they were run, not tuned on labels): a
// level is named when random pairs of the records being linked hold it
// at least misfitBits (8×) more often than the model's u, in at least
// misfitMinPairs of misfitPairs random pairs. A population of 26 communes
// (fourthpop) holds "same permanent commune" in 3.8% of its random pairs,
// 83× the shipped model's u (gen's whole country); one province of ~500
// communes would hold it about 4× as often, which is not named.
const (
	misfitBits     = 3.0
	misfitMinPairs = 30
	misfitPairs    = 100_000
)

// Misfit is an agreement level a trained model weighs well above what
// the records being linked support: random pairs of them agree on it
// far more often than the model's u says (records from fewer places, or
// with fewer distinct values, than the model was trained on).
type Misfit struct {
	Comparison, Level string
	// U is the model's u; Share the level's share among random pairs of
	// the records (Pairs of them).
	U, Share float64
	Pairs    int64
	// Weight is the model's weight (log2 m/u); Supported log2 m/Share.
	Weight, Supported float64
}

func (m Misfit) String() string {
	return fmt.Sprintf("%s %q: %.3g%% of random pairs of these records (the model's u: %.3g%%); the model weighs it %+.1f bits, these records %+.1f",
		m.Comparison, m.Level, 100*m.Share, 100*m.U, m.Weight, m.Supported)
}

// ModelFit compares s's trained model with the records of f, label-free:
// the levels' shares among random pairs of the records (what a model
// trained on them would take for u) against the model's u. It returns
// the agreement levels (those the model weighs above zero) that the
// records hold at least 8× more often than the model says. A frozen model
// is meant to score alike everywhere (issue 9 point 4); where it names
// levels, the records differ from its training data in a way that makes
// it generous, and training on them (dancu link without a model) fits
// them better. Nothing changes in the scoring.
func ModelFit(f *Frame, s *settings.Settings) ([]Misfit, error) {
	sd := *s.WithDefaults()
	if sd.Model == nil || f.Len() < 2 {
		return nil, nil
	}
	sd.Training.URandomPairs = misfitPairs
	c, err := compile(&sd, f)
	if err != nil {
		return nil, fmt.Errorf("model fit: %w", err)
	}
	c.useRows(f)
	defer c.dropRows()
	u, n, _, _ := estimateU(f, c, &sd)
	var out []Misfit
	for k, cm := range sd.Model.Comparisons {
		if k >= len(u) || len(cm.M) != len(u[k]) {
			continue
		}
		w := cm.Weights()
		for l := 0; l+1 < len(cm.M); l++ {
			if l >= len(cm.U) || w[l] <= 0 || cm.U[l] <= 0 {
				continue
			}
			share := u[k][l]
			if share*float64(n) < misfitMinPairs || math.Log2(share/cm.U[l]) < misfitBits {
				continue
			}
			out = append(out, Misfit{Comparison: cm.Name, Level: levelLabel(c, k, l+1), U: cm.U[l], Share: share, Pairs: n,
				Weight: w[l], Supported: math.Log2(cm.M[l] / share)})
		}
	}
	return out, nil
}
