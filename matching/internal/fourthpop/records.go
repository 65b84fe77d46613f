package fourthpop

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

// The four sources and the files they are written to.
const (
	SrcCommune = "commune" // xa_danhsach_20240501.csv
	SrcPolice  = "police"  // congan_20251015.csv
	SrcScan    = "scan"    // phieu_dc01.jsonl
	SrcHealth  = "health"  // yte_20250615.csv
)

// Files are the record files Generate writes, by source.
var Files = map[string]string{
	SrcCommune: "xa_danhsach_20240501.csv",
	SrcPolice:  "congan_20251015.csv",
	SrcScan:    "phieu_dc01.jsonl",
	SrcHealth:  "yte_20250615.csv",
}

// sourceDate is the date each list describes (its file name's date; the
// scanned forms are collected up to it).
var sourceDate = map[string]time.Time{
	SrcCommune: time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC),
	SrcPolice:  time.Date(2025, 10, 15, 0, 0, 0, 0, time.UTC),
	SrcScan:    time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC),
	SrcHealth:  time.Date(2025, 6, 15, 0, 0, 0, 0, time.UTC),
}

// Kinds are the noise kinds Generate draws; the test requires each.
var Kinds = []string{
	"no_marks", "tone_changed", "tone_style", "middle_dropped", "second_middle", "thi_toggled", "hmong_a_dropped",
	"surname_pair", "clan_moved", "day_month_swapped", "date_digit", "year_off", "year_only", "jan_first",
	"id_digit", "id_swap", "cmnd_for_cccd", "id_left_out", "ocr_letters", "ocr_digits", "no_village",
	"no_district", "moved", "namesake", "twins",
}

// Stats counts what Generate wrote.
type Stats struct {
	Persons, Records int
	BySource         map[string]int
	Kinds            map[string]int
}

type record struct {
	src, id  string
	p        *Person
	name     string
	birth    string
	sex      string
	ids      [2]string // number, CMND (police and health: one column)
	father   string
	mother   string
	addr     string
	conf     map[string]float64
	unit     string
	on       string
	kinds    []string
	clerkNew bool
}

func (g *gener) kind(r *record, k string) {
	r.kinds = append(r.kinds, k)
}

