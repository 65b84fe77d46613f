package matching

import (
	"fmt"
	"math"
	"math/rand"
	"os"
	"testing"

	"github.com/dancu-vn/dancu/matching/settings"
)

// TestOracleModel is a diagnosis, never a way to choose a setting: with
// DANCU_ORACLE_IN (a CSV), DANCU_ORACLE_MAPPING (its mapping: the id
// column), DANCU_ORACLE_TRUTH (record id, person id) and
// DANCU_ORACLE_SETTINGS (settings trained by dancu train) it fits each
// comparison's m from the true pairs among the candidate pairs, u from
// random non-matching pairs and λ from the true pair count, prints them
// beside the trained ones and writes the settings with that model to
// DANCU_ORACLE_OUT, for dancu link: the F1 a model of this comparison
// design reaches when nothing is left to estimate (acc21, issue 12).
// DANCU_ORACLE_SCORE=1 also counts the true pairs the model scores at or
// above the match threshold, by how many identifying comparisons both
// records hold and agree on exactly, and the non-matching candidate pairs
// it scores so.
func TestOracleModel(t *testing.T) {
	in, truthPath, setPath, out := os.Getenv("DANCU_ORACLE_IN"), os.Getenv("DANCU_ORACLE_TRUTH"), os.Getenv("DANCU_ORACLE_SETTINGS"), os.Getenv("DANCU_ORACLE_OUT")
	if in == "" {
		t.Skip("DANCU_ORACLE_IN not set: a diagnosis run by hand")
	}
	mp, err := LoadMapping(os.Getenv("DANCU_ORACLE_MAPPING"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := settings.Load(setPath)
	if err != nil {
		t.Fatal(err)
	}
	f := NewFrame(s)
	tb, err := ReadTable(in)
	if err != nil {
		t.Fatal(err)
	}
	if err := AddTable(f, tb, mp, 0); err != nil {
		t.Fatal(err)
	}
	tt, err := ReadTable(truthPath)
	if err != nil {
		t.Fatal(err)
	}
	pid := make([]string, f.Len())
	for _, r := range tt.Rows {
		i, ok := f.Index(r[0])
		if !ok {
			t.Fatal("unknown id", r[0])
		}
		pid[i] = r[1]
	}
	sd := *s.WithDefaults()
	c, err := compile(&sd, f)
	if err != nil {
		t.Fatal(err)
	}
	c.useRows(f)
	bs, err := blockAll(f, &sd)
	if err != nil {
		t.Fatal(err)
	}
	nc := len(c.comps)
	newCounts := func() [][]float64 {
		x := make([][]float64, nc)
		for k := range x {
			x[k] = make([]float64, len(s.Model.Comparisons[k].M))
		}
		return x
	}
	mCand, uCand, mAll := newCounts(), newCounts(), newCounts()
	var union, trueIn int64
	add := func(x [][]float64, a, b int32) {
		for k := range c.comps {
			if g := c.gamma(f, k, a, b); g > 0 {
				x[k][g-1]++
			}
		}
	}
	for r, b := range bs {
		for k := range b.blocks {
			b.pairsInBlock(k, func(i, j int32) {
				mask := coverMask(bs, i, j)
				if mask&((1<<r)-1) != 0 {
					return
				}
				union++
				if pid[i] == pid[j] {
					trueIn++
					add(mCand, i, j)
				} else {
					add(uCand, i, j)
				}
			})
		}
	}
	byP := map[string][]int32{}
	for i, p := range pid {
		byP[p] = append(byP[p], int32(i))
	}
	var truePairs int64
	for _, rs := range byP {
		for x := range rs {
			for y := x + 1; y < len(rs); y++ {
				truePairs++
				add(mAll, rs[x], rs[y])
			}
		}
	}
	uRand := newCounts()
	rng := rand.New(rand.NewSource(1))
	n := f.Len()
	for q := 0; q < 2000000; q++ {
		a, b := int32(rng.Intn(n)), int32(rng.Intn(n))
		if a == b || pid[a] == pid[b] {
			continue
		}
		add(uRand, a, b)
	}
	norm := func(x []float64) []float64 {
		tot := 0.0
		for _, v := range x {
			tot += v
		}
		o := make([]float64, len(x))
		for l, v := range x {
			o[l] = clampP(v / tot)
		}
		return o
	}
	scoreTrue := func(who string, model *settings.Model) {
		ws := newWeights(c, model, sd.Training.Prior)
		ws.tabulateTF(c, f, 1)
		gs := make([]uint8, nc)
		type bucket struct{ n, linked int }
		by := map[string]*bucket{}
		var linkedTrue, all int
		for _, rs := range byP {
			for x := range rs {
				for y := x + 1; y < len(rs); y++ {
					a, b := rs[x], rs[y]
					if a > b {
						a, b = b, a
					}
					exact, present := 0, 0
					for k := range c.comps {
						gs[k] = c.gamma(f, k, a, b)
						if gs[k] > 0 && len(s.Comparisons[k].Levels) > 1 { // a sex (one level) identifies no one
							present++
							if gs[k] == 1 {
								exact++
							}
						}
					}
					key := fmt.Sprintf("present %d exact %d", present, exact)
					if by[key] == nil {
						by[key] = &bucket{}
					}
					by[key].n++
					all++
					if probability(ws.score(c, f, gs, a, b)) >= sd.Thresholds.Match {
						by[key].linked++
						linkedTrue++
					}
				}
			}
		}
		var fp int
		for r, b := range bs {
			for k := range b.blocks {
				b.pairsInBlock(k, func(i, j int32) {
					if coverMask(bs, i, j)&((1<<r)-1) != 0 || pid[i] == pid[j] {
						return
					}
					for k := range c.comps {
						gs[k] = c.gamma(f, k, i, j)
					}
					if probability(ws.score(c, f, gs, i, j)) >= sd.Thresholds.Match {
						fp++
					}
				})
			}
		}
		fmt.Printf("%s model: at or above the match threshold %d of %d true pairs (any blocking) and %d non-matching candidate pairs\n", who, linkedTrue, all, fp)
		if who != "oracle" {
			return
		}
		for e := 0; e <= 5; e++ {
			for p := e; p <= 5; p++ {
				if bk := by[fmt.Sprintf("present %d exact %d", p, e)]; bk != nil {
					fmt.Printf("  both present on %d identifying comparisons, exact on %d: %5d true pairs, %5d at or above\n", p, e, bk.n, bk.linked)
				}
			}
		}
	}
	score := os.Getenv("DANCU_ORACLE_SCORE") != ""
	if score {
		trained := *s.Model
		trained.Comparisons = append([]settings.ComparisonModel(nil), s.Model.Comparisons...)
		scoreTrue("trained", &trained)
	}
	total := totalPairs(f, s.LinkType)
	fmt.Printf("candidate pairs %d, true among them %d of %d (pairs completeness %.4f); λ cand %.5g (trained %.5g), λ global %.4g (trained %.4g)\n",
		union, trueIn, truePairs, float64(trueIn)/float64(truePairs), float64(trueIn)/float64(union), s.Model.Lambda, float64(truePairs)/float64(total), s.Model.LambdaGlobal)
	for k, sc := range s.Comparisons {
		fmt.Printf("%s\n", sc.Name)
		mc, ma, ur, uc := norm(mCand[k]), norm(mAll[k]), norm(uRand[k]), norm(uCand[k])
		tm, tu := s.Model.Comparisons[k].M, s.Model.Comparisons[k].U
		for l := range mc {
			lab := "else"
			if l < len(sc.Levels) {
				lab = sc.Levels[l].Label
			}
			fmt.Printf("  %-14s EM m %.4f u %.6f w %+6.2f | oracle m(cand) %.4f m(all) %.4f u %.6f w %+6.2f | u among cand non-matches %.4f\n",
				lab, tm[l], tu[l], math.Log2(tm[l]/tu[l]), mc[l], ma[l], ur[l], math.Log2(mc[l]/ur[l]), uc[l])
		}
		s.Model.Comparisons[k].M, s.Model.Comparisons[k].U = mc, ur
	}
	s.Model.Lambda = float64(trueIn) / float64(union)
	s.Model.LambdaGlobal = float64(truePairs) / float64(total)
	s.Model.BlockingRecall = float64(trueIn) / float64(truePairs)
	if score {
		scoreTrue("oracle", s.Model)
	}
	s.Model.Version = settings.ModelVersion(s)
	if out != "" {
		if err := s.Save(out); err != nil {
			t.Fatal(err)
		}
	}
}
