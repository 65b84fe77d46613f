package sixthpop

import (
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Sources are the five lists, in the order they are written.
var Sources = []string{"census", "birth", "book", "school", "military"}

// Files names each source's file; the date in the name is the date the
// list describes, which decides the era its addresses are read in.
var Files = map[string]string{
	"census":   "dieutra_20240401.csv",
	"birth":    "sokhaisinh_20240630.csv",
	"book":     "sohokhau_20250915.csv",
	"school":   "hocsinh_20250905.csv",
	"military": "nvqs_20251015.csv",
}

var prefix = map[string]string{"census": "DT", "birth": "KS", "book": "HK", "school": "HS", "military": "QS"}

var header = map[string][]string{
	"census":   {"STT", "Mã phiếu", "Họ và tên", "Ngày sinh", "Giới tính", "Số CMND/CCCD", "Nơi sinh", "Nơi thường trú"},
	"birth":    {"STT", "Mã hồ sơ", "Họ và tên", "Ngày sinh", "Giới tính", "Số định danh cá nhân", "Họ tên mẹ", "Họ tên cha", "Nơi thường trú"},
	"book":     {"STT", "Mã nhân khẩu", "Họ và tên", "Ngày sinh", "Giới tính", "Số định danh cá nhân", "Số CMND", "Quan hệ với chủ hộ", "Họ tên chủ hộ", "Nơi thường trú"},
	"school":   {"STT", "Mã số", "Họ đệm", "Tên", "Ngày sinh", "Giới tính", "Số định danh cá nhân", "Họ tên cha", "Họ tên mẹ", "Địa chỉ"},
	"military": {"STT", "Mã hồ sơ", "Họ và tên", "Ngày sinh", "Số định danh cá nhân", "Quê quán", "Nơi thường trú", "Họ tên cha", "Họ tên mẹ"},
}

var title = map[string]string{
	"census":   "PHIẾU ĐIỀU TRA DÂN SỐ - BẢNG NHẬP LIỆU TỪ PHIẾU GIẤY",
	"birth":    "SỔ THEO DÕI TRẺ SINH TẠI BỆNH VIỆN",
	"book":     "SỔ HỘ KHẨU - DANH SÁCH NHÂN KHẨU (NHẬP LẠI)",
	"school":   "DANH SÁCH HỌC SINH NĂM HỌC 2025-2026",
	"military": "DANH SÁCH CÔNG DÂN ĐĂNG KÝ NGHĨA VỤ QUÂN SỰ",
}

// rec is one row of a source.
type rec struct {
	id     string
	person int
	kinds  []string
	row    []string
}

type gen struct {
	r     *rand.Rand
	pop   *population
	recs  map[string][]*rec
	heads map[int]string // each household's head's full name
}

func (g *gen) p(x float64) bool { return g.r.Float64() < x }

// stripMarks removes the tone and vowel marks, đ included, as a clerk
// typing on a keyboard without Vietnamese input does.
func stripMarks(s string) string {
	var b strings.Builder
	for _, c := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, c):
		case c == 'đ':
			b.WriteRune('d')
		case c == 'Đ':
			b.WriteRune('D')
		default:
			b.WriteRune(c)
		}
	}
	return b.String()
}

// handwriting letters a clerk misreads.
var handLetters = map[rune]rune{'n': 'u', 'u': 'n', 'a': 'o', 'o': 'a', 'm': 'n', 'h': 'k', 'e': 'c', 't': 'l', 'r': 'v', 'g': 'q', 'y': 'g', 'i': 'l'}

// handwriting digits.
var handDigits = map[byte]byte{'1': '7', '7': '1', '4': '9', '9': '4', '3': '8', '8': '3', '5': '6', '6': '5', '0': '6'}

func (g *gen) misreadLetter(s string) string {
	rs := []rune(s)
	var at []int
	for i, c := range rs {
		if _, ok := handLetters[c]; ok && i > 0 && rs[i-1] != ' ' { // not a word's first letter, written clearer
			at = append(at, i)
		}
	}
	if len(at) == 0 {
		return s
	}
	i := at[g.r.IntN(len(at))]
	rs[i] = handLetters[rs[i]]
	return string(rs)
}