// Generate writes a population of about persons persons (deliberate
// namesakes added) and their records under dir, deterministic per seed.
func Generate(dir string, persons int, seed uint64) (Stats, error) {
	g := &gener{r: rand.New(rand.NewPCG(seed, 0x4f75727468)), t: loadTables(), usedIDs: map[string]bool{}}
	g.population(persons)
	st := Stats{Persons: len(g.persons), BySource: map[string]int{}, Kinds: map[string]int{}}
	st.Kinds["namesake"] = g.namesakes
	st.Kinds["twins"] = g.twins
	bySrc := map[string][]*record{}
	for _, p := range g.persons {
		a := p.age()
		in := map[string]bool{
			SrcCommune: g.r.Float64() < 0.8,
			SrcPolice:  g.r.Float64() < map[bool]float64{true: 0.55, false: 0.3}[a >= 14],
			SrcScan:    g.r.Float64() < 0.35,
			SrcHealth:  g.r.Float64() < map[bool]float64{true: 0.55, false: 0.35}[a < 14 || a >= 60],
		}
		// A list cannot hold a person born after it was drawn up.
		for src, on := range sourceDate {
			if p.Birth.After(on) {
				in[src] = false
			}
		}
		if !in[SrcCommune] && !in[SrcPolice] && !in[SrcScan] && !in[SrcHealth] {
			in[SrcCommune] = true
			if p.Birth.After(sourceDate[SrcCommune]) {
				in[SrcCommune], in[SrcPolice] = false, true
			}
		}
		moved := a >= 18 && g.r.Float64() < 0.04
		movedSrc := ""
		for _, s := range []string{SrcCommune, SrcPolice, SrcScan, SrcHealth} {
			if in[s] {
				if moved && movedSrc == "" && s != SrcCommune {
					movedSrc = s
				}
				r := g.record(p, s, s == movedSrc)
				bySrc[s] = append(bySrc[s], r)
			}
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return st, err
	}
	var truth [][]string
	var kinds [][]string
	for _, s := range []string{SrcCommune, SrcPolice, SrcScan, SrcHealth} {
		rs := bySrc[s]
		// Lists are in household order as a clerk writes them; shuffle within
		// the file by village so the file is not in person order.
		g.r.Shuffle(len(rs), func(i, j int) { rs[i], rs[j] = rs[j], rs[i] })
		sort.SliceStable(rs, func(i, j int) bool { return rs[i].p.House.v.c.code < rs[j].p.House.v.c.code })
		for i, r := range rs {
			r.id = fmt.Sprintf("%s-%06d", map[string]string{SrcCommune: "XA", SrcPolice: "CA", SrcScan: "DC01", SrcHealth: "YT"}[s], i+1)
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
	if err := writeCSV(filepath.Join(dir, "truth.csv"), []string{"source_record_id", "person_id"}, truth); err != nil {
		return st, err
	}
	if err := writeCSV(filepath.Join(dir, "kinds.csv"), []string{"source_record_id", "kinds"}, kinds); err != nil {
		return st, err
	}
	var pr [][]string
	for _, p := range g.persons {
		sex := "Nam"
		if p.Sex == 'F' {
			sex = "Nữ"
		}
		pr = append(pr, []string{p.ID, p.Full(), p.Birth.Format("2006-01-02"), strconv.Itoa(p.Prec), sex, p.Group, p.CCCD, p.CMND, p.House.v.c.code, p.House.v.name, fullOf(p.Father), fullOf(p.Mother)})
	}
	err := writeCSV(filepath.Join(dir, "persons.csv"), []string{"person_id", "full_name", "birth_date", "precision", "sex", "group", "id_number", "cmnd", "commune_code", "village", "father", "mother"}, pr)
	return st, err
}

// record makes person p's record in source s, noise included.
func (g *gener) record(p *Person, s string, moved bool) *record {
	r := &record{src: s, p: p, conf: map[string]float64{}}
	// Name.
	sur, mid, giv := p.Surname, append([]string(nil), p.Middle...), append([]string(nil), p.Given...)
	clanLast := p.ClanLast
	dropMid := map[string]float64{SrcPolice: 0.06, SrcHealth: 0.03, SrcCommune: 0.01, SrcScan: 0.01}[s]
	switch {
	case len(mid) > 0 && p.Group == "kinh" && g.r.Float64() < dropMid:
		mid = nil
		g.kind(r, "middle_dropped")
	case len(mid) == 2 && g.r.Float64() < 0.03:
		mid = mid[:1]
		g.kind(r, "second_middle")
	case len(mid) == 1 && p.Group == "kinh" && g.r.Float64() < 0.01:
		mid = append(mid, g.t.middle2[p.Sex].pick(g.r))
		g.kind(r, "second_middle")
	case p.Sex == 'F' && (p.Group == "khmer" || p.Group == "jrai" || p.Group == "hmong" || p.Group == "dao") && g.r.Float64() < 0.2:
		if len(mid) > 0 && mid[0] == "Thị" {
			mid = mid[1:]
		} else {
			mid = append([]string{"Thị"}, mid...)
		}
		g.kind(r, "thi_toggled")
	case p.Group == "hmong" && len(mid) == 1 && mid[0] == "A" && g.r.Float64() < 0.15:
		mid = nil
		g.kind(r, "hmong_a_dropped")
	}
	if alt, ok := surnamePair[sur]; ok && g.r.Float64() < 0.01 {
		sur = alt
		g.kind(r, "surname_pair")
	}
	if (p.Group == "khmer" || p.Group == "ede") && g.r.Float64() < 0.05 {
		clanLast = !clanLast
		g.kind(r, "clan_moved")
	}
	r.name = joinName(sur, mid, giv, clanLast)
	// Clerk's habits: some clerks write the new tone style.
	r.clerkNew = g.r.Float64() < 0.3
	if r.clerkNew && toneStyle(r.name) != r.name {
		r.name = toneStyle(r.name)
		g.kind(r, "tone_style")
	}
	if g.r.Float64() < 0.03 {
		if n := changeTone(g.r, r.name); n != r.name {
			r.name = n
			g.kind(r, "tone_changed")
		}
	}
	noMarks := map[string]float64{SrcPolice: 0.06, SrcHealth: 0.04, SrcCommune: 0.01}[s]
	if g.r.Float64() < noMarks {
		r.name = stripMarks(r.name)
		g.kind(r, "no_marks")
	}
	// Date.
	r.birth = g.birthText(r, p, s)
	// Sex.
	r.sex = map[byte]string{'M': "Nam", 'F': "Nữ"}[p.Sex]
	// Numbers.
	r.ids = g.idsText(r, p, s)
	// Parents.
	if s == SrcCommune || s == SrcScan || (s == SrcHealth && p.age() < 14) {
		r.father, r.mother = fullOf(p.Father), fullOf(p.Mother)
		if s == SrcHealth {
			r.father = ""
		}
	}
	// Address.
	v := p.House.v
	if moved {
		o := v.c.villages[g.r.IntN(len(v.c.villages))]
		if o == v && len(v.c.villages) > 1 {
			o = v.c.villages[(g.r.IntN(len(v.c.villages)-1)+1+indexOf(v.c.villages, v))%len(v.c.villages)]
		}
		v = o
		g.kind(r, "moved")
	}
	withVillage := g.r.Float64() >= 0.1
	if !withVillage {
		g.kind(r, "no_village")
	}
	withDistrict := g.r.Float64() >= 0.05
	if !withDistrict {
		g.kind(r, "no_district")
	}
	switch s {
	case SrcPolice:
		r.addr = newAddress(v, withVillage)
	case SrcHealth:
		r.addr = abbreviate(oldAddress(v, withVillage, withDistrict))
	default:
		r.addr = oldAddress(v, withVillage, withDistrict)
	}
	if r.clerkNew {
		r.addr = toneStyle(r.addr)
	}
	if s == SrcPolice && g.r.Float64() < 0.5 {
		r.name = strings.ToUpper(r.name)
	}
	if s == SrcScan {
		g.scan(r, p)
	}
	return r
}

func indexOf(vs []*village, v *village) int {
	for i, x := range vs {
		if x == v {
			return i
		}
	}
	return 0
}

var surnamePair = map[string]string{"Vũ": "Võ", "Võ": "Vũ", "Hoàng": "Huỳnh", "Huỳnh": "Hoàng"}

func (g *gener) birthText(r *record, p *Person, s string) string {
	d := p.Birth
	prec := p.Prec
	if g.r.Float64() < 0.02 {
		d = d.AddDate(g.r.IntN(2)*2-1, 0, 0)
		g.kind(r, "year_off")
	}
	if s == SrcPolice {
		return strconv.Itoa(d.Year())
	}
	if prec == 0 && s == SrcHealth && g.r.Float64() < 0.03 {
		prec = 2
		g.kind(r, "year_only")
	}
	if prec > 0 && p.age() >= 60 && g.r.Float64() < 0.3 {
		prec = 0
		d = time.Date(d.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
		g.kind(r, "jan_first")
	}
	var txt string
	switch prec {
	case 2:
		txt = strconv.Itoa(d.Year())
	case 1:
		txt = fmt.Sprintf("%02d/%d", int(d.Month()), d.Year())
	default:
		day, mon := d.Day(), int(d.Month())
		if day <= 12 && day != mon && g.r.Float64() < 0.02 {
			day, mon = mon, day
			g.kind(r, "day_month_swapped")
		}
		switch {
		case s == SrcHealth && p.age() > 25 && p.House.v.c.code[4]%2 == 0:
			txt = fmt.Sprintf("%d/%d/%02d", day, mon, d.Year()%100)
		case s == SrcScan:
			txt = fmt.Sprintf("%d/%d/%d", day, mon, d.Year())
		default:
			txt = fmt.Sprintf("%02d/%02d/%d", day, mon, d.Year())
		}
	}
	if g.r.Float64() < 0.02 {
		txt = digitSlip(g.r, txt)
		g.kind(r, "date_digit")
	}
	return txt
}

// digitSlip changes one digit of s to another.
func digitSlip(r *rand.Rand, s string) string {
	b := []byte(s)
	var at []int
	for i, c := range b {
		if c >= '0' && c <= '9' {
			at = append(at, i)
		}
	}
	if len(at) == 0 {
		return s
	}
	i := at[r.IntN(len(at))]
	b[i] = '0' + byte((int(b[i]-'0')+1+r.IntN(9))%10)
	return string(b)
}

func (g *gener) idsText(r *record, p *Person, s string) [2]string {
	num, cmnd := p.CCCD, p.CMND
	if s == SrcHealth {
		cmnd = ""
	}
	if s == SrcPolice || s == SrcScan {
		// One column (police) or one field: the number if held, else the CMND.
		if num != "" && cmnd != "" {
			if g.r.Float64() < 0.03 {
				num = ""
				g.kind(r, "cmnd_for_cccd")
			} else {
				cmnd = ""
			}
		}
	}
	if s == SrcHealth && num == "" && p.CMND != "" && g.r.Float64() < 0.03 {
		cmnd = p.CMND
		g.kind(r, "cmnd_for_cccd")
	}
	if (num != "" || cmnd != "") && g.r.Float64() < 0.10 {
		g.kind(r, "id_left_out")
		return [2]string{}
	}
	slip := func(x string) string {
		if x == "" {
			return x
		}
		switch y := g.r.Float64(); {
		case y < 0.015:
			g.kind(r, "id_digit")
			return digitSlip(g.r, x)
		case y < 0.025:
			i := 3 + g.r.IntN(len(x)-4)
			b := []byte(x)
			if b[i] != b[i+1] {
				b[i], b[i+1] = b[i+1], b[i]
				g.kind(r, "id_swap")
			}
			return string(b)
		}
		return x
	}
	return [2]string{slip(num), slip(cmnd)}
}

// scan turns a record into what form recognition read: capitals, OCR
// confusions, confidences.
func (g *gener) scan(r *record, p *Person) {
	r.unit = p.House.v.c.code
	from := time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)
	if p.Birth.After(from) {
		from = p.Birth
	}
	days := int(sourceDate[SrcScan].Sub(from).Hours() / 24)
	r.on = from.AddDate(0, 0, g.r.IntN(days+1)).Format("2006-01-02")
	r.name = strings.ToUpper(r.name)
	r.father, r.mother = strings.ToUpper(r.father), strings.ToUpper(r.mother)
	for _, f := range []string{"full_name", "birth_date", "sex", "id", "perm_address", "father_name", "mother_name"} {
		r.conf[f] = 0.9 + 0.09*g.r.Float64()
	}
	if g.r.Float64() < 0.12 {
		r.name = ocrLetters(g.r, r.name)
		r.conf["full_name"] = 0.5 + 0.3*g.r.Float64()
		g.kind(r, "ocr_letters")
	}
	if g.r.Float64() < 0.06 && (r.ids[0] != "" || r.ids[1] != "") {
		for i := range r.ids {
			r.ids[i] = ocrDigits(g.r, r.ids[i])
		}
		r.conf["id"] = 0.5 + 0.3*g.r.Float64()
		g.kind(r, "ocr_digits")
	}
	if g.r.Float64() < 0.05 {
		r.birth = ocrDigits(g.r, r.birth)
		r.conf["birth_date"] = 0.5 + 0.3*g.r.Float64()
		g.kind(r, "ocr_digits")
	}
	if r.mother != "" && g.r.Float64() < 0.08 {
		r.mother = ocrLetters(g.r, r.mother)
		r.conf["mother_name"] = 0.5 + 0.3*g.r.Float64()
	}
}

// ocrLetters: marks lost or changed on one or two letters, look-alike
// capitals, a letter dropped.
func ocrLetters(r *rand.Rand, s string) string {
	rs := []rune(s)
	for n := 1 + r.IntN(2); n > 0 && len(rs) > 0; n-- {
		i := r.IntN(len(rs))
		c := rs[i]
		if !unicode.IsLetter(c) {
			continue
		}
		switch r.IntN(4) {
		case 0: // mark lost
			rs[i] = []rune(stripMarks(string(c)))[0]
		case 1: // look-alike
			if o, ok := lookAlike[c]; ok {
				rs[i] = o
			} else {
				rs[i] = []rune(stripMarks(string(c)))[0]
			}
		case 2: // another tone
			rs = []rune(changeTone(r, string(rs)))
		default: // a letter dropped, not the first of a word
			if i > 0 && rs[i-1] != ' ' && i+1 < len(rs) && rs[i+1] != ' ' {
				rs = append(rs[:i], rs[i+1:]...)
			}
		}
	}
	return string(rs)
}

var lookAlike = map[rune]rune{'Đ': 'D', 'Ư': 'U', 'Ơ': 'O', 'Â': 'A', 'Ê': 'E', 'I': 'L', 'L': 'I', 'N': 'H', 'H': 'N', 'M': 'N', 'O': 'Q', 'C': 'G', 'G': 'C', 'U': 'V', 'V': 'U'}

var ocrDigit = map[byte]byte{'0': 'O', '1': 'l', '5': 'S', '8': 'B', '2': 'Z', '6': 'G', '7': '1', '3': '8', '4': '9'}

func ocrDigits(r *rand.Rand, s string) string {
	b := []byte(s)
	var at []int
	for i, c := range b {
		if _, ok := ocrDigit[c]; ok {
			at = append(at, i)
		}
	}
	if len(at) == 0 {
		return s
	}
	i := at[r.IntN(len(at))]
	b[i] = ocrDigit[b[i]]
	return string(b)
}

// stripMarks removes the diacritics of Vietnamese letters (đ → d), keeping case.
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

var tones = []rune{'\u0300', '\u0301', '\u0309', '\u0303', '\u0323'}

// changeTone gives one marked syllable of s another tone, or none.
func changeTone(r *rand.Rand, s string) string {
	words := strings.Split(s, " ")
	var marked []int
	for i, w := range words {
		if strings.ContainsAny(norm.NFD.String(w), string(tones)) {
			marked = append(marked, i)
		}
	}
	if len(marked) == 0 {
		return s
	}
	i := marked[r.IntN(len(marked))]
	d := []rune(norm.NFD.String(words[i]))
	for j, c := range d {
		for _, t := range tones {
			if c == t {
				k := r.IntN(len(tones) + 1)
				if k == len(tones) || tones[k] == c {
					d = append(d[:j], d[j+1:]...)
				} else {
					d[j] = tones[k]
				}
				words[i] = norm.NFC.String(string(d))
				return strings.Join(words, " ")
			}
		}
	}
	return s
}

// toneStyle writes the open rhymes oa, oe, uy in the new style (hoà).
func toneStyle(s string) string {
	words := strings.Split(s, " ")
	for i, w := range words {
		rs := []rune(norm.NFD.String(w))
		// find a tone mark right after o/u followed by a/e/y ending the word
		for j := 0; j+2 < len(rs); j++ {
			lo := unicode.ToLower(rs[j])
			nx := unicode.ToLower(rs[j+2])
			if (lo == 'o' && (nx == 'a' || nx == 'e')) || (lo == 'u' && nx == 'y') {
				if isTone(rs[j+1]) && j+3 == len(rs) && !(j > 0 && unicode.ToLower(rs[j-1]) == 'q') {
					rs[j+1], rs[j+2] = rs[j+2], rs[j+1]
					words[i] = norm.NFC.String(string(rs))
				}
			}
		}
	}
	return strings.Join(words, " ")
}

func isTone(c rune) bool {
	for _, t := range tones {
		if c == t {
			return true
		}
	}
	return false
}

func writeCSV(path string, header []string, rows [][]string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	if header != nil {
		_ = w.Write(header)
	}
	_ = w.WriteAll(rows)
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func writeSource(path, s string, rs []*record) error {
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
			put := func(k, v, ck string) {
				if v != "" {
					fields[k] = map[string]any{"text": v, "confidence": float64(int(r.conf[ck]*100)) / 100}
				}
			}
			put("full_name", r.name, "full_name")
			put("birth_date", r.birth, "birth_date")
			put("sex", strings.ToUpper(r.sex), "sex")
			put("id_number", r.ids[0], "id")
			put("cmnd", r.ids[1], "id")
			put("perm_address", r.addr, "perm_address")
			put("father_name", r.father, "father_name")
			put("mother_name", r.mother, "mother_name")
			line := map[string]any{"form_id": r.id, "scan_ref": "scans/" + r.unit + "/" + r.id + ".png", "unit_code": r.unit, "collected_on": r.on, "fields": fields}
			if err := enc.Encode(line); err != nil {
				f.Close()
				return err
			}
		}
		return f.Close()
	case SrcCommune:
		var rows [][]string
		for i, r := range rs {
			rows = append(rows, []string{strconv.Itoa(i + 1), r.id, r.name, r.birth, r.sex, ethnicName[r.p.Group], r.ids[0], r.ids[1], r.p.Rel, r.father, r.mother, r.addr})
		}
		rows = append([][]string{{"DANH SÁCH NHÂN KHẨU", "", "", "", "", "", "", "", "", "", "", ""}}, append([][]string{{"STT", "Mã bản ghi", "Họ và tên", "Ngày tháng năm sinh", "Giới tính", "Dân tộc", "Số định danh cá nhân", "Số CMND", "Quan hệ với chủ hộ", "Họ tên cha", "Họ tên mẹ", "Nơi thường trú"}}, rows...)...)
		return writeCSV(path, nil, rows)
	case SrcPolice:
		var rows [][]string
		for _, r := range rs {
			id := r.ids[0]
			if id == "" {
				id = r.ids[1]
			}
			rows = append(rows, []string{r.id, r.name, r.birth, r.sex, id, r.addr})
		}
		return writeCSV(path, []string{"Mã hồ sơ", "Họ tên", "Năm sinh", "Giới tính", "Số CMND/CCCD", "Nơi ở hiện tại"}, rows)
	default:
		var rows [][]string
		for _, r := range rs {
			fam, giv := r.name, ""
			if i := strings.LastIndex(r.name, " "); i > 0 {
				fam, giv = r.name[:i], r.name[i+1:]
			}
			id := r.ids[0]
			if id == "" {
				id = r.ids[1]
			}
			rows = append(rows, []string{r.id, fam, giv, r.birth, r.sex, id, r.mother, r.addr})
		}
		return writeCSV(path, []string{"Mã bản ghi", "Họ và chữ đệm", "Tên", "Ngày sinh", "Giới tính", "Số CCCD", "Họ tên mẹ", "Địa chỉ"}, rows)
	}
}

var ethnicName = map[string]string{"kinh": "Kinh", "hmong": "Mông", "thai": "Thái", "dao": "Dao", "tay": "Tày", "muong": "Mường", "khmer": "Khmer", "jrai": "Gia Rai", "ede": "Ê Đê"}
