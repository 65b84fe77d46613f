package thirdnoise

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/dancu-vn/dancu/matching/internal/noisefile"
	"github.com/dancu-vn/dancu/matching/internal/othernoise"
)

// Rates are the probabilities of each kind, as doc.go gives them: per list
// row, per form, per name field of a form, per person (namesake, twin). The
// kinds of one group (a name's shape, a name's writing, a date, a number)
// are drawn once, so at most one of them happens to a field; the groups are
// drawn apart. year_only is doubled for people born before 1960; telex and
// vni share doc.go's 1% as the two input methods are used (Telex more).
var Rates = map[string]float64{
	// list rows: the name's writing
	"nomarks":      0.04,
	"caps":         0.06,
	"caps_nomarks": 0.02,
	"telex":        0.007,
	"vni":          0.003,
	"tone_style":   0.04,
	// list rows: the name's shape
	"order_swapped":  0.006,
	"middle_dropped": 0.03,
	"middle_added":   0.015,
	"middle_changed": 0.005,
	"nickname":       0.003,
	"typo":           0.015,
	// list rows: the date
	"year_only":      0.03,
	"day00":          0.01,
	"day0101":        0.01,
	"month_year":     0.01,
	"day_month_swap": 0.02,
	"yy":             0.01,
	"serial":         0.005,
	"lunar":          0.01,
	"year_off":       0.005,
	// list rows: the numbers
	"id_zero_lost": 0.05,
	"id_sci":       0.003,
	"cmnd_in_id":   0.02,
	"id_blank":     0.03,
	"id_digit":     0.005,
	"id_swap":      0.003,
	// list rows: parents, sex, addresses
	"mother_missing":     0.10,
	"father_missing":     0.15,
	"sex_blank":          0.01,
	"sex_wrong":          0.003,
	"addr_level_missing": 0.05,
	"addr_other_era":     0.05,
	"addr_abbrev":        0.10,
	"addr_house_number":  0.03,
	"cur_blank":          0.05,
	"native_province":    0.10,
	// forms
	"ocr_nomarks_form": 0.03,
	"ocr_letters":      0.04, // per name field
	"ocr_marks":        0.05, // per name field
	"ocr_digits_date":  0.03,
	"ocr_digits_id":    0.03, // per number field
	"field_blank":      0.02, // per field
	"form_year_only":   0.02,
	"form_lunar":       0.01,
	"form_swap":        0.01,
	// persons
	"namesake": 0.005,
	"twin":     0.003,
}

// Column names of gen's spreadsheet layout.
const (
	colSTT      = "STT"
	colCode     = "Mã bản ghi"
	colName     = "Họ và tên"
	colDate     = "Ngày sinh"
	colSex      = "Giới tính"
	colID       = "Số định danh cá nhân"
	colCMND     = "Số CMND"
	colNative   = "Quê quán"
	colPerm     = "Nơi thường trú"
	colCur      = "Nơi ở hiện tại"
	colFather   = "Họ tên cha"
	colMother   = "Họ tên mẹ"
	colSpouse   = "Họ tên vợ/chồng"
	colHead     = "Họ tên chủ hộ"
	colRelation = "Quan hệ với chủ hộ"
)

// The form fields holding a person's name.
var formNames = []string{"full_name", "father_name", "mother_name", "spouse_name", "household_head"}

type person struct {
	id, household, fullName, sex, birth, idNumber string
	permAddr, curAddr                             string
}

type table = noisefile.Table

// Stats counts the records written and the records given each kind.
type Stats = noisefile.Stats

// field is one field of a scanned form as gen writes it.
type field struct {
	Text       string  `json:"text"`
	Confidence float64 `json:"confidence"`
}

// clone is a person this model adds: a namesake or a twin of an existing
// person, written into copies of that person's first records.
type clone struct {
	id, kind, suffix          string
	name, birth, sex          string // birth as dd/mm/yyyy
	idNumber, cmnd            string
	father, mother            string
	ownHead                   bool // a namesake heads another household
	left                      int  // records still to write
	family, middle, givenName string
}

type corrupter struct {
	rng     *rand.Rand
	persons map[string]*person
	newAddr map[string]string // household → its permanent address in the new era's list
	clones  map[string]*clone // original person → the person added beside them
	kinds   []string          // the current record's
}

// draw reports whether kind k happens, recording it.
func (c *corrupter) draw(k string) bool {
	if c.rng.Float64() < Rates[k] {
		c.kinds = append(c.kinds, k)
		return true
	}
	return false
}

