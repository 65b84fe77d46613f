package coverage

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/dancu-vn/dancu/internal/olddistrict"
	"github.com/dancu-vn/dancu/internal/refdata"
	"github.com/dancu-vn/dancu/vn"
)

// Unit is one administrative unit of an era, with its expected population
// where a census or estimate gives one (0 = not known at that level).
type Unit struct {
	Era            Era
	Level          Level
	ProvinceCode   string
	DistrictCode   string // old era only
	Code           string
	Name           string
	Population2019 uint64 // 2019 census (provinces and districts)
	Population2024 uint64 // 2024 average population estimate (provinces)
}

// units holds the reference units of both eras, read once from refdata.
type units struct {
	list     []Unit            // provinces, districts, communes of both eras, in code order
	byKey    map[string]*Unit  // era|level|code
	oldToNew map[string]string // old province code -> new province code
	// newCommuneDistrict: new commune code -> the old province and
	// district all its predecessors lay in (admin_units_2025_mapping.csv,
	// preferred rows), absent where they lay in several: the district the
	// address resolver gives a record written in the new era's units.
	newCommuneDistrict map[string][2]string
}

var (
	unitsOnce sync.Once
	unitsVal  *units
	unitsErr  error
)

// dissolvedDistricts are the districts of the 2019 census dissolved
// whole into another before the 2024 list (data/coverage/SOURCES.md §2
// names them, without their successors), by the successor's code: their
// 2019 population is the successor's too, else Thành phố Thủ Đức had
// only Quận 2's (180,275 of 1,170,000) and its share of persons was
// five times too high. With them, every province's districts sum to its
// 2019 census. Resolutions of the National Assembly Standing Committee:
// 830/NQ-UBTVQH14 and 837/NQ-UBTVQH14 (2019), 867/NQ-UBTVQH14,
// 897/NQ-UBTVQH14 and 1111/NQ-UBTVQH14 (2020).
var dissolvedDistricts = map[string]string{
	"044": "045", // Huyện Thông Nông → Huyện Hà Quảng (Cao Bằng)
	"046": "047", // Huyện Trà Lĩnh → Huyện Trùng Khánh
	"050": "049", // Huyện Phục Hoà → Huyện Quảng Hòa (with Quảng Uyên)
	"151": "148", // Huyện Kỳ Sơn → Thành phố Hòa Bình
	"204": "193", // Huyện Hoành Bồ → Thành phố Hạ Long
	"526": "525", // Huyện Tây Trà → Huyện Trà Bồng
	"762": "769", // Quận Thủ Đức → Thành phố Thủ Đức (with Quận 2 and Quận 9)
	"763": "769", // Quận 9 → Thành phố Thủ Đức
}

func loadUnits() (*units, error) {
	unitsOnce.Do(func() { unitsVal, unitsErr = readUnits() })
	return unitsVal, unitsErr
}

func key(era Era, level Level, code string) string {
	return string(era) + "|" + string(level) + "|" + code
}

