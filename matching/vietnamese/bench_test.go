package vietnamese_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/dancu-vn/dancu/address"
	"github.com/dancu-vn/dancu/ingest"
	"github.com/dancu-vn/dancu/internal/ingesttest"
	"github.com/dancu-vn/dancu/internal/synth"
	"github.com/dancu-vn/dancu/matching/vietnamese"
)

// BenchmarkAdapterFields derives the fields of the records of the two
// lists `dancu gen` writes for 2,000 persons (each op: every record, with
// a new adapter, as one dancu link run does; addresses resolved through
// address.Resolve's cache, warm after the first op).
func BenchmarkAdapterFields(b *testing.B) {
	if err := address.Warm(); err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	if _, err := synth.Generate(context.Background(), synth.Config{Persons: 2000, Seed: 3, OutDir: dir, Formats: []string{"csv"}}); err != nil {
		b.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "danhsach_*.csv"))
	recs := ingesttest.Records(b, ingest.Options{NoNameParts: true}, files...)
	fields := []string{"vn.family_key", "vn.given_ocr", "vn.father", "vn.mother", "vn.ethnicity", "vn.perm_commune"}
	b.ReportAllocs()
	for b.Loop() {
		ad := vietnamese.NewAdapter()
		for _, r := range recs {
			get, _ := ad.Fields(r)
			for _, f := range fields {
				_ = get(f)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(recs)), "ns/record")
}
