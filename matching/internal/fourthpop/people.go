package fourthpop

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/dancu-vn/dancu/internal/refdata"
)

// refDate is the day the population is described at (ages are counted to it).
var refDate = time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC)

// Person is one generated person, the truth behind its records.
type Person struct {
	ID       string
	Group    string // kinh, hmong, thai, dao, tay, muong, khmer, jrai, ede
	Sex      byte   // 'M' or 'F'
	Surname  string
	Middle   []string
	Given    []string
	ClanLast bool // Ê Đê order: Y/H' + given … clan last
	Birth    time.Time
	Prec     int // 0 full date, 1 month and year, 2 year only
	CCCD     string
	CMND     string
	Father   *Person
	Mother   *Person
	Rel      string // relation to the household head
	House    *household
}

// Full is the person's name as the family writes it.
func (p *Person) Full() string {
	return joinName(p.Surname, p.Middle, p.Given, p.ClanLast)
}

func joinName(sur string, mid, giv []string, clanLast bool) string {
	var w []string
	if clanLast {
		w = append(append(append(w, mid...), giv...), sur)
	} else {
		w = append(append(append(w, sur), mid...), giv...)
	}
	return strings.Join(w, " ")
}

func (p *Person) age() int {
	a := refDate.Year() - p.Birth.Year()
	if refDate.YearDay() < p.Birth.YearDay() {
		a--
	}
	return a
}

type commune struct {
	code, name, district, province, provCode string
	newName, newProvince                     string
	villages                                 []*village
}

type village struct {
	name      string
	c         *commune
	group     string
	surnames  []string          // the village's favoured surnames
	favourite map[byte][]string // favoured given names by sex
}

type household struct {
	v       *village
	members []*Person
}

type weighted struct {
	items []string
	cum   []float64
}

func (w *weighted) add(s string, x float64) {
	if x <= 0 {
		return
	}
	t := x
	if n := len(w.cum); n > 0 {
		t += w.cum[n-1]
	}
	w.items = append(w.items, s)
	w.cum = append(w.cum, t)
}

func (w *weighted) pick(r *rand.Rand) string {
	x := r.Float64() * w.cum[len(w.cum)-1]
	i := sort.SearchFloat64s(w.cum, x)
	if i >= len(w.items) {
		i = len(w.items) - 1
	}
	return w.items[i]
}

// tables are the name and unit tables read once from refdata.
type tables struct {
	surnameN, surnameS *weighted // Kinh surnames, north and south spellings
	middle1            map[byte]*weighted
	middle2            map[byte]*weighted
	given              map[byte]*weighted
	provinces          *weighted
	provNames          []string
	communes           map[string][][]string // province code → rows of the pre-reform list
	newUnit            map[string][2]string  // old commune code → new commune, new province
	idProv             map[string]string     // GSO province → ID code
}

func num(s string) float64 {
	f, _ := strconv.ParseFloat(s, 64)
	return f
}