// one draws at most one of the kinds, with their rates (scaled by the
// factors in scale, when given), and returns it ("" for none). The kind is
// not recorded: the caller records it when it could be applied.
func (c *corrupter) one(scale map[string]float64, kinds ...string) string {
	u := c.rng.Float64()
	for _, k := range kinds {
		r := Rates[k]
		if f, ok := scale[k]; ok {
			r *= f
		}
		if u < r {
			return k
		}
		u -= r
	}
	return ""
}

// Corrupt reads gen's clean set in cleanDir (--noise 0, CSV lists and
// optionally phieu_dc01.jsonl) and writes to outDir the corrupted lists and
// forms, truth.csv (with the added persons), persons.csv (gen's, with the
// added persons), kinds.csv (which record got which kinds: othernoise's
// Breakdown reads it) and conflicts_truth.csv (gen's). The same input and
// seed give the same files.
func Corrupt(cleanDir, outDir string, seed int64) (Stats, error) {
	st := Stats{Kinds: map[string]int{}}
	c := &corrupter{rng: rand.New(rand.NewSource(seed)), persons: map[string]*person{},
		newAddr: map[string]string{}, clones: map[string]*clone{}}
	pt, err := noisefile.ReadCSV(filepath.Join(cleanDir, "persons.csv"))
	if err != nil {
		return st, err
	}
	tt, err := noisefile.ReadCSV(filepath.Join(cleanDir, "truth.csv"))
	if err != nil {
		return st, err
	}
	truth := map[string]string{}
	for _, row := range tt.Rows {
		truth[row[0]] = row[1]
	}
	var ids []string
	for _, row := range pt.Rows {
		g := func(col string) string { return pt.Get(row, col) }
		p := &person{id: g("person_id"), household: g("household_id"), fullName: g("full_name"), sex: g("sex"),
			birth: g("birth_date"), idNumber: g("id_number"), permAddr: g("perm_address"), curAddr: g("cur_address")}
		c.persons[p.id] = p
		ids = append(ids, p.id)
	}
	files, err := filepath.Glob(filepath.Join(cleanDir, "danhsach_*.csv"))
	if err != nil || len(files) == 0 {
		return st, fmt.Errorf("corrupt: no danhsach_*.csv in %s", cleanDir)
	}
	sort.Strings(files)
	var tables []*table
	for _, path := range files {
		t, err := noisefile.ReadCSV(path)
		if err != nil {
			return st, err
		}
		tables = append(tables, t)
		// A household's address in the new era: a row whose address is not
		// the one persons.csv gives (the old era's).
		for _, row := range t.Rows {
			if p := c.persons[truth[t.Get(row, colCode)]]; p != nil && t.Get(row, colPerm) != p.permAddr {
				c.newAddr[p.household] = t.Get(row, colPerm)
			}
		}
	}
	c.planClones(ids, pt)
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return st, err
	}
	var truthRows, kindRows [][]string
	emit := func(code, pid string) {
		truthRows = append(truthRows, []string{code, pid})
		kindRows = append(kindRows, []string{code, strings.Join(c.kinds, ";")})
	}
	for _, t := range tables {
		var out [][]string
		for _, row := range t.Rows {
			code := t.Get(row, colCode)
			pid := truth[code]
			orig := append([]string(nil), row...)
			c.kinds = nil
			c.corruptRow(t, row, c.persons[pid])
			out = append(out, row)
			emit(code, pid)
			if cl := c.clones[pid]; cl != nil && cl.left > 0 {
				cl.left--
				dup := cl.listRow(t, orig)
				c.kinds = []string{cl.kind}
				c.corruptRow(t, dup, nil)
				out = append(out, dup)
				emit(code+cl.suffix, cl.id)
			}
		}
		for i, row := range out {
			t.Set(row, colSTT, strconv.Itoa(i+1))
		}
		if err := noisefile.WriteCSV(filepath.Join(outDir, t.Name), t.Header, out); err != nil {
			return st, err
		}
	}
	if _, err := os.Stat(filepath.Join(cleanDir, "phieu_dc01.jsonl")); err == nil {
		if err := c.corruptForms(cleanDir, outDir, truth, emit); err != nil {
			return st, err
		}
	}
	st = noisefile.Count(kindRows)
	if err := noisefile.WriteCSV(filepath.Join(outDir, "truth.csv"), []string{"source_record_id", "person_id"}, truthRows); err != nil {
		return st, err
	}
	if err := noisefile.WriteCSV(filepath.Join(outDir, "kinds.csv"), []string{"source_record_id", "kinds"}, kindRows); err != nil {
		return st, err
	}
	prows := pt.Rows
	for _, pid := range ids {
		if cl := c.clones[pid]; cl != nil {
			row := make([]string, len(pt.Header))
			pt.Set(row, "person_id", cl.id)
			pt.Set(row, "full_name", cl.name)
			pt.Set(row, "family_name", cl.family)
			pt.Set(row, "middle_name", cl.middle)
			pt.Set(row, "given_name", cl.givenName)
			pt.Set(row, "sex", cl.sex)
			pt.Set(row, "id_number", cl.idNumber)
			pt.Set(row, "cmnd", cl.cmnd)
			pt.Set(row, "father_name", cl.father)
			pt.Set(row, "mother_name", cl.mother)
			if d, err := time.Parse("02/01/2006", cl.birth); err == nil {
				pt.Set(row, "birth_date", d.Format("2006-01-02"))
			}
			if cl.kind == "twin" {
				pt.Set(row, "twin_of", pid)
				pt.Set(row, "household_id", c.persons[pid].household)
			} else {
				pt.Set(row, "namesake_of", pid)
			}
			prows = append(prows, row)
		}
	}
	if err := noisefile.WriteCSV(filepath.Join(outDir, "persons.csv"), pt.Header, prows); err != nil {
		return st, err
	}
	if ct, err := noisefile.ReadCSV(filepath.Join(cleanDir, "conflicts_truth.csv")); err == nil {
		if err := noisefile.WriteCSV(filepath.Join(outDir, "conflicts_truth.csv"), ct.Header, ct.Rows); err != nil {
			return st, err
		}
	}
	return st, nil
}