// oldTone moves a tone mark to the old-style position (Hòa → Hoà, Thủy → Thuỷ).
var oldTone = strings.NewReplacer("òa", "oà", "óa", "oá", "ỏa", "oả", "õa", "oã", "ọa", "oạ",
	"òe", "oè", "óe", "oé", "ỏe", "oẻ", "ùy", "uỳ", "úy", "uý", "ủy", "uỷ", "ũy", "uỹ", "ụy", "uỵ")

var iy = map[string]string{"Quý": "Quí", "Mỹ": "Mĩ", "Kỳ": "Kì", "Lý": "Lí", "Sỹ": "Sĩ", "Vỹ": "Vĩ", "Thy": "Thi", "Vy": "Vi", "My": "Mi", "Ly": "Li", "Hy": "Hi", "Tý": "Tí"}

func iySwap(s string) (string, bool) {
	ws := strings.Fields(s)
	for i := len(ws) - 1; i >= 1; i-- {
		if v, ok := iy[ws[i]]; ok {
			ws[i] = v
			return strings.Join(ws, " "), true
		}
	}
	return s, false
}

// dateText writes a person's birth date in the source's hand.
func dmy(y, m, d int) string { return fmt.Sprintf("%02d/%02d/%04d", d, m, y) }

func (g *gen) misreadDigit(s string) string {
	b := []byte(s)
	var at []int
	for i, c := range b {
		if _, ok := handDigits[c]; ok {
			at = append(at, i)
		}
	}
	if len(at) == 0 {
		return s
	}
	i := at[g.r.IntN(len(at))]
	b[i] = handDigits[b[i]]
	return string(b)
}

// abbreviate writes the units' words short, as many lists do.
var abbrev = strings.NewReplacer("Thành phố ", "TP ", "Tỉnh ", "T. ", "Huyện ", "H. ", "Xã ", "X. ", "Thôn ", "Th. ", "Phường ", "P. ", "Quận ", "Q. ", "Thị xã ", "TX ")

// addr writes a place in one era: "old" (village, commune, district,
// province) or "new" (village, commune, province: the reform removed the
// districts and renamed or merged most communes).
func (g *gen) addr(pl place, era string, ks *[]string, short float64) string {
	var parts []string
	if pl.street != "" {
		parts = append(parts, pl.street)
	}
	if pl.village != "" && !g.p(0.05) {
		parts = append(parts, pl.village)
	}
	if era == "old" {
		parts = append(parts, pl.u.commune, pl.u.district, pl.u.province)
	} else {
		parts = append(parts, pl.u.newCommune, pl.u.newProvince)
	}
	s := strings.Join(parts, ", ")
	if g.p(short) {
		s = abbrev.Replace(s)
		*ks = append(*ks, "addr_abbrev")
	}
	return s
}

// era picks the era a source's address is written in: its own, or (the
// share given) the other.
func (g *gen) era(own string, other float64, ks *[]string) string {
	if g.p(other) {
		*ks = append(*ks, "addr_other_era")
		if own == "new" {
			return "old"
		}
		return "new"
	}
	return own
}

func samePlace(a, b place) bool { return a.u == b.u && a.village == b.village && a.street == b.street }

func (g *gen) name(i int) string {
	if i < 0 {
		return ""
	}
	return g.pop.people[i].fullName()
}

func sexWord(male bool) string {
	if male {
		return "Nam"
	}
	return "Nữ"
}

func (g *gen) add(src string, p *person, ks []string, row []string) {
	n := len(g.recs[src]) + 1
	id := fmt.Sprintf("%s-%06d", prefix[src], n)
	g.recs[src] = append(g.recs[src], &rec{id: id, person: p.idx, kinds: ks, row: append([]string{fmt.Sprint(n), id}, row...)})
}

// idOtherProvince is a 12-digit number as a CMND holder's reissue was
// keyed: the person's own digits after a province code not theirs.
func (g *gen) idOtherProvince(p *person) string {
	for {
		u := g.pop.homes[g.r.IntN(len(g.pop.homes))]
		if g.p(0.3) {
			u = g.pop.cities[g.r.IntN(len(g.pop.cities))]
		}
		if u.provCode != p.born.u.provCode {
			return "0" + u.provCode + p.cccd[3:]
		}
	}
}

func (g *gen) typo(s string) string {
	b := []byte(s)
	i := g.r.IntN(len(b))
	b[i] = byte('0' + (int(b[i]-'0')+1+g.r.IntN(9))%10)
	return string(b)
}

