package matching

import (
	"context"
	"fmt"
	"math"
	"math/rand"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/internal/synth"
	"github.com/dancu-vn/dancu/matching/eval"
	"github.com/dancu-vn/dancu/matching/settings"
)

// TestEMRecoversParameters draws comparison vectors from a known model
// and checks that EM with u fixed finds m and λ again.
func TestEMRecoversParameters(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	trueM := [][]float64{{0.85, 0.1, 0.05}, {0.7, 0.2, 0.1}, {0.9, 0.1}, {0.6, 0.3, 0.1}}
	u := [][]float64{{0.01, 0.04, 0.95}, {0.02, 0.08, 0.9}, {0.3, 0.7}, {0.05, 0.15, 0.8}}
	lambda := 0.2
	draw := func(p []float64) uint8 {
		x := rng.Float64()
		for i, v := range p {
			if x < v {
				return uint8(i + 1)
			}
			x -= v
		}
		return uint8(len(p))
	}
	pats := patterns{}
	for n := 0; n < 200000; n++ {
		g := make([]byte, len(trueM))
		src := u
		if rng.Float64() < lambda {
			src = trueM
		}
		for k := range g {
			g[k] = draw(src[k])
		}
		pats[string(g)]++
	}
	m := [][]float64{{0.5, 0.3, 0.2}, {0.5, 0.3, 0.2}, {0.5, 0.5}, {0.4, 0.3, 0.3}}
	active := []bool{true, true, true, true}
	got, _ := em(pats, m, u, active, nil, 0.05, 200, true)
	if math.Abs(got-lambda) > 0.01 {
		t.Errorf("λ = %.4f, want %.2f", got, lambda)
	}
	for k := range trueM {
		for l := range trueM[k] {
			if math.Abs(m[k][l]-trueM[k][l]) > 0.02 {
				t.Errorf("m[%d][%d] = %.3f, want %.3f", k, l, m[k][l], trueM[k][l])
			}
		}
	}
}

// toySettings and toyRows: the toy population of internal/synth, shared
// with package registry/offline's tests.
const toySettings = synth.ToySettings

var firsts, lasts = synth.ToyFirsts, synth.ToyLasts

func toyRows(n int, seed int64) ([]map[string]string, []string, map[string]string) {
	return synth.ToyRows(n, seed)
}

