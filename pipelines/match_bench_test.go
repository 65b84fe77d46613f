package pipelines

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/ingest"
	"github.com/dancu-vn/dancu/internal/cputime"
	"github.com/dancu-vn/dancu/internal/ingesttest"
	"github.com/dancu-vn/dancu/internal/synth"
	"github.com/dancu-vn/dancu/schemas"
	"github.com/segmentio/kafka-go"
)

// The match stage around its linker (a KeyLinker, which costs next to
// nothing): fetching, decoding, enriching (ResolveAddresses) and writing
// its output, over the messages of a generated population's lists (5,000
// persons, 2,000 records a message), their addresses' codes filled at
// import (enriched) or not (plain). The address cache is the process's, as
// in dancu demo, where the import has just searched the same texts: after
// the first pass every look-up is answered.
//
//	go test ./pipelines -run '^$' -bench MatchStage -benchmem -count 6 | benchstat -
func BenchmarkMatchStage(b *testing.B) {
	dir := b.TempDir()
	m, err := synth.Generate(context.Background(), synth.Config{Persons: 5000, Seed: 5, OutDir: dir, Formats: []string{"csv", "jsonl"}})
	if err != nil {
		b.Fatal(err)
	}
	var plain []schemas.Record
	for _, f := range m.Files {
		if !f.IsSource() {
			continue
		}
		d, err := f.Date()
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range ingesttest.Records(b, ingest.Options{SourceDate: d}, filepath.Join(dir, f.Name)) {
			plain = append(plain, *r)
		}
	}
	enriched := make([]schemas.Record, len(plain))
	copy(enriched, plain)
	for i := range enriched {
		ResolveAddresses(&enriched[i]) // as the import does
	}
	messages := func(recs []schemas.Record) []kafka.Message {
		var out []kafka.Message
		for lo := 0; lo < len(recs); lo += 2000 {
			v, err := schemas.EncodeRecords(recs[lo:min(lo+2000, len(recs))])
			if err != nil {
				b.Fatal(err)
			}
			out = append(out, kafka.Message{Topic: TopicRecords, Offset: int64(len(out)), Value: v})
		}
		return out
	}
	for _, bc := range []struct {
		name string
		in   []kafka.Message
	}{{"plain", messages(plain)}, {"enriched", messages(enriched)}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			cpu0 := cputime.Process()
			for b.Loop() {
				var events []string
				st := new(MatchStats)
				ctx, cancel := context.WithCancel(context.Background())
				done := make(chan error, 1)
				go func() {
					done <- Match(ctx, &memReader{msgs: bc.in, events: &events}, discardMessages{}, KeyLinker{}, ResolveAddresses, MatchConfig{MaxWait: time.Millisecond}, st)
				}()
				for st.Records.Load() < int64(len(plain)) {
					time.Sleep(200 * time.Microsecond)
				}
				cancel()
				if err := <-done; err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64((cputime.Process()-cpu0).Nanoseconds())/1e3/float64(b.N*len(plain)), "cpu-µs/record")
		})
	}
}

// discardMessages is a MessageWriter that keeps nothing.
type discardMessages struct{}

func (discardMessages) WriteMessages(context.Context, ...kafka.Message) error { return nil }
