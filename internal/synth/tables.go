package synth

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/dancu-vn/dancu/internal/refdata"
)

// weighted picks an index with probability proportional to its weight.
type weighted struct {
	cum []float64
}

func newWeighted(w []float64) weighted {
	cum := make([]float64, len(w))
	s := 0.0
	for i, x := range w {
		if x > 0 {
			s += x
		}
		cum[i] = s
	}
	return weighted{cum: cum}
}

// weight returns item i's weight (0 for a non-positive one).
func (w weighted) weight(i int) float64 {
	if i == 0 {
		return w.cum[0]
	}
	return w.cum[i] - w.cum[i-1]
}

func (w weighted) pick(r *rand.Rand) int {
	x := r.Float64() * w.cum[len(w.cum)-1]
	i := sort.SearchFloat64s(w.cum, x)
	if i >= len(w.cum) {
		i = len(w.cum) - 1
	}
	// Skip zero-weight entries that share the cumulative value.
	for i < len(w.cum)-1 && (i == 0 && w.cum[0] == 0 || i > 0 && w.cum[i] == w.cum[i-1]) {
		i++
	}
	return i
}

// commune is one pre-reform commune with its units before and after 1 July 2025.
type commune struct {
	ProvinceCode, ProvinceName, ProvinceType string
	DistrictCode, DistrictName, DistrictType string
	Code, Name, Type                         string
	// New-era targets (preferred rows of the mapping); more than one when
	// the commune was split.
	New []newUnit

	parts []addrPart // commune, district, province: type word and name
}

type newUnit struct {
	CommuneCode, CommuneName, ProvinceCode, ProvinceName string

	parts []addrPart // commune, province
}

type nameList struct {
	names []string
	w     weighted
}

func (n nameList) pick(r *rand.Rand) string { return n.names[n.w.pick(r)] }

// tables is the reference data the generator draws from.
type tables struct {
	communes       []commune
	byProvince     map[string][]int // province code → indexes into communes
	provinces      []string         // province codes, census order
	provinceW      weighted         // by 2019 census population
	only           []string         // the provinces within kept, in census order (nil: all)
	idCode         map[string]string
	provinceName   map[string]string // old province code → full name
	surnames       nameList
	male, female   nameStyle // each sex's middle and given names
	tonePairs      toneMaps  // old style ↔ new style (lower, capitalised and upper forms)
	ethnicities    nameList
	religions      nameList
	cmndProvPrefix map[string]string
}

var (
	tablesOnce sync.Once
	tablesVal  *tables
	tablesErr  error
)

func loadTables() (*tables, error) {
	tablesOnce.Do(func() { tablesVal, tablesErr = buildTables() })
	return tablesVal, tablesErr
}

func atof(s string) float64 {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return 0
	}
	return f
}

// fixEth replaces the Icelandic eth (Ð, ð), which some name lists carry
// instead of the Vietnamese đ (Đ, đ).
func fixEth(s string) string {
	return strings.NewReplacer("Ð", "Đ", "ð", "đ").Replace(s)
}

// popular turns a count of distinct names bearing a syllable into a
// population weight: rare syllables (fewer than min) are not drawn, and
// common ones gain, since a distinct-name list flattens real frequencies.
func popular(count, min float64) float64 {
	if count < min {
		return 0
	}
	return math.Pow(count, 1.3)
}

