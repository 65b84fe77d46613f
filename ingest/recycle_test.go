package ingest

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/internal/synth"
	"github.com/dancu-vn/dancu/schemas"
)

// TestRecycledRecordsReadAsNew reads a generated population's CSV lists,
// workbooks and scanned forms (with forms added that carry no confidence,
// a bare value, a confidence out of range and a flat record) twice: once
// keeping every record, once handing each record back (Recycle) as soon
// as it is copied, so that every row is read into the record of the row
// before, its map of confidences emptied. The items must be the same,
// field for field: a value or a confidence left from an earlier row, or an
// empty map where a form had none, fails it. The CSV lists are read on
// one goroutine and with Options.Workers.
func TestRecycledRecordsReadAsNew(t *testing.T) {
	dir := t.TempDir()
	m, err := synth.Generate(context.Background(), synth.Config{Persons: 400, Seed: 5, OutDir: dir, Formats: []string{"csv", "xlsx", "jsonl"}})
	if err != nil {
		t.Fatal(err)
	}
	files := m.SourcePaths(dir)
	for _, f := range files {
		if strings.HasSuffix(f, ".jsonl") {
			extra := `{"form_id":"DC01-X-1","scan_ref":"s","unit_code":"03826","collected_on":"2019-06-07","fields":{"full_name":{"text":"Lê Văn Cường"},"birth_date":{"text":"1980"}}}
{"form_id":"DC01-X-2","scan_ref":"s","unit_code":"03826","collected_on":"2019-06-07","fields":{"full_name":{"text":"Lê Thị Hoa","confidence":1.5}}}
{"form_id":"DC01-X-3","fields":{"full_name":"Trần Văn Bình","sex":{"text":"Nam","confidence":0.9}}}
{"full_name":"Phạm Thị Lan","birth_date":"1975"}
{"form_id":"DC01-X-4","scan_ref":"s","unit_code":"03826","collected_on":"2019-06-07","fields":{"birth_date":{"text":"1980","confidence":0.9}}}
{"form_id":"DC01-X-5","scan_ref":"s","unit_code":"03826","collected_on":"2019-06-07","fields":{"full_name":{"text":"Võ Văn Tám","confidence":0.8}}}
`
			fh, err := os.OpenFile(f, os.O_APPEND|os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := fh.WriteString(extra); err != nil {
				t.Fatal(err)
			}
			fh.Close()
		}
	}
	for _, f := range files {
		for _, workers := range []int{0, 2} {
			if workers > 0 && !strings.HasSuffix(f, ".csv") {
				continue
			}
			opts := Options{Workers: workers, Now: fixedNow}
			want := readItems(t, f, opts, false)
			got := readItems(t, f, opts, true)
			if len(got) != len(want) {
				t.Fatalf("%s: %d items recycling, %d without", filepath.Base(f), len(got), len(want))
			}
			recs, maps := 0, 0
			for i := range want {
				if !reflect.DeepEqual(got[i], want[i]) {
					t.Fatalf("%s item %d recycling:\n got %+v\nwant %+v", filepath.Base(f), i, got[i].rec, want[i].rec)
				}
				if want[i].rec != nil {
					recs++
					if want[i].rec.OCRConfidence != nil {
						maps++
					}
				}
			}
			if recs == 0 || strings.HasSuffix(f, ".jsonl") && (maps == 0 || maps == recs) {
				t.Fatalf("%s: %d records, %d with confidences: the test reads nothing it checks", filepath.Base(f), recs, maps)
			}
		}
	}
}

// fixedNow stamps the rejects of both reads alike.
func fixedNow() time.Time { return time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC) }

// readItem is an item read, its record copied.
type readItem struct {
	rec    *schemas.Record
	reject *schemas.Reject
	notes  []Note
}

// readItems reads every item of path; with recycle each record is copied
// (its map too) and handed back at once.
func readItems(t *testing.T, path string, opts Options, recycle bool) []readItem {
	t.Helper()
	src, err := Open(path, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	var out []readItem
	for {
		it, err := src.Next()
		if err != nil {
			break
		}
		ri := readItem{reject: it.Reject, notes: it.Notes}
		if it.Record != nil {
			c := *it.Record
			if c.OCRConfidence != nil {
				c.OCRConfidence = make(map[string]float32, len(it.Record.OCRConfidence))
				for k, v := range it.Record.OCRConfidence {
					c.OCRConfidence[k] = v
				}
			}
			ri.rec = &c
			if recycle {
				src.(Recycler).Recycle(it.Record)
			}
		}
		out = append(out, ri)
	}
	return out
}
