package settings

import (
	"fmt"
	"math"
	"strings"
)

// DescribeModel prints each comparison's levels with m, u and weight.
func DescribeModel(s *Settings) string {
	var b strings.Builder
	if s.Model == nil {
		return "untrained\n"
	}
	fmt.Fprintf(&b, "λ (candidate pairs) %.6g, λ (all pairs) %.3g, prior %s\n", s.Model.Lambda, s.Model.LambdaGlobal, s.Training.Prior)
	for k, c := range s.Comparisons {
		cm := s.Model.Comparisons[k]
		fmt.Fprintf(&b, "%s\n", c.Name)
		w := cm.Weights()
		for l := range cm.M {
			label := "else"
			if l < len(c.Levels) {
				label = c.Levels[l].Label
			}
			fmt.Fprintf(&b, "  %-34s m %.4f  u %.6f  weight %+6.2f", label, cm.M[l], cm.U[l], w[l])
			if raw := math.Log2(clampP(cm.M[l]) / clampP(cm.U[l])); raw < w[l] {
				fmt.Fprintf(&b, "  (as else: log2 m/u %+.2f)", raw)
			}
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// clampP keeps a probability off 0 and 1, as the engine does when it
// turns m and u into weights.
func clampP(p float64) float64 {
	return math.Min(math.Max(p, 1e-9), 1-1e-9)
}
