package store

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/dancu-vn/dancu/internal/olddistrict"
	"github.com/dancu-vn/dancu/internal/refdata"
)

// provinceTables are today's 34 provinces (code → name) and the mapping of
// the 63 pre-reform codes to today's, from the embedded reference data.
var provinceTables = sync.OnceValues(func() (map[string]string, map[string]string) {
	t := refdata.MustLoad("province_mapping_2025.csv")
	names := map[string]string{}
	oldToNew := map[string]string{}
	for _, r := range t.Rows {
		nc := t.Get(r, "new_province_code")
		names[nc] = t.Get(r, "new_province_name")
		oldToNew[t.Get(r, "old_province_code")] = nc
	}
	return names, oldToNew
})

// Provinces returns today's 34 province codes, sorted.
func Provinces() []string {
	names, _ := provinceTables()
	out := make([]string, 0, len(names))
	for c := range names {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

// ProvinceName returns the name of one of today's provinces, or "".
func ProvinceName(code string) string {
	names, _ := provinceTables()
	return names[code]
}

// ValidProvince reports whether code is one of today's 34 provinces.
func ValidProvince(code string) bool {
	names, _ := provinceTables()
	_, ok := names[code]
	return ok
}

// NewProvince maps a pre-reform province code to today's ("" if unknown).
func NewProvince(oldCode string) string {
	_, m := provinceTables()
	return m[oldCode]
}

// transformSQL is a ClickHouse expression mapping the old-era code in col
// to today's code; it is built from reference data, never from input.
func transformSQL(col string) string {
	_, m := provinceTables()
	olds := make([]string, 0, len(m))
	for o := range m {
		olds = append(olds, o)
	}
	sort.Strings(olds)
	news := make([]string, len(olds))
	for i, o := range olds {
		news[i] = m[o]
	}
	return fmt.Sprintf("transform(%s, ['%s'], ['%s'], '')", col, strings.Join(olds, "','"), strings.Join(news, "','"))
}

// districtSQL is a ClickHouse expression for the old-era district of an
// address with old commune code in communeCol and the resolver's district
// in districtCol: the commune's district of the reference list coverage
// counts by (olddistrict.OfCommune), where the resolver's list before the
// reform names another (Xã Tân Lộc: 448, Huyện Lộc Hà, not 445), else
// districtCol. Built from reference data, never from input.
func districtSQL(communeCol, districtCol string) string {
	cs, ds := olddistrict.Moved()
	return fmt.Sprintf("transform(%s, ['%s'], ['%s'], %s)", communeCol, strings.Join(cs, "','"), strings.Join(ds, "','"), districtCol)
}

// DistrictName is the name of an old-era district code ("Huyện Lộc
// Hà"), or "" when the reference lists have none.
func DistrictName(code string) string {
	return olddistrict.Name(code)
}