func toyFrame(t testing.TB, s *settings.Settings, rows []map[string]string, ids []string) *Frame {
	f := NewFrame(s)
	for i, r := range rows {
		r := r
		if err := f.Add(ids[i], 0, func(k string) string { return r[k] }, nil); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func TestLinkToyPopulation(t *testing.T) {
	s, err := settings.Parse([]byte(toySettings))
	if err != nil {
		t.Fatal(err)
	}
	rows, ids, truth := toyRows(2000, 1)
	f := toyFrame(t, s, rows, ids)
	res, err := Link(context.Background(), f, s)
	if err != nil {
		t.Fatal(err)
	}
	pred := map[string]string{}
	for i := 0; i < f.Len(); i++ {
		pred[f.ID(i)] = fmt.Sprint(res.Clusters.Of[i])
	}
	m := eval.Clusters(truth, pred)
	// The toy data carry little evidence (four fields, many shared
	// names); the bar checks the engine works, not that it is tuned.
	if m.F1 < 0.9 {
		t.Errorf("pairwise F1 %.3f < 0.9\n%s", m.F1, m)
	}
}

func TestClusterGuards(t *testing.T) {
	// Single linkage: only the guards decide here (average linkage would
	// need a model to score the cross pairs).
	s, err := settings.Parse([]byte(toySettings + "clustering: {linkage: single}\n"))
	if err != nil {
		t.Fatal(err)
	}
	rows := []map[string]string{
		{"first": "lan", "last": "ksor", "dob": "1990-01-01", "nid": "001190000001"},
		{"first": "lan", "last": "ksor", "dob": "1990-01-01"},
		{"first": "lan", "last": "ksor", "dob": "1990-01-01", "nid": "001190000999"},
		{"first": "lan", "last": "ksor", "dob": "1990"},
		{"first": "lan", "last": "ksor", "dob": "1960"},
	}
	f := toyFrame(t, s, rows, []string{"a", "b", "c", "d", "e"})
	strong := float32(30)
	pairs := []Pair{{A: 0, B: 1, Weight: strong}, {A: 1, B: 2, Weight: strong - 1}, {A: 0, B: 3, Weight: strong - 2}, {A: 3, B: 4, Weight: strong - 3}}
	cl, err := Cluster(f, s, pairs)
	if err != nil {
		t.Fatal(err)
	}
	if cl.Of[0] != cl.Of[1] || cl.Of[0] != cl.Of[3] {
		t.Errorf("a, b, d should be one person: %v", cl.Of)
	}
	if cl.Of[2] == cl.Of[0] {
		t.Errorf("c carries a second number and must stay apart: %v", cl.Of)
	}
	if cl.Of[4] == cl.Of[0] {
		t.Errorf("e is born 30 years apart and must stay apart: %v", cl.Of)
	}
	kinds := map[string]int{}
	for _, b := range cl.Blocked {
		kinds[b.Guard.Kind]++
	}
	if kinds["distinct"] != 1 || kinds["year_span"] != 1 {
		t.Errorf("blocked links by guard = %v, want one distinct and one year_span", kinds)
	}
	// Order of pairs must not matter.
	rev := append([]Pair(nil), pairs...)
	for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
		rev[i], rev[j] = rev[j], rev[i]
	}
	cl2, _ := Cluster(f, s, rev)
	for i := range cl.Of {
		if cl.Of[i] != cl2.Of[i] {
			t.Fatalf("clusters depend on pair order: %v vs %v", cl.Of, cl2.Of)
		}
	}
}

// ClusterApart keeps two rows a police decision said are different
// persons in two clusters, however strong the links through a third row,
// and says so in Blocked; without pairs apart it is Cluster.
func TestClusterApart(t *testing.T) {
	s, err := settings.Parse([]byte(toySettings + "clustering: {linkage: single}\n"))
	if err != nil {
		t.Fatal(err)
	}
	row := map[string]string{"first": "lan", "last": "ksor", "dob": "1990-01-01"}
	f := toyFrame(t, s, []map[string]string{row, row, row}, []string{"a", "b", "c"})
	strong := float32(30)
	pairs := []Pair{{A: 0, B: 2, Weight: strong}, {A: 1, B: 2, Weight: strong - 1}}
	cl, err := ClusterApart(f, s, pairs, []Pair{{A: 0, B: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if cl.Of[0] == cl.Of[1] || cl.Of[2] != cl.Of[0] {
		t.Errorf("a and b kept apart, c with a (the stronger link): %v", cl.Of)
	}
	if len(cl.Blocked) != 1 || cl.Blocked[0].Guard.Kind != GuardApart || cl.Blocked[0].A != 1 || cl.Blocked[0].B != 2 {
		t.Errorf("blocked %+v, want the link b-c by %q", cl.Blocked, GuardApart)
	}
	one, err := ClusterApart(f, s, pairs, nil)
	if err != nil {
		t.Fatal(err)
	}
	if one.Of[0] != one.Of[1] || one.Of[1] != one.Of[2] || len(one.Blocked) != 0 {
		t.Errorf("without pairs apart: %v, blocked %+v", one.Of, one.Blocked)
	}
}

func TestSettingsValidate(t *testing.T) {
	bad := strings.Replace(toySettings, "op: jw, column: first, threshold: 0.88", "op: jaro, column: first", 1)
	if _, err := settings.Parse([]byte(bad)); err == nil || !strings.Contains(err.Error(), "comparisons[0].levels[1].op") {
		t.Errorf("want a field error naming the level, got %v", err)
	}
	bad = strings.Replace(toySettings, "keys: [last]", "keys: [surname]", 1)
	if _, err := settings.Parse([]byte(bad)); err == nil || !strings.Contains(err.Error(), "blocking[0].keys") {
		t.Errorf("want a field error naming the rule, got %v", err)
	}
}

func TestParseDate(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"1990-03-15", "1990-03-15"}, {"1990-03", "1990-03"}, {"1990", "1990"}, {"19900315", "1990-03-15"},
		{"15/03/1990", "1990-03-15"}, {"03/1990", "1990-03"}, {"", ""}, {"abc", ""}, {"1990-13-01", ""},
		{"15-03-1990", "1990-03-15"}, {"15.3.90", "1990-03-15"}, {"2/1/06", "2006-01-02"}, {"15031990", "1990-03-15"},
		{"15 Mar 1990", "1990-03-15"}, {"March 15, 1990", "1990-03-15"}, {"ngày 15 tháng 3 năm 1990", "1990-03-15"},
		{"00/05/1990", "1990-05"}, {"Mar 1990", "1990-03"}, {"15 Foo 1990", ""}, {"1990/03/15", "1990-03-15"},
	} {
		if got := formatDate(parseDate(tt.in)); got != tt.want {
			t.Errorf("parseDate(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"1990-03-15", "15/03/1990", "19900315", "1990", "-", "//", "9999-99-99"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p := parseDate(s)
		if p == 0 {
			return
		}
		y, m, d := unpackDate(p)
		if y <= 0 || m > 12 || d > 31 {
			t.Fatalf("parseDate(%q) gave %d-%d-%d", s, y, m, d)
		}
		if parseDate(formatDate(p)) != p {
			t.Fatalf("round trip of %q failed", s)
		}
	})
}

func FuzzParseSettings(f *testing.F) {
	f.Add([]byte(toySettings))
	f.Add([]byte("version: 1\ncolumns: [{name: a}]\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := settings.Parse(b)
		if err != nil {
			return
		}
		// Valid settings must compile against their own frame.
		fr := NewFrame(s)
		if _, err := compile(s, fr); err != nil {
			t.Fatalf("valid settings do not compile: %v", err)
		}
	})
}

// BenchmarkGamma scores candidate pairs of the toy population; it must
// not allocate per comparison.
func BenchmarkGamma(b *testing.B) {
	s, _ := settings.Parse([]byte(toySettings))
	rows, ids, _ := toyRows(5000, 4)
	f := toyFrame(b, s, rows, ids)
	c, _ := compile(s, f)
	s.Model = &settings.Model{Lambda: 0.001, LambdaGlobal: 0.001}
	for _, sc := range s.Comparisons {
		n := len(sc.Levels) + 1
		cm := settings.ComparisonModel{Name: sc.Name, M: make([]float64, n), U: make([]float64, n)}
		for i := range cm.M {
			cm.M[i], cm.U[i] = 1/float64(n), 1/float64(n)
		}
		s.Model.Comparisons = append(s.Model.Comparisons, cm)
	}
	ws := newWeights(c, s.Model, "global")
	g := make([]uint8, len(c.comps))
	n := int32(f.Len())
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		a, bb := int32(i)%n, int32(i*7+1)%n
		for k := range c.comps {
			g[k] = c.gamma(f, k, a, bb)
		}
		ws.score(c, f, g, a, bb)
	}
}

// TestSplitBlockKeepsTruePairs puts 2,000 records under one blocking key:
// the block is split by sorted neighbourhood and must still make every
// true pair while making far fewer pairs than the whole block.
func TestSplitBlockKeepsTruePairs(t *testing.T) {
	s, err := settings.Parse([]byte(strings.Replace(toySettings, "{name: last, keys: [last]}",
		"{name: last, keys: [last], max_block: 100, sort_by: [dob, first], window: 10}", 1)))
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewSource(5))
	var rows []map[string]string
	var ids []string
	truth := map[string]string{}
	for e := 0; e < 1000; e++ {
		dob := fmt.Sprintf("%04d-%02d-%02d", 1940+rng.Intn(70), 1+rng.Intn(12), 1+rng.Intn(28))
		first := firsts[rng.Intn(len(firsts))]
		for c := 0; c < 2; c++ {
			rows = append(rows, map[string]string{"first": first, "last": "nguyen", "dob": dob})
			id := fmt.Sprintf("e%d-%d", e, c)
			ids = append(ids, id)
			truth[id] = fmt.Sprint(e)
		}
	}
	// Only the split rule: drop the dob rule from this test's settings.
	s.Blocking = s.Blocking[:1]
	f := toyFrame(t, s, rows, ids)
	st, err := AnalyseBlocking(f, s, 1)
	if err != nil {
		t.Fatal(err)
	}
	if st.Rules[0].Split != 1 {
		t.Fatalf("the block of 2000 was not split: %+v", st.Rules[0])
	}
	if whole := int64(2000 * 1999 / 2); st.Candidates*10 > whole {
		t.Errorf("split block makes %d pairs, the whole block %d", st.Candidates, whole)
	}
	c, err := PairsCompleteness(f, s, truth)
	if err != nil {
		t.Fatal(err)
	}
	if c.TruePairs != 1000 || c.Covered != c.TruePairs {
		t.Errorf("pairs completeness %d of %d", c.Covered, c.TruePairs)
	}
}

// TestClusterAverageLinkage checks that average linkage refuses a chain
// through a record with few fields (b carries only the names it shares
// with everyone) that single linkage makes, and keeps the consistent
// records together.
func TestClusterAverageLinkage(t *testing.T) {
	y := strings.Replace(toySettings, ", tf: first", "", 1)
	y = y[:strings.Index(y, "guards:")]
	tests := []struct {
		linkage  string
		chained  bool // d joins a, b, c
		refusals int
	}{
		{settings.SingleLinkage, true, 0},
		{settings.AverageLinkage, false, 1},
	}
	for _, tt := range tests {
		t.Run(tt.linkage, func(t *testing.T) {
			s, err := settings.Parse([]byte(y + "clustering: {linkage: " + tt.linkage + "}\n"))
			if err != nil {
				t.Fatal(err)
			}
			s.Model = &settings.Model{Lambda: 0.01, LambdaGlobal: 0.01, Comparisons: []settings.ComparisonModel{
				{Name: "first", M: []float64{0.9, 0.05, 0.05}, U: []float64{0.01, 0.01, 0.98}},
				{Name: "last", M: []float64{0.9, 0.05, 0.05}, U: []float64{0.05, 0.01, 0.94}},
				{Name: "dob", M: []float64{0.9, 0.08, 0.02}, U: []float64{0.001, 0.01, 0.989}},
				{Name: "city", M: []float64{0.95, 0.05}, U: []float64{0.2, 0.8}},
			}}
			rows := []map[string]string{
				{"first": "lan", "last": "ksor", "dob": "1990-01-01", "city": "hue"},
				{"first": "lan", "last": "ksor", "dob": "1990-01-01", "city": "hue"},
				{"first": "lan", "last": "ksor"},
				{"first": "lan", "last": "ksor", "dob": "1991-06-06", "city": "vinh"},
			}
			f := toyFrame(t, s, rows, []string{"a", "b", "c", "d"})
			pairs := []Pair{{A: 0, B: 1, Weight: 20}, {A: 0, B: 2, Weight: 4}, {A: 2, B: 3, Weight: 4}}
			cl, err := Cluster(f, s, pairs)
			if err != nil {
				t.Fatal(err)
			}
			if cl.Of[0] != cl.Of[1] || cl.Of[0] != cl.Of[2] {
				t.Errorf("a, b, c should be one person: %v", cl.Of)
			}
			if got := cl.Of[3] == cl.Of[0]; got != tt.chained {
				t.Errorf("d with a = %v, want %v (clusters %v)", got, tt.chained, cl.Of)
			}
			if len(cl.Blocked) != tt.refusals {
				t.Fatalf("refused links = %v, want %d", cl.Blocked, tt.refusals)
			}
			if tt.refusals > 0 && (cl.Blocked[0].Guard.Kind != settings.AverageLinkage || cl.Blocked[0].A != 2 || cl.Blocked[0].B != 3) {
				t.Errorf("refused %+v, want c–d by average linkage", cl.Blocked[0])
			}
		})
	}
	if _, err := settings.Parse([]byte(y + "clustering: {linkage: complete}\n")); err == nil || !strings.Contains(err.Error(), "clustering.linkage") {
		t.Errorf("linkage complete: err = %v, want one naming clustering.linkage", err)
	}
}
