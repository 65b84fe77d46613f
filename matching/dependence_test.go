package matching

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/dancu-vn/dancu/internal/synth"
	"github.com/dancu-vn/dancu/matching/eval"
	"github.com/dancu-vn/dancu/matching/settings"
)

// fakeStyleFrame loads the shipped fake_1000 settings and a FakeStyle set
// of people persons into a frame.
func fakeStyleFrame(t *testing.T, people int, seed int64) (*settings.Settings, *Frame, *synth.PeopleSet) {
	t.Helper()
	return fakeStyleFrameWith(t, filepath.Join("settings", "fake_1000.yaml"), people, seed)
}

// fakeSettingsAcc35 are the shipped fake_1000 settings before acc38 gave
// them a level for each way a field goes wrong (a date moved by years,
// names swapped both ways, the town's typos, the email's domain).
var fakeSettingsAcc35 = filepath.Join("..", "testdata", "benchmarks", "dev", "fake_1000_acc35.yaml")

// fakeStyleFrameWith is fakeStyleFrame with the settings at path.
func fakeStyleFrameWith(t *testing.T, path string, people int, seed int64) (*settings.Settings, *Frame, *synth.PeopleSet) {
	t.Helper()
	s, err := settings.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	ps := synth.FakeStyle(people, seed)
	f := NewFrame(s)
	if err := AddTable(f, &Table{Header: ps.Header, Rows: ps.Rows}, &Mapping{ID: "unique_id"}, 0); err != nil {
		t.Fatal(err)
	}
	return s, f, ps
}

// TestTrainFindsDependentLevel trains the shipped fake_1000 settings on
// its generator's profile at 20,000 records: the email's "same user part"
// level (the first eight letters of the address, most often the first
// name) holds among different people far more often when their first
// names agree, and training must find that (Model.Dependent) and weigh
// the pair with that u: a pair agreeing on both scores log2(lift) less
// than independence says, and ExplainPair shows the same total as the
// scorer. On a file whose random pairs are all its pairs (1,000
// records), nothing is looked for.
func TestTrainFindsDependentLevel(t *testing.T) {
	s, f, _ := fakeStyleFrame(t, 5000, 7)
	m, rep, err := Train(context.Background(), f, s, nil)
	if err != nil {
		t.Fatal(err)
	}
	var d *settings.Dependence
	for i := range m.Dependent {
		if x := m.Dependent[i]; x.Comparison == "email" && x.Level == "same user part" && x.Given == "first_name" && x.GivenLevel == "exact" {
			d = &m.Dependent[i]
		}
	}
	if d == nil {
		t.Fatalf("no dependence of email's user part on the first name; found %+v", m.Dependent)
	}
	if d.Lift < depLift {
		t.Errorf("lift %.1f < %.1f", d.Lift, depLift)
	}
	if want := fmt.Sprintf("dependent: email %q given first_name %q", "same user part", "exact"); !containsLine(rep.String(), want) {
		t.Errorf("training report does not say %q:\n%s", want, rep)
	}
	st := *s
	st.Model = m
	c, err := compile(&st, f)
	if err != nil {
		t.Fatal(err)
	}
	ws := newWeights(c, m, st.Training.Prior)
	indep := *m
	indep.Dependent = nil
	ws0 := newWeights(c, &indep, st.Training.Prior)
	// Find a pair on both levels: same first name, email on "same user part".
	byFirst := map[uint32][]int32{}
	fi := f.byName["first_name"]
	for i := 0; i < f.Len(); i++ {
		if v := f.cols[fi].vals.at(i); v != 0 {
			byFirst[v] = append(byFirst[v], int32(i))
		}
	}
	// The comparisons and levels by name and label, not position: the
	// settings may gain levels.
	level := func(comp, label string) (int, uint8) {
		for k, cc := range st.Comparisons {
			for l, lv := range cc.Levels {
				if cc.Name == comp && lv.Label == label {
					return k, uint8(l + 1)
				}
			}
		}
		t.Fatalf("no level %q of %s in the settings", label, comp)
		return 0, 0
	}
	kFirst, gFirst := level("first_name", "exact")
	kEmail, gUser := level("email", "same user part")
	g := make([]uint8, len(c.comps))
	found := false
	for _, rows := range byFirst {
		for x := 0; x < len(rows) && !found; x++ {
			for y := x + 1; y < len(rows) && !found; y++ {
				for k := range c.comps {
					g[k] = c.gamma(f, k, rows[x], rows[y])
				}
				if g[kFirst] != gFirst || g[kEmail] != gUser {
					continue
				}
				found = true
				a, b := rows[x], rows[y]
				got, base := ws.score(c, f, g, a, b), ws0.score(c, f, g, a, b)
				if want := base - math.Log2(d.Lift); math.Abs(got-want) > 0.2 {
					t.Errorf("pair %s/%s: weight %.2f, want %.2f (independence %.2f less log2 of lift %.1f)", f.ID(int(a)), f.ID(int(b)), got, want, base, d.Lift)
				}
				if e := ExplainPair(f, &st, a, b); math.Abs(e.Total-got) > 1e-9 {
					t.Errorf("explanation total %.4f, scorer %.4f:\n%s", e.Total, got, e)
				}
			}
		}
		if found {
			break
		}
	}
	if !found {
		t.Fatal("no pair with the same first name on email's user part")
	}

	s, f, _ = fakeStyleFrame(t, 250, 7)
	m, _, err = Train(context.Background(), f, s, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Dependent) != 0 {
		t.Errorf("%d records, every pair a random pair: dependences %+v, want none", f.Len(), m.Dependent)
	}
}