func loadTables() *tables {
	t := &tables{surnameN: &weighted{}, surnameS: &weighted{},
		middle1: map[byte]*weighted{'M': {}, 'F': {}}, middle2: map[byte]*weighted{'M': {}, 'F': {}},
		given: map[byte]*weighted{'M': {}, 'F': {}}, provinces: &weighted{},
		communes: map[string][][]string{}, newUnit: map[string][2]string{}, idProv: map[string]string{}}
	sn := refdata.MustLoad("names/surnames.csv")
	var rest float64
	for _, r := range sn.Rows {
		if sn.Get(r, "published_pct_2005") == "" {
			rest += num(sn.Get(r, "uit_forum_pct"))
		}
	}
	published := 0.0
	for _, r := range sn.Rows {
		published += num(sn.Get(r, "published_pct_2005"))
	}
	// The paired groups (Hoàng/Huỳnh, Vũ/Võ) carry the group's share on
	// both rows: counted once above would be right, so take half of it twice.
	published -= 5.1 + 3.9
	for _, r := range sn.Rows {
		s := sn.Get(r, "surname")
		if strings.ContainsAny(s, "øØöÖñÑæ") { // the forum sample's VNI leftovers ("Buøi")
			continue
		}
		if p := sn.Get(r, "published_pct_2005"); p != "" {
			x := num(p)
			switch s {
			case "Hoàng", "Vũ": // northern spelling
				t.surnameN.add(s, x)
			case "Huỳnh", "Võ":
				t.surnameS.add(s, x)
			default:
				t.surnameN.add(s, x)
				t.surnameS.add(s, x)
			}
			continue
		}
		x := num(sn.Get(r, "uit_forum_pct")) * (100 - published) / rest
		t.surnameN.add(s, x)
		t.surnameS.add(s, x)
	}
	mn := refdata.MustLoad("names/middle_names.csv")
	for _, r := range mn.Rows {
		m := mn.Get(r, "middle_name")
		t.middle1['M'].add(m, num(mn.Get(r, "first_middle_male")))
		t.middle1['F'].add(m, num(mn.Get(r, "first_middle_female")))
		t.middle2['M'].add(m, num(mn.Get(r, "second_middle_male")))
		t.middle2['F'].add(m, num(mn.Get(r, "second_middle_female")))
	}
	gn := refdata.MustLoad("names/given_names.csv")
	for sex, cols := range map[byte][2]string{'M': {"daklak_dkl01_male_pct", "ngxson_male"}, 'F': {"daklak_dkl01_female_pct", "ngxson_female"}} {
		var pct, cnt float64
		for _, r := range gn.Rows {
			if v := gn.Get(r, cols[0]); v != "" {
				pct += num(v)
			} else {
				cnt += num(gn.Get(r, cols[1]))
			}
		}
		for _, r := range gn.Rows {
			if v := gn.Get(r, cols[0]); v != "" {
				t.given[sex].add(gn.Get(r, "given_name"), num(v))
			} else {
				t.given[sex].add(gn.Get(r, "given_name"), num(gn.Get(r, cols[1]))*(100-pct)/cnt)
			}
		}
	}
	cp := refdata.MustLoad("coverage/census_2019_province.csv")
	for _, r := range cp.Rows {
		t.provinces.add(cp.Get(r, "province_code"), num(cp.Get(r, "population")))
		t.provNames = append(t.provNames, cp.Get(r, "province_code"))
	}
	au := refdata.MustLoad("admin_units_2025_pre_reform.csv")
	for _, r := range au.Rows {
		if au.Get(r, "commune_code") == "" {
			continue
		}
		pc := au.Get(r, "province_code")
		t.communes[pc] = append(t.communes[pc], r)
	}
	mp := refdata.MustLoad("admin_units_2025_mapping.csv")
	for _, r := range mp.Rows {
		old := mp.Get(r, "old_commune_code")
		if _, done := t.newUnit[old]; done || mp.Get(r, "preferred") != "1" {
			continue
		}
		t.newUnit[old] = [2]string{mp.Get(r, "new_commune_name"), mp.Get(r, "new_province_name")}
	}
	ip := refdata.MustLoad("id_province_codes.csv")
	for _, r := range ip.Rows {
		t.idProv[ip.Get(r, "gso_province_code")] = ip.Get(r, "code")
	}
	return t
}

// Ethnic mixes by GSO province code (the author's choice, from knowledge).
func groupMix(prov string) *weighted {
	w := &weighted{}
	switch prov {
	case "02", "04", "10", "11", "12", "14", "15":
		w.add("kinh", 30)
		w.add("hmong", 25)
		w.add("thai", 20)
		w.add("dao", 10)
		w.add("tay", 15)
	case "17":
		w.add("kinh", 50)
		w.add("muong", 50)
	case "06", "08", "19", "20":
		w.add("kinh", 50)
		w.add("tay", 50)
	case "94", "84":
		w.add("kinh", 70)
		w.add("khmer", 30)
	case "91", "89", "95", "96":
		w.add("kinh", 92)
		w.add("khmer", 8)
	case "64", "62":
		w.add("kinh", 75)
		w.add("jrai", 25)
	case "66", "67":
		w.add("kinh", 75)
		w.add("ede", 25)
	default:
		w.add("kinh", 1)
	}
	return w
}

