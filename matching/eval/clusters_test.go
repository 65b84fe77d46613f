package eval

import (
	"math"
	"testing"
)

func TestClusters(t *testing.T) {
	truth := map[string]string{"a": "1", "b": "1", "c": "1", "d": "2"}
	pred := map[string]string{"a": "x", "b": "x", "c": "y", "d": "y"}
	m := Clusters(truth, pred)
	// true pairs ab ac bc; predicted ab cd; TP ab.
	if m.TruePairs != 3 || m.PredPairs != 2 || m.TP != 1 {
		t.Fatalf("pairs %+v", m)
	}
	if math.Abs(m.Precision-0.5) > 1e-9 || math.Abs(m.Recall-1.0/3) > 1e-9 {
		t.Errorf("precision %v recall %v", m.Precision, m.Recall)
	}
	// B-cubed precision: a,b 1; c 1/2; d 1/2 → 0.75.
	if math.Abs(m.BCubedPrecision-0.75) > 1e-9 {
		t.Errorf("B-cubed precision %v", m.BCubedPrecision)
	}
}
