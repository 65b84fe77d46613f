package vietnamese_test

import (
	"context"
	"errors"
	"io"
	"path/filepath"
	"testing"

	"github.com/dancu-vn/dancu/address"
	"github.com/dancu-vn/dancu/ingest"
	"github.com/dancu-vn/dancu/internal/synth"
	"github.com/dancu-vn/dancu/matching/vietnamese"
	"github.com/dancu-vn/dancu/schemas"
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
	var recs []*schemas.Record
	for _, p := range files {
		src, err := ingest.Open(p, ingest.Options{NoNameParts: true})
		if err != nil {
			b.Fatal(err)
		}
		for {
			it, err := src.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			if it.Record != nil {
				recs = append(recs, it.Record)
			}
		}
		src.Close()
	}
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