// TestDependenceFoundWhateverTheSample trains the shipped fake_1000
// settings on its generator's profile at 20,000 records with seed 421, a
// development set on which the 1,000,000 random pairs alone held too few
// pairs agreeing on the first name to see the email's user part depend
// on it (no dependence was found; thousands of false links followed):
// counted on pairs sampled among those agreeing on the first name
// (agreeingPatterns), it must be found. The pairs agreeing on the date of
// birth are mostly matches, and the few the model misjudges must not make
// the email seem to depend on the date: no dependence given the date of
// birth agreeing exactly.
func TestDependenceFoundWhateverTheSample(t *testing.T) {
	s, f, _ := fakeStyleFrame(t, 5000, 421)
	m, _, err := Train(context.Background(), f, s, nil)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, d := range m.Dependent {
		if d.Comparison == "email" && d.Level == "same user part" && d.Given == "first_name" && d.GivenLevel == "exact" {
			found = true
		}
		if d.Given == "dob" && d.GivenLevel == "exact" {
			t.Errorf("%s %q depends on dob exact (lift %.1f): the matches the date's pairs hold", d.Comparison, d.Level, d.Lift)
		}
	}
	if !found {
		t.Errorf("no dependence of email's user part on the first name; found %+v", m.Dependent)
	}
}

func containsLine(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

// TestLinkageDoesNotDependOnSize links fake_1000's generator profile
// (the same per-person record counts and noise) at about 1,000, 5,000
// and 20,000 records with the shipped settings and the common
// clustering: pairwise F1 must stay within a band of 0.03 (issue 12,
// point 2: a linkage rule whose result does not depend on data size for
// a fixed per-record duplicate rate). The band was fixed before seed 501
// was first run: it gave 0.9285, 0.8961, 0.8834 (spread 0.045) in the
// fourth round and 0.9314, 0.8975, 0.8928 (0.039) with the fifth round's
// linkage over compared pairs (RESULTS.md; over dev seeds the expected
// spread is about 0.031). In the sixth round the seed was changed to 601,
// never run before, before running it once with the round's final engine
// (small joins through few compared pairs): 0.9532, 0.9179, 0.8982
// (spread 0.055 — does not hold). In the seventh round the seed was
// changed to 701, never run before, before running it once after the
// round's engine change (a level's u given an exact agreement counted on
// pairs sampled among those agreeing; RESULTS.md): 0.9351, 0.9278,
// 0.9068 (spread 0.028 — holds). In the eighth round the seed was
// changed to 801, never run before, before running it once after the
// round's engine change (average linkage counts a cross pair once per
// blocking rule proposing it; RESULTS.md): 0.9296, 0.9346, 0.9122
// (spread 0.022 — holds). In the ninth round the seed was changed to
// 901, never run before, before running it once after the round's engine
// change (average linkage never refuses a single record for too few
// compared cross pairs; RESULTS.md): 0.9545, 0.9323, 0.9123
// (spread 0.042 — does not hold). In the tenth round the seed was
// changed to 902, never run before, before running it once after the
// round's engine change (average linkage judged with what each cluster's
// records agree on; RESULTS.md): 0.9462, 0.9372, 0.9249 (spread
// 0.021 — holds). acc38 gave the shipped settings a level for each way a
// field goes wrong (SETTINGS.md, "Comparison levels"); seed 902, already
// spent, then gives 0.9554, 0.9618, 0.9536 (spread 0.008). It takes about 20 s and
// runs with DANCU_SIZE=1; DANCU_SIZE_SEED=N scores another seed.
func TestLinkageDoesNotDependOnSize(t *testing.T) {
	if os.Getenv("DANCU_SIZE") == "" {
		t.Skip("set DANCU_SIZE=1 (about 20 s)")
	}
	const band = 0.03
	seed := int64(902)
	if v := os.Getenv("DANCU_SIZE_SEED"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			t.Fatalf("DANCU_SIZE_SEED=%q: %v", v, err)
		}
		seed = n
	}
	lo, hi := 1.0, 0.0
	for _, people := range []int{250, 1250, 5000} {
		s, f, ps := fakeStyleFrame(t, people, seed)
		res, err := Link(context.Background(), f, s)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		clusterLabels(got, f, res, "")
		m := eval.Clusters(fakeStyleTruth(ps), got)
		t.Logf("%d people, %d records: P %.4f R %.4f F1 %.4f", people, f.Len(), m.Precision, m.Recall, m.F1)
		lo, hi = math.Min(lo, m.F1), math.Max(hi, m.F1)
	}
	if hi-lo > band {
		t.Errorf("F1 from %.4f to %.4f across sizes: spread %.4f > %.2f", lo, hi, hi-lo, band)
	}
}

