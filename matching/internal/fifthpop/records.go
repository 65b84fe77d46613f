package fifthpop

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// The four sources.
const (
	SrcBook   = "book"   // the commune's household books (sổ hộ khẩu), typed in March 2024
	SrcInsure = "insure" // the social-insurance list, September 2025
	SrcResid  = "resid"  // the police's residence data, November 2025
	SrcScan   = "scan"   // DC01 forms, scanned and read by OCR in the first half of 2024
)

// Sources in the order files are written.
var Sources = []string{SrcBook, SrcInsure, SrcResid, SrcScan}

// Files are the record files Generate writes, by source.
var Files = map[string]string{
	SrcBook:   "sohokhau_20240315.csv",
	SrcInsure: "bhxh_20250901.csv",
	SrcResid:  "cutru_20251120.csv",
	SrcScan:   "dc01_quet.jsonl",
}

var prefix = map[string]string{SrcBook: "HK", SrcInsure: "BH", SrcResid: "CT", SrcScan: "DC"}

var listDate = map[string]time.Time{
	SrcBook:   time.Date(2024, 3, 15, 0, 0, 0, 0, time.UTC),
	SrcInsure: time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC),
	SrcResid:  time.Date(2025, 11, 20, 0, 0, 0, 0, time.UTC),
	SrcScan:   time.Date(2024, 6, 30, 0, 0, 0, 0, time.UTC),
}

// Kinds are the noise and person kinds Generate records (kinds.csv); the
// test requires each to be drawn.
var Kinds = []string{
	"mid_dropped", "mid_added", "translit", "no_marks", "mark_lost", "ocr_name",
	"year_only", "year_off", "day00", "dm_swapped", "ocr_year", "ocr_date",
	"addr_no_village", "addr_no_district", "addr_no_province", "addr_other_era", "addr_abbrev", "addr_bare", "addr_no_marks",
	"maiden_addr", "moved", "id_cmnd", "id_none", "id_typo", "sex_wrong",
}

// Stats counts what Generate wrote.
type Stats struct {
	Persons, Records, Twins, Namesakes int
	BySource                           map[string]int
	Kinds                              map[string]int
}

type record struct {
	src, id            string
	p                  *Person
	name, birth, sex   string
	cccd, cmnd         string
	addr, cur          string
	head, mother, fath string
	unit, on           string
	conf               float64
	kinds              []string
}

func (r *record) kind(k string) { r.kinds = append(r.kinds, k) }

