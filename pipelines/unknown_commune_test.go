package pipelines

import (
	"sync"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/schemas"
)

// TestCommuneCheckNamesUnknownCommunes: the records of a list whose
// addresses name Xã Thạch Bằng (merged before 2021: in none of the
// gazetteer's lists) kept no commune code and nothing said so (user27).
// CommuneCheck counts them by sheet, column and commune, with the units
// they were read in, whether the codes were filled first (the import) or
// not (a dry run), from several goroutines; a known commune is not named.
func TestCommuneCheckNamesUnknownCommunes(t *testing.T) {
	day := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	var recs []schemas.Record
	for i := 0; i < 30; i++ {
		addr := "Thôn Bắc Sơn, Xã Thạch Bằng, Huyện Lộc Hà, Tỉnh Hà Tĩnh"
		if i%3 == 0 {
			addr = "Xã Thạch Kim, Huyện Lộc Hà, Tỉnh Hà Tĩnh"
		}
		recs = append(recs, schemas.Record{Sheet: "Xom 1", Row: uint32(i + 5), SourceDate: day, PermAddress: addr, CurAddress: addr})
	}
	for _, filled := range []bool{false, true} {
		var c CommuneCheck
		var wg sync.WaitGroup
		for g := 0; g < 3; g++ {
			wg.Add(1)
			go func(g int) {
				defer wg.Done()
				for i := g; i < len(recs); i += 3 {
					r := recs[i]
					if filled {
						ResolveAddresses(&r)
					}
					c.Check(&r)
				}
			}(g)
		}
		wg.Wait()
		got := c.Found()
		if len(got) != 1 {
			t.Fatalf("filled %v: %+v; want Xã Thạch Bằng once", filled, got)
		}
		u := got[0]
		if u.Commune != "Xã Thạch Bằng" || u.Within != "Huyện Lộc Hà, Tỉnh Hà Tĩnh" || u.Column != "perm_address" || u.Sheet != "Xom 1" ||
			u.Count != 20 || len(u.Rows) != MaxUnknownCommuneRows {
			t.Errorf("filled %v: %+v", filled, u)
		}
	}
}
