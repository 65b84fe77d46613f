package ingesttest

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/dancu-vn/dancu/ingest"
	"github.com/dancu-vn/dancu/internal/synth"
	"github.com/dancu-vn/dancu/schemas"
)

// Records reads the records of the files at paths, in order, through
// ingest.Open with opts; it fails tb on any error. Rows ingest rejects
// (an item without a record) are left out: callers are benchmarks and
// tests of what comes after ingest, on generated files.
func Records(tb testing.TB, opts ingest.Options, paths ...string) []*schemas.Record {
	tb.Helper()
	var recs []*schemas.Record
	for _, p := range paths {
		src, err := ingest.Open(p, opts)
		if err != nil {
			tb.Fatal(err)
		}
		for {
			it, err := src.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				src.Close()
				tb.Fatal(err)
			}
			if it.Record != nil {
				recs = append(recs, it.Record)
			}
		}
		src.Close()
	}
	return recs
}

// Lists returns the danhsach_*.csv lists of the `dancu gen` output the
// environment variable env names, or, when it names none, of persons
// persons generated with seed into a temporary directory of tb's; it
// fails tb when there is no list.
func Lists(tb testing.TB, env string, persons int, seed int64) []string {
	tb.Helper()
	dir := os.Getenv(env)
	if dir == "" {
		dir = tb.TempDir()
		if _, err := synth.Generate(context.Background(), synth.Config{Persons: persons, Seed: seed, OutDir: dir, Formats: []string{"csv"}}); err != nil {
			tb.Fatal(err)
		}
	}
	files, err := filepath.Glob(filepath.Join(dir, "danhsach_*.csv"))
	if err != nil || len(files) == 0 {
		tb.Fatalf("no danhsach_*.csv in %s", dir)
	}
	return files
}
