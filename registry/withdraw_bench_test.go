package registry_test

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"strconv"
	"testing"

	"github.com/dancu-vn/dancu/ingest"
	"github.com/dancu-vn/dancu/internal/ingesttest"
	"github.com/dancu-vn/dancu/internal/synth"
	"github.com/dancu-vn/dancu/matching/vietnamese"
	"github.com/dancu-vn/dancu/registry"
	"github.com/dancu-vn/dancu/schemas"
)

// BenchmarkWithdraw withdraws 200 records at a time (a replaced file's
// gone rows), picked at random, from a registry that linked
// DANCU_BENCH_WITHDRAW_PERSONS generated persons (synth, seed 97; 4,000
// when unset) in batches of 2,000.
func BenchmarkWithdraw(b *testing.B) {
	persons, _ := strconv.Atoi(os.Getenv("DANCU_BENCH_WITHDRAW_PERSONS"))
	if persons <= 0 {
		persons = 4000
	}
	dir := b.TempDir()
	m, err := synth.Generate(context.Background(), synth.Config{Persons: persons, Seed: 97, OutDir: dir, Formats: []string{"csv", "jsonl"}})
	if err != nil {
		b.Fatal(err)
	}
	var recs []schemas.Record
	for _, rec := range ingesttest.Records(b, ingest.Options{}, m.SourcePaths(dir)...) {
		recs = append(recs, *rec)
	}
	s, err := vietnamese.Trained()
	if err != nil {
		b.Fatal(err)
	}
	reg, err := registry.Open(registry.Config{Dir: b.TempDir(), Settings: s})
	if err != nil {
		b.Fatal(err)
	}
	defer reg.Close()
	ad := registry.NewRecords()
	ctx := context.Background()
	for i := 0; i < len(recs); i += 2000 {
		if _, err := reg.AddRecords(ctx, ad, recs[i:min(i+2000, len(recs))]); err != nil {
			b.Fatal(err)
		}
	}
	rand.New(rand.NewSource(1)).Shuffle(len(recs), func(i, j int) { recs[i], recs[j] = recs[j], recs[i] })
	const per = 200
	b.ResetTimer()
	persons, withdrawn := 0, 0
	for i := 0; i < b.N; i++ {
		lo := (i * per) % (len(recs) - per)
		ids := make([]string, per)
		for k := range ids {
			ids[k] = recs[lo+k].RecordID
		}
		out, err := reg.Withdraw(ctx, schemas.Withdrawal{WithdrawalID: fmt.Sprint("w", i), Batch: fmt.Sprint("b", i), RecordIDs: ids})
		if err != nil {
			b.Fatal(err)
		}
		persons += len(out.Persons)
		withdrawn += len(out.Withdrawn)
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(max(withdrawn, 1)), "µs/record")
	b.ReportMetric(float64(persons)/float64(b.N), "persons/op")
	b.Logf("%d records in the registry, %d withdrawn", len(recs), withdrawn)
}