// The minority name lists are the author's own (doc.go).
var (
	hmongSur   = []string{"Giàng", "Vàng", "Thào", "Sùng", "Lý", "Mùa", "Hầu", "Vừ", "Lầu", "Hạng"}
	hmongGiven = []string{"Páo", "Dính", "Chứ", "Sử", "Pó", "Nhà", "Dế", "Mỷ", "Sua", "Chía", "Lử", "Tủa", "Và", "Pằng", "Dợ", "Súa"}
	thaiSur    = []string{"Lò", "Cầm", "Quàng", "Lường", "Tòng", "Vi", "Điêu", "Hà"}
	thaiGiven  = []string{"Pọm", "Ẻn", "Xiêng", "Panh", "Ún", "Phanh", "Thoong", "Pâng", "Inh", "Hặc", "Ọn", "Bun"}
	daoSur     = []string{"Triệu", "Bàn", "Đặng", "Lý", "Phùng", "Chảo"}
	daoMidM    = []string{"Láo", "Tả", "Văn", "Kim"}
	daoMidF    = []string{"Thị", "Mẩy"}
	daoGiven   = []string{"Seo", "Chòi", "Dủn", "Phin", "Quẩy", "Sành", "Vần", "Tòn"}
	taySur     = []string{"Hoàng", "Nông", "Lục", "Ma", "Hà", "Đàm", "Triệu", "Lăng", "Lương", "Vi"}
	muongSur   = []string{"Bùi", "Đinh", "Quách", "Hà", "Xa"}
	khmerSur   = []string{"Thạch", "Danh", "Sơn", "Kim", "Lâm", "Chau", "Lý", "Trà"}
	khmerGiven = []string{"Sa Rết", "Sà Phol", "Sóc Kha", "Sa Ri", "Phia", "Sô Phal", "Ra Sy", "Mách Ca", "Sóc Thi", "Sà Rươne", "Pha Ly", "Chanh Đa"}
	jraiSur    = []string{"Ksor", "Rơ Mah", "Siu", "Rah Lan", "Nay", "Kpă"}
	edeClan    = []string{"Niê", "Êban", "Mlô", "Byă", "Adrơng"}
	highGiven  = []string{"Blứ", "Hen", "Bia", "Thuê", "Krông", "Đơk", "Nhi", "Zin", "Hơn", "Bôn"}
)

func pickS(r *rand.Rand, s []string) string { return s[r.IntN(len(s))] }

func south(prov string) bool {
	n, _ := strconv.Atoi(prov)
	return n >= 49
}

// surnameFor draws a household surname of the village's group.
func (g *gener) surnameFor(v *village) string {
	if len(v.surnames) > 0 && g.r.Float64() < 0.7 {
		return pickS(g.r, v.surnames)
	}
	return g.anySurname(v.group, v.c.provCode)
}

func (g *gener) anySurname(group, prov string) string {
	if l, ok := groupSurnames[group]; ok {
		return pickS(g.r, l)
	}
	if south(prov) {
		return g.t.surnameS.pick(g.r)
	}
	if n, _ := strconv.Atoi(prov); n >= 42 && g.r.IntN(2) == 0 { // central: both spellings
		return g.t.surnameS.pick(g.r)
	}
	return g.t.surnameN.pick(g.r)
}

// givenFor draws a given name (one or more syllables) for the group and sex.
func (g *gener) givenFor(v *village, group string, sex byte) []string {
	if fav := v.favourite[sex]; len(fav) > 0 && g.r.Float64() < 0.4 {
		return strings.Fields(pickS(g.r, fav))
	}
	return strings.Fields(g.anyGiven(group, sex))
}

func (g *gener) anyGiven(group string, sex byte) string {
	if l, ok := groupGiven[group]; ok {
		return pickS(g.r, l)
	}
	return g.t.given[sex].pick(g.r)
}

// The minority groups' surname (clan) and given-name lists; Tày and
// Mường take Kinh given names.
var (
	groupSurnames = map[string][]string{"hmong": hmongSur, "thai": thaiSur, "dao": daoSur, "tay": taySur,
		"muong": muongSur, "khmer": khmerSur, "jrai": jraiSur, "ede": edeClan}
	groupGiven = map[string][]string{"hmong": hmongGiven, "thai": thaiGiven, "dao": daoGiven, "khmer": khmerGiven,
		"jrai": highGiven, "ede": highGiven}
)