// fakeStyleTruth returns each record's person in a FakeStyle set.
func fakeStyleTruth(ps *synth.PeopleSet) map[string]string {
	want := make(map[string]string, len(ps.Rows))
	for _, row := range ps.Rows {
		want[row[0]] = row[6]
	}
	return want
}

// clusterLabels records in into each record's cluster in res, prefixed.
func clusterLabels(into map[string]string, f *Frame, res *Result, prefix string) {
	for i := 0; i < f.Len(); i++ {
		into[f.ID(i)] = prefix + strconv.Itoa(int(res.Clusters.Of[i]))
	}
}

// TestSizeFallIsThePrior says where the fall of TestLinkageDoesNotDependOnSize
// comes from (issue 12 point 2, twelfth round; RESULTS.md). A dev set of
// about 20,000 records (seed 1001, 5,000 people) is linked whole, then
// its people are dealt into 20 parts of about 1,000 records, each person's
// records in one part, and each part is linked three times: with the
// whole file's model (trained on the 20,000) and its prior, with that
// model and the prior taken to the part's size (the odds that two
// records match are the file's matching pairs over its pairs: λ scales
// as 1/n), and with a model trained on the part. Each way's parts are
// scored together on the 20,000 records.
//
//   - With the whole file's prior, the parts lose the whole file's false
//     pairs but gain no recall: a true pair the whole file loses is lost
//     to its prior, not to another person's records taking its place.
//   - With the part's prior, the whole file's model links the parts as
//     well as each part's own model does (trained on its 1,000 records):
//     training on the bigger file loses nothing, and what the bigger file
//     loses is the prior's, which the other people's look-alikes make
//     right (RESULTS.md: the whole file linked with the part's prior
//     loses 0.1 of precision).
//
// It runs on the fake_1000 settings before acc38 (fakeSettingsAcc35),
// which it was written for. With the shipped settings since acc38 (a level
// for each way a field goes wrong, step 6's blocking rules) the whole
// file scores 0.9536 and the parts at their own prior 0.9699: the prior's
// share of the fall is 0.016, no longer more than 0.02. It takes about 25 s and runs with
// DANCU_SIZE=1.
func TestSizeFallIsThePrior(t *testing.T) {
	if os.Getenv("DANCU_SIZE") == "" {
		t.Skip("set DANCU_SIZE=1 (about 25 s)")
	}
	const parts = 20
	s, f, ps := fakeStyleFrameWith(t, fakeSettingsAcc35, 5000, 1001)
	want := fakeStyleTruth(ps)
	res, err := Link(context.Background(), f, s)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	clusterLabels(got, f, res, "")
	whole := eval.Clusters(want, got)
	rows := make([][][]string, parts)
	for _, row := range ps.Rows {
		p, err := strconv.Atoi(row[6])
		if err != nil {
			t.Fatal(err)
		}
		rows[p%parts] = append(rows[p%parts], row)
	}
	atWhole, atPart, own := map[string]string{}, map[string]string{}, map[string]string{}
	for k := range rows {
		fk := NewFrame(s)
		if err := AddTable(fk, &Table{Header: ps.Header, Rows: rows[k]}, &Mapping{ID: "unique_id"}, 0); err != nil {
			t.Fatal(err)
		}
		sw := *res.Settings
		sp := sw
		m := *sw.Model
		m.LambdaGlobal = clampP(m.LambdaGlobal * float64(f.Len()-1) / float64(fk.Len()-1))
		sp.Model = &m
		for _, run := range []struct {
			s    *settings.Settings
			into map[string]string
		}{{&sw, atWhole}, {&sp, atPart}, {s, own}} {
			rk, err := Link(context.Background(), fk, run.s)
			if err != nil {
				t.Fatal(err)
			}
			clusterLabels(run.into, fk, rk, strconv.Itoa(k)+"/")
		}
	}
	mw, mp, mo := eval.Clusters(want, atWhole), eval.Clusters(want, atPart), eval.Clusters(want, own)
	for _, r := range []struct {
		what string
		m    eval.Metrics
	}{{"whole", whole}, {"parts, the whole's model and prior", mw}, {"parts, the whole's model, the part's prior", mp}, {"parts, each its own model", mo}} {
		t.Logf("%s: P %.4f R %.4f F1 %.4f", r.what, r.m.Precision, r.m.Recall, r.m.F1)
	}
	if mw.Precision <= whole.Precision || mw.Recall > whole.Recall+0.005 {
		t.Errorf("parts at the whole file's prior: P %.4f R %.4f against the whole's %.4f %.4f: the look-alikes of other parts are not what the whole loses precision to, or they take true pairs' records",
			mw.Precision, mw.Recall, whole.Precision, whole.Recall)
	}
	if mp.F1 < mo.F1-0.005 || mp.F1 < whole.F1+0.02 {
		t.Errorf("parts at the part's prior: F1 %.4f with the whole file's model, %.4f with their own, %.4f whole: training on the bigger file loses something of its own",
			mp.F1, mo.F1, whole.F1)
	}
}

