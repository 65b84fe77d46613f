package matching_test

import (
	"context"
	"os"
	"runtime"
	"strconv"
	"testing"

	"github.com/dancu-vn/dancu/internal/cputime"
	"github.com/dancu-vn/dancu/internal/synth"
	"github.com/dancu-vn/dancu/matching"
	"github.com/dancu-vn/dancu/matching/settings"
	"github.com/dancu-vn/dancu/matching/vietnamese"
)

// BenchmarkTrainLink trains the embedded Vietnamese settings (no model)
// on a generated population as dancu link does (the blockers built
// before, the candidate pairs' vectors kept for scoring): u from random
// pairs, the EM sessions, λ, the dependence and coverage estimates and
// the guards' fits. $DANCU_TRAIN_PERSONS sets the persons generated
// (default 20,000: about 36,000 records). cpu-s/op is the process's CPU
// time per training (both cores), the figure to compare on a shared
// machine.
func BenchmarkTrainLink(b *testing.B) {
	s, f := benchPopulation(b, "DANCU_TRAIN_PERSONS")
	train, err := matching.TrainAsLink(f, s)
	if err != nil {
		b.Fatal(err)
	}
	benchCPU(b, f.Len(), func() {
		if _, _, err := train(context.Background()); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkEstimateU counts the comparison vectors of training's random
// pairs (1,000,000 by default) on a generated population, as training
// does ($DANCU_TRAIN_PERSONS persons, default 20,000). cpu-s/op is the
// process's CPU time per estimate.
func BenchmarkEstimateU(b *testing.B) {
	s, f := benchPopulation(b, "DANCU_TRAIN_PERSONS")
	est, err := matching.EstimateUAsLink(f, s)
	if err != nil {
		b.Fatal(err)
	}
	benchCPU(b, f.Len(), func() {
		if n, pats := est(); n == 0 || pats == 0 {
			b.Fatalf("%d random pairs, %d patterns", n, pats)
		}
	})
}

// benchCPU runs op as the benchmark's loop, after a collection and with
// allocations reported, and reports the process's CPU time per op (every
// core: cpu-s/op, the figure to compare on a shared machine) and the
// records it ran on.
func benchCPU(b *testing.B, records int, op func()) {
	b.Helper()
	runtime.GC()
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cputime.Process()
	for b.Loop() {
		op()
	}
	b.ReportMetric((cputime.Process()-cpu0).Seconds()/float64(b.N), "cpu-s/op")
	b.ReportMetric(float64(records), "records")
}

// benchPopulation generates $env persons (default 20,000: about 36,000
// records; seed 11) into a temporary directory and reads their
// spreadsheets into a frame with the embedded Vietnamese settings, the
// population the training and clustering benchmarks run on.
func benchPopulation(b *testing.B, env string) (*settings.Settings, *matching.Frame) {
	b.Helper()
	persons := 20_000
	if v := os.Getenv(env); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			b.Fatalf("%s: %v", env, err)
		}
		persons = n
	}
	s, err := vietnamese.Settings()
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	m, err := synth.Generate(context.Background(), synth.Config{Persons: persons, Seed: 11, OutDir: dir, Formats: []string{"csv"}})
	if err != nil {
		b.Fatal(err)
	}
	return s, generatedFrame(b, s, dir, m, "spreadsheet")
}
