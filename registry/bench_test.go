package registry_test

import (
	"context"
	"testing"

	"github.com/dancu-vn/dancu/internal/cputime"
	"github.com/dancu-vn/dancu/registry"
)

// BenchmarkAdd links the generated population (1,000 persons) into a new
// registry in batches of 200: the hot path of the match stage (blocking
// keys, block look-ups, scoring, reclustering, the Pebble batch).
// cpu-ns/op is the process's CPU time (all cores, Pebble's background
// work included), which a shared machine does not stretch as it does
// ns/op.
func BenchmarkAdd(b *testing.B) {
	p := generated(b)
	ad := registry.NewRecords()
	b.ReportAllocs()
	c0 := cputime.Process()
	for b.Loop() {
		reg, err := registry.Open(registry.Config{Dir: b.TempDir(), Settings: p.settings})
		if err != nil {
			b.Fatal(err)
		}
		for i := 0; i < len(p.recs); i += 200 {
			if _, err := reg.AddRecords(context.Background(), ad, p.recs[i:min(i+200, len(p.recs))]); err != nil {
				b.Fatal(err)
			}
		}
		reg.Close()
	}
	b.ReportMetric(float64(cputime.Process()-c0)/float64(b.N), "cpu-ns/op")
	b.ReportMetric(float64(len(p.recs)), "records/op")
}
