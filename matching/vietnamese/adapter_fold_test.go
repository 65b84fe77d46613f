package vietnamese

import (
	"fmt"
	"sync"
	"testing"

	"github.com/dancu-vn/dancu/schemas"
	"github.com/dancu-vn/dancu/vn"
)

// TestFoldEthnicity checks that the remembered folds are vn.Fold's, from
// several goroutines at once and past the bound of values remembered.
func TestFoldEthnicity(t *testing.T) {
	in := []string{"Kinh", "Mường", "MƯỜNG", "Tày", "H'Mông", "Ê Đê", " Khơ-me ", "Kinh"}
	for i := range ethnicFoldsMax + 50 {
		in = append(in, fmt.Sprintf("Dân tộc %d", i))
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 3 {
				for _, s := range in {
					if got, want := foldEthnicity(s), vn.Fold(s); got != want {
						t.Errorf("foldEthnicity(%q) = %q, want %q", s, got, want)
					}
				}
			}
		}()
	}
	wg.Wait()
	if m := ethnicFolds.Load(); m == nil || len(*m) > ethnicFoldsMax {
		t.Errorf("remembered %v values, want 1 to %d", m, ethnicFoldsMax)
	}
}

// BenchmarkFoldEthnicity folds the ethnicity cells of a list, remembered
// and with vn.Fold each time.
func BenchmarkFoldEthnicity(b *testing.B) {
	in := []string{"Kinh", "Mường", "Kinh", "Tày", "Kinh", "Thái", "Kinh", "Khơ-me"}
	for _, c := range []struct {
		name string
		fold func(string) string
	}{{"remembered", foldEthnicity}, {"vn.Fold", vn.Fold}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			n := 0
			for i := 0; b.Loop(); i++ {
				n += len(c.fold(in[i%len(in)]))
			}
			if n == 0 {
				b.Fatal("nothing folded")
			}
		})
	}
}

// TestSpouseFoldedWhenAsked checks vn.spouse, folded by the getter rather
// than in derive, is vn.Fold of the spouse's name, and "" without one.
func TestSpouseFoldedWhenAsked(t *testing.T) {
	a := NewAdapter()
	for _, s := range []string{"Lê Văn Cường", "  NGUYỄN thị  Đào ", ""} {
		get, _ := a.Fields(&schemas.Record{FullName: "Trần Thị Bình", SpouseName: s})
		if got, want := get("vn.spouse"), vn.Fold(s); got != want {
			t.Errorf("vn.spouse of %q = %q, want %q", s, got, want)
		}
	}
}
