package matching_test

import (
	"context"
	"path/filepath"
	"runtime"
	"slices"
	"testing"

	"github.com/dancu-vn/dancu/ingest"
	"github.com/dancu-vn/dancu/internal/cputime"
	"github.com/dancu-vn/dancu/internal/ingesttest"
	"github.com/dancu-vn/dancu/internal/synth"
	"github.com/dancu-vn/dancu/matching"
	"github.com/dancu-vn/dancu/matching/settings"
	"github.com/dancu-vn/dancu/matching/vietnamese"
)

// generatedFrame reads the files of m (a population generated into dir)
// whose kind is one of kinds through the Vietnamese adapter into a frame
// for s, as dancu link does.
func generatedFrame(tb testing.TB, s *settings.Settings, dir string, m *synth.Manifest, kinds ...string) *matching.Frame {
	tb.Helper()
	var paths []string
	for _, fl := range m.Files {
		if slices.Contains(kinds, fl.Kind) {
			paths = append(paths, filepath.Join(dir, fl.Name))
		}
	}
	f := matching.NewFrame(s)
	ad := vietnamese.NewAdapter()
	for _, r := range ingesttest.Records(tb, ingest.Options{}, paths...) {
		get, conf := ad.Fields(r)
		if err := f.Add(r.RecordID, 0, get, conf); err != nil {
			tb.Fatal(err)
		}
	}
	return f
}

// vietnameseCandidates generates a population (spreadsheets and scanned
// forms, so OCR confidences), reads it through the Vietnamese adapter into
// a frame for the embedded model, and returns the frame with candidate
// pairs: every pair of each block of the model's blocking rules (up to
// 30 members a block) and each record with the 20 after it (mostly
// strangers).
func vietnameseCandidates(t testing.TB, persons int) (*matching.Frame, [][2]int32) {
	t.Helper()
	dir := t.TempDir()
	m, err := synth.Generate(context.Background(), synth.Config{Persons: persons, Seed: 19, OutDir: dir, Formats: []string{"csv", "jsonl"}, SourceDate: "2024-05-01"})
	if err != nil {
		t.Fatal(err)
	}
	s, err := vietnamese.Trained()
	if err != nil {
		t.Fatal(err)
	}
	f := generatedFrame(t, s, dir, m, "spreadsheet", "scan")
	km, err := matching.NewKeyMaker(f, s)
	if err != nil {
		t.Fatal(err)
	}
	type block struct {
		rule int
		hash uint64
	}
	members := map[block][]int32{}
	var pairs [][2]int32
	for i := 0; i < f.Len(); i++ {
		for _, k := range km.Keys(f, i, nil) {
			b := block{k.Rule, k.Hash}
			for _, j := range members[b] {
				pairs = append(pairs, [2]int32{int32(i), j})
			}
			if len(members[b]) < 30 {
				members[b] = append(members[b], int32(i))
			}
		}
		for j := i + 1; j < min(i+21, f.Len()); j++ {
			pairs = append(pairs, [2]int32{int32(j), int32(i)})
		}
	}
	return f, pairs
}

// TestScorePairsBoundChangesNothing: ScorePairs stops a pair as soon as
// the comparisons left cannot bring it to the review threshold; it must
// return exactly the pairs and weights of evaluating every comparison, on
// the embedded Vietnamese model (term-frequency adjustments, OCR
// confidence scaling, a veto), and the bound must stop pairs.
func TestScorePairsBoundChangesNothing(t *testing.T) {
	f, pairs := vietnameseCandidates(t, 400)
	s, err := vietnamese.Trained()
	if err != nil {
		t.Fatal(err)
	}
	got, err := matching.ScorePairs(f, s, pairs)
	if err != nil {
		t.Fatal(err)
	}
	want, stopped, err := matching.ScorePairsEveryLevel(f, s, pairs)
	if err != nil {
		t.Fatal(err)
	}
	sameAsEveryLevel(t, got, want)
	if len(want) == 0 || stopped == 0 || stopped >= len(pairs)-len(want)+1 {
		t.Fatalf("%d candidate pairs, %d at or above the review threshold, %d stopped early: the test shows nothing", len(pairs), len(want), stopped)
	}
	t.Logf("%d candidate pairs, %d at or above the review threshold, %d stopped early", len(pairs), len(want), stopped)
}

