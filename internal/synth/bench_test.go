package synth

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
)

// BenchmarkGenerate generates populations of several sizes as CSV.
// DANCU_GEN_PERSONS adds a size (e.g. 1000000 for the target).
func BenchmarkGenerate(b *testing.B) {
	sizes := []int{10000, 100000}
	if v, err := strconv.Atoi(os.Getenv("DANCU_GEN_PERSONS")); err == nil && v > 0 {
		sizes = append(sizes, v)
	}
	for _, n := range sizes {
		b.Run(fmt.Sprintf("persons=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				m, err := Generate(context.Background(), Config{Persons: n, Seed: int64(i), OutDir: b.TempDir(), Formats: []string{"csv"}})
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(m.Records)/b.Elapsed().Seconds()*float64(i+1), "records/s")
			}
		})
	}
}