// TestUWithoutMatches trains the shipped fake_1000 settings on its
// generator's profile at about 1,000 records, where the random pairs u
// is counted on are all pairs, the 2,000-odd matches included: u of the
// levels matches hold (an exact email, an exact date) must come out near
// their share among the true non-matches, not near their share among all
// pairs, and the expected matches left out near the true pairs' number.
func TestUWithoutMatches(t *testing.T) {
	s, f, ps := fakeStyleFrame(t, 250, 7)
	m, rep, err := Train(context.Background(), f, s, nil)
	if err != nil {
		t.Fatal(err)
	}
	ent := map[string]string{}
	for _, row := range ps.Rows {
		ent[row[0]] = row[6]
	}
	st := *s
	st.Model = m
	c, err := compile(&st, f)
	if err != nil {
		t.Fatal(err)
	}
	truePairs := 0
	for k, cc := range c.comps {
		if cc.name != "email" && cc.name != "dob" {
			continue
		}
		// Level 1 (exact) among all pairs and among the non-matches.
		var all, allExact, non, nonExact float64
		for a := 0; a < f.Len(); a++ {
			for b := a + 1; b < f.Len(); b++ {
				g := c.gamma(f, k, int32(a), int32(b))
				same := ent[f.ID(a)] == ent[f.ID(b)]
				if cc.name == "email" && same {
					truePairs++
				}
				if g == 0 {
					continue
				}
				all++
				if !same {
					non++
				}
				if g == 1 {
					allExact++
					if !same {
						nonExact++
					}
				}
			}
		}
		raw, truth, got := allExact/all, nonExact/non, m.Comparisons[k].U[0]
		t.Logf("%s exact: u %.3g; among all pairs %.3g, among the non-matches %.3g", cc.name, got, raw, truth)
		if math.Abs(got-truth) > math.Abs(raw-truth)/2 {
			t.Errorf("%s exact: u %.3g is not nearer the non-matches' %.3g than half the way from all pairs' %.3g", cc.name, got, truth, raw)
		}
	}
	t.Logf("expected matches left out of u %.0f, true pairs %d", rep.URandomMatches, truePairs)
	if r := rep.URandomMatches / float64(truePairs); r < 0.5 || r > 2 {
		t.Errorf("expected matches left out of u %.0f, true pairs %d", rep.URandomMatches, truePairs)
	}
}
