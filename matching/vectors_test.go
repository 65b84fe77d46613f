package matching

import (
	"context"
	"math"
	"testing"

	"github.com/dancu-vn/dancu/matching/settings"
)

// toyLink links 2,000 toy records with the toy settings.
func toyLink(t *testing.T) (*settings.Settings, *Frame, *Result) {
	t.Helper()
	s, err := settings.Parse([]byte(toySettings))
	if err != nil {
		t.Fatal(err)
	}
	rows, ids, _ := toyRows(2000, 3)
	f := toyFrame(t, s, rows, ids)
	res, err := Link(context.Background(), f, s)
	if err != nil {
		t.Fatal(err)
	}
	return s, f, res
}

// TestLinkScoresTrainingVectors: Link scores the vectors training
// compared instead of comparing the pairs again; the pairs and weights
// must be those Predict finds comparing every pair itself with the same
// model, and a pass over more pairs than the store keeps must fall back
// to comparing them, with the same result.
func TestLinkScoresTrainingVectors(t *testing.T) {
	s, f, res := toyLink(t)
	ctx := context.Background()
	if !res.Predict.Reused {
		t.Fatal("Link compared the candidate pairs again instead of scoring training's vectors")
	}
	want, st, err := Predict(ctx, f, res.Settings)
	if err != nil {
		t.Fatal(err)
	}
	if st.Reused || st.Comparisons != res.Predict.Comparisons {
		t.Fatalf("Predict: reused %v, %d comparisons; Link: %d", st.Reused, st.Comparisons, res.Predict.Comparisons)
	}
	samePairs(t, "Link", res.Pairs, want)
	if len(want) == 0 {
		t.Fatal("no pairs at or above the review threshold: the test shows nothing")
	}

	defer func(n int) { maxKeptPairs = n }(maxKeptPairs)
	maxKeptPairs = 10 * workers
	res2, err := Link(ctx, f, s)
	if err != nil {
		t.Fatal(err)
	}
	if res2.Predict.Reused {
		t.Fatalf("kept %d candidate pairs, more than maxKeptPairs %d", res2.Predict.Comparisons, maxKeptPairs)
	}
	// Training again gives the same model to rounding (EM sums its
	// patterns in map order); the pairs are compared with each run's own.
	want2, _, err := Predict(ctx, f, res2.Settings)
	if err != nil {
		t.Fatal(err)
	}
	samePairs(t, "Link over the cap", res2.Pairs, want2)
}

func samePairs(t *testing.T, name string, got, want []Pair) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d pairs, Predict %d", name, len(got), len(want))
	}
	for x := range got {
		if got[x] != want[x] {
			t.Fatalf("%s: pair %d is %+v, Predict's %+v", name, x, got[x], want[x])
		}
	}
}

// TestU64Table: every key added keeps its own value through growth, a
// key found again is not added twice, and keys differing only in high
// bits stay apart.
func TestU64Table(t *testing.T) {
	var tb u64Table
	const n = 50_000
	key := func(i int) uint64 { return uint64(i)<<32 | uint64(i%7) }
	for i := 0; i < n; i++ {
		v, ok := tb.find(key(i))
		if ok {
			t.Fatalf("key %d found before it was added", i)
		}
		*v = int64(i) + 1
	}
	for i := 0; i < n; i++ {
		v, ok := tb.find(key(i))
		if !ok || *v != int64(i)+1 {
			t.Fatalf("key %d: found %v, value %d, want %d", i, ok, *v, i+1)
		}
	}
	if tb.n != n {
		t.Fatalf("%d keys in the table, want %d", tb.n, n)
	}
}

