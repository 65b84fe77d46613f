package address

import "testing"

// BenchmarkMemo measures the cache of results alone on the realistic
// stream (see realisticStream; DANCU_ADDR_GEN=DIR for a larger one): a
// lookup per address, and a store of a stand-in result on a miss, as
// Resolve does — no search.
//
//	go test ./address -run '^$' -bench Memo -benchmem -cpu 1
func BenchmarkMemo(b *testing.B) {
	texts, dates := realisticStream(b)
	post := make([]bool, len(dates))
	for i, d := range dates {
		post[i] = !d.Before(ReformDate)
	}
	r := Result{Confidence: 1, Candidates: []Candidate{}}
	var hits, n int
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		m := newMemo()
		for i, t := range texts {
			if _, ok := m.get(t, post[i]); ok {
				hits++
			} else {
				m.put(t, post[i], r)
			}
		}
		n += len(texts)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/addr")
	b.ReportMetric(float64(hits)/float64(n), "hit-rate")
}
