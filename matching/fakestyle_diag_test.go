package matching

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/internal/synth"
	"github.com/dancu-vn/dancu/matching/eval"
	"github.com/dancu-vn/dancu/matching/settings"
)

// TestFakeStyleDiagnosis is a diagnosis run by hand, never a way to choose
// a setting (acc38, issue 12): it links FakeStyle sets of the seeds in
// DANCU_FAKEDIAG_SEEDS (space-separated) at 250, 1,250 and 5,000 people
// (DANCU_FAKEDIAG_PEOPLE to choose) with the shipped fake_1000 settings
// (DANCU_FAKEDIAG_SETTINGS another file) and logs each set's F1 and the
// mean per size. DANCU_FAKEDIAG_DETAIL=1 also lists the errors: clusters
// holding several persons by size, false pairs inside clusters and missed
// true pairs by their comparison levels, the missed ones by whether a
// blocking rule proposed them and their probability. DANCU_FAKEDIAG_ORACLE=1
// also links with m, u and λ counted from the labels (the model's own
// design with nothing left to estimate) and joins the pairs ≥ 0.5 by the
// labels (joinedByLabels): what estimation and clustering could give back.
//
//	DANCU_FAKEDIAG=1 DANCU_FAKEDIAG_SEEDS="3801 3802 3803" go test ./matching -run 'TestFakeStyleDiagnosis$' -v
func TestFakeStyleDiagnosis(t *testing.T) {
	if os.Getenv("DANCU_FAKEDIAG") == "" {
		t.Skip("a diagnosis run by hand: set DANCU_FAKEDIAG=1 and DANCU_FAKEDIAG_SEEDS")
	}
	path := os.Getenv("DANCU_FAKEDIAG_SETTINGS")
	if path == "" {
		path = filepath.Join("settings", "fake_1000.yaml")
	}
	seeds := strings.Fields(os.Getenv("DANCU_FAKEDIAG_SEEDS"))
	sizes := []int{250, 1250, 5000}
	if v := os.Getenv("DANCU_FAKEDIAG_PEOPLE"); v != "" {
		sizes = nil
		for _, w := range strings.Fields(v) {
			n, _ := strconv.Atoi(w)
			sizes = append(sizes, n)
		}
	}
	detail := os.Getenv("DANCU_FAKEDIAG_DETAIL") != ""
	for _, people := range sizes {
		var sum float64
		for _, sd := range seeds {
			seed, _ := strconv.ParseInt(sd, 10, 64)
			s, err := settings.Load(path)
			if err != nil {
				t.Fatal(err)
			}
			ps := synth.FakeStyle(people, seed)
			f := NewFrame(s)
			if err := AddTable(f, &Table{Header: ps.Header, Rows: ps.Rows}, &Mapping{ID: "unique_id"}, 0); err != nil {
				t.Fatal(err)
			}
			res, err := Link(context.Background(), f, s)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			clusterLabels(got, f, res, "")
			want := fakeStyleTruth(ps)
			m := eval.Clusters(want, got)
			sum += m.F1
			t.Logf("seed %d people %d records %d: P %.4f R %.4f F1 %.4f; candidates per record %.1f, CPU %v", seed, people, f.Len(), m.Precision, m.Recall, m.F1, float64(res.Predict.Comparisons)/float64(f.Len()), res.Phases.CPU)
			if detail {
				fakeDiagErrors(t, f, res, ps)
			}
			if os.Getenv("DANCU_FAKEDIAG_ORACLE") != "" {
				lj := eval.Clusters(want, joinedByLabels(f, res.Pairs, want))
				oset := oracleSettings(t, f, res, ps)
				ro, err := Link(context.Background(), f, oset)
				if err != nil {
					t.Fatal(err)
				}
				go2 := map[string]string{}
				clusterLabels(go2, f, ro, "")
				mo := eval.Clusters(want, go2)
				lo := eval.Clusters(want, joinedByLabels(f, ro.Pairs, want))
				t.Logf("   oracle m/u/λ: P %.4f R %.4f F1 %.4f | joins by labels (trained pairs ≥0.5) F1 %.4f (oracle pairs) %.4f; λ trained %.3g oracle %.3g",
					mo.Precision, mo.Recall, mo.F1, lj.F1, lo.F1, res.Settings.Model.LambdaGlobal, oset.Model.LambdaGlobal)
			}
		}
		t.Logf("people %d mean F1 %.4f", people, sum/float64(len(seeds)))
	}
}

