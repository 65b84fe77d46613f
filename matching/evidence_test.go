package matching

import (
	"context"
	"math"
	"testing"

	"github.com/dancu-vn/dancu/matching/settings"
)

// TestEvidenceRecall: training's estimate of the share of matches the
// model scores at or above the match threshold, whatever blocking
// proposes, lies near the share of the true pairs it does score so, given
// m as the true pairs have it (an estimate from EM's m is as good as that
// m, logged) — on records with every field and with a third of them
// blank, where it is well lower. acc21: acc17's many-blanks dedupe, 0.65
// estimated from the trained model, 0.657 of its true pairs scored so.
func TestEvidenceRecall(t *testing.T) {
	s, err := settings.Parse([]byte(`
version: 1
name: evidence
link_type: dedupe_only
columns:
` + blankColumns + `  - {name: born, date_parts: {year: birth_year, month: birth_month, day: birth_day}}
  - {name: plz, kind: code, from: zip}
blocking:
  - {name: names, keys: [fn, ln]}
  - {name: born, keys: [born]}
  - {name: ln_plz, keys: [ln, plz]}
  - {name: fn_plz, keys: [fn, plz]}
comparisons:
  - {name: first, null_columns: [fn], levels: [{label: exact, op: exact, column: fn, tf: fn}, {label: jw, op: jw, column: fn, threshold: 0.9}]}
  - {name: last, null_columns: [ln], levels: [{label: exact, op: exact, column: ln, tf: ln}, {label: jw, op: jw, column: ln, threshold: 0.9}]}
  - {name: born, null_columns: [born], levels: [{label: exact, op: date_exact, column: born}, {label: year, op: date_year, column: born}]}
  - {name: plz, null_columns: [plz], levels: [{label: exact, op: exact, column: plz}]}
`))
	if err != nil {
		t.Fatal(err)
	}
	est := map[string]float64{}
	for _, set := range []struct {
		name string
		tb   *Table
	}{{"every field", germanDedupe(6000, 0.1, 11)}, {"a third blank", blankGerman()}} {
		f := NewFrame(s)
		if err := AddTable(f, set.tb, &Mapping{ID: "id"}, 0); err != nil {
			t.Fatal(err)
		}
		m, rep, err := Train(context.Background(), f, s, nil)
		if err != nil {
			t.Fatal(err)
		}
		var truePairs [][2]int32
		byPerson := map[string][]int32{}
		for _, row := range set.tb.Rows {
			at, _ := f.Index(row[0])
			byPerson[row[8]] = append(byPerson[row[8]], int32(at))
		}
		for _, rs := range byPerson {
			for x := range rs {
				for y := x + 1; y < len(rs); y++ {
					truePairs = append(truePairs, [2]int32{rs[x], rs[y]})
				}
			}
		}
		// The share of the true pairs model scores at or above the
		// threshold, and the true pairs' level counts.
		scoredShare := func(model *settings.Model) (*settings.Settings, *compiled, float64, [][]float64) {
			sc := *s.WithDefaults()
			sc.Model = model
			c, err := compile(&sc, f)
			if err != nil {
				t.Fatal(err)
			}
			ws := newWeights(c, model, sc.Training.Prior)
			counts := make([][]float64, len(c.comps))
			for k := range counts {
				counts[k] = make([]float64, len(model.Comparisons[k].M))
			}
			gs := make([]uint8, len(c.comps))
			linked := 0
			for _, p := range truePairs {
				for k := range c.comps {
					if gs[k] = c.gamma(f, k, p[0], p[1]); gs[k] > 0 {
						counts[k][gs[k]-1]++
					}
				}
				if probability(ws.score(c, f, gs, p[0], p[1])) >= sc.Thresholds.Match {
					linked++
				}
			}
			return &sc, c, float64(linked) / float64(len(truePairs)), counts
		}
		_, _, emShare, counts := scoredShare(m)
		truthM := *m
		truthM.Comparisons = nil
		for k, cm := range m.Comparisons {
			norm(counts[k])
			truthM.Comparisons = append(truthM.Comparisons, settings.ComparisonModel{Name: cm.Name, M: counts[k], U: cm.U})
		}
		ts, tc, truthShare, _ := scoredShare(&truthM)
		truthEst := evidenceRecall(f, tc, ts, &truthM)
		t.Logf("%s, %d true pairs: EM's m: estimated %.3f, scored so %.3f; m from the truth: estimated %.3f, scored so %.3f",
			set.name, len(truePairs), rep.EvidenceRecall, emShare, truthEst, truthShare)
		if math.Abs(truthEst-truthShare) > 0.05 {
			t.Errorf("%s: with m from the truth, estimated %.3f of the matches at or above the threshold, %.3f of the true pairs are", set.name, truthEst, truthShare)
		}
		est[set.name] = rep.EvidenceRecall
	}
	if est["a third blank"] > est["every field"]-0.1 {
		t.Errorf("a third of the fields blank: estimate %.3f, not well below %.3f with every field", est["a third blank"], est["every field"])
	}
}

// TestEvidenceRecallUnreachedLevels: a model trained on a handful of
// records holds m NaN (or m and u 0) on levels no pair reached; the
// estimate leaves them out instead of sizing its bins by NaN (a
// makeslice panic in dancu link on a two-row sheet).
func TestEvidenceRecallUnreachedLevels(t *testing.T) {
	s, err := settings.Parse([]byte(`
version: 1
name: tiny
link_type: dedupe_only
columns:
` + blankColumns + `blocking:
  - {name: ln, keys: [ln]}
comparisons:
  - {name: first, null_columns: [fn], levels: [{label: exact, op: exact, column: fn, tf: fn}]}
  - {name: last, null_columns: [ln], levels: [{label: exact, op: exact, column: ln}]}
`))
	if err != nil {
		t.Fatal(err)
	}
	f := NewFrame(s)
	tb := &Table{Header: []string{"id", "first_name", "last_name"}, Rows: [][]string{{"a", "Anna", "Berg"}, {"b", "Anna", "Berg"}, {"c", "Otto", "Kahn"}}}
	if err := AddTable(f, tb, &Mapping{ID: "id"}, 0); err != nil {
		t.Fatal(err)
	}
	sc := *s.WithDefaults()
	sc.Model = &settings.Model{Lambda: 0.5, LambdaGlobal: 0.3, Comparisons: []settings.ComparisonModel{
		{Name: "first", M: []float64{math.NaN(), math.NaN()}, U: []float64{0.3, 0.7}},
		{Name: "last", M: []float64{0, 0}, U: []float64{0, 0}},
	}}
	c, err := compile(&sc, f)
	if err != nil {
		t.Fatal(err)
	}
	if r := evidenceRecall(f, c, &sc, sc.Model); math.IsNaN(r) || r < 0 || r > 1 {
		t.Errorf("evidence recall %v, not a share", r)
	}
}