// census: a paper form filled by hand in April 2024 and keyed by a clerk.
func (g *gen) census(p *person) {
	var ks []string
	home := p.home
	if p.city != nil && g.p(0.5) {
		home = *p.city
		ks = append(ks, "moved")
		if g.p(0.3) { // also counted at home by the family
			g.censusRow(p, p.home, []string{"double_count"})
		}
	}
	g.censusRow(p, home, ks)
}

func (g *gen) censusRow(p *person, home place, ks []string) {
	name := p.fullName()
	if g.p(0.05) {
		name = g.misreadLetter(name)
		ks = append(ks, "hand_letter")
	}
	if g.p(0.03) && p.middle != "" && !strings.Contains(p.middle, " ") {
		name = p.surname + " " + p.given
		ks = append(ks, "mid_dropped")
	}
	upper := g.p(0.45)
	if upper {
		name = strings.ToUpper(stripMarks(name))
		ks = append(ks, "upper_no_marks")
	}
	y, m, d := p.y, p.m, p.d
	if d <= 12 && d != m && g.p(0.02) {
		m, d = d, m
		ks = append(ks, "dm_swapped")
	}
	var date string
	switch x := g.r.Float64(); {
	case x < 0.15:
		date = fmt.Sprintf("ngày %d tháng %d năm %d", d, m, y)
		if upper {
			date = strings.ToUpper(stripMarks(date))
		}
		ks = append(ks, "date_words")
	case x < 0.40:
		date = fmt.Sprintf("%d-%d-%02d", d, m, y%100)
		ks = append(ks, "date_short")
	case x < 0.50 || p.y < 1950 && x < 0.7:
		date = fmt.Sprint(y)
		ks = append(ks, "year_only")
	default:
		date = dmy(y, m, d)
	}
	if g.p(0.04) {
		date = g.misreadDigit(date)
		ks = append(ks, "hand_digit")
	}
	sex := sexWord(p.male)
	if g.p(0.015) {
		sex = sexWord(!p.male)
		ks = append(ks, "sex_wrong")
	}
	var id string
	switch x := g.r.Float64(); {
	case p.cmnd != "" && x < 0.4:
		id = p.cmnd
		ks = append(ks, "id_cmnd")
	case x < 0.85 && p.y <= 2010:
		id = p.cccd
		if p.cmnd != "" && g.p(0.25) {
			id = g.idOtherProvince(p)
			ks = append(ks, "id_other_prov")
		}
	default:
		ks = append(ks, "id_none")
	}
	res := home
	if !samePlace(p.born, home) && g.p(0.10) {
		res = p.born
		ks = append(ks, "addr_birthplace")
	}
	addr := g.addr(res, "old", &ks, 0.2)
	born := p.born.u.commune + ", " + p.born.u.province
	if upper && g.p(0.7) {
		addr, born = strings.ToUpper(stripMarks(addr)), strings.ToUpper(stripMarks(born))
		ks = append(ks, "addr_no_marks")
	}
	g.add("census", p, ks, []string{name, date, sex, id, born, addr})
}

// birth: a hospital's register of births, the child often written "Con bà"
// and the mother's name, the address the mother gave.
func (g *gen) birth(p *person) {
	var ks []string
	mother := g.name(p.mother)
	name := p.fullName()
	if g.p(0.55) {
		w := "Con bà "
		if g.p(0.25) {
			w = "Con chị "
		}
		name = w + mother
		if g.p(0.15) {
			name = strings.ToUpper(name)
		}
		ks = append(ks, "con_ba")
	}
	var id string
	if p.y >= 2016 && g.p(0.6) {
		id = p.cccd
	} else {
		ks = append(ks, "id_none")
	}
	res := p.home
	if !samePlace(p.born, p.home) {
		res = p.born
		ks = append(ks, "maternal_home")
	}
	g.add("birth", p, ks, []string{name, dmy(p.y, p.m, p.d), sexWord(p.male), id, mother, g.name(p.father), g.addr(res, "old", &ks, 0.1)})
}

