package pipelines

import (
	"bytes"
	"context"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/ingest"
	"github.com/dancu-vn/dancu/internal/synth"
	"github.com/dancu-vn/dancu/schemas"
	"github.com/segmentio/kafka-go"
)

// Records enriched at import (ImportConfig.Enrich) reach the match
// stage's output as the import wrote them — the same bytes, not encoded
// again — and are the records the match stage's own enrichment makes of
// the same lists imported without it, code for code.
func TestImportEnrichedPassedOn(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	m, err := synth.Generate(ctx, synth.Config{Persons: 400, Seed: 17, OutDir: dir, Formats: []string{"csv", "jsonl"}})
	if err != nil {
		t.Fatal(err)
	}
	importAll := func(enrich Enricher) []kafka.Message {
		w := &memWriter{}
		for _, f := range m.Files {
			if !f.IsSource() {
				continue
			}
			d, err := f.Date() // as dancu demo imports the file
			if err != nil {
				t.Fatal(err)
			}
			src, err := ingest.Open(filepath.Join(dir, f.Name), ingest.Options{SourceDate: d})
			if err != nil {
				t.Fatal(err)
			}
			_, err = Import(ctx, ImportConfig{Partitions: 3, BatchRows: 150, RecordsWriter: w, RejectsWriter: &memWriter{}, Enrich: enrich}, src, nil)
			src.Close()
			if err != nil {
				t.Fatal(err)
			}
		}
		for i := range w.msgs {
			w.msgs[i].Topic, w.msgs[i].Offset = TopicRecords, int64(i)
		}
		return w.msgs
	}
	// match runs the stage over in and returns its records' messages, in
	// order, and the records they hold by id.
	match := func(in []kafka.Message) ([]kafka.Message, map[string]schemas.Record) {
		var total int64
		for _, msg := range in {
			rs, err := schemas.DecodeRecords(msg.Value)
			if err != nil {
				t.Fatal(err)
			}
			total += int64(len(rs))
		}
		var events []string
		w := &callWriter{}
		st := new(MatchStats)
		runUntil(t, func(ctx context.Context) error {
			return Match(ctx, &memReader{msgs: in, events: &events}, w, KeyLinker{}, ResolveAddresses, MatchConfig{MaxWait: 10 * time.Millisecond}, st)
		}, func() bool { return st.Records.Load() >= total })
		var out []kafka.Message
		recs := map[string]schemas.Record{}
		for _, call := range w.calls {
			for _, msg := range call {
				if kindOf(msg) != KindRecords {
					continue
				}
				out = append(out, msg)
				rs, err := schemas.DecodeRecords(msg.Value)
				if err != nil {
					t.Fatal(err)
				}
				for _, r := range rs {
					recs[r.RecordID] = r
				}
			}
		}
		if int64(len(recs)) != total {
			t.Fatalf("%d records written, want %d", len(recs), total)
		}
		return out, recs
	}

	enriched, plain := importAll(ResolveAddresses), importAll(nil)
	out, got := match(enriched)
	if len(out) != len(enriched) {
		t.Fatalf("%d messages of records out for %d in", len(out), len(enriched))
	}
	for i := range out {
		// The message's own bytes, not a copy equal to them.
		if len(out[i].Value) == 0 || &out[i].Value[0] != &enriched[i].Value[0] {
			t.Fatalf("message %d: the records enriched at import were encoded again (%d bytes out, %d in)", i, len(out[i].Value), len(enriched[i].Value))
		}
	}
	outPlain, want := match(plain)
	again := 0
	for i := range outPlain {
		if !bytes.Equal(outPlain[i].Value, plain[i].Value) {
			again++
		}
	}
	if again == 0 {
		t.Fatal("no message of the lists imported without enrichment was encoded again: no code filled by the match stage")
	}
	coded := 0
	for id, w := range want {
		g := got[id]
		if !reflect.DeepEqual(g, w) {
			t.Fatalf("record %s enriched at import:\n%+v\nby the match stage:\n%+v", id, g, w)
		}
		if w.PermCommuneCode != "" || w.CurCommuneCode != "" {
			coded++
		}
	}
	if coded < len(want)/2 {
		t.Errorf("%d of %d records with a commune code: the lists' addresses were not resolved", coded, len(want))
	}
	t.Logf("%d records, %d with a commune code; %d of %d messages imported without enrichment encoded again", len(want), coded, again, len(outPlain))
}