func buildTables() (*tables, error) {
	t := &tables{byProvince: map[string][]int{}, idCode: map[string]string{}, provinceName: map[string]string{}}

	mp, err := refdata.Load("admin_units_2025_mapping.csv")
	if err != nil {
		return nil, err
	}
	targets := map[string][]newUnit{}
	for _, r := range mp.Rows {
		if mp.Get(r, "preferred") != "1" {
			continue
		}
		old := mp.Get(r, "old_commune_code")
		targets[old] = append(targets[old], newUnit{
			CommuneCode: mp.Get(r, "new_commune_code"), CommuneName: mp.Get(r, "new_commune_name"),
			ProvinceCode: mp.Get(r, "new_province_code"), ProvinceName: mp.Get(r, "new_province_name"),
		})
	}

	au, err := refdata.Load("admin_units_2025_pre_reform.csv")
	if err != nil {
		return nil, err
	}
	for _, r := range au.Rows {
		code := au.Get(r, "commune_code")
		if code == "" { // island districts without communes
			continue
		}
		c := commune{
			ProvinceCode: au.Get(r, "province_code"), ProvinceName: au.Get(r, "province_name"), ProvinceType: au.Get(r, "province_type"),
			DistrictCode: au.Get(r, "district_code"), DistrictName: au.Get(r, "district_name"), DistrictType: au.Get(r, "district_type"),
			Code: code, Name: au.Get(r, "commune_name"), Type: au.Get(r, "commune_type"),
			New: targets[code],
		}
		if len(c.New) == 0 {
			return nil, fmt.Errorf("build tables: commune %s has no 2025 target", code)
		}
		c.parts = []addrPart{splitType(c.Name, c.Type), splitType(c.DistrictName, c.DistrictType), splitProvince(c.ProvinceName)}
		for i, nu := range c.New {
			c.New[i].parts = []addrPart{splitNewCommune(nu.CommuneName), splitProvince(nu.ProvinceName)}
		}
		t.byProvince[c.ProvinceCode] = append(t.byProvince[c.ProvinceCode], len(t.communes))
		t.provinceName[c.ProvinceCode] = c.ProvinceName
		t.communes = append(t.communes, c)
	}

	cen, err := refdata.Load("coverage/census_2019_province.csv")
	if err != nil {
		return nil, err
	}
	var pw []float64
	for _, r := range cen.Rows {
		pc := cen.Get(r, "province_code")
		if len(t.byProvince[pc]) == 0 {
			continue
		}
		t.provinces = append(t.provinces, pc)
		pw = append(pw, atof(cen.Get(r, "population")))
	}
	t.provinceW = newWeighted(pw)

	idp, err := refdata.Load("id_province_codes.csv")
	if err != nil {
		return nil, err
	}
	for _, r := range idp.Rows {
		t.idCode[idp.Get(r, "gso_province_code")] = idp.Get(r, "code")
	}
	for _, pc := range t.provinces {
		if t.idCode[pc] == "" {
			return nil, fmt.Errorf("build tables: province %s has no identification code", pc)
		}
	}

	if err := t.loadNames(); err != nil {
		return nil, err
	}

	tp, err := refdata.Load("encodings/tone_placement_variants.tsv")
	if err != nil {
		return nil, err
	}
	var pairs [][2]string
	for _, r := range tp.Rows {
		pairs = append(pairs,
			[2]string{tp.Get(r, "old_style_kieu_cu"), tp.Get(r, "new_style_kieu_moi")},
			[2]string{tp.Get(r, "upper_old"), tp.Get(r, "upper_new")},
			[2]string{tp.Get(r, "capitalized_old"), tp.Get(r, "capitalized_new")})
	}
	t.tonePairs = newToneMaps(pairs)

	// 2019 census shares (percent of population), rounded; the long tail of
	// the 54 groups is folded into the last few entries.
	eth := []struct {
		n string
		w float64
	}{{"Kinh", 85.3}, {"Tày", 1.9}, {"Thái", 1.9}, {"Mường", 1.5}, {"Mông", 1.5}, {"Khmer", 1.4},
		{"Nùng", 1.2}, {"Dao", 0.9}, {"Hoa", 0.8}, {"Gia Rai", 0.5}, {"Ê Đê", 0.4}, {"Ba Na", 0.3},
		{"Sán Chay", 0.2}, {"Chăm", 0.2}, {"Cơ Ho", 0.2}, {"Xơ Đăng", 0.2}, {"Sán Dìu", 0.2}, {"Hrê", 0.15}}
	rel := []struct {
		n string
		w float64
	}{{"Không", 86.3}, {"Công giáo", 6.1}, {"Phật giáo", 4.8}, {"Tin lành", 1.0}, {"Phật giáo Hòa Hảo", 1.0},
		{"Cao Đài", 0.6}, {"Hồi giáo", 0.1}}
	for _, e := range eth {
		t.ethnicities.names = append(t.ethnicities.names, e.n)
	}
	ew := make([]float64, len(eth))
	for i, e := range eth {
		ew[i] = e.w
	}
	t.ethnicities.w = newWeighted(ew)
	rw := make([]float64, len(rel))
	for i, e := range rel {
		t.religions.names = append(t.religions.names, e.n)
		rw[i] = e.w
	}
	t.religions.w = newWeighted(rw)
	return t, nil
}

