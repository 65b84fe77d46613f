package matching_test

import (
	"context"
	"slices"
	"testing"

	"github.com/dancu-vn/dancu/internal/synth"
	"github.com/dancu-vn/dancu/matching"
	"github.com/dancu-vn/dancu/matching/vietnamese"
)

// linkedPopulation links a generated population of 4,000 persons (about
// 7,300 records, with planted conflicts) with the embedded Vietnamese
// settings, trained on it.
func linkedPopulation(t *testing.T) *matching.Result {
	t.Helper()
	s, err := vietnamese.Settings()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	m, err := synth.Generate(context.Background(), synth.Config{Persons: 4000, Seed: 11, OutDir: dir, Formats: []string{"csv"}})
	if err != nil {
		t.Fatal(err)
	}
	f := generatedFrame(t, s, dir, m, "spreadsheet")
	res, err := matching.Link(context.Background(), f, s)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestLocalSameCounts: the count by row of the records sharing a row's
// province and name (the term frequency within a province) is the one a
// map of (province, name) counts gives, for every row of each column
// counted within a province.
func TestLocalSameCounts(t *testing.T) {
	res := linkedPopulation(t)
	for _, col := range []string{"family", "middle", "given"} {
		got, want := matching.LocalSame(res.Frame, col)
		if !slices.Equal(got, want) {
			t.Fatalf("column %s: the counts by row differ from a map's", col)
		}
		if slices.Max(want) < 2 {
			t.Fatalf("column %s: no value shared within a province: the test shows nothing", col)
		}
	}
}