// TestRowBoundChangesNothing: a pass over many pairs (predict) bounds a
// pair by bounds tabulated per record (pairBound.tabulateRows) and reads
// the values record by record; it must return exactly the pairs and
// weights of evaluating every comparison, and still stop pairs.
func TestRowBoundChangesNothing(t *testing.T) {
	f, pairs := vietnameseCandidates(t, 400)
	s, err := vietnamese.Trained()
	if err != nil {
		t.Fatal(err)
	}
	got, stopped, err := matching.ScorePairsRowBound(f, s, pairs)
	if err != nil {
		t.Fatal(err)
	}
	want, stoppedBefore, err := matching.ScorePairsEveryLevel(f, s, pairs)
	if err != nil {
		t.Fatal(err)
	}
	sameAsEveryLevel(t, got, want)
	if len(want) == 0 || stopped == 0 {
		t.Fatalf("%d candidate pairs, %d at or above the review threshold, %d stopped early: the test shows nothing", len(pairs), len(want), stopped)
	}
	t.Logf("%d candidate pairs, %d at or above the review threshold, %d stopped early (%d by the bound of pairs)", len(pairs), len(want), stopped, stoppedBefore)
}

// sameAsEveryLevel fails t unless got holds exactly the pairs and
// weights of want, the pairs found evaluating every level.
func sameAsEveryLevel(t *testing.T, got, want []matching.Pair) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d pairs at or above the review threshold, %d evaluating every level", len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("pair %d: %+v, evaluating every level %+v", i, got[i], want[i])
		}
	}
}

// BenchmarkScorePairs scores a generated population's candidate pairs
// with the embedded Vietnamese model, as the registry scores a batch.
func BenchmarkScorePairs(b *testing.B) {
	f, pairs := vietnameseCandidates(b, 1000)
	s, err := vietnamese.Trained()
	if err != nil {
		b.Fatal(err)
	}
	// The thread's CPU time as well as the wall time: on a shared
	// machine the first is the one to compare.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	cpu0 := threadCPU()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := matching.ScorePairs(f, s, pairs); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(threadCPU()-cpu0)/float64(b.N), "cpu-ns/op")
	b.ReportMetric(float64(len(pairs)), "pairs/op")
}

// threadCPU is the CPU time of the calling OS thread, in nanoseconds
// (0 outside Linux).
func threadCPU() int64 {
	d, _ := cputime.Thread()
	return int64(d)
}

// TestFirstLevelIsGammaOne: firstLevel (average linkage's test of what a
// cluster's records agree on) stops after a comparison's first level; it
// must answer gamma == 1 for every comparison of every candidate pair of
// the embedded Vietnamese model (blanks, OCR confidences; none of its
// first levels is a cross level), and both answers must occur.
func TestFirstLevelIsGammaOne(t *testing.T) {
	f, pairs := vietnameseCandidates(t, 400)
	s, err := vietnamese.Trained()
	if err != nil {
		t.Fatal(err)
	}
	asked, first, wrong, err := matching.FirstLevelAgainstGamma(f, s, pairs)
	if err != nil {
		t.Fatal(err)
	}
	if wrong != 0 {
		t.Fatalf("firstLevel differs from gamma == 1 on %d of %d comparisons", wrong, asked)
	}
	if first == 0 || first == asked {
		t.Fatalf("%d of %d comparisons on the first level: the test shows nothing", first, asked)
	}
	t.Logf("%d comparisons, %d on the first level", asked, first)
}

// TestPersonGuardsIsEncodePersonGuards: NewPersonGuards' Encode gives
// the bytes of EncodePersonGuards for persons of one to five records of
// a generated population (the Vietnamese guards: valid numbers, sexes,
// birth years).
func TestPersonGuardsIsEncodePersonGuards(t *testing.T) {
	f, _ := vietnameseCandidates(t, 400)
	s, err := vietnamese.Trained()
	if err != nil {
		t.Fatal(err)
	}
	pg, err := matching.NewPersonGuards(f, s)
	if err != nil {
		t.Fatal(err)
	}
	withValues := 0
	for i := 0; i < f.Len(); i++ {
		var rows []int32
		for k := 0; k < 1+i%5 && i+3*k < f.Len(); k++ {
			rows = append(rows, int32(i+3*k))
		}
		want, err := matching.EncodePersonGuards(f, s, rows)
		if err != nil {
			t.Fatal(err)
		}
		got, err := pg.Encode(rows)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Fatalf("rows %v:\n got %s\nwant %s", rows, got, want)
		}
		if len(want) > 20 {
			withValues++
		}
	}
	if withValues == 0 {
		t.Fatal("no person with guard values: the test shows nothing")
	}
}
