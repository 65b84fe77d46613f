package pipelines

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/dancu-vn/dancu/internal/synth"
	"github.com/dancu-vn/dancu/schemas"
)

// TestImportPublishesTheRecordsRead: the records published — held by
// the import as the source returned them, by pointer, until encoded —
// are the records of the file read alone, field for field, each once
// (a record left out, or encoded after another row was read into it,
// fails it). Small messages over six partitions, so that many are
// encoded while the file is read.
func TestImportPublishesTheRecordsRead(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	m, err := synth.Generate(ctx, synth.Config{Persons: 500, Seed: 23, OutDir: dir, Formats: []string{"csv", "xlsx", "jsonl"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range m.SourcePaths(dir) {
		t.Run(filepath.Base(f), func(t *testing.T) {
			plain := readAll(t, f)
			src := open(t, f)
			w := &memWriter{}
			st, err := Import(ctx, ImportConfig{Partitions: 6, BatchRows: 40, RecordsWriter: w, RejectsWriter: &memWriter{}, Enrich: ResolveAddresses}, src, nil)
			if err != nil {
				t.Fatal(err)
			}
			if st.Accepted == 0 || st.PublishedRecords != st.Accepted {
				t.Fatalf("accepted %d, published %d", st.Accepted, st.PublishedRecords)
			}
			for i := range plain {
				plain[i].LoadedAt = st.LoadedAt
				ResolveAddresses(&plain[i])
			}
			b, err := schemas.EncodeRecords(plain) // what a round trip gives (dates to UTC midnight)
			if err != nil {
				t.Fatal(err)
			}
			want, err := schemas.DecodeRecords(b)
			if err != nil {
				t.Fatal(err)
			}
			byID := make(map[string]schemas.Record, len(want))
			for _, r := range want {
				byID[r.RecordID] = r
			}
			n := 0
			for _, msg := range w.msgs {
				rs, err := schemas.DecodeRecords(msg.Value)
				if err != nil {
					t.Fatal(err)
				}
				for _, r := range rs {
					n++
					if w, ok := byID[r.RecordID]; !ok || !reflect.DeepEqual(r, w) {
						t.Fatalf("record %s published:\n%+v\nread alone:\n%+v", r.RecordID, r, w)
					}
				}
			}
			if n != len(want) {
				t.Fatalf("%d records published, %d read", n, len(want))
			}
		})
	}
}

// readAll returns the records of path read on their own, none handed back.
func readAll(t *testing.T, path string) []schemas.Record {
	t.Helper()
	src := open(t, path)
	var out []schemas.Record
	for {
		it, err := src.Next()
		if err != nil {
			break
		}
		if it.Record != nil {
			out = append(out, *it.Record)
		}
	}
	return out
}