// book: household books keyed again in September 2025, the relation words
// sometimes in the name's cell.
func (g *gen) book(p *person) {
	var ks []string
	name := p.fullName()
	if t := oldTone.Replace(name); t != name && g.p(0.4) {
		name = t
		ks = append(ks, "tone_style")
	}
	if t, ok := iySwap(name); ok && g.p(0.3) {
		name = t
		ks = append(ks, "iy_spelling")
	}
	rel := p.relation
	if g.p(0.12) {
		var forms []string
		switch p.relation {
		case "Chủ hộ":
			forms = []string{"CH %s", "Chủ hộ: %s", "%s (chủ hộ)", "%s - CH"}
		case "Vợ":
			forms = []string{"Vợ: %s", "Vợ %s", "%s (vợ)"}
		case "Con":
			forms = []string{"Con: %s", "Con %s", "%s (con)"}
		default:
			forms = []string{p.relation + ": %s", p.relation + " %s"}
		}
		name = fmt.Sprintf(forms[g.r.IntN(len(forms))], name)
		if g.p(0.5) {
			rel = ""
		}
		ks = append(ks, "rel_in_name")
	}
	date := dmy(p.y, p.m, p.d)
	if p.y < 1955 && g.p(0.4) || g.p(0.05) {
		date = fmt.Sprint(p.y)
		ks = append(ks, "year_only")
	}
	sex := sexWord(p.male)
	if g.p(0.005) {
		sex = sexWord(!p.male)
		ks = append(ks, "sex_wrong")
	}
	var id, cmnd string
	if g.p(0.85) {
		id = p.cccd
		if g.p(0.02) {
			id = g.typo(id)
			ks = append(ks, "id_typo")
		}
	} else {
		ks = append(ks, "id_none")
	}
	if p.cmnd != "" && g.p(0.6) {
		cmnd = p.cmnd
	}
	head := g.heads[p.household]
	era := g.era("new", 0.35, &ks)
	g.add("book", p, ks, []string{name, date, sex, id, cmnd, rel, head, g.addr(p.home, era, &ks, 0.25)})
}

// school: a school roll, name in two columns, the birth year often taken
// from the class, the address the parents'.
func (g *gen) school(p *person) {
	var ks []string
	mid, given := p.surname+" "+p.middle, p.given
	if p.middle == "" {
		mid = p.surname
	}
	date := dmy(p.y, p.m, p.d)
	if g.p(0.18) {
		y := p.y
		if g.p(0.3) { // repeated or started a year early: the class's year is not theirs
			y += []int{-1, 1}[g.r.IntN(2)]
			ks = append(ks, "year_by_grade_off")
		}
		date = fmt.Sprint(y)
		ks = append(ks, "year_by_grade")
	} else if g.p(0.1) {
		date = fmt.Sprintf("%d/%d/%d", p.d, p.m, p.y)
	}
	var id string
	if g.p(0.5) {
		id = p.cccd
	} else {
		ks = append(ks, "id_none")
	}
	res := p.home
	for _, par := range []int{p.father, p.mother} {
		if par >= 0 && g.pop.people[par].city != nil && g.p(0.7) {
			res = *g.pop.people[par].city
			ks = append(ks, "addr_parent")
			break
		}
	}
	era := g.era("new", 0.4, &ks)
	g.add("school", p, ks, []string{mid, given, date, sexWord(p.male), id, g.name(p.father), g.name(p.mother), g.addr(res, era, &ks, 0.2)})
}

// military: the roll of young men registered for service in October 2025.
func (g *gen) military(p *person) {
	var ks []string
	name := p.fullName()
	if g.p(0.06) {
		ranks := []string{"Binh nhì ", "Binh nhất ", "Hạ sĩ ", "Trung sĩ ", "Thượng sĩ "}
		name = ranks[g.r.IntN(len(ranks))] + name
		ks = append(ks, "rank_in_name")
	}
	id := p.cccd
	if g.p(0.05) {
		id = ""
		ks = append(ks, "id_none")
	} else if g.p(0.03) {
		id = g.typo(id)
		ks = append(ks, "id_typo")
	}
	native := p.born
	if p.father >= 0 {
		native = g.pop.people[p.father].born
	}
	era := g.era("new", 0.3, &ks)
	res := p.home
	if p.city != nil && g.p(0.4) {
		res = *p.city
		ks = append(ks, "moved")
	}
	if !samePlace(native, res) && g.p(0.06) {
		res = native
		ks = append(ks, "addr_native")
	}
	nat := native.u.commune + ", " + native.u.province
	if era == "new" {
		nat = native.u.newCommune + ", " + native.u.newProvince
	}
	g.add("military", p, ks, []string{name, dmy(p.y, p.m, p.d), id, nat, g.addr(res, era, &ks, 0.15), g.name(p.father), g.name(p.mother)})
}