// twinNames are given names parents pair for twins; a twin of one is given
// the other.
var twinNames = [][2]string{{"Long", "Phụng"}, {"Sơn", "Thủy"}, {"Nam", "Bắc"}, {"Hiếu", "Thảo"},
	{"Phúc", "Lộc"}, {"Trúc", "Mai"}, {"Kim", "Ngân"}, {"Minh", "Tâm"}, {"An", "Khang"}}

// planClones picks the persons given a namesake or a twin and makes them.
func (c *corrupter) planClones(ids []string, pt *table) {
	type parents struct{ father, mother string }
	var pool []parents
	givenBySex := map[string][]string{}
	for _, row := range pt.Rows {
		if f, m := pt.Get(row, "father_name"), pt.Get(row, "mother_name"); f != "" && m != "" {
			pool = append(pool, parents{f, m})
		}
		if g := pt.Get(row, "given_name"); g != "" {
			givenBySex[pt.Get(row, "sex")] = append(givenBySex[pt.Get(row, "sex")], g)
		}
	}
	for i, pid := range ids {
		row := pt.Rows[i]
		p := c.persons[pid]
		d, err := time.Parse("2006-01-02", p.birth)
		if err != nil || len(pool) == 0 {
			continue
		}
		kind := c.one(nil, "namesake", "twin")
		if kind == "" {
			continue
		}
		cl := &clone{kind: kind, sex: p.sex, left: 1 + c.rng.Intn(2),
			family: pt.Get(row, "family_name"), middle: pt.Get(row, "middle_name"), givenName: pt.Get(row, "given_name")}
		switch kind {
		case "namesake":
			cl.id, cl.suffix, cl.ownHead = pid+"N", "N", true
			cl.name = p.fullName
			for {
				o := time.Date(d.Year(), 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, c.rng.Intn(365))
				if o.Year() == d.Year() && !o.Equal(d) {
					cl.birth = o.Format("02/01/2006")
					break
				}
			}
			pp := pool[c.rng.Intn(len(pool))]
			cl.father, cl.mother = pp.father, pp.mother
		case "twin":
			cl.id, cl.suffix = pid+"T", "T"
			cl.birth = d.Format("02/01/2006")
			cl.givenName = ""
			for _, tn := range twinNames {
				if strings.EqualFold(tn[0], p.given()) {
					cl.givenName = tn[1]
				} else if strings.EqualFold(tn[1], p.given()) {
					cl.givenName = tn[0]
				}
			}
			for cl.givenName == "" || cl.givenName == p.given() {
				names := givenBySex[p.sex]
				cl.givenName = names[c.rng.Intn(len(names))]
			}
			cl.name = strings.Join(strings.Fields(cl.family+" "+cl.middle+" "+cl.givenName), " ")
			cl.father, cl.mother = pt.Get(row, "father_name"), pt.Get(row, "mother_name")
		}
		cl.idNumber = c.newID(p, d.Year())
		if pt.Get(row, "cmnd") != "" {
			cl.cmnd = fmt.Sprintf("%09d", 100000000+c.rng.Intn(900000000))
		}
		c.clones[pid] = cl
	}
}

func (p *person) given() string {
	w := strings.Fields(p.fullName)
	if len(w) == 0 {
		return ""
	}
	return w[len(w)-1]
}