// fakeDiagErrors logs where a linked FakeStyle set's errors are.
func fakeDiagErrors(t *testing.T, f *Frame, res *Result, ps *synth.PeopleSet) {
	st := *res.Settings
	c, err := compile(&st, f)
	if err != nil {
		t.Fatal(err)
	}
	c.useRows(f)
	pid := make([]string, f.Len())
	for i := 0; i < f.Len(); i++ {
		pid[i] = ps.Rows[mustAtoi(f.ID(i))][6]
	}
	label := func(a, b int32) string {
		var parts []string
		for k, cc := range c.comps {
			g := c.gamma(f, k, a, b)
			lv := "null"
			if g > 0 && int(g) <= len(st.Comparisons[k].Levels) {
				lv = st.Comparisons[k].Levels[g-1].Label
			} else if g > 0 {
				lv = "else"
			}
			parts = append(parts, cc.name+"="+lv)
		}
		return strings.Join(parts, " | ")
	}
	score := map[[2]int32]float64{}
	for _, p := range res.Pairs {
		score[[2]int32{p.A, p.B}] = p.Probability()
	}
	of := res.Clusters.Of
	// clusters
	members := map[int32][]int32{}
	for i := range of {
		members[of[i]] = append(members[of[i]], int32(i))
	}
	impure := map[string]int{}
	falseP := map[string]int{}
	nFalse := 0
	for _, rows := range members {
		persons := map[string]int{}
		for _, r := range rows {
			persons[pid[r]]++
		}
		if len(persons) > 1 {
			impure[fmt.Sprintf("size %d persons %d", len(rows), len(persons))]++
		}
		for x := 0; x < len(rows); x++ {
			for y := x + 1; y < len(rows); y++ {
				a, b := rows[x], rows[y]
				if pid[a] != pid[b] {
					nFalse++
					falseP[label(a, b)]++
				}
			}
		}
	}
	byPerson := map[string][]int32{}
	for i := range pid {
		byPerson[pid[i]] = append(byPerson[pid[i]], int32(i))
	}
	sd := *st.WithDefaults()
	bs, err := blockAll(f, &sd)
	if err != nil {
		t.Fatal(err)
	}
	missed := map[string]int{}
	missedBand := map[string]int{}
	nMissed := 0
	for _, rows := range byPerson {
		for x := 0; x < len(rows); x++ {
			for y := x + 1; y < len(rows); y++ {
				a, b := rows[x], rows[y]
				if of[a] == of[b] {
					continue
				}
				nMissed++
				p, ok := score[[2]int32{a, b}]
				band := "<0.1"
				if !coveredBy(bs, a, b) {
					band = "not proposed"
				}
				if ok {
					switch {
					case p >= 0.5:
						band = ">=0.5"
					default:
						band = "0.1-0.5"
					}
				}
				missedBand[band]++
				missed[band+" :: "+label(a, b)]++
			}
		}
	}
	top := func(title string, m map[string]int, n int) {
		type kv struct {
			k string
			v int
		}
		var xs []kv
		for k, v := range m {
			xs = append(xs, kv{k, v})
		}
		sort.Slice(xs, func(i, j int) bool { return xs[i].v > xs[j].v || xs[i].v == xs[j].v && xs[i].k < xs[j].k })
		t.Logf("== %s", title)
		for i := 0; i < len(xs) && i < n; i++ {
			t.Logf("%6d  %s", xs[i].v, xs[i].k)
		}
	}
	t.Logf("false pairs %d, missed pairs %d", nFalse, nMissed)
	top("impure clusters", impure, 15)
	top("false pairs by pattern", falseP, 25)
	top("missed by band", missedBand, 5)
	top("missed by pattern", missed, 30)
	// per-comparison level marginals among false and missed
	marg := func(title string, m map[string]int) {
		cnt := map[string]int{}
		for k, v := range m {
			if i := strings.Index(k, " :: "); i >= 0 {
				k = k[i+4:]
			}
			for _, part := range strings.Split(k, " | ") {
				cnt[part] += v
			}
		}
		top(title, cnt, 40)
	}
	marg("false: level marginals", falseP)
	marg("missed: level marginals", missed)
}

// mustAtoi reads a FakeStyle record id, its row number.
func mustAtoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		panic(err)
	}
	return n
}

// oracleSettings returns the trained settings with every level's m counted on
// the true pairs, u on random non-matching pairs and λ from the labels
// (a diagnosis only).
func oracleSettings(t *testing.T, f *Frame, res *Result, ps *synth.PeopleSet) *settings.Settings {
	st := *res.Settings
	c, err := compile(&st, f)
	if err != nil {
		t.Fatal(err)
	}
	c.useRows(f)
	pid := make([]string, f.Len())
	byPerson := map[string][]int32{}
	for i := 0; i < f.Len(); i++ {
		pid[i] = ps.Rows[mustAtoi(f.ID(i))][6]
		byPerson[pid[i]] = append(byPerson[pid[i]], int32(i))
	}
	m := *st.Model
	m.Comparisons = append([]settings.ComparisonModel(nil), st.Model.Comparisons...)
	nc := len(c.comps)
	mc, uc := make([][]float64, nc), make([][]float64, nc)
	for k := range mc {
		mc[k] = make([]float64, len(m.Comparisons[k].M))
		uc[k] = make([]float64, len(m.Comparisons[k].M))
	}
	var truePairs float64
	for _, rows := range byPerson {
		for x := 0; x < len(rows); x++ {
			for y := x + 1; y < len(rows); y++ {
				truePairs++
				for k := range c.comps {
					if g := c.gamma(f, k, rows[x], rows[y]); g > 0 {
						mc[k][g-1]++
					}
				}
			}
		}
	}
	r := rand.New(rand.NewSource(1))
	for n := 0; n < 400000; {
		a, b := int32(r.Intn(f.Len())), int32(r.Intn(f.Len()))
		if a == b || pid[a] == pid[b] {
			continue
		}
		n++
		for k := range c.comps {
			if g := c.gamma(f, k, a, b); g > 0 {
				uc[k][g-1]++
			}
		}
	}
	norm := func(x []float64) []float64 {
		s := 0.0
		for _, v := range x {
			s += v
		}
		out := make([]float64, len(x))
		for i, v := range x {
			out[i] = (v + 0.5) / (s + 0.5*float64(len(x)))
		}
		return out
	}
	for k := range m.Comparisons {
		cm := m.Comparisons[k]
		cm.M, cm.U = norm(mc[k]), norm(uc[k])
		m.Comparisons[k] = cm
	}
	n := float64(f.Len())
	m.LambdaGlobal = truePairs / (n * (n - 1) / 2)
	st.Model = &m
	return &st
}

// coveredBy reports whether some blocking rule proposes rows a and b.
func coveredBy(bs []*blocker, a, b int32) bool {
	for _, x := range bs {
		if x.covers(a, b) || x.covers(b, a) {
			return true
		}
	}
	return false
}