// records draws each person's rows of each source.
func (g *gen) records() {
	inBook := map[int]bool{}
	for _, p := range g.pop.people {
		if _, ok := inBook[p.household]; !ok {
			inBook[p.household] = g.p(0.88)
		}
	}
	for _, p := range g.pop.people {
		if g.p(0.72) {
			g.census(p)
		}
		if p.y >= 2005 && p.mother >= 0 && g.p(0.8) {
			g.birth(p)
		}
		if inBook[p.household] && g.p(0.97) {
			g.book(p)
		}
		if p.y >= 2008 && p.y <= 2019 && g.p(0.85) {
			g.school(p)
		}
		if p.male && (p.y >= 1998 && p.y <= 2007 && g.p(0.85) || p.y >= 1980 && p.y < 1998 && g.p(0.2)) {
			g.military(p)
		}
	}
	// Lists other than the household book are not in household order.
	for _, src := range []string{"birth", "school", "military"} {
		rs := g.recs[src]
		g.r.Shuffle(len(rs), func(i, j int) { rs[i], rs[j] = rs[j], rs[i] })
		for i, r := range rs {
			r.row[0] = fmt.Sprint(i + 1)
		}
	}
}

// Stats counts what Generate wrote.
type Stats struct {
	Persons, Records int
	BySource         map[string]int
	Kinds            map[string]int
	Hard             map[string]int // persons in a planted hard false pair, by kind
}

// Generate writes a population of about persons people to dir: the five
// sources' files, truth.csv (source_record_id, person_id), kinds.csv
// (source_record_id, source, kinds) and persons.csv. The same persons and
// seed give the same files, byte for byte.
func Generate(dir string, persons int, seed uint64) (Stats, error) {
	r := rand.New(rand.NewPCG(seed, 0x6e6f6973655f36))
	n, err := loadNames()
	if err != nil {
		return Stats{}, err
	}
	pop, err := build(r, n, persons)
	if err != nil {
		return Stats{}, err
	}
	g := &gen{r: r, pop: pop, recs: map[string][]*rec{}, heads: map[int]string{}}
	for _, p := range pop.people {
		if p.relation == "Chủ hộ" {
			g.heads[p.household] = p.fullName()
		}
	}
	g.records()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Stats{}, err
	}
	st := Stats{Persons: len(pop.people), BySource: map[string]int{}, Kinds: map[string]int{}, Hard: map[string]int{}}
	var truth, kinds [][]string
	for _, src := range Sources {
		rows := [][]string{{title[src]}, header[src]}
		for _, rc := range g.recs[src] {
			rows = append(rows, rc.row)
			truth = append(truth, []string{rc.id, pop.people[rc.person].id})
			kinds = append(kinds, []string{rc.id, src, strings.Join(rc.kinds, ";")})
			for _, k := range rc.kinds {
				st.Kinds[k]++
			}
		}
		st.BySource[src] = len(g.recs[src])
		st.Records += len(g.recs[src])
		if err := writeCSV(filepath.Join(dir, Files[src]), rows); err != nil {
			return st, err
		}
	}
	if err := writeCSV(filepath.Join(dir, "truth.csv"), append([][]string{{"source_record_id", "person_id"}}, truth...)); err != nil {
		return st, err
	}
	if err := writeCSV(filepath.Join(dir, "kinds.csv"), append([][]string{{"source_record_id", "source", "kinds"}}, kinds...)); err != nil {
		return st, err
	}
	prow := [][]string{{"person_id", "full_name", "birth_date", "sex", "id_number", "cmnd", "commune_code", "village", "household", "relation", "father", "mother", "moved", "hard", "partner"}}
	for _, p := range pop.people {
		ref := func(i int) string {
			if i < 0 {
				return ""
			}
			return pop.people[i].id
		}
		moved := ""
		if p.city != nil {
			moved = p.city.u.code
		}
		if p.hard != "" {
			st.Hard[p.hard]++
		}
		prow = append(prow, []string{p.id, p.fullName(), p.iso(), sexWord(p.male), p.cccd, p.cmnd, p.home.u.code, p.home.village,
			fmt.Sprintf("H%06d", p.household), p.relation, ref(p.father), ref(p.mother), moved, p.hard, ref(p.partner)})
	}
	return st, writeCSV(filepath.Join(dir, "persons.csv"), prow)
}

func writeCSV(path string, rows [][]string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	if err := w.WriteAll(rows); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Close()
}

// sortedKeys is a map's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