// newID is a 12-digit number of the shape the law gives it: the province
// of birth registration (taken from p's), the century and sex digit, the
// year's last two digits and six random digits.
func (c *corrupter) newID(p *person, year int) string {
	prov := "001"
	if len(p.idNumber) == 12 {
		prov = p.idNumber[:3]
	}
	g := 0
	if year >= 2000 {
		g = 2
	}
	if p.sex == "F" {
		g++
	}
	return fmt.Sprintf("%s%d%02d%06d", prov, g, year%100, c.rng.Intn(1000000))
}

// listRow is the added person's copy of a list row of the original.
func (cl *clone) listRow(t *table, orig []string) []string {
	row := append([]string(nil), orig...)
	t.Set(row, colCode, t.Get(orig, colCode)+cl.suffix)
	t.Set(row, colName, cl.name)
	t.Set(row, colDate, cl.birth)
	t.Set(row, colID, cl.idNumber)
	t.Set(row, colCMND, cl.cmnd)
	t.Set(row, colFather, cl.father)
	t.Set(row, colMother, cl.mother)
	t.Set(row, colSpouse, "")
	switch {
	case cl.ownHead:
		t.Set(row, colHead, cl.name)
		t.Set(row, colRelation, "Chủ hộ")
	case t.Get(row, colRelation) == "Chủ hộ":
		t.Set(row, colRelation, "Em") // the head's twin
	}
	return row
}

// corruptRow damages one list row in place. p is the row's person (nil for
// an added one).
func (c *corrupter) corruptRow(t *table, row []string, p *person) {
	get := func(col string) string { return t.Get(row, col) }
	set := func(col, v string) { t.Set(row, col, v) }
	// The name's shape, then a slip, then its writing (the same for every
	// name on the row: it is the clerk's).
	set(colName, c.nameShape(get(colName), get(colSex)))
	if c.draw("typo") {
		set(colName, c.typo(get(colName)))
	}
	switch k := c.one(nil, "nomarks", "caps", "caps_nomarks"); k {
	case "":
	default:
		c.kinds = append(c.kinds, k)
		for _, col := range []string{colName, colFather, colMother, colSpouse, colHead} {
			v := get(col)
			if k != "caps" {
				v = noMarks(v)
			}
			if k != "nomarks" {
				v = strings.ToUpper(v)
			}
			set(col, v)
		}
	}
	switch k := c.one(nil, "telex", "vni", "tone_style"); k {
	case "telex", "vni":
		// one word with marks, typed with the input method off
		w := strings.Fields(get(colName))
		var marked []int
		for i, x := range w {
			if noMarks(x) != x {
				marked = append(marked, i)
			}
		}
		if len(marked) > 0 {
			i := marked[c.rng.Intn(len(marked))]
			if k == "telex" {
				w[i] = othernoise.Telex(w[i])
			} else {
				w[i] = othernoise.VNI(w[i])
			}
			c.kinds = append(c.kinds, k)
			set(colName, strings.Join(w, " "))
		}
	case "tone_style":
		c.kinds = append(c.kinds, k)
		set(colName, toneStyle(get(colName)))
	}
	set(colDate, c.listDate(get(colDate)))
	c.numbers(t, row)
	if get(colMother) != "" && c.draw("mother_missing") {
		set(colMother, "")
	}
	if get(colFather) != "" && c.draw("father_missing") {
		set(colFather, "")
	}
	switch s := get(colSex); {
	case s == "":
	case c.draw("sex_blank"):
		set(colSex, "")
	case c.draw("sex_wrong"):
		set(colSex, map[string]string{"Nam": "Nữ", "Nữ": "Nam"}[s])
	}
	c.addresses(t, row, p)
}

// nameShape drops, adds or changes a middle name, uses a birth-order name,
// or writes the parts in another order.
func (c *corrupter) nameShape(name, sex string) string {
	w := strings.Fields(name)
	if len(w) < 2 {
		return name
	}
	family, middle, given := w[0], w[1:len(w)-1], w[len(w)-1]
	join := func(parts ...[]string) string {
		var all []string
		for _, p := range parts {
			all = append(all, p...)
		}
		return strings.Join(all, " ")
	}
	hasMarker := false
	for _, m := range middle {
		if f := noMarks(strings.ToLower(m)); f == "thi" || f == "van" {
			hasMarker = true
		}
	}
	marker := "Văn"
	if sex == "Nữ" {
		marker = "Thị"
	}
	switch k := c.one(nil, "middle_dropped", "middle_added", "middle_changed", "nickname", "order_swapped"); k {
	case "middle_dropped":
		if len(middle) == 0 {
			return name
		}
		i := c.rng.Intn(len(middle))
		c.kinds = append(c.kinds, k)
		return join([]string{family}, middle[:i], middle[i+1:], []string{given})
	case "middle_added":
		if hasMarker || len(middle) > 1 {
			return name
		}
		c.kinds = append(c.kinds, k)
		return join([]string{family, marker}, middle, []string{given})
	case "middle_changed":
		if len(middle) == 0 {
			return name
		}
		m := append([]string(nil), middle...)
		switch f := noMarks(strings.ToLower(m[0])); {
		case f == "thi" || f == "van":
			// Thị ↔ Văn, or the right one written without its marks.
			other := map[string]string{"thi": "Văn", "van": "Thị"}[f]
			m[0] = []string{other, noMarks(m[0])}[c.rng.Intn(2)]
		default:
			m[0] = commonMiddles[c.rng.Intn(len(commonMiddles))]
		}
		if m[0] == middle[0] {
			return name
		}
		c.kinds = append(c.kinds, k)
		return join([]string{family}, m, []string{given})
	case "nickname":
		c.kinds = append(c.kinds, k)
		return join([]string{family}, middle, []string{birthOrder[c.rng.Intn(len(birthOrder))]})
	case "order_swapped":
		c.kinds = append(c.kinds, k)
		if c.rng.Intn(2) == 0 {
			return join([]string{given, family}, middle) // An Nguyễn Văn
		}
		return join(middle, []string{given, family}) // Văn An Nguyễn
	}
	return name
}

