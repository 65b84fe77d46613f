package matching_test

import (
	"context"
	"reflect"
	"slices"
	"testing"

	"github.com/dancu-vn/dancu/internal/synth"
	"github.com/dancu-vn/dancu/matching"
	"github.com/dancu-vn/dancu/matching/vietnamese"
	"github.com/dancu-vn/dancu/schemas"
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

// TestClusterAndSummariesOnCoresAsOnOne: the persons, their summaries
// and the conflicts are the same, in the same order, when Cluster scores
// the edges joining two single records on 16 goroutines beforehand and
// summarise cuts the persons into 16 runs, as when both work on one core
// (link4). It fails when a run's conflicts come
// out of the persons' order or a summary is lost, and the data must
// raise conflicts of a person's own numbers for it to show that.
func TestClusterAndSummariesOnCoresAsOnOne(t *testing.T) {
	res := linkedPopulation(t)
	run := func(one bool) (*matching.Clusters, []matching.Assignment, []matching.PersonSummary, []schemas.Conflict) {
		defer matching.OnOneCore(one)()
		cl, err := matching.Cluster(res.Frame, res.Settings, res.Pairs)
		if err != nil {
			t.Fatal(err)
		}
		r := *res
		r.Clusters = cl
		rows, sums, confs := matching.Assign(&r, nil)
		return cl, rows, sums, confs
	}
	cl1, rows1, sums1, confs1 := run(true)
	cl2, rows2, sums2, confs2 := run(false)
	if !reflect.DeepEqual(cl1, cl2) {
		t.Fatalf("the clusters differ: %d and %d blocked links", len(cl1.Blocked), len(cl2.Blocked))
	}
	if !reflect.DeepEqual(rows1, rows2) {
		t.Fatal("the records' persons differ")
	}
	if !reflect.DeepEqual(sums1, sums2) {
		t.Fatal("the persons' summaries differ")
	}
	if !reflect.DeepEqual(confs1, confs2) {
		t.Fatalf("the conflicts differ: %d on one core, %d on three", len(confs1), len(confs2))
	}
	own := 0
	for _, c := range confs1 {
		if c.Kind == schemas.ConflictIDContradicts {
			own++
		}
	}
	if own < 2 || len(sums1) < 1000 {
		t.Fatalf("%d id_contradicts conflicts among %d persons: the test shows nothing", own, len(sums1))
	}
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
