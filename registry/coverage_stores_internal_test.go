package registry

import (
	"bytes"
	"context"
	"encoding/json"
	"math/rand"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/ingest"
	"github.com/dancu-vn/dancu/internal/ingesttest"
	"github.com/dancu-vn/dancu/internal/synth"
	"github.com/dancu-vn/dancu/matching/settings"
	"github.com/dancu-vn/dancu/matching/vietnamese"
	"github.com/dancu-vn/dancu/schemas"
)

// The tests of a store's coverage formats (coverage_*_internal_test.go)
// run two registries of the Vietnamese trained settings side by side on
// generated records.

// coverageNow is the clock of the coverage stores' tests.
var coverageNow = time.Date(2026, 5, 10, 0, 0, 0, 0, time.UTC)

// trainedOpener returns the Vietnamese trained settings and a function
// that opens a registry of them in a directory, at coverageNow.
func trainedOpener(t *testing.T) (*settings.Settings, func(dir string) *Registry) {
	t.Helper()
	s, err := vietnamese.Trained()
	if err != nil {
		t.Fatal(err)
	}
	return s, func(dir string) *Registry {
		t.Helper()
		r, err := Open(Config{Dir: dir, Settings: s, Now: func() time.Time { return coverageNow }})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
}

// synthRecords returns the records of persons generated with seed (CSV
// and JSONL files, as ingest reads them), shuffled with shuffle.
func synthRecords(t *testing.T, persons int, seed, shuffle int64) []schemas.Record {
	t.Helper()
	dir := t.TempDir()
	m, err := synth.Generate(context.Background(), synth.Config{Persons: persons, Seed: seed, OutDir: dir, Formats: []string{"csv", "jsonl"}, SourceDate: "2024-05-01"})
	if err != nil {
		t.Fatal(err)
	}
	var recs []schemas.Record
	for _, r := range ingesttest.Records(t, ingest.Options{}, m.SourcePaths(dir)...) {
		recs = append(recs, *r)
	}
	rand.New(rand.NewSource(shuffle)).Shuffle(len(recs), func(i, j int) { recs[i], recs[j] = recs[j], recs[i] })
	return recs
}

// sameOutputs runs f on cur and on other (named what in messages) and
// fails unless they give the same output (as JSON); it returns cur's.
func sameOutputs(t *testing.T, step, what string, cur, other *Registry, f func(r *Registry) (*Output, error)) *Output {
	t.Helper()
	a, err := f(cur)
	if err != nil {
		t.Fatalf("%s: %v", step, err)
	}
	b, err := f(other)
	if err != nil {
		t.Fatalf("%s, %s: %v", step, what, err)
	}
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if !bytes.Equal(ja, jb) {
		t.Fatalf("%s: output of %s\n%s\nwant\n%s", step, what, jb, ja)
	}
	return a
}