var (
	commonMiddles = []string{"Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quốc", "Xuân", "Kim"}
	birthOrder    = []string{"Hai", "Ba", "Tư", "Năm", "Sáu", "Bảy", "Tám", "Út"}
)

// keyboard neighbours of the letters (a QWERTY keyboard, as in Vietnam).
var neighbours = map[rune]string{
	'a': "qsz", 'b': "vn", 'c': "xv", 'd': "sf", 'e': "wr", 'g': "fh", 'h': "gj", 'i': "uo", 'k': "jl",
	'l': "k", 'm': "n", 'n': "bm", 'o': "ip", 'p': "o", 'q': "w", 'r': "et", 's': "ad", 't': "ry",
	'u': "yi", 'v': "cb", 'x': "zc", 'y': "tu",
}

// typo drops, doubles, swaps or mistypes one letter of the family or the
// given name.
func (c *corrupter) typo(name string) string {
	w := strings.Fields(name)
	if len(w) == 0 {
		return name
	}
	i := 0
	if c.rng.Intn(2) == 1 {
		i = len(w) - 1
	}
	r := []rune(w[i])
	if len(r) < 3 {
		return name
	}
	j := 1 + c.rng.Intn(len(r)-1)
	switch op := c.rng.Intn(4); {
	case op == 0:
		r = append(r[:j], r[j+1:]...)
	case op == 1:
		r = append(r[:j+1], r[j:]...)
	case op == 2 && j+1 < len(r):
		r[j], r[j+1] = r[j+1], r[j]
	default:
		if n := neighbours[unicode.ToLower(r[j])]; n != "" {
			r[j] = rune(n[c.rng.Intn(len(n))])
		} else {
			r = append(r[:j], r[j+1:]...)
		}
	}
	w[i] = string(r)
	return strings.Join(w, " ")
}

// noMarks is s without its diacritics, case kept: Đ → D.
func noMarks(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'đ':
			b.WriteByte('d')
		case r == 'Đ':
			b.WriteByte('D')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// tones are the five combining tone marks.
const tones = "\u0300\u0301\u0309\u0303\u0323"

// toneStyle moves the tone of a word ending in oa, oe or uy to the other
// vowel (Hoà ↔ Hòa, Thuỷ ↔ Thủy: the old and the new placement); a name
// with no such word is written decomposed (NFD), as some systems store it.
func toneStyle(name string) string {
	w := strings.Fields(name)
	moved := false
	for i, word := range w {
		r := []rune(norm.NFD.String(word))
		n := len(r)
		// the last two letters and a tone after one of them
		var toneAt = -1
		for j, x := range r {
			if strings.ContainsRune(tones, x) {
				toneAt = j
			}
		}
		if toneAt < 0 {
			continue
		}
		base := []rune(strings.ToLower(noMarks(word)))
		if len(base) < 2 {
			continue
		}
		pair := string(base[len(base)-2:])
		if pair != "oa" && pair != "oe" && pair != "uy" {
			continue
		}
		tone := r[toneAt]
		r = append(r[:toneAt], r[toneAt+1:]...)
		n--
		if toneAt == n { // on the last vowel: move it to the one before
			r = append(r[:n-1], tone, r[n-1])
		} else {
			r = append(r, tone)
		}
		w[i] = norm.NFC.String(string(r))
		moved = true
	}
	if !moved {
		return norm.NFD.String(name)
	}
	return strings.Join(w, " ")
}

// listDate rewrites a dd/mm/yyyy date the ways lists write it.
func (c *corrupter) listDate(s string) string {
	d, err := time.Parse("02/01/2006", s)
	if err != nil {
		return s
	}
	scale := map[string]float64{}
	if d.Year() < 1960 {
		scale["year_only"] = 2
	}
	k := c.one(scale, "year_only", "day00", "day0101", "month_year", "day_month_swap", "yy", "serial", "lunar", "year_off")
	out := s
	switch k {
	case "year_only":
		out = strconv.Itoa(d.Year())
	case "day00":
		out = fmt.Sprintf("00/00/%d", d.Year())
	case "day0101":
		out = fmt.Sprintf("01/01/%d", d.Year())
	case "month_year":
		out = d.Format("01/2006")
	case "day_month_swap":
		if d.Day() <= 12 && d.Day() != int(d.Month()) {
			out = d.Format("01/02/2006")
		}
	case "yy":
		out = d.Format("02/01/06")
	case "serial":
		out = strconv.Itoa(int(d.Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)).Hours() / 24))
	case "lunar":
		out = c.lunar(d)
	case "year_off":
		out = d.AddDate([]int{-1, 1}[c.rng.Intn(2)], 0, 0).Format("02/01/2006")
	}
	if out != s {
		c.kinds = append(c.kinds, k)
	}
	return out
}

