package seventhpop

import (
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Sources are the three lists, in the order they are written.
var Sources = []string{"old", "province", "households"}

// Files names each source's file; the date in the name is the date the
// list describes, which decides the era its addresses are read in.
var Files = map[string]string{
	"old":        "xuatdulieu_phanmemcu_20160630.csv",
	"province":   "tonghop_tinh_20240315.csv",
	"households": "ds_hogiadinh_20250920.csv",
}

var prefix = map[string]string{"old": "OLD", "province": "TH", "households": "HGD"}

var header = map[string][]string{
	"old":        {"STT", "MA_NK", "MA_HO", "HO_TEN", "NGAY_SINH", "GIOI_TINH", "SO_CMND", "QUAN_HE", "DIA_CHI"},
	"province":   {"STT", "Mã số", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Địa chỉ"},
	"households": {"STT", "Mã nhân khẩu", "Số hộ", "Họ tên chủ hộ", "Họ và tên", "Quan hệ với chủ hộ", "Ngày sinh", "Giới tính", "Số định danh cá nhân", "Địa chỉ"},
}

var title = map[string]string{
	"old":        "DU LIEU NHAN KHAU XUAT TU PHAN MEM CU (30/06/2016)",
	"province":   "BẢNG TỔNG HỢP DÂN CƯ CÁC XÃ GỬI VỀ TỈNH",
	"households": "DANH SÁCH HỘ GIA ĐÌNH VÀ NHÂN KHẨU",
}

type rec struct {
	id     string
	person int
	kinds  []string
	row    []string
}

type gen struct {
	r    *rand.Rand
	p    *pop
	recs map[string][]*rec
}

func (g *gen) f(x float64) bool { return g.r.Float64() < x }

func (g *gen) add(src string, p *person, ks []string, row []string) {
	id := fmt.Sprintf("%s-%06d", prefix[src], len(g.recs[src])+1)
	g.recs[src] = append(g.recs[src], &rec{id: id, person: p.i, kinds: ks, row: append([]string{"", id}, row...)})
}

// ---- names

func stripMarks(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'đ':
			b.WriteRune('d')
		case r == 'Đ':
			b.WriteRune('D')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

var qwerty = []string{"qwertyuiop", "asdfghjkl", "zxcvbnm"}

// neighbour is a key beside c on a QWERTY keyboard (same row).
func (g *gen) neighbour(c byte) byte {
	lower := c | 0x20
	for _, row := range qwerty {
		if i := strings.IndexByte(row, lower); i >= 0 {
			var opts []byte
			if i > 0 {
				opts = append(opts, row[i-1])
			}
			if i+1 < len(row) {
				opts = append(opts, row[i+1])
			}
			n := opts[g.r.IntN(len(opts))]
			if c != lower {
				n &^= 0x20
			}
			return n
		}
	}
	return c
}

// keyTypo replaces one plain letter (not a word's first) with a key
// beside it.
func (g *gen) keyTypo(s string) (string, bool) {
	b := []byte(s)
	var at []int
	for i := 1; i < len(b); i++ {
		c := b[i] | 0x20
		if c >= 'a' && c <= 'z' && b[i-1] != ' ' {
			at = append(at, i)
		}
	}
	if len(at) == 0 {
		return s, false
	}
	i := at[g.r.IntN(len(at))]
	b[i] = g.neighbour(b[i])
	return string(b), true
}

var numpad = map[byte]string{'0': "12", '1': "245", '2': "1356", '3': "256", '4': "1578", '5': "2468", '6': "3589", '7': "458", '8': "5790", '9': "68"}

func (g *gen) digitTypo(s string) string {
	b := []byte(s)
	i := 3 + g.r.IntN(len(b)-3)
	o := numpad[b[i]]
	b[i] = o[g.r.IntN(len(o))]
	return string(b)
}

// nameCell writes p's name as a list of this kind would.
type nameStyle struct {
	upperNoMarks, titleNoMarks, givenFirst, abbrevNg, abbrevThi, typo float64
}

func (g *gen) nameCell(p *person, st nameStyle, ks *[]string) (string, bool) {
	fam, mid, giv := p.family, p.middle, p.given
	if fam == "Nguyễn" && g.f(st.abbrevNg) {
		fam = "Ng."
		*ks = append(*ks, "abbrev_ng")
	}
	if strings.HasPrefix(mid, "Thị") && g.f(st.abbrevThi) {
		mid = "T." + mid[len("Thị"):]
		*ks = append(*ks, "abbrev_thi")
	}
	parts := []string{fam}
	if mid != "" {
		parts = append(parts, mid)
	}
	parts = append(parts, giv)
	if g.f(st.givenFirst) {
		if g.f(0.5) {
			parts = append(parts[1:], parts[0]) // Văn An Nguyễn
		} else {
			rev := make([]string, len(parts)) // An Văn Nguyễn
			for i := range parts {
				rev[i] = parts[len(parts)-1-i]
			}
			parts = rev
		}
		*ks = append(*ks, "given_first")
	}
	s := strings.Join(parts, " ")
	marks := true
	switch x := g.r.Float64(); {
	case x < st.upperNoMarks:
		s, marks = strings.ToUpper(stripMarks(s)), false
		*ks = append(*ks, "upper_no_marks")
	case x < st.upperNoMarks+st.titleNoMarks:
		s, marks = stripMarks(s), false
		*ks = append(*ks, "no_marks")
	}
	if g.f(st.typo) {
		if t, ok := g.keyTypo(s); ok {
			s = t
			*ks = append(*ks, "key_typo")
		}
	}
	return s, marks
}

// ---- dates

var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

func serial(y, m, d int) string {
	return strconv.Itoa(int(time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC).Sub(excelEpoch).Hours() / 24))
}

var months = []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

// date styles
const (
	dDMY = iota
	dSerial
	dMDY
	dDateTime
	dMmm
	dYear
)

func (g *gen) dateCell(p *person, style int, ks *[]string) string {
	y, m, d := p.y, p.m, p.d
	switch style {
	case dSerial:
		*ks = append(*ks, "date_serial")
		return serial(y, m, d)
	case dMDY:
		if d <= 12 && d != m {
			*ks = append(*ks, "date_mdy_ambiguous")
		} else {
			*ks = append(*ks, "date_mdy")
		}
		return fmt.Sprintf("%d/%d/%d", m, d, y)
	case dDateTime:
		*ks = append(*ks, "date_datetime")
		return fmt.Sprintf("%04d-%02d-%02d 00:00:00", y, m, d)
	case dMmm:
		*ks = append(*ks, "date_mmm")
		return fmt.Sprintf("%d-%s-%02d", d, months[m-1], y%100)
	case dYear:
		*ks = append(*ks, "year_only")
		return strconv.Itoa(y)
	}
	if g.f(0.3) {
		return fmt.Sprintf("%d/%d/%d", d, m, y)
	}
	return fmt.Sprintf("%02d/%02d/%04d", d, m, y)
}

func (g *gen) pick(w ...float64) int {
	x := g.r.Float64()
	for i, v := range w {
		if x < v {
			return i
		}
		x -= v
	}
	return len(w)
}

// ---- numbers

// numberCell writes a number as a spreadsheet's numeric cell may have
// kept it: its leading zeros lost, in scientific notation (six
// significant digits: the rest are gone), grouped by threes, or with a
// key beside one digit.
func (g *gen) numberCell(n string, lost, sci, spaced, typo float64, ks *[]string) string {
	if g.f(typo) {
		n = g.digitTypo(n)
		*ks = append(*ks, "id_typo")
	}
	switch x := g.r.Float64(); {
	case x < sci && n[0] == '0':
		f, _ := strconv.ParseFloat(n, 64)
		*ks = append(*ks, "id_sci")
		return strings.Replace(fmt.Sprintf("%.5E", f), "E+", "E+", 1)
	case x < sci+lost && n[0] == '0':
		*ks = append(*ks, "id_lost_zero")
		return strings.TrimLeft(n, "0")
	case x < sci+lost+spaced && len(n) == 12:
		*ks = append(*ks, "id_spaced")
		return n[:3] + " " + n[3:6] + " " + n[6:9] + " " + n[9:]
	}
	return n
}

// ---- addresses

var abbrev = []struct{ full, short string }{
	{"Thành phố", "TP."}, {"Thị xã", "TX."}, {"Thị trấn", "TT."}, {"Phường", "P."}, {"Quận", "Q."},
	{"Huyện", "H."}, {"Xã", "X."}, {"Tỉnh", "T."},
}

func (g *gen) abbrevUnit(s string, tight bool) string {
	for _, a := range abbrev {
		if strings.HasPrefix(s, a.full+" ") {
			sep := " "
			if tight {
				sep = ""
			}
			return a.short + sep + s[len(a.full)+1:]
		}
	}
	return s
}

func dropType(s string) string {
	for _, t := range []string{"Tỉnh ", "Thành phố "} {
		if strings.HasPrefix(s, t) {
			return s[len(t):]
		}
	}
	return s
}

type addrStyle struct {
	newEra, abbrev, dash, reversed, noMarks float64
}

func (g *gen) addrCell(h home, st addrStyle, marks bool, ks *[]string) string {
	var parts []string
	if h.house != "" {
		parts = append(parts, h.house)
	}
	parts = append(parts, h.hamlet)
	if g.f(st.newEra) {
		parts = append(parts, h.c.newName, h.c.newProvince)
		*ks = append(*ks, "addr_new_era")
	} else {
		parts = append(parts, h.c.name, h.c.district, h.c.province)
	}
	if g.f(0.5) {
		parts[len(parts)-1] = dropType(parts[len(parts)-1])
	}
	if g.f(st.abbrev) {
		tight := g.f(0.4)
		for i := range parts {
			parts[i] = g.abbrevUnit(parts[i], tight)
		}
		*ks = append(*ks, "addr_abbrev")
	}
	sep := ", "
	if g.f(st.dash) {
		sep = " - "
	}
	if g.f(st.reversed) {
		for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
			parts[i], parts[j] = parts[j], parts[i]
		}
		*ks = append(*ks, "addr_reversed")
	}
	s := strings.Join(parts, sep)
	if !marks || g.f(st.noMarks) {
		s = stripMarks(s)
		if !marks {
			s = strings.ToUpper(s)
		}
	}
	return s
}

func sexCell(male, marks bool) string {
	switch {
	case male && marks:
		return "Nam"
	case male:
		return "NAM"
	case marks:
		return "Nữ"
	}
	return "NU"
}

// ---- the sources

// old: a commune system's export of mid 2016, from 14 of the 20 communes.
func (g *gen) old(covered map[*commune]bool) {
	for hi, h := range g.p.hhs {
		head := g.p.ps[h.head]
		if head.left > 2016 || !covered[head.at2016.c] {
			continue // a household not yet split off, or not in the export
		}
		members := append([]int(nil), h.members...)
		// those who left this household after mid 2016 are still in it
		for _, p := range g.p.ps {
			if p.parentHH == hi && p.left > 2016 {
				members = append(members, p.i)
			}
		}
		hno := fmt.Sprintf("%d", 10000+hi)
		for _, m := range members {
			p := g.p.ps[m]
			if p.y > 2015 || p.rel == "Vợ" && p.left == 0 && head.left == 0 && h.born > 2016 {
				continue
			}
			if p.parentHH != hi && p.rel == "Vợ" && p.left > 2016 {
				continue // married into this household after 2016
			}
			if !g.f(0.9) {
				continue
			}
			var ks []string
			name, marks := g.nameCell(p, nameStyle{upperNoMarks: 0.55, titleNoMarks: 0.25, typo: 0.02}, &ks)
			style := []int{dDMY, dSerial, dDateTime}[g.pick(0.5, 0.2)] // 50%, 20%, 30%
			if p.y < 1950 && g.f(0.35) || g.f(0.05) {
				style = dYear
			}
			date := g.dateCell(p, style, &ks)
			id := ""
			switch {
			case p.cmnd != "" && 2016-p.y >= 14:
				id = g.numberCell(p.cmnd, 0.9, 0, 0, 0.01, &ks)
				ks = append(ks, "id_cmnd")
			case 2016-p.y >= 14 && g.f(0.05):
				id = g.numberCell(p.cccd, 0.5, 0.1, 0, 0.01, &ks)
			default:
				ks = append(ks, "id_none")
			}
			rel := p.rel
			if p.parentHH == hi {
				rel = "Con"
			}
			if !marks {
				rel = strings.ToUpper(stripMarks(rel))
			}
			addr := g.addrCell(head.at2016, addrStyle{abbrev: 0.5, dash: 0.3, reversed: 0.15}, marks, &ks)
			g.add("old", p, ks, []string{hno, name, date, sexCell(p.male, marks), id, rel, addr})
		}
	}
}

// province: the communes' sheets of early 2024 merged by the province's
// team in Excel and saved as CSV.
func (g *gen) province() {
	for _, p := range g.p.ps {
		if p.y > 2023 || !g.f(0.8) {
			continue
		}
		n := 1
		if g.f(0.03) {
			n = 2 // sent by two communes' sheets
		}
		for k := 0; k < n; k++ {
			var ks []string
			if k == 1 {
				ks = append(ks, "dup_row")
			}
			if p.moved {
				ks = append(ks, "moved")
			}
			name, marks := g.nameCell(p, nameStyle{upperNoMarks: 0.1, givenFirst: 0.05, abbrevNg: 0.08, abbrevThi: 0.12, typo: 0.03}, &ks)
			date := g.dateCell(p, []int{dDMY, dSerial, dMDY, dMmm, dYear}[g.pick(0.55, 0.22, 0.15, 0.05)], &ks) // year 3%
			id := ""
			if adult := 2024-p.y >= 14; adult && g.f(0.92) || !adult && g.f(0.5) {
				id = g.numberCell(p.cccd, 0.4, 0.07, 0.03, 0.02, &ks)
				if p.moved {
					ks = append(ks, "new_id")
				}
			} else {
				ks = append(ks, "id_none")
			}
			at := p.at2024
			if k == 1 && p.moved {
				at = p.at2016 // the old commune's sheet still has them
			}
			addr := g.addrCell(at, addrStyle{abbrev: 0.5, dash: 0.4, noMarks: 0.1}, marks, &ks)
			g.add("province", p, ks, []string{name, date, sexCell(p.male, marks), id, addr})
		}
	}
}

// households: the communes' household lists of September 2025, one row a
// member under the head's address; a son who split off and a daughter who
// married out are listed in their parents' household too on some.
func (g *gen) households() {
	inHomes := map[*commune]bool{}
	for _, c := range g.p.homes {
		inHomes[c] = true
	}
	for hi, h := range g.p.hhs {
		head := g.p.ps[h.head]
		if !inHomes[head.at2024.c] || !g.f(0.85) {
			continue
		}
		type row struct {
			p     *person
			rel   string
			stale bool
		}
		var rows []row
		for _, m := range h.members {
			rows = append(rows, row{g.p.ps[m], g.p.ps[m].rel, false})
		}
		for _, p := range g.p.ps {
			if p.parentHH != hi {
				continue
			}
			if p.rel == "Chủ hộ" && g.f(0.35) || p.rel == "Vợ" && g.f(0.2) {
				rows = append(rows, row{p, "Con", true})
			}
		}
		hno := strconv.Itoa(1 + hi)
		headName := head.name()
		for _, rw := range rows {
			p := rw.p
			if p.moved && !head.moved && !rw.stale {
				continue // moved alone: no longer in this household
			}
			var ks []string
			if rw.stale {
				ks = append(ks, "stale_household")
			}
			name, _ := g.nameCell(p, nameStyle{upperNoMarks: 0.03, abbrevThi: 0.08, abbrevNg: 0.02, typo: 0.02}, &ks)
			style := []int{dDMY, dSerial, dMDY}[g.pick(0.85, 0.1)] // m/d/y 5%
			if p.y < 1960 && g.f(0.25) || g.f(0.05) {
				style = dYear
			}
			date := g.dateCell(p, style, &ks)
			id := ""
			if g.f(0.88) {
				id = g.numberCell(p.cccd, 0.15, 0.02, 0, 0.01, &ks)
			} else {
				ks = append(ks, "id_none")
			}
			addr := g.addrCell(head.at2024, addrStyle{newEra: 0.7, abbrev: 0.35, dash: 0.2}, true, &ks)
			g.add("households", p, ks, []string{hno, headName, name, rw.rel, date, sexCell(p.male, true), id, addr})
		}
	}
}

// Stats counts what Generate wrote.
type Stats struct {
	Persons, Records int
	BySource, Kinds  map[string]int
	Hard             map[string]int
}

// Generate writes a population of about persons people to dir: the three
// lists, truth.csv (source_record_id, person_id), kinds.csv
// (source_record_id, source, kinds) and persons.csv. The same persons and
// seed give the same files, byte for byte.
func Generate(dir string, persons int, seed uint64) (Stats, error) {
	r := rand.New(rand.NewPCG(seed, 0x7365766e7468))
	p, err := build(r, persons)
	if err != nil {
		return Stats{}, err
	}
	g := &gen{r: r, p: p, recs: map[string][]*rec{}}
	covered := map[*commune]bool{}
	for i, c := range p.homes {
		if i%10 < 7 {
			covered[c] = true
		}
	}
	g.old(covered)
	g.province()
	g.households()
	// the province's sheets were sorted by commune and then pasted: shuffle
	// the merged list; the others keep their households' order
	rs := g.recs["province"]
	r.Shuffle(len(rs), func(i, j int) { rs[i], rs[j] = rs[j], rs[i] })
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Stats{}, err
	}
	st := Stats{Persons: len(p.ps), BySource: map[string]int{}, Kinds: map[string]int{}, Hard: map[string]int{}}
	var truth, kinds [][]string
	for _, src := range Sources {
		rows := [][]string{{title[src]}, header[src]}
		for i, rc := range g.recs[src] {
			rc.row[0] = strconv.Itoa(i + 1)
			rows = append(rows, rc.row)
			truth = append(truth, []string{rc.id, p.ps[rc.person].id})
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
	prow := [][]string{{"person_id", "full_name", "birth_date", "sex", "id_number", "cmnd", "commune_2016", "commune_2024", "household", "relation", "parent_household", "father", "mother", "hard", "other"}}
	ref := func(i int) string {
		if i < 0 {
			return ""
		}
		return p.ps[i].id
	}
	for _, q := range p.ps {
		if q.hard != "" {
			st.Hard[q.hard]++
		}
		phh := ""
		if q.parentHH >= 0 {
			phh = fmt.Sprintf("H%06d", q.parentHH)
		}
		sex := "Nữ"
		if q.male {
			sex = "Nam"
		}
		prow = append(prow, []string{q.id, q.name(), fmt.Sprintf("%04d-%02d-%02d", q.y, q.m, q.d), sex, q.cccd, q.cmnd,
			q.at2016.c.code, q.at2024.c.code, fmt.Sprintf("H%06d", q.hh), q.rel, phh, ref(q.father), ref(q.mother), q.hard, ref(q.other)})
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
