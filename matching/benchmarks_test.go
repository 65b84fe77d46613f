package matching

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/matching/eval"
	"github.com/dancu-vn/dancu/matching/settings"
)

// TestPublicBenchmarks links the FEBRL and fake_1000 files with the
// blind threshold and gates the pairwise F1 at the bars (about
// 11 s). It reads $DANCU_BENCHMARKS, else the copies shipped in
// testdata/benchmarks/public (with their licences), so it never skips.
// FEBRL dataset1 and dataset2, which no setting was tuned on, are
// reported and gated only loosely (minF1 0.9).
func TestPublicBenchmarks(t *testing.T) {
	dir := os.Getenv("DANCU_BENCHMARKS")
	if dir == "" {
		dir = filepath.Join("..", "testdata", "benchmarks", "public")
	}
	if _, err := os.Stat(dir); err != nil {
		t.Fatalf("public benchmarks not found: %v (set DANCU_BENCHMARKS)", err)
	}
	tests := []struct {
		mapping string
		files   []string
		minF1   float64
	}{
		{"febrl.yaml", []string{"febrl/dataset3.csv"}, 0.996},
		{"febrl4.yaml", []string{"febrl/dataset4a.csv", "febrl/dataset4b.csv"}, 0.9995},
		{"fake_1000.yaml", []string{"splink/fake_1000.csv"}, 0.88},
		{"febrl.yaml", []string{"febrl/dataset1.csv"}, 0.9},
		{"febrl.yaml", []string{"febrl/dataset2.csv"}, 0.9},
	}
	for _, tt := range tests {
		t.Run(tt.mapping+"/"+filepath.Base(tt.files[0]), func(t *testing.T) {
			f, s, truth := loadPublic(t, dir, tt.mapping, tt.files)
			res, err := Link(context.Background(), f, s)
			if err != nil {
				t.Fatal(err)
			}
			pred := map[string]string{}
			for i := 0; i < f.Len(); i++ {
				pred[f.ID(i)] = fmt.Sprint(res.Clusters.Of[i])
			}
			m := eval.Clusters(truth, pred)
			t.Logf("%s %v: P %.4f R %.4f F1 %.4f", tt.mapping, tt.files, m.Precision, m.Recall, m.F1)
			if m.F1 < tt.minF1 {
				t.Errorf("pairwise F1 %.4f < %.3f", m.F1, tt.minF1)
			}
		})
	}
}

// loadPublic reads the public benchmark files through their mapping
// (testdata/benchmarks/MAPPING) into a frame of the mapping's settings,
// and returns it with the settings and each record's true entity.
func loadPublic(t *testing.T, dir, mapping string, files []string) (*Frame, *settings.Settings, map[string]string) {
	t.Helper()
	mp, err := LoadMapping(filepath.Join("..", "testdata", "benchmarks", mapping))
	if err != nil {
		t.Fatal(err)
	}
	s, err := mp.LoadSettings()
	if err != nil {
		t.Fatal(err)
	}
	if len(files) > 1 && mp.LinkType != "" {
		s.LinkType = mp.LinkType
	}
	f := NewFrame(s)
	truth := map[string]string{}
	for i, name := range files {
		tb, err := ReadTable(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := AddTable(f, tb, mp, i); err != nil {
			t.Fatal(err)
		}
		ids, _ := tb.RecordIDs(mp)
		ents, err := tb.Truth(mp.Truth)
		if err != nil {
			t.Fatal(err)
		}
		for k, id := range ids {
			truth[id] = ents[k]
		}
	}
	return f, s, truth
}

// TestPublicSettingsFullDateGuardDropped pins the rule that lets every
// settings file carry the full_date guard (issue 12 point 2, acc26 and
// acc27): the shipped FEBRL and fake_1000 settings carry it, though in
// their data a person's full dates often are not one birthday written
// differently (FEBRL's corruptor replaces a date with another, 4.5-6.7%
// of the true pairs with two full dates; fake_1000 moves it by a month, a
// year or a decade, 37%), and training must find that from its own
// estimated matches and drop the guard (Model.Guards, EffectiveGuards)
// with a warning. The labels only check that the data do break it.
func TestPublicSettingsFullDateGuardDropped(t *testing.T) {
	dir := os.Getenv("DANCU_BENCHMARKS")
	if dir == "" {
		dir = filepath.Join("..", "testdata", "benchmarks", "public")
	}
	for _, tt := range []struct {
		mapping string
		files   []string
	}{
		{"febrl.yaml", []string{"febrl/dataset3.csv"}},
		{"febrl4.yaml", []string{"febrl/dataset4a.csv", "febrl/dataset4b.csv"}},
		{"fake_1000.yaml", []string{"splink/fake_1000.csv"}},
	} {
		t.Run(tt.mapping, func(t *testing.T) {
			f, s, truth := loadPublic(t, dir, tt.mapping, tt.files)
			ci := f.byName["dob"]
			byEntity := map[string][]string{}
			for i := 0; i < f.Len(); i++ {
				if d, ok := fullDate(f.cols[ci].vals.at(i)); ok {
					e := truth[f.ID(i)]
					byEntity[e] = append(byEntity[e], d)
				}
			}
			pairs, broken := 0, 0
			for _, ds := range byEntity {
				for a := range ds {
					for b := a + 1; b < len(ds); b++ {
						pairs++
						if !oneBirthday(ds[a], ds[b]) {
							broken++
						}
					}
				}
			}
			share := float64(broken) / float64(max(pairs, 1))
			t.Logf("%s: %d of %d true pairs with two full dates are not one birthday (%.1f%%)", tt.mapping, broken, pairs, 100*share)
			if share <= maxGuardBroken {
				t.Errorf("only %.2f%% of the true pairs break a full_date guard: nothing for training to drop", 100*share)
			}
			has := false
			for _, g := range s.Guards {
				has = has || g.Kind == "full_date"
			}
			if !has {
				t.Fatalf("the settings carry no full_date guard: %+v", s.Guards)
			}
			m, rep, err := Train(context.Background(), f, s, nil)
			if err != nil {
				t.Fatal(err)
			}
			var fit *settings.GuardFit
			for k := range m.Guards {
				if m.Guards[k].Kind == "full_date" {
					fit = &m.Guards[k]
				}
			}
			if fit == nil || fit.Fitted >= 0 || fit.Broken <= maxGuardBroken {
				t.Fatalf("full_date fit %+v: want it dropped, broken above %.2f", fit, maxGuardBroken)
			}
			t.Logf("trained: %.1f%% of %.0f matches broken, dropped", 100*fit.Broken, fit.Expected)
			st := *s
			st.Model = m
			for _, g := range st.EffectiveGuards() {
				if g.Kind == "full_date" {
					t.Errorf("effective guards %+v still hold full_date", st.EffectiveGuards())
				}
			}
			warned := false
			for _, w := range rep.Warnings {
				warned = warned || strings.Contains(w, "guard full_date on dob") && strings.Contains(w, "drops the guard")
			}
			if !warned {
				t.Errorf("no warning of the dropped guard: %q", rep.Warnings)
			}
		})
	}
}
