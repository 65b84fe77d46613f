package vietnamese

import (
	"fmt"
	"sync"
	"testing"

	"github.com/dancu-vn/dancu/schemas"
	"github.com/dancu-vn/dancu/vn"
)

// TestAdapterMemoSame checks that an adapter that remembers names gives
// every record the fields a fresh adapter gives it — on the first read of
// a name and on later ones, from several goroutines at once, and past
// the memo's bound (shards emptied and filled again).
func TestAdapterMemoSame(t *testing.T) {
	defer func(n int) { memoPerShard = n }(memoPerShard)
	memoPerShard = 16 // 1,024 in all: the records below hold more distinct names
	families := []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Tôn Nữ", "Âu Dương"}
	middles := []string{"Văn", "Thị", "Hữu", "Đức", "Ngọc", "", "Thị Thu", "Minh"}
	givens := []string{"An", "Bình", "Chi", "Dũng", "Hà", "Lan", "Lâm", "Tuấn", "Hùng", "Nga", "Ánh", "Quý", "0anh", "rnai"}
	var recs []*schemas.Record
	for i := range 6000 {
		f, m, g := families[i%len(families)], middles[i/7%len(middles)], givens[i/13%len(givens)]
		full := f + " " + m + " " + g
		if i%5 == 0 {
			full = vn.Fold(full) // the same name without marks
		}
		recs = append(recs, &schemas.Record{
			FullName:   fmt.Sprintf("%s %d", full, i%2000), // many distinct, each repeated
			FatherName: f + " Văn " + givens[i%len(givens)],
			MotherName: families[(i+3)%len(families)] + " Thị " + givens[(i+5)%len(givens)],
			Ethnicity:  []string{"Kinh", "Tày", "Mường", "H'Mông", ""}[i%5],
		})
	}
	fields := []string{"vn.family", "vn.middle", "vn.given", "vn.family_key", "vn.middle_key", "vn.given_key",
		"vn.name_key", "vn.name_ocr", "vn.given_ocr", "vn.family_ocr", "vn.father", "vn.mother", "vn.spouse", "vn.ethnicity"}
	want := make([][]string, len(recs))
	for i, r := range recs {
		get, _ := (&Adapter{}).Fields(r) // nothing remembered
		for _, f := range fields {
			want[i] = append(want[i], get(f))
		}
	}
	ad := NewAdapter()
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for pass := range 2 {
				for i := w; i < len(recs); i += 2 { // two goroutines read each record
					get, _ := ad.Fields(recs[i])
					for k, f := range fields {
						if got := get(f); got != want[i][k] {
							select {
							case errs <- fmt.Sprintf("pass %d, %q: %s = %q, want %q", pass, recs[i].FullName, f, got, want[i][k]):
							default:
							}
							return
						}
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	n := 0
	for i := range ad.names.shards {
		n += len(ad.names.shards[i].m)
	}
	if n == 0 || n > memoShards*memoPerShard {
		t.Errorf("%d names remembered, want 1 … %d", n, memoShards*memoPerShard)
	}
}