// TestTFTableSameWeights: the term-frequency adjustments tabulated by
// value (scoring training's vectors) are, to the bit, those weight
// computes per pair, on every level of every comparison and on pairs
// whose two values have different frequencies (which value's counts is
// the question).
func TestTFTableSameWeights(t *testing.T) {
	_, f, res := toyLink(t)
	c, err := compile(res.Settings, f)
	if err != nil {
		t.Fatal(err)
	}
	m := res.Settings.Model
	perPair := newWeights(c, m, res.Settings.Training.Prior)
	tab := newWeights(c, m, res.Settings.Training.Prior)
	tab.tabulateTF(c, f, 1<<62)
	if tab.tfAdj == nil {
		t.Fatal("no tables built: the toy settings' tf level shows nothing")
	}
	differ := 0
	n := int32(f.Len())
	for a := int32(0); a < n; a += 7 {
		for b := a + 1; b < n; b += 13 {
			for k, cc := range c.comps {
				for g := uint8(0); int(g) <= len(cc.levels)+1; g++ {
					w1, adj1 := perPair.weight(c, f, k, g, a, b)
					w2, adj2 := tab.weight(c, f, k, g, a, b)
					if w1 != w2 || adj1 != adj2 {
						t.Fatalf("pair %d-%d, comparison %s level %d: per pair %v%+v, tabulated %v%+v", a, b, cc.name, g, w1, adj1, w2, adj2)
					}
					if g == 0 || int(g) > len(cc.levels) {
						continue
					}
					if tc := cc.levels[g-1].tf; tc >= 0 && adj1 != 0 && f.tf(tc, int(a)) != f.tf(tc, int(b)) {
						differ++
					}
				}
			}
		}
	}
	if differ == 0 {
		t.Fatal("no pair with two different term frequencies: the test shows nothing")
	}
	t.Logf("%d level-pairs with two different term frequencies compared", differ)
}

// TestTrainingSample: above maxTrainPairs candidate pairs, training
// compares a hash sample of them, the same on every run, counted for the
// pairs it stands for: λ stays near the one of every pair, scoring
// compares every pair itself (the vectors kept are only the sample's)
// with the pairs and weights Predict finds with the same model, and
// below it nothing changes (every pair compared, vectors reused).
func TestTrainingSample(t *testing.T) {
	s, f, full := toyLink(t)
	ctx := context.Background()
	if full.Train.Sample != 1 || full.Train.Compared != full.Train.UnionPairs || !full.Predict.Reused {
		t.Fatalf("under maxTrainPairs: sample %d, %d of %d pairs compared, vectors reused %v", full.Train.Sample, full.Train.Compared, full.Train.UnionPairs, full.Predict.Reused)
	}

	defer func(n int64) { maxTrainPairs = n }(maxTrainPairs)
	maxTrainPairs = full.Train.UnionPairs / 4
	var runs []*Result
	for range 2 {
		res, err := Link(ctx, f, s)
		if err != nil {
			t.Fatal(err)
		}
		runs = append(runs, res)
	}
	res := runs[0]
	tr := res.Train
	if tr.Sample < 4 || tr.Sample > 5 || tr.UnionPairs != full.Train.UnionPairs {
		t.Fatalf("sample one in %d of %d candidate pairs, want one in 4 or 5 of %d", tr.Sample, tr.UnionPairs, full.Train.UnionPairs)
	}
	if n := tr.UnionPairs / int64(tr.Sample); tr.Compared < n/2 || tr.Compared > 2*n {
		t.Fatalf("%d pairs compared, want about %d", tr.Compared, n)
	}
	if res.Predict.Reused || res.Predict.Comparisons != tr.UnionPairs {
		t.Fatalf("scoring: reused %v, %d pairs scored of %d", res.Predict.Reused, res.Predict.Comparisons, tr.UnionPairs)
	}
	// The toy's sample holds a few hundred matches: λ within a quarter.
	t.Logf("%d of %d candidate pairs compared; λ %.4g on the sample, %.4g on every pair", tr.Compared, tr.UnionPairs, tr.LambdaGlobal, full.Train.LambdaGlobal)
	if l, lf := tr.LambdaGlobal, full.Train.LambdaGlobal; math.Abs(l-lf) > 0.25*lf {
		t.Fatalf("λ %.4g on the sample, %.4g on every pair", l, lf)
	}
	if a, b := runs[0].Settings.Model.Lambda, runs[1].Settings.Model.Lambda; math.Abs(a-b) > 1e-9*a {
		t.Fatalf("two runs on the same sample: λ %v and %v", a, b)
	}
	samePairs(t, "second run", runs[1].Pairs, res.Pairs)
	want, _, err := Predict(ctx, f, res.Settings)
	if err != nil {
		t.Fatal(err)
	}
	samePairs(t, "Link on a sample", res.Pairs, want)
	if len(want) == 0 {
		t.Fatal("no pairs at or above the review threshold: the test shows nothing")
	}
}
