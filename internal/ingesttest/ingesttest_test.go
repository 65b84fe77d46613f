package ingesttest_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/dancu-vn/dancu/ingest"
	"github.com/dancu-vn/dancu/internal/ingesttest"
	"github.com/dancu-vn/dancu/internal/synth"
)

// TestRecordsReadsEveryList: the records of a generated set's two lists,
// as many as the generator's truth lists (it fails if a file is skipped
// or a row dropped).
func TestRecordsReadsEveryList(t *testing.T) {
	dir := t.TempDir()
	if _, err := synth.Generate(context.Background(), synth.Config{Persons: 50, Seed: 1, OutDir: dir, Formats: []string{"csv"}}); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "danhsach_*.csv"))
	recs := ingesttest.Records(t, ingest.Options{}, files...)
	truth, err := os.ReadFile(filepath.Join(dir, "truth.csv"))
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, c := range truth {
		if c == '\n' {
			want++
		}
	}
	if want--; len(recs) != want || len(files) != 2 {
		t.Fatalf("%d records from %d files, want %d from 2", len(recs), len(files), want)
	}
}
