package fifthpop

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/dancu-vn/dancu/internal/refdata"
)

// asOf is the day ages are counted to.
var asOf = time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)

// Person is one generated person, the truth behind its records.
type Person struct {
	ID      string
	Group   string   // kinh, hmong, thai, ede, jrai, khmer
	Tokens  []string // the name as written in the civil register, in order
	Sur     int      // how many leading tokens are the surname (0: Ê Đê / Jrai order, clan last)
	Sex     byte     // 'M' or 'F'
	Birth   time.Time
	CCCD    string // 12-digit personal identification number, or ""
	CMND    string // 9-digit old identity card, or ""
	House   *household
	Rel     string   // relation to the household head as a list writes it
	Maiden  *village // a married woman's parents' village (her hộ khẩu may still be there)
	MovedTo *village // where a person who moved lives now
	Twin    bool
	Namesk  bool // carries the commune's popular full name
}

// Full is the registered full name.
func (p *Person) Full() string { return strings.Join(p.Tokens, " ") }

// given is the person's given name: the last word, or for the Ê Đê and
// Jrai (clan name last) the word after the Y or H' that starts the name.
func (p *Person) given() string {
	switch {
	case p.Sur > 0:
		return p.Tokens[len(p.Tokens)-1]
	case p.Tokens[0] == "Y" && len(p.Tokens) > 1:
		return p.Tokens[1]
	}
	return p.Tokens[0]
}

func (p *Person) age() int {
	a := asOf.Year() - p.Birth.Year()
	if asOf.YearDay() < p.Birth.YearDay() {
		a--
	}
	return a
}

type unit struct {
	provCode, prov, dist, comm string
	commCode                   string
	newComm, newProv           string
	urban                      bool
	popular                    []string // the commune's most repeated full name (Nguyễn Văn Hùng ×N)
	villages                   []*village
}

type village struct {
	u    *unit
	name string // "Thôn Đông", "Ấp 3", "Tổ dân phố 5", or a street
	clan []string
}

type household struct {
	id      string
	v       *village
	houseNo int
	head    *Person
	members []*Person
}

type weighted struct {
	keys []string
	cum  []float64
}

func (w *weighted) add(k string, x float64) {
	if x <= 0 {
		return
	}
	t := x
	if n := len(w.cum); n > 0 {
		t += w.cum[n-1]
	}
	w.keys = append(w.keys, k)
	w.cum = append(w.cum, t)
}