// lunar approximates the lunar-calendar date of d: its day and month run
// 3 to 7 weeks behind the solar ones.
func (c *corrupter) lunar(d time.Time) string {
	return d.AddDate(0, 0, -(21 + c.rng.Intn(29))).Format("02/01/2006")
}

// numbers damages the identification number and the CMND.
func (c *corrupter) numbers(t *table, row []string) {
	id, cmnd := t.Get(row, colID), t.Get(row, colCMND)
	if id == "" {
		return
	}
	k := c.one(nil, "id_zero_lost", "id_sci", "cmnd_in_id", "id_blank", "id_digit", "id_swap")
	switch k {
	case "id_zero_lost":
		if !strings.HasPrefix(id, "0") {
			return
		}
		t.Set(row, colID, strings.TrimLeft(id, "0"))
		t.Set(row, colCMND, strings.TrimLeft(cmnd, "0")) // the column was a number too
	case "id_sci":
		n, err := strconv.ParseFloat(id, 64)
		if err != nil {
			return
		}
		t.Set(row, colID, fmt.Sprintf("%.5E", n)) // 6.04783E+09
	case "cmnd_in_id":
		if cmnd == "" {
			return
		}
		t.Set(row, colID, cmnd)
		t.Set(row, colCMND, "")
	case "id_blank":
		t.Set(row, colID, "")
	case "id_digit":
		r := []byte(id)
		i := c.rng.Intn(len(r))
		r[i] = '0' + byte((int(r[i]-'0')+1+c.rng.Intn(9))%10)
		t.Set(row, colID, string(r))
	case "id_swap":
		r := []byte(id)
		i := c.rng.Intn(len(r) - 1)
		if r[i] == r[i+1] {
			return
		}
		r[i], r[i+1] = r[i+1], r[i]
		t.Set(row, colID, string(r))
	default:
		return
	}
	c.kinds = append(c.kinds, k)
}

// addresses damages the permanent and current addresses and the native
// place.
func (c *corrupter) addresses(t *table, row []string, p *person) {
	perm, cur := t.Get(row, colPerm), t.Get(row, colCur)
	same := perm == cur
	if p != nil && perm != "" && c.rng.Float64() < Rates["addr_other_era"] {
		other := p.permAddr
		if perm == p.permAddr {
			other = c.newAddr[p.household]
		}
		if other != "" && other != perm {
			c.kinds = append(c.kinds, "addr_other_era")
			perm = other
		}
	}
	if parts := strings.Split(perm, ", "); len(parts) >= 3 && c.draw("addr_level_missing") {
		var keep []int
		for i, part := range parts {
			if !isCommune(part) {
				keep = append(keep, i)
			}
		}
		i := keep[c.rng.Intn(len(keep))]
		perm = strings.Join(append(parts[:i:i], parts[i+1:]...), ", ")
	}
	if perm != "" && c.draw("addr_house_number") {
		perm = fmt.Sprintf("Số %d, %s", 1+c.rng.Intn(120), perm)
	}
	if same {
		cur = perm
	}
	native := t.Get(row, colNative)
	if parts := strings.Split(native, ", "); len(parts) >= 2 && c.draw("native_province") {
		native = parts[len(parts)-1]
	}
	if c.draw("addr_abbrev") {
		perm, cur, native = abbreviate(perm), abbreviate(cur), abbreviate(native)
	}
	if cur != "" && c.draw("cur_blank") {
		cur = ""
	}
	t.Set(row, colPerm, perm)
	t.Set(row, colCur, cur)
	t.Set(row, colNative, native)
}

