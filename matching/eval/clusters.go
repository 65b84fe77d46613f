package eval

import "fmt"

// Metrics compare predicted clusters with true ones.
type Metrics struct {
	Records                       int // records in both truth and prediction
	TruePairs, PredPairs, TP      int64
	Precision, Recall, F1         float64 // pairwise
	BCubedPrecision, BCubedRecall float64
	BCubedF1                      float64
	MissingInPred, MissingInTruth int
}

func (m Metrics) String() string {
	return fmt.Sprintf("records %d (missing from prediction %d, from truth %d)\n"+
		"pairwise: true pairs %d, predicted pairs %d, true positives %d\n"+
		"pairwise precision %.4f recall %.4f F1 %.4f\n"+
		"B-cubed precision %.4f recall %.4f F1 %.4f",
		m.Records, m.MissingInPred, m.MissingInTruth, m.TruePairs, m.PredPairs, m.TP,
		m.Precision, m.Recall, m.F1, m.BCubedPrecision, m.BCubedRecall, m.BCubedF1)
}

// Clusters computes pairwise precision, recall and F1 and B-cubed
// precision, recall and F1 of pred (record → predicted cluster) against
// truth (record → true cluster), over the records both name.
func Clusters(truth, pred map[string]string) Metrics {
	var m Metrics
	type cell struct{ t, p string }
	cells := map[cell]int64{}
	tSize := map[string]int64{}
	pSize := map[string]int64{}
	for id, t := range truth {
		p, ok := pred[id]
		if !ok {
			m.MissingInPred++
			continue
		}
		m.Records++
		cells[cell{t, p}]++
		tSize[t]++
		pSize[p]++
	}
	for id := range pred {
		if _, ok := truth[id]; !ok {
			m.MissingInTruth++
		}
	}
	c2 := func(n int64) int64 { return n * (n - 1) / 2 }
	for _, n := range tSize {
		m.TruePairs += c2(n)
	}
	for _, n := range pSize {
		m.PredPairs += c2(n)
	}
	var bp, br float64
	for c, n := range cells {
		m.TP += c2(n)
		// Each of the n records sees n/|pred| precision and n/|truth| recall.
		bp += float64(n) * float64(n) / float64(pSize[c.p])
		br += float64(n) * float64(n) / float64(tSize[c.t])
	}
	m.Precision = ratio(m.TP, m.PredPairs)
	m.Recall = ratio(m.TP, m.TruePairs)
	m.F1 = f1(m.Precision, m.Recall)
	if m.Records > 0 {
		m.BCubedPrecision = bp / float64(m.Records)
		m.BCubedRecall = br / float64(m.Records)
	}
	m.BCubedF1 = f1(m.BCubedPrecision, m.BCubedRecall)
	return m
}

func ratio(a, b int64) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

func f1(p, r float64) float64 {
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}
