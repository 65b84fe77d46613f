package registry_test

import (
	"context"
	"os"
	"strconv"
	"sync"
	"testing"

	"github.com/dancu-vn/dancu/ingest"
	"github.com/dancu-vn/dancu/internal/cputime"
	"github.com/dancu-vn/dancu/internal/ingesttest"
	"github.com/dancu-vn/dancu/internal/synth"
	"github.com/dancu-vn/dancu/matching/settings"
	"github.com/dancu-vn/dancu/matching/vietnamese"
	"github.com/dancu-vn/dancu/registry"
	"github.com/dancu-vn/dancu/schemas"
)

// scorerBench is the score role's input for BenchmarkScorer: a
// generated population's items (one per record and blocking key), in
// the batches the block role sent them.
var scorerBench struct {
	once    sync.Once
	err     error
	s       *settings.Settings
	batches [][]registry.Item
	records int
}

// BenchmarkScorer scores a generated population's items into a new
// Scorer, batch by batch (batches of 1,000 records): the score role's
// hot path (block look-ups, members, scoring, the Pebble batch).
// cpu-s/op is the process's CPU time an op (a machine shared with other
// jobs stretches ns/op, not it). DANCU_BENCH_SCORER_PERSONS sets the population (synth, seed 97, the
// trained settings); unset, the test population of 1,000 persons.
func BenchmarkScorer(b *testing.B) {
	sb := &scorerBench
	sb.once.Do(func() { sb.err = makeScorerBench(b) })
	if sb.err != nil {
		b.Fatal(sb.err)
	}
	ctx := context.Background()
	items := 0
	for _, its := range sb.batches {
		items += len(its)
	}
	cpu0 := cputime.Process() // all threads: the store's compactions too
	b.ResetTimer()
	n := 0
	for b.Loop() {
		n++
		sc, err := registry.OpenScorer(registry.ScorerConfig{Dir: b.TempDir(), Settings: sb.s})
		if err != nil {
			b.Fatal(err)
		}
		for i, its := range sb.batches {
			if _, err := sc.Score(ctx, its, int64(i)); err != nil {
				b.Fatal(err)
			}
		}
		if err := sc.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric((cputime.Process()-cpu0).Seconds()/float64(n), "cpu-s/op")
	b.ReportMetric(float64(sb.records), "records/op")
	b.ReportMetric(float64(items), "items/op")
}

func makeScorerBench(b *testing.B) error {
	sb := &scorerBench
	persons, _ := strconv.Atoi(os.Getenv("DANCU_BENCH_SCORER_PERSONS"))
	if persons <= 0 {
		p := generated(b)
		sb.s = p.settings
		return scorerItems(p.settings, p.recs)
	}
	dir, err := os.MkdirTemp("", "dancu-bench-scorer")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	m, err := synth.Generate(context.Background(), synth.Config{Persons: persons, Seed: 97, OutDir: dir, Formats: []string{"csv", "jsonl"}})
	if err != nil {
		return err
	}
	if sb.s, err = vietnamese.Trained(); err != nil {
		return err
	}
	var recs []schemas.Record
	for _, r := range ingesttest.Records(b, ingest.Options{}, m.SourcePaths(dir)...) {
		recs = append(recs, *r)
	}
	return scorerItems(sb.s, recs)
}

// scorerItems passes recs through a registry that does not score (the
// block role), in batches of 1,000, keeping each batch's items.
func scorerItems(s *settings.Settings, recs []schemas.Record) error {
	sb := &scorerBench
	dir, err := os.MkdirTemp("", "dancu-bench-scorer-reg")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	reg, err := registry.Open(registry.Config{Dir: dir, Settings: s, Score: func(ctx context.Context, its []registry.Item) ([]registry.Edge, error) {
		sb.batches = append(sb.batches, its)
		return nil, nil
	}})
	if err != nil {
		return err
	}
	defer reg.Close()
	ad := registry.NewRecords()
	for i := 0; i < len(recs); i += 1000 {
		if _, err := reg.AddRecords(context.Background(), ad, recs[i:min(i+1000, len(recs))]); err != nil {
			return err
		}
	}
	sb.records = len(recs)
	return nil
}