func isCommune(part string) bool {
	for _, p := range []string{"Xã ", "Phường ", "Thị trấn ", "Đặc khu "} {
		if strings.HasPrefix(part, p) {
			return true
		}
	}
	return false
}

var abbreviations = strings.NewReplacer("Thị trấn ", "TT. ", "Thị xã ", "TX. ", "Thành phố ", "TP. ",
	"Xã ", "X. ", "Phường ", "P. ", "Huyện ", "H. ", "Quận ", "Q. ", "Tỉnh ", "T. ")

func abbreviate(s string) string { return abbreviations.Replace(s) }

// corruptForms damages the scanned forms, writing them and their added
// persons' forms to outDir.
func (c *corrupter) corruptForms(cleanDir, outDir string, truth map[string]string, emit func(code, pid string)) error {
	in, err := os.Open(filepath.Join(cleanDir, "phieu_dc01.jsonl"))
	if err != nil {
		return err
	}
	defer in.Close()
	var out bytes.Buffer
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	line := 0
	for sc.Scan() {
		line++
		var form map[string]json.RawMessage
		if err := json.Unmarshal(sc.Bytes(), &form); err != nil {
			return fmt.Errorf("read phieu_dc01.jsonl line %d: %w", line, err)
		}
		var id string
		var fields map[string]*field
		if err := json.Unmarshal(form["form_id"], &id); err != nil {
			return fmt.Errorf("read phieu_dc01.jsonl line %d: form_id: %w", line, err)
		}
		if err := json.Unmarshal(form["fields"], &fields); err != nil {
			return fmt.Errorf("read phieu_dc01.jsonl line %d: fields: %w", line, err)
		}
		pid := truth[id]
		var cl *clone
		if x := c.clones[pid]; x != nil && x.left > 0 {
			x.left--
			cl = x
		}
		var copyFields map[string]*field
		if cl != nil {
			copyFields = map[string]*field{}
			for k, f := range fields {
				g := *f
				copyFields[k] = &g
			}
		}
		c.kinds = nil
		c.corruptForm(fields)
		if err := writeForm(&out, form, fields); err != nil {
			return err
		}
		emit(id, pid)
		if cl != nil {
			cl.formFields(copyFields)
			c.kinds = []string{cl.kind}
			c.corruptForm(copyFields)
			form["form_id"], _ = json.Marshal(id + cl.suffix)
			var ref string
			if json.Unmarshal(form["scan_ref"], &ref) == nil {
				form["scan_ref"], _ = json.Marshal(strings.TrimSuffix(ref, ".png") + cl.suffix + ".png")
			}
			if err := writeForm(&out, form, copyFields); err != nil {
				return err
			}
			emit(id+cl.suffix, cl.id)
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(outDir, "phieu_dc01.jsonl"), out.Bytes(), 0o644)
}

func writeForm(out *bytes.Buffer, form map[string]json.RawMessage, fields map[string]*field) error {
	b, err := json.Marshal(fields)
	if err != nil {
		return err
	}
	form["fields"] = b
	b, err = json.Marshal(form)
	if err != nil {
		return err
	}
	out.Write(b)
	out.WriteByte('\n')
	return nil
}

// formFields makes a form's fields the added person's, in capitals as the
// reader writes them.
func (cl *clone) formFields(f map[string]*field) {
	setText := func(k, v string) {
		if x := f[k]; x != nil {
			x.Text = v
		}
	}
	setText("full_name", strings.ToUpper(cl.name))
	setText("birth_date", cl.birth)
	setText("id_number", cl.idNumber)
	setText("cmnd", cl.cmnd)
	setText("father_name", strings.ToUpper(cl.father))
	setText("mother_name", strings.ToUpper(cl.mother))
	setText("spouse_name", "")
	if cl.ownHead {
		setText("household_head", strings.ToUpper(cl.name))
		setText("relation_to_head", "CHỦ HỘ")
	}
}

// ocrLetters are the capitals a reader takes for one another.
var ocrLetters = map[rune][]rune{'N': {'M'}, 'M': {'N'}, 'H': {'B'}, 'B': {'H'}, 'U': {'V'}, 'V': {'U'},
	'I': {'T'}, 'T': {'I'}, 'O': {'Q'}, 'Q': {'O'}, 'D': {'Đ'}, 'Đ': {'D'}, 'E': {'F'}, 'F': {'E'}}

// ocrDigits are the digits a reader takes for one another.
var ocrDigits = map[rune][]rune{'1': {'7'}, '7': {'1', '2'}, '0': {'8'}, '8': {'0', '3'}, '3': {'8'},
	'5': {'6'}, '6': {'5'}, '4': {'9'}, '9': {'4'}, '2': {'7'}}

// corruptForm damages one form's fields in place and sets their confidence.
func (c *corrupter) corruptForm(fields map[string]*field) {
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	damaged := map[string]bool{}
	mark := func(kind, k string) {
		c.kinds = append(c.kinds, kind)
		damaged[k] = true
	}
	if c.rng.Float64() < Rates["ocr_nomarks_form"] {
		c.kinds = append(c.kinds, "ocr_nomarks_form")
		for _, k := range keys {
			if t := noMarks(fields[k].Text); t != fields[k].Text {
				fields[k].Text = t
				damaged[k] = true
			}
		}
	}
	for _, k := range formNames {
		f := fields[k]
		if f == nil || f.Text == "" {
			continue
		}
		if c.rng.Float64() < Rates["ocr_letters"] {
			if t := c.swapOne(f.Text, ocrLetters, 1+c.rng.Intn(2)); t != f.Text {
				f.Text = t
				mark("ocr_letters", k)
			}
		}
		if c.rng.Float64() < Rates["ocr_marks"] {
			if t := c.misreadMark(f.Text); t != f.Text {
				f.Text = t
				mark("ocr_marks", k)
			}
		}
	}
	if f := fields["birth_date"]; f != nil {
		if d, err := time.Parse("02/01/2006", f.Text); err == nil {
			out := f.Text
			k := c.one(nil, "form_year_only", "form_lunar", "form_swap")
			switch k {
			case "form_year_only":
				out = strconv.Itoa(d.Year())
			case "form_lunar":
				out = c.lunar(d)
			case "form_swap":
				if d.Day() <= 12 && d.Day() != int(d.Month()) {
					out = d.Format("01/02/2006")
				}
			}
			if out != f.Text {
				f.Text = out
				mark(k, "birth_date")
			}
		}
		if c.rng.Float64() < Rates["ocr_digits_date"] {
			if t := c.swapOne(f.Text, ocrDigits, 1); t != f.Text {
				f.Text = t
				mark("ocr_digits_date", "birth_date")
			}
		}
	}
	for _, k := range []string{"id_number", "cmnd"} {
		if f := fields[k]; f != nil && f.Text != "" && c.rng.Float64() < Rates["ocr_digits_id"] {
			if t := c.swapOne(f.Text, ocrDigits, 1); t != f.Text {
				f.Text = t
				mark("ocr_digits_id", k)
			}
		}
	}
	for _, k := range keys {
		if f := fields[k]; f.Text != "" && c.rng.Float64() < Rates["field_blank"] {
			f.Text = []string{"", "?"}[c.rng.Intn(2)]
			mark("field_blank", k)
		}
	}
	low := func() float64 { return 0.45 + 0.35*c.rng.Float64() }
	high := func() float64 { return 0.85 + 0.14*c.rng.Float64() }
	for _, k := range keys {
		f := fields[k]
		switch {
		case damaged[k] && c.rng.Float64() < 0.9:
			f.Confidence = low()
		case damaged[k]:
			f.Confidence = high()
		case c.rng.Float64() < 0.03:
			f.Confidence = low()
		default:
			continue
		}
		f.Confidence = float64(int(f.Confidence*100+0.5)) / 100
	}
}

// swapOne replaces n of s's characters that have look-alikes by one of them.
func (c *corrupter) swapOne(s string, alike map[rune][]rune, n int) string {
	r := []rune(s)
	var at []int
	for i, x := range r {
		if _, ok := alike[x]; ok {
			at = append(at, i)
		} else if b := []rune(noMarks(string(x))); len(b) == 1 && b[0] != x && alike[b[0]] != nil {
			at = append(at, i) // Ư read as V: a letter with marks goes to a plain look-alike
		}
	}
	for ; n > 0 && len(at) > 0; n-- {
		j := c.rng.Intn(len(at))
		i := at[j]
		at = append(at[:j], at[j+1:]...)
		x := r[i]
		if _, ok := alike[x]; !ok {
			x = []rune(noMarks(string(x)))[0]
		}
		opts := alike[x]
		r[i] = opts[c.rng.Intn(len(opts))]
	}
	return string(r)
}

// misreadMark drops one diacritic of s, or reads a tone as another.
func (c *corrupter) misreadMark(s string) string {
	r := []rune(norm.NFD.String(s))
	var at []int
	for i, x := range r {
		if unicode.Is(unicode.Mn, x) {
			at = append(at, i)
		}
	}
	if len(at) == 0 {
		return s
	}
	i := at[c.rng.Intn(len(at))]
	if strings.ContainsRune(tones, r[i]) && c.rng.Intn(2) == 0 {
		t := []rune(tones)
		r[i] = t[c.rng.Intn(len(t))]
	} else {
		r = append(r[:i], r[i+1:]...)
	}
	return norm.NFC.String(string(r))
}