// Generate writes a population of about persons persons to dir.
func Generate(dir string, persons int, seed uint64) (Stats, error) {
	g := &gener{r: rand.New(rand.NewPCG(seed, 0x6669667468)), t: loadTables(), usedIDs: map[string]bool{}}
	g.population(persons)
	st := Stats{Persons: len(g.persons), Twins: g.nTwins, Namesakes: g.nNamesk, BySource: map[string]int{}, Kinds: map[string]int{}}
	bySrc := map[string][]*record{}
	for _, p := range g.persons {
		a := p.age()
		in := map[string]bool{
			SrcBook:   g.r.Float64() < 0.85,
			SrcInsure: g.r.Float64() < 0.55,
			SrcResid:  g.r.Float64() < map[bool]float64{true: 0.5, false: 0.15}[a >= 14],
			SrcScan:   g.r.Float64() < 0.3,
		}
		any := false
		for _, s := range Sources {
			if p.Birth.After(listDate[s]) {
				in[s] = false
			}
			any = any || in[s]
		}
		if !any {
			if p.Birth.After(listDate[SrcBook]) {
				in[SrcResid] = true
			} else {
				in[SrcBook] = true
			}
		}
		for _, s := range Sources {
			if in[s] {
				bySrc[s] = append(bySrc[s], g.record(p, s))
			}
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return st, err
	}
	truth := [][]string{{"source_record_id", "person_id"}}
	kinds := [][]string{{"source_record_id", "kinds"}}
	for _, s := range Sources {
		rs := bySrc[s]
		g.r.Shuffle(len(rs), func(i, j int) { rs[i], rs[j] = rs[j], rs[i] })
		sort.SliceStable(rs, func(i, j int) bool { return rs[i].unit < rs[j].unit })
		for i, r := range rs {
			r.id = fmt.Sprintf("%s-%06d", prefix[s], i+1)
			truth = append(truth, []string{r.id, r.p.ID})
			kinds = append(kinds, []string{r.id, strings.Join(r.kinds, ";")})
			for _, k := range r.kinds {
				st.Kinds[k]++
			}
		}
		st.BySource[s] = len(rs)
		st.Records += len(rs)
		if err := writeSource(filepath.Join(dir, Files[s]), s, rs); err != nil {
			return st, err
		}
	}
	if err := writeCSV(filepath.Join(dir, "truth.csv"), truth); err != nil {
		return st, err
	}
	if err := writeCSV(filepath.Join(dir, "kinds.csv"), kinds); err != nil {
		return st, err
	}
	pr := [][]string{{"person_id", "full_name", "birth_date", "sex", "group", "id_number", "cmnd", "commune_code", "household", "relation", "twin", "namesake"}}
	for _, p := range g.persons {
		pr = append(pr, []string{p.ID, p.Full(), p.Birth.Format("2006-01-02"), map[byte]string{'M': "Nam", 'F': "Nữ"}[p.Sex], p.Group, p.CCCD, p.CMND,
			p.House.v.u.commCode, p.House.id, p.Rel, strconv.FormatBool(p.Twin), strconv.FormatBool(p.Namesk)})
	}
	return st, writeCSV(filepath.Join(dir, "persons.csv"), pr)
}

func (g *gener) chance(x float64) bool { return g.r.Float64() < x }

// record is person p's record in source s, noise included.
func (g *gener) record(p *Person, s string) *record {
	r := &record{src: s, p: p, conf: 0.97}
	r.name = g.nameText(r, p, s)
	r.birth = g.birthText(r, p, s)
	r.sex = map[byte]string{'M': "Nam", 'F': "Nữ"}[p.Sex]
	if g.chance(0.01) {
		r.sex = map[byte]string{'F': "Nam", 'M': "Nữ"}[p.Sex]
		r.kind("sex_wrong")
	} else if g.chance(0.02) {
		r.sex = ""
	}
	g.ids(r, p, s)
	// Where the record places the person.
	v, era := p.House.v, "old"
	switch s {
	case SrcBook:
		if p.Maiden != nil && g.chance(0.3) {
			v = p.Maiden
			r.kind("maiden_addr")
		}
	case SrcInsure:
		era = map[bool]string{true: "new", false: "old"}[g.chance(0.7)]
		if p.MovedTo != nil && g.chance(0.7) {
			v = p.MovedTo
			r.kind("moved")
		}
	case SrcResid:
		era = map[bool]string{true: "new", false: "old"}[g.chance(0.8)]
		if p.MovedTo != nil {
			r.cur = g.address(r, p, p.MovedTo, "new", false)
			if g.chance(0.5) {
				v = p.MovedTo
				r.kind("moved")
			}
		}
	case SrcScan:
		if p.MovedTo != nil && g.chance(0.3) {
			v = p.MovedTo
			r.kind("moved")
		}
	}
	if s == SrcInsure || s == SrcResid {
		if era == "old" {
			r.kind("addr_other_era")
		}
	}
	r.addr = g.address(r, p, v, era, true)
	r.unit = v.u.commCode
	// Family columns.
	if s == SrcBook && p.House.head != nil && v == p.House.v {
		r.head = g.familyName(p.House.head)
	}
	if (s == SrcInsure || s == SrcScan) && p.Rel == "Con" {
		for _, m := range p.House.members {
			if m.Rel == "Vợ" && g.chance(0.7) {
				r.mother = g.familyName(m)
			}
			if m.Rel == "Chủ hộ" && m.Sex == 'M' && s == SrcScan && g.chance(0.6) {
				r.fath = g.familyName(m)
			}
		}
	}
	if s == SrcScan {
		g.scanned(r)
		d := listDate[SrcScan].AddDate(0, 0, -g.r.IntN(170))
		r.on = d.Format("2006-01-02")
	}
	return r
}

func (g *gener) familyName(p *Person) string {
	if g.chance(0.1) {
		return stripMarks(p.Full())
	}
	return p.Full()
}

// nameText writes the name as source s does.
func (g *gener) nameText(r *record, p *Person, s string) string {
	toks := append([]string(nil), p.Tokens...)
	dropP := map[string]float64{SrcBook: 0.03, SrcInsure: 0.1, SrcResid: 0.04, SrcScan: 0.06}[s]
	if p.Group == "kinh" && len(toks) >= 3 && g.chance(dropP) {
		toks = []string{toks[0], toks[len(toks)-1]}
		r.kind("mid_dropped")
	} else if p.Group == "kinh" && len(toks) <= 3 && g.chance(0.03) {
		add := "Thị"
		if p.Sex == 'M' || (len(toks) == 3 && toks[1] == "Thị") {
			add = g.t.mid2[p.Sex].pick(g.r)
		}
		toks = append(toks[:1], append([]string{add}, toks[1:]...)...)
		r.kind("mid_added")
	}
	if p.Group != "kinh" && g.chance(0.55) {
		toks = transliterate(g.r, p, toks)
		r.kind("translit")
	}
	name := strings.Join(toks, " ")
	switch {
	case g.chance(map[string]float64{SrcBook: 0.04, SrcInsure: 0.08, SrcResid: 0.03, SrcScan: 0.2}[s]):
		name = stripMarks(name)
		r.kind("no_marks")
	case g.chance(0.04):
		name = loseOneMark(g.r, name)
		r.kind("mark_lost")
	}
	if s == SrcScan || g.chance(0.08) {
		if g.chance(0.6) {
			name = strings.ToUpper(name)
		}
	}
	return name
}

// transliterate writes a minority name another way: the syllables of a
// name joined or split, the apostrophe of H' changed, a Hmong "A" left
// out, a spelling of the same sound (Giàng / Dàng, Châm / Chăm).
func transliterate(r *rand.Rand, p *Person, toks []string) []string {
	alt := map[string][]string{"Giàng": {"Dàng", "Giàng"}, "Vàng": {"Vàn"}, "Páo": {"Pao", "Páu"}, "Thào": {"Thầu"}, "Chứ": {"Chừ"},
		"Sính": {"Xính"}, "Xúa": {"Súa"}, "Lường": {"Lương"}, "Quàng": {"Hoàng"}, "Xiêng": {"Siêng"}, "Thoong": {"Thông"},
		"Niê": {"Nie"}, "Êban": {"Ê Ban", "Eban"}, "Châm": {"Chăm"}, "Kpă": {"Kpa"}, "Ksor": {"Xo"}, "Siu": {"Xiu"},
		"Thạch": {"Thach"}, "Danh": {"Đanh"}, "Bhim": {"Bim"}, "Blơi": {"Bơ Lơi"}, "Ngông": {"Ngong"}}
	out := make([]string, 0, len(toks)+1)
	changed := false
	for i, t := range toks {
		switch {
		case p.Group == "hmong" && t == "A" && i == 1 && r.Float64() < 0.4:
			changed = true
			continue
		case strings.HasPrefix(t, "H'") && r.Float64() < 0.6:
			t = pickS(r, []string{"H" + t[2:], "H " + t[2:], "H’" + t[2:], "H-" + t[2:]})
			changed = true
		case alt[t] != nil && r.Float64() < 0.5:
			t = pickS(r, alt[t])
			changed = true
		}
		out = append(out, t)
	}
	// Two-syllable given names of the Khmer or clan names of the Jrai
	// written as one word, or one word split.
	if !changed || r.Float64() < 0.3 {
		for i := 1; i < len(out); i++ {
			if (p.Group == "khmer" || p.Group == "jrai" || p.Group == "ede") && r.Float64() < 0.5 {
				out = append(out[:i-1], append([]string{out[i-1] + strings.ToLower(out[i])}, out[i+1:]...)...)
				changed = true
				break
			}
		}
	}
	if !changed {
		out = strings.Fields(stripMarks(strings.Join(out, " ")))
	}
	return out
}

func (g *gener) birthText(r *record, p *Person, s string) string {
	d := p.Birth
	y, m, day := d.Year(), int(d.Month()), d.Day()
	yOnly := map[string]float64{SrcBook: 0.02, SrcInsure: 0.02, SrcResid: 0.25, SrcScan: 0.03}[s]
	if p.age() >= 60 {
		yOnly *= 3
	}
	if g.chance(yOnly) {
		r.kind("year_only")
		if g.chance(0.025) {
			y += pickI(g.r, -1, 1)
			r.kind("year_off")
		}
		return strconv.Itoa(y)
	}
	if g.chance(0.025) {
		y += pickI(g.r, -1, 1)
		r.kind("year_off")
	}
	dd := fmt.Sprintf("%02d", day)
	mm := fmt.Sprintf("%02d", m)
	switch {
	case g.chance(0.015):
		dd = "00"
		r.kind("day00")
	case day <= 12 && day != m && g.chance(0.04):
		dd, mm = mm, dd
		r.kind("dm_swapped")
	}
	ys := strconv.Itoa(y)
	if s == SrcScan && g.chance(0.12) {
		all := dd + mm + ys
		k := g.r.IntN(len(all))
		if c, ok := ocrDigit[all[k]]; ok {
			all = all[:k] + string(c) + all[k+1:]
			if k >= 4 {
				r.kind("ocr_year")
			} else {
				r.kind("ocr_date")
			}
			r.conf = 0.6
		}
		dd, mm, ys = all[:2], all[2:4], all[4:]
	}
	switch s {
	case SrcInsure:
		if g.chance(0.5) {
			return ys + "-" + mm + "-" + dd
		}
		return dd + "/" + mm + "/" + ys
	case SrcResid:
		return dd + "-" + mm + "-" + ys
	case SrcScan:
		return dd + pickS(g.r, []string{"/", "/", "."}) + mm + "/" + ys
	}
	return dd + "/" + mm + "/" + ys
}

var ocrDigit = map[byte]byte{'0': '8', '8': '0', '1': '7', '7': '1', '5': '6', '6': '5', '3': '8', '9': '4'}

func pickI(r *rand.Rand, xs ...int) int { return xs[r.IntN(len(xs))] }

// ids fills the record's numbers as source s keeps them.
func (g *gener) ids(r *record, p *Person, s string) {
	c, old := p.CCCD, p.CMND
	switch s {
	case SrcBook:
		r.cccd, r.cmnd = c, old
		if c != "" && old != "" && g.chance(0.5) {
			r.cmnd = ""
		}
	case SrcInsure:
		r.cccd = c
		if c == "" || g.chance(0.15) && old != "" {
			r.cccd = old
		}
	case SrcResid:
		r.cccd = c
		if old != "" && (c == "" || g.chance(0.2)) {
			r.cccd = old
		}
	case SrcScan:
		r.cccd, r.cmnd = c, old
		if old != "" && g.chance(0.4) {
			r.cccd = ""
		} else if g.chance(0.6) {
			r.cmnd = ""
		}
	}
	if len(r.cccd) == 9 || r.cccd == "" && r.cmnd != "" {
		r.kind("id_cmnd")
	}
	if (r.cccd != "" || r.cmnd != "") && g.chance(map[string]float64{SrcBook: 0.08, SrcInsure: 0.04, SrcResid: 0.02, SrcScan: 0.12}[s]) {
		r.cccd, r.cmnd = "", ""
		r.kind("id_none")
	}
	if r.cccd != "" && g.chance(map[string]float64{SrcBook: 0.02, SrcInsure: 0.015, SrcResid: 0.005, SrcScan: 0.06}[s]) {
		b := []byte(r.cccd)
		k := 3 + g.r.IntN(len(b)-3)
		if g.chance(0.4) && k+1 < len(b) && b[k] != b[k+1] {
			b[k], b[k+1] = b[k+1], b[k]
		} else if x, ok := ocrDigit[b[k]]; ok {
			b[k] = x
		} else {
			b[k] = byte('0' + (int(b[k]-'0')+1+g.r.IntN(8))%10)
		}
		r.cccd = string(b)
		r.kind("id_typo")
	}
}

var typeWords = [][2]string{{"Thành phố ", "TP. "}, {"Thị trấn ", "TT. "}, {"Thị xã ", "TX. "}, {"Tỉnh ", "T. "}, {"Huyện ", "H. "}, {"Quận ", "Q. "}, {"Phường ", "P. "}, {"Xã ", "X. "}, {"Thôn ", "Th. "}, {"Tổ dân phố ", "TDP "}}

// address writes village v's address in era ("old": village, commune,
// district, province; "new": village, commune, province) with the
// source's habits when noisy.
func (g *gener) address(r *record, p *Person, v *village, era string, noisy bool) string {
	u := v.u
	street := v.name
	if strings.HasPrefix(street, "đường ") {
		street = fmt.Sprintf("Số %d %s", p.House.houseNo, street)
		if g.chance(0.4) {
			street = fmt.Sprintf("%d %s", p.House.houseNo, strings.TrimPrefix(v.name, "đường "))
		}
	}
	parts := []string{street, u.comm, u.dist, u.prov}
	if era == "new" {
		parts = []string{street, u.newComm, u.newProv}
	}
	if !noisy {
		return strings.Join(parts, ", ")
	}
	switch x := g.r.Float64(); {
	case x < 0.12:
		parts[0] = ""
		r.kind("addr_no_village")
	case x < 0.2 && era == "old":
		parts[2] = ""
		r.kind("addr_no_district")
	case x < 0.25:
		parts[len(parts)-1] = ""
		r.kind("addr_no_province")
	}
	var keep []string
	for _, s := range parts {
		if s != "" {
			keep = append(keep, s)
		}
	}
	a := strings.Join(keep, ", ")
	switch x := g.r.Float64(); {
	case x < 0.25:
		for _, tw := range typeWords {
			a = strings.ReplaceAll(a, tw[0], tw[1])
		}
		r.kind("addr_abbrev")
	case x < 0.35:
		for _, tw := range typeWords[:8] {
			a = strings.ReplaceAll(a, tw[0], "")
		}
		r.kind("addr_bare")
	case x < 0.4:
		a = strings.ReplaceAll(a, ", ", " - ")
	}
	if g.chance(map[string]float64{SrcBook: 0.04, SrcInsure: 0.08, SrcResid: 0.02, SrcScan: 0.2}[r.src]) {
		a = stripMarks(a)
		r.kind("addr_no_marks")
	}
	return a
}

// Letters OCR mistakes on DC01 forms (N↔M, H↔B, u↔v, i↔t, and a few more
// of the author's).
var ocrLetter = map[rune][]rune{'N': {'M'}, 'M': {'N'}, 'H': {'B'}, 'B': {'H', '8'}, 'u': {'v'}, 'v': {'u'}, 'i': {'t', 'l'}, 't': {'i'}, 'n': {'m'}, 'm': {'n'}, 'h': {'b'}, 'O': {'Q', '0'}, 'o': {'c'}, 'e': {'c'}}

// scanned adds the recogniser's letter errors to a form's name and address.
func (g *gener) scanned(r *record) {
	if g.chance(0.22) {
		rs := []rune(r.name)
		var at []int
		for i, c := range rs {
			if ocrLetter[c] != nil {
				at = append(at, i)
			}
		}
		if len(at) > 0 {
			i := at[g.r.IntN(len(at))]
			alts := ocrLetter[rs[i]]
			rs[i] = alts[g.r.IntN(len(alts))]
			r.name = string(rs)
			r.kind("ocr_name")
			r.conf = 0.55 + g.r.Float64()*0.3
		}
	}
}

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
	return norm.NFC.String(b.String())
}

