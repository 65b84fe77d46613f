package matching

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/internal/synth"
	"github.com/dancu-vn/dancu/matching/settings"
)

// TestGuardFitWidensOnlyWhatTheDataBreaks trains two settings files that
// carry the docs' example guard (birth years span at most 2): on
// fake_1000's profile, where about a quarter of a person's record pairs
// have years further apart (a date moved by ten years, or by a year
// twice), training must find the guard broken by well over the tolerated
// share, widen it (Model.Guards, Settings.EffectiveGuards, the clustering
// applies the wider one) and warn; on the German-style dedupe, whose
// duplicates move a year by one at most, it must keep the guard as
// written. Dev seeds; the thresholds are the engine's constants, not
// tuned on these sets.
func TestGuardFitWidensOnlyWhatTheDataBreaks(t *testing.T) {
	dev := filepath.Join("..", "testdata", "benchmarks", "dev")
	s, f, m, rep := trainFresh4FakeStyle(t)
	if len(m.Guards) != 1 {
		t.Fatalf("guard fits %+v, want one", m.Guards)
	}
	g := m.Guards[0]
	t.Logf("fake_1000 profile, %d records: %+v", f.Len(), g)
	if g.Broken <= maxGuardBroken || g.Fitted <= g.Max {
		t.Errorf("guard fit %+v: want broken > %.2f and widened", g, maxGuardBroken)
	}
	warned := false
	for _, w := range rep.Warnings {
		warned = warned || strings.Contains(w, "widens it to")
	}
	if !warned {
		t.Errorf("no warning of the widened guard: %q", rep.Warnings)
	}
	st := *s
	st.Model = m
	if eg := st.EffectiveGuards(); eg[0].Max != g.Fitted || s.Guards[0].Max != 2 {
		t.Errorf("effective guards %+v (settings %+v), want max %d applied and the settings unchanged", eg, s.Guards, g.Fitted)
	}
	gs, err := newGuardSet(f, &st)
	if err != nil {
		t.Fatal(err)
	}
	a := clusterSummary{Values: [][]string{nil}, YearLo: []int{1980}, YearHi: []int{1980}}
	b := clusterSummary{Values: [][]string{nil}, YearLo: []int{1980 + g.Fitted}, YearHi: []int{1980 + g.Fitted}}
	if ok, _, why := gs.Compatible(a, b); !ok {
		t.Errorf("years %d apart refused by the widened guard: %s", g.Fitted, why)
	}
	b.YearLo[0], b.YearHi[0] = 1981+g.Fitted, 1981+g.Fitted
	if ok, _, _ := gs.Compatible(a, b); ok {
		t.Errorf("years %d apart allowed by a guard widened to %d", g.Fitted+1, g.Fitted)
	}

	s, err = settings.Load(filepath.Join(dev, "german_newdocs.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	tb := germanDedupe(10_000, 0.1, 101)
	f = NewFrame(s)
	if err := AddTable(f, tb, &Mapping{ID: "id"}, 0); err != nil {
		t.Fatal(err)
	}
	m, _, err = Train(context.Background(), f, s, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("German-style, %d records: %+v", f.Len(), m.Guards)
	if len(m.Guards) != 1 || m.Guards[0].Fitted != 2 || m.Guards[0].Broken > maxGuardBroken {
		t.Errorf("German-style guard fits %+v, want the guard kept at max 2", m.Guards)
	}
}

// TestCoverageSuggestsRule: with the fourth round's fresh fake_1000-style
// settings (seven rules, every one keyed on a name, the date or the
// email), the matches one rule alone finds often agree on the city, which
// that rule does not key on; training's blocking warnings must say so and
// name the field, with how many pairs per record it would make alone.
func TestCoverageSuggestsRule(t *testing.T) {
	_, _, _, rep := trainFresh4FakeStyle(t)
	cov := rep.Coverage
	if cov == nil || len(cov.Suggest) == 0 {
		t.Fatalf("no rule suggested: %+v", cov)
	}
	t.Logf("suggest %v: %.0f of %.0f single-rule matches, %.0f pairs per record", cov.Suggest, cov.SuggestMatches, cov.ByRules[0], cov.SuggestPairs)
	if cov.SuggestMatches < 0.1*cov.ByRules[0] {
		t.Errorf("suggestion holds on %.0f of %.0f matches", cov.SuggestMatches, cov.ByRules[0])
	}
	found := false
	for _, w := range rep.BlockingWarnings {
		found = found || (strings.Contains(w, "rule to add") && strings.Contains(w, cov.Suggest[0]))
	}
	if !found {
		t.Errorf("no \"rule to add\" warning naming %s: %q", cov.Suggest[0], rep.BlockingWarnings)
	}
}

// trainFresh4FakeStyle trains the fourth round's fresh fake_1000-style
// settings on dev seed 403 of fake_1000's profile (1,250 people).
func trainFresh4FakeStyle(t *testing.T) (*settings.Settings, *Frame, *settings.Model, *TrainReport) {
	t.Helper()
	s, err := settings.Load(filepath.Join("..", "testdata", "benchmarks", "dev", "fake1000_fresh4.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	ps := synth.FakeStyle(1250, 403)
	f := NewFrame(s)
	if err := AddTable(f, &Table{Header: ps.Header, Rows: ps.Rows}, &Mapping{ID: "unique_id"}, 0); err != nil {
		t.Fatal(err)
	}
	m, rep, err := Train(context.Background(), f, s, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s, f, m, rep
}

// TestGuardFitsInOnePass: fitGuards measures every guard in one pass over
// the candidate pairs (the guards of one column share each pair's weight
// and one draw of random pairs); each guard's fit must be the fit it gets
// measured alone, to the last bit, whether the pairs' vectors are read
// from training's pass or compared again, and on a sample of the pairs
// (training's own or not) as on all of them. fake_1000's profile with the fresh settings, their
// year_span guard, a full_date guard and a second year_span guard on the
// same column.
func TestGuardFitsInOnePass(t *testing.T) {
	s, err := settings.Load(filepath.Join("..", "testdata", "benchmarks", "dev", "fake1000_fresh4.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	s.Guards = append(s.Guards, settings.Guard{Kind: "full_date", Column: "dob"}, settings.Guard{Kind: "year_span", Column: "dob", Max: 5, OneDigit: true})
	sd := *s.WithDefaults()
	s = &sd
	ps := synth.FakeStyle(1250, 403)
	f := NewFrame(s)
	if err := AddTable(f, &Table{Header: ps.Header, Rows: ps.Rows}, &Mapping{ID: "unique_id"}, 0); err != nil {
		t.Fatal(err)
	}
	bs, err := blockAll(f, s)
	if err != nil {
		t.Fatal(err)
	}
	m, rep, err := train(context.Background(), f, s, nil, bs, nil)
	if err != nil {
		t.Fatal(err)
	}
	c, err := compile(s, f)
	if err != nil {
		t.Fatal(err)
	}
	// Training's pass over the candidate pairs, keeping every pair's
	// vector, and on a sample of the pairs that sample's (as at a
	// million records).
	c.useRows(f)
	keep := func() *vectorStore {
		vs := &vectorStore{}
		if _, err := c.collectCandidates(context.Background(), f, bs, nil, false, vs); err != nil {
			t.Fatal(err)
		}
		if !vs.ok || vs.rows == nil {
			t.Fatalf("the pass kept no vectors (ok %v, sample %d)", vs.ok, vs.sample)
		}
		return vs
	}
	kept := keep()
	defer func(n int64) { maxTrainPairs = n }(maxTrainPairs)
	maxTrainPairs = rep.UnionPairs / 3
	keptSample := keep()
	c.dropRows()
	if kept.sample != 1 || keptSample.sample < 2 {
		t.Fatalf("samples %d and %d, want 1 and more", kept.sample, keptSample.sample)
	}
	// All the candidate pairs, a sample of about a third of them from
	// every pair's vectors, and training's own sample.
	for _, tc := range []struct {
		candidates int64
		kept       *vectorStore
	}{
		{rep.UnionPairs, kept},
		{2*maxFitPairs + 1, kept},
		{int64(keptSample.sample-1)*maxFitPairs + 1, keptSample},
	} {
		candidates, kept := tc.candidates, tc.kept
		all := fitGuards(f, c, bs, s, m, candidates, kept)
		if len(all) != len(s.Guards) {
			t.Fatalf("%d fits of %d guards: %+v", len(all), len(s.Guards), all)
		}
		if again := fitGuards(f, c, bs, s, m, candidates, nil); !slices.Equal(again, all) {
			t.Errorf("candidates %d: fits comparing the pairs again %+v, reading training's vectors %+v", candidates, again, all)
		}
		for x, gd := range s.Guards {
			one := *s
			one.Guards = []settings.Guard{gd}
			alone := fitGuards(f, c, bs, &one, m, candidates, kept)
			if len(alone) != 1 || alone[0] != all[x] {
				t.Errorf("candidates %d, guard %+v: measured alone %+v, with the others %+v", candidates, gd, alone, all[x])
			}
			if all[x].Expected < minGuardMatches {
				t.Errorf("candidates %d, guard %+v: fit %+v on fewer than %d matches: the test shows nothing", candidates, gd, all[x], minGuardMatches)
			}
		}
		t.Logf("candidates %d: %+v", candidates, all)
	}
}