// middleFor draws the middle names of a person with no family pattern.
func (g *gener) middleFor(group string, sex byte) []string {
	switch group {
	case "hmong":
		if sex == 'M' {
			if g.r.Float64() < 0.8 {
				return []string{"A"}
			}
			return []string{pickS(g.r, []string{"Seo", "Chứ"})}
		}
		return []string{pickS(g.r, []string{"Thị", "Mí"})}
	case "thai":
		if sex == 'M' {
			return []string{"Văn"}
		}
		return []string{"Thị"}
	case "dao":
		if sex == 'M' {
			return []string{pickS(g.r, daoMidM)}
		}
		return []string{pickS(g.r, daoMidF)}
	case "khmer":
		if sex == 'F' && g.r.Float64() < 0.6 {
			return []string{"Thị"}
		}
		return nil
	case "jrai":
		if sex == 'F' && g.r.Float64() < 0.3 {
			return []string{"Thị"}
		}
		return nil
	case "ede":
		if sex == 'M' {
			return []string{"Y"}
		}
		return []string{"H'"}
	}
	// Kinh, Tày, Mường: syllable count by sex (own mix of the two samples).
	x := g.r.Float64()
	var two, four float64 = 0.01, 0.09
	if sex == 'F' {
		two, four = 0.01, 0.27
	}
	switch {
	case x < two:
		return nil
	case x < two+four:
		return []string{g.t.middle1[sex].pick(g.r), g.t.middle2[sex].pick(g.r)}
	}
	return []string{g.t.middle1[sex].pick(g.r)}
}

// Ages: 2019 census pyramid by 5-year band (doc.go), 80+ spread to 95.
var pyramid = []float64{8.3, 8.6, 7.6, 6.9, 7.2, 8.4, 8.6, 8.1, 7.4, 6.8, 6.1, 5.3, 4.2, 2.9, 1.8, 1.2, 1.6}

func (g *gener) ageFrom(minAge int) int {
	w := &weighted{}
	for i, x := range pyramid {
		if (i+1)*5 > minAge {
			w.add(strconv.Itoa(i), x)
		}
	}
	b, _ := strconv.Atoi(w.pick(g.r))
	a := b*5 + g.r.IntN(5)
	if b == 16 {
		a = 80 + g.r.IntN(16)
	}
	if a < minAge {
		a = minAge
	}
	return a
}

func (g *gener) birthAt(age int) time.Time {
	d := refDate.AddDate(-age-1, 0, 1+g.r.IntN(364))
	return d
}

// idNumber builds a 12-digit number by the rule of id_century_gender_codes.
func (g *gener) idNumber(p *Person) string {
	prov := p.House.v.c.provCode
	if g.r.Float64() < 0.1 {
		prov = pickS(g.r, g.t.provNames)
	}
	y := p.Birth.Year()
	d := (y/100 - 19) * 2
	if p.Sex == 'F' {
		d++
	}
	for {
		s := fmt.Sprintf("%s%d%02d%06d", g.t.idProv[prov], d, y%100, g.r.IntN(1000000))
		if !g.usedIDs[s] {
			g.usedIDs[s] = true
			return s
		}
	}
}

func (g *gener) cmndNumber() string {
	for {
		s := fmt.Sprintf("%09d", 10000000+g.r.IntN(390000000))
		if !g.usedIDs[s] {
			g.usedIDs[s] = true
			return s
		}
	}
}

// documents decides who holds a CCCD, only a CMND, both or none.
func (g *gener) documents(p *Person) {
	a := p.age()
	if a < 14 {
		if g.r.Float64() < 0.6 {
			p.CCCD = g.idNumber(p)
		}
		return
	}
	cmndOnly := 0.12
	if a >= 60 || p.Group != "kinh" {
		cmndOnly = 0.22
	}
	// The 9-digit CMND was last issued around 2020 (at 14): none for the
	// younger (mended after the first dev run, which gave some to children).
	if p.Birth.Year() > 2006 {
		if g.r.Float64() < 0.9 {
			p.CCCD = g.idNumber(p)
		}
		return
	}
	x := g.r.Float64()
	switch {
	case x < cmndOnly:
		p.CMND = g.cmndNumber()
	case x < cmndOnly+0.08:
	default:
		p.CCCD = g.idNumber(p)
		if a >= 35 && g.r.Float64() < 0.4 {
			p.CMND = g.cmndNumber()
		}
	}
}