func (t *tables) loadNames() error {
	sn, err := refdata.Load("names/surnames.csv")
	if err != nil {
		return err
	}
	// Published national shares for the 14 big groups (a group's share is
	// split evenly between its spellings); the remaining share goes to the
	// other surnames in proportion to their sample frequencies.
	groupSize := map[string]int{}
	for _, r := range sn.Rows {
		if g := sn.Get(r, "published_group"); g != "" {
			groupSize[g]++
		}
	}
	var pubSum, tailSum float64
	tail := map[int]float64{}
	w := make([]float64, len(sn.Rows))
	for i, r := range sn.Rows {
		t.surnames.names = append(t.surnames.names, sn.Get(r, "surname"))
		if g := sn.Get(r, "published_group"); g != "" {
			w[i] = atof(sn.Get(r, "published_pct_2005")) / float64(groupSize[g])
			pubSum += w[i]
			continue
		}
		x := atof(sn.Get(r, "daklak_dkl01_pct"))
		if x == 0 {
			x = atof(sn.Get(r, "uit_forum_pct"))
		}
		if x == 0 {
			x = atof(sn.Get(r, "ngxson_distinct_fullnames")) * 0.0005
		}
		tail[i] = x
		tailSum += x
	}
	for i, x := range tail {
		w[i] = x / tailSum * (100 - pubSum)
	}
	t.surnames.w = newWeighted(w)

	mn, err := refdata.Load("names/middle_names.csv")
	if err != nil {
		return err
	}
	fill := func(l *nameList, col string, skip ...string) {
		var ws []float64
	row:
		for _, r := range mn.Rows {
			n := mn.Get(r, "middle_name")
			for _, s := range skip {
				if n == s {
					continue row
				}
			}
			l.names = append(l.names, n)
			ws = append(ws, popular(atof(mn.Get(r, col)), 30))
		}
		l.w = newWeighted(ws)
	}
	t.male, t.female = maleNames, femaleNames
	fill(&t.male.middle, "first_middle_male", "Thị", "Văn")
	fill(&t.female.middle, "first_middle_female", "Thị", "Văn")
	fill(&t.male.middle2, "second_middle_male", "Thị", "Văn")
	fill(&t.female.middle2, "second_middle_female", "Thị", "Văn")

	gn, err := refdata.Load("names/given_names.csv")
	if err != nil {
		return err
	}
	var mw, fw []float64
	for _, r := range gn.Rows {
		n := fixEth(gn.Get(r, "given_name"))
		share := atof(gn.Get(r, "ngxson_share_female"))
		m := popular(atof(gn.Get(r, "ngxson_male")), 20) + 300*atof(gn.Get(r, "daklak_dkl01_male_pct"))
		f := popular(atof(gn.Get(r, "ngxson_female")), 20) + 300*atof(gn.Get(r, "daklak_dkl01_female_pct"))
		// Keep the sex association clear: a name mostly borne by the other
		// sex is not drawn at all.
		if share > 0.85 {
			m = 0
		}
		if share < 0.15 {
			f = 0
		}
		t.male.given.names = append(t.male.given.names, n)
		t.female.given.names = append(t.female.given.names, n)
		mw = append(mw, m)
		fw = append(fw, f)
	}
	t.male.given.w = newWeighted(mw)
	t.female.given.w = newWeighted(fw)

	read := func(name string) ([]string, error) {
		b, err := fsReadFile(name)
		if err != nil {
			return nil, err
		}
		var out []string
		for _, l := range strings.Split(string(b), "\n") {
			l = fixEth(strings.TrimSpace(l))
			if strings.Count(l, " ") == 1 { // exactly two syllables
				out = append(out, l)
			}
		}
		if len(out) == 0 {
			return nil, fmt.Errorf("read %s: no two-syllable names", name)
		}
		return out, nil
	}
	if t.male.given2, err = read("names/duyet_boy_given_names.txt"); err != nil {
		return err
	}
	if t.female.given2, err = read("names/duyet_girl_given_names.txt"); err != nil {
		return err
	}
	return nil
}

// within returns a copy of t whose places are drawn from k provinces
// (all of them when k is at least their number), picked without
// replacement by census population with r and weighted by it as before.
func (t *tables) within(r *rand.Rand, k int) *tables {
	if k >= len(t.provinces) {
		return t
	}
	w := make([]float64, len(t.provinces))
	for i := range t.provinces {
		w[i] = t.provinceW.weight(i)
	}
	keep := make([]float64, len(w))
	for n := 0; n < k; n++ {
		i := newWeighted(w).pick(r)
		keep[i], w[i] = w[i], 0
	}
	c := *t
	c.provinceW = newWeighted(keep)
	c.only = nil
	for i, pc := range t.provinces {
		if keep[i] > 0 {
			c.only = append(c.only, pc)
		}
	}
	return &c
}