func readUnits() (*units, error) {
	u := &units{byKey: map[string]*Unit{}, oldToNew: map[string]string{}, newCommuneDistrict: map[string][2]string{}}
	num := func(t *refdata.Table, r []string, col string) uint64 {
		n, _ := strconv.ParseUint(t.Get(r, col), 10, 64)
		return n
	}
	load := func(name string) (*refdata.Table, error) {
		t, err := refdata.Load(name)
		if err != nil {
			return nil, fmt.Errorf("coverage: reference units: %w", err)
		}
		return t, nil
	}
	// Provinces: 2019 census and 2024 estimate, both eras.
	c19, err := load("coverage/census_2019_province.csv")
	if err != nil {
		return nil, err
	}
	e24, err := load("coverage/population_estimate_province.csv")
	if err != nil {
		return nil, err
	}
	pop24 := map[string]uint64{}
	for _, r := range e24.Rows {
		pop24[e24.Get(r, "province_code")] = num(e24, r, "population")
		u.oldToNew[e24.Get(r, "province_code")] = e24.Get(r, "province_2025_code")
	}
	for _, r := range c19.Rows {
		c := c19.Get(r, "province_code")
		u.list = append(u.list, Unit{Era: Old, Level: Province, ProvinceCode: c, Code: c, Name: c19.Get(r, "province_name"),
			Population2019: num(c19, r, "population"), Population2024: pop24[c]})
	}
	n19, err := load("coverage/census_2019_province_2025units.csv")
	if err != nil {
		return nil, err
	}
	n24, err := load("coverage/population_estimate_province_2025units.csv")
	if err != nil {
		return nil, err
	}
	npop24 := map[string]uint64{}
	for _, r := range n24.Rows {
		npop24[n24.Get(r, "province_2025_code")] = num(n24, r, "population_2024")
	}
	for _, r := range n19.Rows {
		c := n19.Get(r, "province_2025_code")
		u.list = append(u.list, Unit{Era: New, Level: Province, ProvinceCode: c, Code: c, Name: n19.Get(r, "province_2025_name"),
			Population2019: num(n19, r, "population"), Population2024: npop24[c]})
	}
	// Districts (old era) with their 2019 census population, and old communes.
	d19, err := load("coverage/census_2019_district.csv")
	if err != nil {
		return nil, err
	}
	dpop := map[string]uint64{}
	for _, r := range d19.Rows {
		dpop[d19.Get(r, "district_code")] = num(d19, r, "population")
	}
	for gone, into := range dissolvedDistricts {
		dpop[into] += dpop[gone]
	}
	old, err := load("admin_units_2024.csv")
	if err != nil {
		return nil, err
	}
	seenD := map[string]bool{}
	for _, r := range old.Rows {
		p, d, c := old.Get(r, "province_code"), old.Get(r, "district_code"), old.Get(r, "commune_code")
		if !seenD[d] {
			seenD[d] = true
			u.list = append(u.list, Unit{Era: Old, Level: District, ProvinceCode: p, DistrictCode: d, Code: d,
				Name: old.Get(r, "district_name"), Population2019: dpop[d]})
		}
		if c == "" { // island districts without communes (Bạch Long Vĩ, Cồn Cỏ, Côn Đảo, Hoàng Sa)
			continue
		}
		u.list = append(u.list, Unit{Era: Old, Level: Commune, ProvinceCode: p, DistrictCode: d, Code: c, Name: old.Get(r, "commune_name")})
	}
	nu, err := load("admin_units_2025.csv")
	if err != nil {
		return nil, err
	}
	for _, r := range nu.Rows {
		p, c := nu.Get(r, "province_code"), nu.Get(r, "commune_code")
		u.list = append(u.list, Unit{Era: New, Level: Commune, ProvinceCode: p, Code: c, Name: nu.Get(r, "commune_name")})
	}
	mp, err := load("admin_units_2025_mapping.csv")
	if err != nil {
		return nil, err
	}
	several := map[string]bool{}
	for _, r := range mp.Rows {
		if mp.Get(r, "preferred") != "1" {
			continue
		}
		nc, pd := mp.Get(r, "new_commune_code"), [2]string{mp.Get(r, "old_province_code"), mp.Get(r, "old_district_code")}
		if was, ok := u.newCommuneDistrict[nc]; ok && was != pd {
			several[nc] = true
		}
		u.newCommuneDistrict[nc] = pd
	}
	for nc := range several {
		delete(u.newCommuneDistrict, nc)
	}
	sort.SliceStable(u.list, func(i, j int) bool {
		a, b := u.list[i], u.list[j]
		if a.Era != b.Era {
			return a.Era > b.Era // "old" before "new"
		}
		if a.Level != b.Level {
			return levelRank(a.Level) < levelRank(b.Level)
		}
		return a.Code < b.Code
	})
	for i := range u.list {
		x := &u.list[i]
		u.byKey[key(x.Era, x.Level, x.Code)] = x
	}
	return u, nil
}

// oldDistrict is the old-era district of a person (or its conflict) in
// old province p, old commune c and new commune nc: c's district, else,
// where the address was written in the new era's units and gave no old
// commune, the district all of nc's predecessors lay in, if they lay in
// one of p's; "" (the province's unresolved row) otherwise.
func (u *units) oldDistrict(p, c, nc string) string {
	if c != "" {
		d, _ := olddistrict.OfCommune(c)
		return d
	}
	if pd, ok := u.newCommuneDistrict[nc]; ok && pd[0] == p {
		return pd[1]
	}
	return ""
}

func levelRank(l Level) int {
	switch l {
	case Province:
		return 0
	case District:
		return 1
	}
	return 2
}

// Units returns the reference units of an era and level, in code order;
// with province set, only those inside it. Names and populations come
// from internal/refdata (see data/coverage/SOURCES.md there).
func Units(era Era, level Level, province string) ([]Unit, error) {
	u, err := loadUnits()
	if err != nil {
		return nil, err
	}
	var out []Unit
	for _, x := range u.list {
		if x.Era == era && x.Level == level && (province == "" || x.ProvinceCode == province) {
			out = append(out, x)
		}
	}
	return out, nil
}

// UnitName is the name of the unit of era and level whose code is code
// ("Tỉnh Hà Giang" for the old era's province 02, "Tỉnh Tuyên Quang" for
// today's 08), "" when the reference lists have none or cannot be read:
// the coverage page's gazetteer, for the other pages that name a unit
// (the review desk's records).
func UnitName(era Era, level Level, code string) string {
	u, err := loadUnits()
	if err != nil || code == "" {
		return ""
	}
	if x := u.byKey[key(era, level, code)]; x != nil {
		return x.Name
	}
	return ""
}

// provinceNamed is the province of era whose name is name, written with
// or without its diacritics and its "Tỉnh" or "Thành phố" ("Hà Tĩnh",
// "ha tinh", "TP Hồ Chí Minh"); nil when none is, or several are.
func (u *units) provinceNamed(era Era, name string) *Unit {
	bare := func(s string) string {
		s = vn.Fold(s)
		for _, p := range []string{"thanh pho ", "tp. ", "tp ", "tinh "} {
			if strings.HasPrefix(s, p) {
				return strings.TrimSpace(s[len(p):])
			}
		}
		return s
	}
	want := bare(name)
	if want == "" {
		return nil
	}
	var found *Unit
	for i := range u.list {
		x := &u.list[i]
		if x.Era != era || x.Level != Province || bare(x.Name) != want {
			continue
		}
		if found != nil {
			return nil
		}
		found = x
	}
	return found
}
