package matching

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/dancu-vn/dancu/matching/eval"
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
			mp, err := LoadMapping(filepath.Join("..", "testdata", "benchmarks", tt.mapping))
			if err != nil {
				t.Fatal(err)
			}
			s, err := mp.LoadSettings()
			if err != nil {
				t.Fatal(err)
			}
			if len(tt.files) > 1 && mp.LinkType != "" {
				s.LinkType = mp.LinkType
			}
			f := NewFrame(s)
			truth := map[string]string{}
			for i, name := range tt.files {
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