// loseOneMark strips the marks of one syllable that has any.
func loseOneMark(r *rand.Rand, s string) string {
	toks := strings.Fields(s)
	var at []int
	for i, t := range toks {
		if stripMarks(t) != t {
			at = append(at, i)
		}
	}
	if len(at) == 0 {
		return s
	}
	i := at[r.IntN(len(at))]
	toks[i] = stripMarks(toks[i])
	return strings.Join(toks, " ")
}

func writeCSV(path string, rows [][]string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	_ = w.WriteAll(rows)
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

var ethnic = map[string]string{"kinh": "Kinh", "hmong": "Mông", "thai": "Thái", "ede": "Ê Đê", "jrai": "Gia Rai", "khmer": "Khmer"}

func writeSource(path, s string, rs []*record) error {
	var rows [][]string
	switch s {
	case SrcScan:
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		enc := json.NewEncoder(f)
		enc.SetEscapeHTML(false)
		for _, r := range rs {
			fields := map[string]any{}
			put := func(k, v string, c float64) {
				if v != "" {
					fields[k] = map[string]any{"text": v, "confidence": float64(int(c*100)) / 100}
				}
			}
			put("full_name", r.name, r.conf)
			put("birth_date", r.birth, r.conf)
			put("sex", r.sex, 0.95)
			put("id_number", r.cccd, 0.9)
			put("cmnd", r.cmnd, 0.9)
			put("perm_address", r.addr, 0.85)
			put("father_name", r.fath, 0.85)
			put("mother_name", r.mother, 0.85)
			line := map[string]any{"form_id": r.id, "scan_ref": "quet/" + r.unit + "/" + r.id + ".jpg", "unit_code": r.unit, "collected_on": r.on, "fields": fields}
			if err := enc.Encode(line); err != nil {
				f.Close()
				return err
			}
		}
		return f.Close()
	case SrcBook:
		rows = append(rows, []string{"SỔ HỘ KHẨU - DANH SÁCH NHÂN KHẨU", "", "", "", "", "", "", "", "", "", ""}, []string{"STT", "Mã nhân khẩu", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Số định danh cá nhân", "Số CMND", "Quan hệ với chủ hộ", "Họ tên chủ hộ", "Nơi thường trú"})
		for i, r := range rs {
			rows = append(rows, []string{strconv.Itoa(i + 1), r.id, r.name, r.birth, r.sex, ethnic[r.p.Group], r.cccd, r.cmnd, r.p.Rel, r.head, r.addr})
		}
	case SrcInsure:
		rows = append(rows, []string{"Mã hồ sơ", "Họ", "Chữ đệm", "Tên", "Ngày sinh", "Giới tính", "Số định danh cá nhân", "Họ tên mẹ", "Địa chỉ"})
		for _, r := range rs {
			toks := strings.Fields(r.name)
			fam, mid, giv := "", "", ""
			if len(toks) > 0 {
				fam = toks[0]
				giv = toks[len(toks)-1]
			}
			if len(toks) > 2 {
				mid = strings.Join(toks[1:len(toks)-1], " ")
			}
			if len(toks) == 1 {
				giv = ""
			}
			rows = append(rows, []string{r.id, fam, mid, giv, r.birth, r.sex, r.cccd, r.mother, r.addr})
		}
	case SrcResid:
		rows = append(rows, []string{"Mã hồ sơ", "Họ tên", "Ngày sinh", "Giới tính", "Số CMND/CCCD", "Nơi thường trú", "Nơi ở hiện tại"})
		for _, r := range rs {
			rows = append(rows, []string{r.id, r.name, r.birth, r.sex, r.cccd, r.addr, r.cur})
		}
	}
	return writeCSV(path, rows)
}