func (w *weighted) pick(r *rand.Rand) string {
	x := r.Float64() * w.cum[len(w.cum)-1]
	lo, hi := 0, len(w.cum)-1
	for lo < hi {
		m := (lo + hi) / 2
		if w.cum[m] < x {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return w.keys[lo]
}

type tables struct {
	surname         *weighted
	mid1, mid2, giv map[byte]*weighted
	tokens          map[byte]*weighted
	provinces       *weighted
	communes        map[string][][5]string // province code → district, commune code, commune, province name, type
	newUnit         map[string][2]string   // old commune code → new commune, new province
	idProv          map[string]string      // GSO province code → 3-digit ID code
	provName        map[string]string
}

func num(s string) float64 {
	f, _ := strconv.ParseFloat(s, 64)
	return f
}

func loadTables() *tables {
	t := &tables{surname: &weighted{}, provinces: &weighted{},
		mid1: map[byte]*weighted{'M': {}, 'F': {}}, mid2: map[byte]*weighted{'M': {}, 'F': {}},
		giv: map[byte]*weighted{'M': {}, 'F': {}}, tokens: map[byte]*weighted{'M': {}, 'F': {}},
		communes: map[string][][5]string{}, newUnit: map[string][2]string{}, idProv: map[string]string{}, provName: map[string]string{}}
	sn := refdata.MustLoad("names/surnames.csv")
	for _, r := range sn.Rows {
		t.surname.add(sn.Get(r, "surname"), num(sn.Get(r, "uit_forum_pct")))
	}
	mn := refdata.MustLoad("names/middle_names.csv")
	for _, r := range mn.Rows {
		m := mn.Get(r, "middle_name")
		t.mid1['M'].add(m, num(mn.Get(r, "first_middle_male")))
		t.mid1['F'].add(m, num(mn.Get(r, "first_middle_female")))
		t.mid2['M'].add(m, num(mn.Get(r, "second_middle_male")))
		t.mid2['F'].add(m, num(mn.Get(r, "second_middle_female")))
	}
	gn := refdata.MustLoad("names/given_names.csv")
	for _, r := range gn.Rows {
		g := gn.Get(r, "given_name")
		t.giv['M'].add(g, num(gn.Get(r, "ngxson_male")))
		t.giv['F'].add(g, num(gn.Get(r, "ngxson_female")))
	}
	tc := refdata.MustLoad("names/name_token_counts.csv")
	for _, r := range tc.Rows {
		t.tokens['M'].add(tc.Get(r, "tokens"), num(tc.Get(r, "ngxson_male")))
		t.tokens['F'].add(tc.Get(r, "tokens"), num(tc.Get(r, "ngxson_female")))
	}
	cp := refdata.MustLoad("coverage/census_2019_province.csv")
	for _, r := range cp.Rows {
		t.provinces.add(cp.Get(r, "province_code"), num(cp.Get(r, "population")))
	}
	au := refdata.MustLoad("admin_units_2025_pre_reform.csv")
	for _, r := range au.Rows {
		pc := au.Get(r, "province_code")
		t.provName[pc] = au.Get(r, "province_name")
		t.communes[pc] = append(t.communes[pc], [5]string{au.Get(r, "district_name"), au.Get(r, "commune_code"), au.Get(r, "commune_name"), au.Get(r, "province_name"), au.Get(r, "district_type")})
	}
	mp := refdata.MustLoad("admin_units_2025_mapping.csv")
	for _, r := range mp.Rows {
		if mp.Get(r, "preferred") != "1" {
			continue
		}
		old := mp.Get(r, "old_commune_code")
		if _, ok := t.newUnit[old]; !ok {
			t.newUnit[old] = [2]string{mp.Get(r, "new_commune_name"), mp.Get(r, "new_province_name")}
		}
	}
	ip := refdata.MustLoad("id_province_codes.csv")
	for _, r := range ip.Rows {
		t.idProv[ip.Get(r, "gso_province_code")] = ip.Get(r, "code")
	}
	return t
}

// minority is each upland or delta province's share of households of a
// group other than Kinh (the author's rough choice, not census figures).
var minority = map[string]map[string]float64{
	"02": {"hmong": 0.35, "thai": 0.05}, "10": {"hmong": 0.25, "thai": 0.05}, "11": {"hmong": 0.3, "thai": 0.35},
	"12": {"hmong": 0.3, "thai": 0.3}, "14": {"hmong": 0.15, "thai": 0.5}, "15": {"hmong": 0.1, "thai": 0.2},
	"66": {"ede": 0.2, "jrai": 0.05}, "64": {"jrai": 0.3, "ede": 0.02}, "62": {"jrai": 0.15},
	"67": {"ede": 0.1}, "94": {"khmer": 0.3}, "84": {"khmer": 0.3}, "91": {"khmer": 0.1}, "89": {"khmer": 0.05},
}

var minorityProvinces = []string{"02", "10", "11", "12", "14", "15", "66", "64", "62", "94", "84"}

// Minority names, as the civil register writes them (the author's lists).
var (
	hmongSur   = []string{"Giàng", "Vàng", "Thào", "Sùng", "Mùa", "Lầu", "Hờ", "Lý", "Vừ", "Hạng"}
	hmongGiv   = []string{"Páo", "Chứ", "Sính", "Dế", "Mò", "Cở", "Sua", "Chía", "Dúa", "Xúa", "Pà", "Lử", "Tủa", "Nênh", "Súa", "Mỷ"}
	thaiSur    = []string{"Lò", "Cầm", "Lường", "Quàng", "Tòng", "Vi", "Điêu", "Lù"}
	thaiGiv    = []string{"Pọm", "Xiêng", "Ún", "Phanh", "Thoong", "Ọn", "Bun", "Panh", "Ên", "Hặc", "Inh", "Lả"}
	edeClan    = []string{"Niê", "Mlô", "Êban", "Ktla", "Byă", "Adrơng", "Hđơk", "Kbuôr", "Niê Kdăm", "Buôn Yă"}
	jraiClan   = []string{"Ksor", "Siu", "Rơ Châm", "Rah Lan", "Kpă", "Nay", "Rơ Mah", "Rơ Lan"}
	highGiv    = []string{"Bhim", "Ngông", "Nhi", "Linh", "Blơi", "Hơn", "Đoan", "Thơ", "Bia", "Yơn", "Jang", "Dhong", "Khuê", "Mai", "Ruê", "Kbin"}
	khmerSur   = []string{"Thạch", "Sơn", "Danh", "Kim", "Lâm", "Chau", "Trà"}
	khmerGivM  = []string{"Sóc", "Sa Rinh", "Phol", "Sô Phia", "Ri", "Rây", "Chanh Đa", "Sà Rươne", "Khol"}
	khmerGivF  = []string{"Sa Rây", "Sà Phol", "Srey Mom", "Sô Phách", "Chanh Thu", "Sa Ly", "Mỹ Lan", "Kim Hoa"}
	streets    = []string{"Lê Lợi", "Trần Hưng Đạo", "Nguyễn Trãi", "Hai Bà Trưng", "Quang Trung", "Lý Thường Kiệt", "Nguyễn Huệ", "Lê Duẩn", "Phan Chu Trinh", "Hùng Vương", "Điện Biên Phủ", "Nguyễn Văn Cừ", "Võ Thị Sáu", "Trường Chinh"}
	hamletName = []string{"Đông", "Tây", "Nam", "Bắc", "Thượng", "Hạ", "Trung", "An Lạc", "Phú Mỹ", "Tân Lập", "Đồng Tâm", "Hòa Bình", "Quyết Tiến", "Thống Nhất", "Cầu", "Chùa", "Đình", "Mới"}
)

func pickS(r *rand.Rand, s []string) string { return s[r.IntN(len(s))] }

type gener struct {
	r        *rand.Rand
	t        *tables
	units    []*unit
	persons  []*Person
	houses   []*household
	usedIDs  map[string]bool
	cities   []*unit
	nTwins   int
	nNamesk  int
	nextHome int
}

func region(pc string) string {
	n, _ := strconv.Atoi(pc)
	switch {
	case n <= 37:
		return "north"
	case n <= 68:
		return "centre"
	}
	return "south"
}

func (g *gener) newUnit(pc string) *unit {
	cs := g.t.communes[pc]
	c := cs[g.r.IntN(len(cs))]
	u := &unit{provCode: pc, prov: c[3], dist: c[0], commCode: c[1], comm: c[2],
		urban: strings.HasPrefix(c[2], "Phường") || strings.HasPrefix(c[2], "Thị trấn")}
	nu := g.t.newUnit[u.commCode]
	u.newComm, u.newProv = nu[0], nu[1]
	if u.newComm == "" {
		u.newComm, u.newProv = u.comm, u.prov
	}
	nv := 3 + g.r.IntN(5)
	used := map[string]bool{}
	for len(u.villages) < nv {
		var name string
		switch {
		case u.urban && g.r.Float64() < 0.5:
			name = "đường " + pickS(g.r, streets)
		case u.urban:
			name = fmt.Sprintf("Tổ dân phố %d", 1+g.r.IntN(20))
		case region(pc) == "south":
			name = "Ấp " + map[bool]string{true: strconv.Itoa(1 + g.r.IntN(9)), false: pickS(g.r, hamletName)}[g.r.Float64() < 0.5]
		case minority[pc] != nil && g.r.Float64() < 0.5:
			name = "Bản " + pickS(g.r, []string{"Pắc Ma", "Nậm Cang", "Huổi Lóng", "Sín Chải", "Háng Tơ", "Na Hẩu", "Buôn Ea Sin", "Plei Ơi", "Buôn Trấp"})
		default:
			kind := pickS(g.r, []string{"Thôn", "Thôn", "Xóm"})
			name = kind + " " + map[bool]string{true: strconv.Itoa(1 + g.r.IntN(12)), false: pickS(g.r, hamletName)}[g.r.Float64() < 0.4]
		}
		if used[name] {
			continue
		}
		used[name] = true
		v := &village{u: u, name: name}
		// Northern and central villages are often a few clans.
		if !u.urban && region(pc) != "south" {
			v.clan = []string{g.t.surname.pick(g.r), g.t.surname.pick(g.r)}
		}
		u.villages = append(u.villages, v)
	}
	sex := byte('M')
	u.popular = []string{g.t.surname.pick(g.r), g.t.mid1[sex].pick(g.r), g.t.giv[sex].pick(g.r)}
	return u
}

func (g *gener) kinhName(sex byte, sur string) []string {
	n, _ := strconv.Atoi(g.t.tokens[sex].pick(g.r))
	if n > 4 {
		n = 4
	}
	toks := []string{sur}
	if n >= 3 {
		toks = append(toks, g.t.mid1[sex].pick(g.r))
	}
	if n == 4 {
		toks = append(toks, g.t.mid2[sex].pick(g.r))
	}
	return append(toks, g.t.giv[sex].pick(g.r))
}

// name builds a person's registered name; fam is the family's surname
// (the father's), mid a generation middle name the siblings share or "".
func (g *gener) name(group string, sex byte, fam, mid string) ([]string, int) {
	switch group {
	case "hmong":
		m := "A"
		if sex == 'F' {
			m = pickS(g.r, []string{"Thị", "Thị", "Mí"})
		} else if g.r.Float64() < 0.2 {
			m = pickS(g.r, []string{"Seo", "Chứ"})
		}
		return []string{fam, m, pickS(g.r, hmongGiv)}, 1
	case "thai":
		m := map[byte]string{'M': "Văn", 'F': "Thị"}[sex]
		return []string{fam, m, pickS(g.r, thaiGiv)}, 1
	case "ede", "jrai":
		pre := map[byte]string{'M': "Y", 'F': "H'"}[sex]
		giv := pickS(g.r, highGiv)
		if pre == "H'" {
			return append([]string{pre + giv}, strings.Fields(fam)...), 0
		}
		return append([]string{pre, giv}, strings.Fields(fam)...), 0
	case "khmer":
		giv := pickS(g.r, map[byte][]string{'M': khmerGivM, 'F': khmerGivF}[sex])
		toks := []string{fam}
		if sex == 'F' && g.r.Float64() < 0.6 {
			toks = append(toks, "Thị")
		}
		return append(toks, strings.Fields(giv)...), 1
	}
	toks := g.kinhName(sex, fam)
	if mid != "" && len(toks) >= 3 {
		toks[1] = mid
	}
	return toks, 1
}

func (g *gener) surname(group string, v *village) string {
	switch group {
	case "hmong":
		return pickS(g.r, hmongSur)
	case "thai":
		return pickS(g.r, thaiSur)
	case "ede":
		return pickS(g.r, edeClan)
	case "jrai":
		return pickS(g.r, jraiClan)
	case "khmer":
		return pickS(g.r, khmerSur)
	}
	if v != nil && len(v.clan) > 0 && g.r.Float64() < 0.45 {
		return pickS(g.r, v.clan)
	}
	return g.t.surname.pick(g.r)
}

func (g *gener) groupOf(pc string) string {
	x := g.r.Float64()
	for _, k := range []string{"hmong", "thai", "ede", "jrai", "khmer"} {
		x -= minority[pc][k]
		if x < 0 {
			return k
		}
	}
	return "kinh"
}

func (g *gener) born(age int) time.Time {
	return asOf.AddDate(-age-1, 0, 1+g.r.IntN(364))
}

func (g *gener) person(h *household, group string, sex byte, toks []string, sur int, birth time.Time, rel string) *Person {
	p := &Person{ID: fmt.Sprintf("N%07d", len(g.persons)+1), Group: group, Tokens: toks, Sur: sur, Sex: sex, Birth: birth, House: h, Rel: rel}
	g.persons = append(g.persons, p)
	h.members = append(h.members, p)
	return p
}

// household makes one household in village v.
func (g *gener) household(v *village) {
	g.nextHome++
	h := &household{id: fmt.Sprintf("H%06d", g.nextHome), v: v, houseNo: 1 + g.r.IntN(250)}
	g.houses = append(g.houses, h)
	pc := v.u.provCode
	group := g.groupOf(pc)
	headSex := byte('M')
	if g.r.Float64() < 0.18 {
		headSex = 'F'
	}
	headAge := 24 + g.r.IntN(50)
	fam := g.surname(group, v)
	toks, sur := g.name(group, headSex, fam, "")
	if group == "kinh" && headSex == 'M' && g.r.Float64() < 0.07 {
		toks, sur = append([]string(nil), v.u.popular...), 1
	}
	head := g.person(h, group, headSex, toks, sur, g.born(headAge), "Chủ hộ")
	head.Namesk = group == "kinh" && strings.Join(toks, " ") == strings.Join(v.u.popular, " ")
	if head.Namesk {
		g.nNamesk++
	}
	h.head = head
	fatherSur := fam
	if headSex == 'M' && g.r.Float64() < 0.85 {
		wAge := headAge - 5 + g.r.IntN(8)
		if wAge < 18 {
			wAge = 18
		}
		wt, ws := g.name(group, 'F', g.surname(group, nil), "")
		w := g.person(h, group, 'F', wt, ws, g.born(wAge), "Vợ")
		if g.r.Float64() < 0.8 {
			w.Maiden = g.otherVillage(v)
		}
	}
	if headSex == 'F' && group != "kinh" {
		fatherSur = g.surname(group, v)
	}
	// Children, one to two years or more apart; the sons often share a
	// generation middle name.
	nKids := g.r.IntN(4)
	if headAge > 30 {
		nKids++
	}
	sonMid := ""
	if group == "kinh" && g.r.Float64() < 0.6 {
		sonMid = pickS(g.r, []string{"Văn", "Đức", "Minh", "Quang", "Văn", "Hữu", "Công"})
	}
	kidAge := headAge - 21 - g.r.IntN(8)
	for i := 0; i < nKids && kidAge >= 0; i++ {
		twins := g.r.Float64() < 0.02
		n := 1
		if twins {
			n = 2
			g.nTwins++
		}
		birth := g.born(kidAge)
		for k := 0; k < n; k++ {
			sex := byte('M')
			if g.r.Float64() < 0.48 {
				sex = 'F'
			}
			mid := ""
			if sex == 'M' {
				mid = sonMid
			} else if group == "kinh" && g.r.Float64() < 0.6 {
				mid = "Thị"
			}
			// Parents never give two children one given name.
			kt, ks := g.name(group, sex, fatherSur, mid)
			for try := 0; try < 20 && h.usesGiven((&Person{Tokens: kt, Sur: ks}).given()); try++ {
				kt, ks = g.name(group, sex, fatherSur, mid)
			}
			c := g.person(h, group, sex, kt, ks, birth, "Con")
			c.Twin = twins
			if twins && k == 1 && g.r.Float64() < 0.5 {
				// Twins' names often differ in one syllable only.
				prev := h.members[len(h.members)-2]
				if giv := g.t.giv[sex].pick(g.r); prev.Sex == sex && len(prev.Tokens) == len(kt) && len(kt) >= 3 && !h.usesGiven(giv) {
					c.Tokens = append(append([]string(nil), prev.Tokens[:len(kt)-1]...), giv)
				}
			}
		}
		kidAge -= 1 + g.r.IntN(4)
	}
	// An elderly parent of the head.
	if headAge < 55 && g.r.Float64() < 0.2 {
		sex := byte('F')
		if g.r.Float64() < 0.4 {
			sex = 'M'
		}
		surn := fam
		if sex == 'F' {
			surn = g.surname(group, nil)
		}
		pt, ps := g.name(group, sex, surn, "")
		g.person(h, group, sex, pt, ps, g.born(headAge+22+g.r.IntN(10)), map[byte]string{'M': "Bố", 'F': "Mẹ"}[sex])
	}
}

// usesGiven reports whether a member of h has the given name giv.
func (h *household) usesGiven(giv string) bool {
	for _, m := range h.members {
		if m.given() == giv {
			return true
		}
	}
	return false
}

// otherVillage is where a woman grew up: her husband's commune's province
// mostly, else anywhere the population lives.
func (g *gener) otherVillage(v *village) *village {
	for i := 0; i < 10; i++ {
		u := g.units[g.r.IntN(len(g.units))]
		if u == v.u {
			continue
		}
		if u.provCode == v.u.provCode || g.r.Float64() < 0.3 {
			return u.villages[g.r.IntN(len(u.villages))]
		}
	}
	return v.u.villages[g.r.IntN(len(v.u.villages))]
}

func (g *gener) documents(p *Person) {
	a := p.age()
	switch {
	case a >= 14:
		if g.r.Float64() < 0.93 {
			p.CCCD = g.idNumber(p)
		}
		if p.Birth.Year() <= 2005 && g.r.Float64() < 0.75 {
			p.CMND = g.cmnd()
		}
	case p.Birth.Year() >= 2016:
		if g.r.Float64() < 0.8 {
			p.CCCD = g.idNumber(p)
		}
	default:
		if g.r.Float64() < 0.5 {
			p.CCCD = g.idNumber(p)
		}
	}
}

func (g *gener) idNumber(p *Person) string {
	pc := p.House.v.u.provCode
	if p.Maiden != nil {
		pc = p.Maiden.u.provCode
	}
	y := p.Birth.Year()
	d := (y/100 - 19) * 2
	if p.Sex == 'F' {
		d++
	}
	for {
		s := fmt.Sprintf("%s%d%02d%06d", g.t.idProv[pc], d, y%100, g.r.IntN(1000000))
		if !g.usedIDs[s] {
			g.usedIDs[s] = true
			return s
		}
	}
}

func (g *gener) cmnd() string {
	for {
		s := fmt.Sprintf("%09d", 10000000+g.r.IntN(380000000))
		if !g.usedIDs[s] {
			g.usedIDs[s] = true
			return s
		}
	}
}

// population makes about n persons in n/450 communes, a sixth of them in
// provinces with ethnic minorities, and a few big-city wards movers go to.
func (g *gener) population(n int) {
	nc := n/450 + 2
	for i := 0; i < nc; i++ {
		pc := g.t.provinces.pick(g.r)
		if g.r.Float64() < 0.17 {
			pc = pickS(g.r, minorityProvinces)
		}
		g.units = append(g.units, g.newUnit(pc))
	}
	for _, pc := range []string{"79", "79", "74", "01", "75"} {
		g.cities = append(g.cities, g.newUnit(pc))
	}
	for len(g.persons) < n {
		u := g.units[g.r.IntN(len(g.units))]
		g.household(u.villages[g.r.IntN(len(u.villages))])
	}
	for _, p := range g.persons {
		g.documents(p)
		if a := p.age(); a >= 18 && a <= 45 && g.r.Float64() < 0.06 {
			c := g.cities[g.r.IntN(len(g.cities))]
			p.MovedTo = c.villages[g.r.IntN(len(c.villages))]
		}
	}
}
