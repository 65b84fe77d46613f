package matching

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
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

// TestPublicSettingsNeedNoFullDateGuard pins why the shipped FEBRL and
// fake_1000 settings carry no full_date guard while the Vietnamese ones
// do (issue 12 point 2, acc26): a guard is for what never happens, and
// in these files a person's full dates of birth often are not one
// birthday written differently. FEBRL's corruptor replaces a date with
// another (4.5-6.7% of the true pairs with two full dates), fake_1000's
// moves it by a month, a year or a decade with a few days' jitter (37%).
// With the guard the gates fall (FEBRL3 F1 0.9994 -> 0.9662, FEBRL4
// 0.9997 -> 0.9775, fake_1000 0.9575 -> 0.7455; RESULTS.md). The test
// fails if the shipped settings gain the guard while their data still
// break it for more than 1% of the true pairs (the bound training uses
// to widen a year_span guard), or if the data stop breaking it.
func TestPublicSettingsNeedNoFullDateGuard(t *testing.T) {
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
			if share <= 0.01 {
				t.Errorf("only %.2f%% of the true pairs break a full_date guard: the settings may carry one", 100*share)
			}
			for _, g := range s.Guards {
				if g.Kind == "full_date" {
					t.Errorf("the settings guard full_date on %s, which splits %.1f%% of the true pairs", g.Column, 100*share)
				}
			}
		})
	}
}
