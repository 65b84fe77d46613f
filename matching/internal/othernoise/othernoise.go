package othernoise

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"

	"github.com/dancu-vn/dancu/matching/internal/noisefile"
)

// Rates are the probabilities of each kind, per record (father_son: per
// son living with his father; moved: per person).
var Rates = map[string]float64{
	"name_reversed": 0.04,
	"name_joined":   0.04,
	"telex":         0.02,
	"vni":           0.015,
	"mojibake":      0.02,
	"head_id":       0.02,
	"id_zero_lost":  0.06,
	"id_spaced":     0.04,
	"cmnd_in_id":    0.03,
	"date_words":    0.02,
	"date_yy":       0.04,
	"date_month":    0.02,
	"date_lunar":    0.01,
	"sex_wrong":     0.01,
	"moved":         0.04,
	"dup_row":       0.01,
	"father_son":    0.03,
}

// Column names of gen's spreadsheet layout.
const (
	colCode   = "Mã bản ghi"
	colName   = "Họ và tên"
	colDate   = "Ngày sinh"
	colSex    = "Giới tính"
	colID     = "Số định danh cá nhân"
	colCMND   = "Số CMND"
	colPerm   = "Nơi thường trú"
	colCur    = "Nơi ở hiện tại"
	colFather = "Họ tên cha"
)

type person struct {
	id, fullName, sex, idNumber, fatherID, headID, province string
	permAddr, curAddr                                       string
	twinOf, namesakeOf                                      string
}

type table = noisefile.Table

var (
	readCSV  = noisefile.ReadCSV
	writeCSV = noisefile.WriteCSV
)

// Stats counts the records given each kind.
type Stats = noisefile.Stats

// Corrupt reads gen's clean set in cleanDir and writes the corrupted lists,
// truth.csv, persons.csv (a copy, with the renamed sons) and kinds.csv to
// outDir. The same seed gives the same files.
func Corrupt(cleanDir, outDir string, seed int64) (Stats, error) {
	st := Stats{Kinds: map[string]int{}}
	rng := rand.New(rand.NewSource(seed))
	pt, err := readCSV(filepath.Join(cleanDir, "persons.csv"))
	if err != nil {
		return st, err
	}
	tt, err := readCSV(filepath.Join(cleanDir, "truth.csv"))
	if err != nil {
		return st, err
	}
	truth := map[string]string{}
	for _, row := range tt.Rows {
		truth[row[0]] = row[1]
	}
	persons := map[string]*person{}
	var ids []string
	for _, row := range pt.Rows {
		g := func(c string) string { return row[pt.Col[c]] }
		p := &person{id: g("person_id"), fullName: g("full_name"), sex: g("sex"), idNumber: g("id_number"),
			fatherID: g("father_id"), headID: g("household_head_id"), province: g("perm_province_code"),
			permAddr: g("perm_address"), curAddr: g("cur_address"), twinOf: g("twin_of"), namesakeOf: g("namesake_of")}
		persons[p.id] = p
		ids = append(ids, p.id)
	}
	// father_son: a son living with his father is given the father's name.
	renamed := map[string]string{} // person → new full name
	for _, id := range ids {
		p := persons[id]
		f, ok := persons[p.fatherID]
		if !ok || p.sex != "M" || f.headID != p.headID || rng.Float64() >= Rates["father_son"] {
			continue
		}
		renamed[id] = f.fullName
	}
	// moved: a person's new province in the later list, taken from
	// another person's address there.
	moved := map[string]*person{}
	for _, id := range ids {
		if rng.Float64() >= Rates["moved"] {
			continue
		}
		p := persons[id]
		for try := 0; try < 20; try++ {
			o := persons[ids[rng.Intn(len(ids))]]
			if o.province != p.province && o.permAddr != "" {
				moved[id] = o
				break
			}
		}
	}
	files, err := filepath.Glob(filepath.Join(cleanDir, "danhsach_*.csv"))
	if err != nil || len(files) == 0 {
		return st, fmt.Errorf("no danhsach_*.csv in %s", cleanDir)
	}
	sort.Strings(files)
	// The later list's own addresses of each person, for the movers.
	laterAddr := map[string][2]string{}
	if len(files) > 1 {
		t, err := readCSV(files[len(files)-1])
		if err != nil {
			return st, err
		}
		for _, row := range t.Rows {
			laterAddr[truth[row[t.Col[colCode]]]] = [2]string{row[t.Col[colPerm]], row[t.Col[colCur]]}
		}
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return st, err
	}
	var truthRows, kindRows [][]string
	for fi, path := range files {
		t, err := readCSV(path)
		if err != nil {
			return st, err
		}
		later := fi == len(files)-1 && len(files) > 1
		var out [][]string
		for _, row := range t.Rows {
			code := row[t.Col[colCode]]
			pid := truth[code]
			p := persons[pid]
			var kinds []string
			if name, ok := renamed[pid]; ok {
				row[t.Col[colName]] = name
				kinds = append(kinds, "father_son")
			}
			if o, ok := moved[pid]; ok && later && p != nil {
				if a, ok := laterAddr[o.id]; ok {
					row[t.Col[colPerm]], row[t.Col[colCur]] = a[0], a[1]
					kinds = append(kinds, "moved")
				}
			}
			kinds = append(kinds, corruptRow(rng, row, t, p, persons)...)
			out = append(out, row)
			truthRows = append(truthRows, []string{code, pid})
			kindRows = append(kindRows, []string{code, strings.Join(kinds, ";")})
			if rng.Float64() < Rates["dup_row"] {
				dup := append([]string(nil), row...)
				dup[t.Col[colCode]] = code + "D"
				out = append(out, dup)
				truthRows = append(truthRows, []string{code + "D", pid})
				kindRows = append(kindRows, []string{code + "D", strings.Join(append(kinds, "dup_row"), ";")})
			}
		}
		for i, row := range out {
			if c, ok := t.Col["STT"]; ok {
				row[c] = strconv.Itoa(i + 1)
			}
		}
		if err := writeCSV(filepath.Join(outDir, t.Name), t.Header, out); err != nil {
			return st, err
		}
	}
	st = noisefile.Count(kindRows)
	if err := writeCSV(filepath.Join(outDir, "truth.csv"), []string{"source_record_id", "person_id"}, truthRows); err != nil {
		return st, err
	}
	if err := writeCSV(filepath.Join(outDir, "kinds.csv"), []string{"source_record_id", "kinds"}, kindRows); err != nil {
		return st, err
	}
	prow := [][]string{}
	for _, row := range pt.Rows {
		prow = append(prow, row)
	}
	return st, writeCSV(filepath.Join(outDir, "persons.csv"), pt.Header, prow)
}

func corruptRow(rng *rand.Rand, row []string, t *table, p *person, persons map[string]*person) []string {
	var kinds []string
	hit := func(k string) bool {
		if rng.Float64() < Rates[k] {
			kinds = append(kinds, k)
			return true
		}
		return false
	}
	get := func(c string) string { return row[t.Col[c]] }
	set := func(c, v string) { row[t.Col[c]] = v }

	// The name: one of the kinds that rewrite it.
	name := get(colName)
	switch {
	case hit("name_reversed"):
		if w := strings.Fields(name); len(w) >= 2 {
			set(colName, strings.Join(append([]string{w[len(w)-1]}, w[:len(w)-1]...), " "))
		}
	case hit("name_joined"):
		set(colName, joinSpace(rng, name))
	case hit("telex"):
		set(colName, typed(name, telexKeys))
	case hit("vni"):
		set(colName, typed(name, vniKeys))
	}
	// The number.
	id, cmnd := get(colID), get(colCMND)
	switch {
	case p != nil && p.headID != "" && p.headID != p.id && persons[p.headID] != nil && persons[p.headID].idNumber != "" && hit("head_id"):
		set(colID, persons[p.headID].idNumber)
	case cmnd != "" && hit("cmnd_in_id"):
		set(colID, cmnd)
		set(colCMND, "")
	case strings.HasPrefix(id, "0") && hit("id_zero_lost"):
		set(colID, strings.TrimLeft(id, "0"))
		if strings.HasPrefix(cmnd, "0") {
			set(colCMND, strings.TrimLeft(cmnd, "0"))
		}
	case len(id) == 12 && hit("id_spaced"):
		sep := " "
		if rng.Intn(2) == 0 {
			sep = "."
		}
		set(colID, id[:3]+sep+id[3:6]+sep+id[6:])
	}
	// The date (gen writes dd/mm/yyyy).
	if d := strings.Split(get(colDate), "/"); len(d) == 3 && len(d[2]) == 4 {
		day, _ := strconv.Atoi(d[0])
		month, _ := strconv.Atoi(d[1])
		year, _ := strconv.Atoi(d[2])
		switch {
		case hit("date_words"):
			set(colDate, fmt.Sprintf("ngày %d tháng %d năm %d", day, month, year))
		case hit("date_yy"):
			set(colDate, fmt.Sprintf("%s/%s/%s", d[0], d[1], d[2][2:]))
		case hit("date_month"):
			set(colDate, fmt.Sprintf("%s/%s", d[1], d[2]))
		case hit("date_lunar"):
			set(colDate, "năm "+canChi(year))
		}
	}
	if s := get(colSex); s != "" && hit("sex_wrong") {
		if s == "Nam" {
			set(colSex, "Nữ")
		} else {
			set(colSex, "Nam")
		}
	}
	if hit("mojibake") {
		for c, v := range row {
			if h := t.Header[c]; h != colCode && h != "STT" {
				row[c] = mojibake(v)
			}
		}
	}
	return kinds
}

// joinSpace loses the space between the last two words, or doubles one.
func joinSpace(rng *rand.Rand, name string) string {
	w := strings.Fields(name)
	if len(w) < 3 || rng.Intn(4) == 0 {
		return strings.Replace(name, " ", "  ", 1)
	}
	last := []rune(w[len(w)-1])
	if rng.Intn(2) == 0 {
		last[0] = unicode.ToLower(last[0])
	}
	return strings.Join(w[:len(w)-2], " ") + " " + w[len(w)-2] + string(last)
}

// keys are an input method's keystrokes for each mark.
type keys struct {
	circ, breve, horn, stroke string
	tone                      map[rune]string // combining tone mark → key
	doubleCirc                bool            // Telex: â is "aa"
}

var telexKeys = keys{breve: "w", horn: "w", stroke: "d", doubleCirc: true,
	tone: map[rune]string{'\u0300': "f", '\u0301': "s", '\u0309': "r", '\u0303': "x", '\u0323': "j"}}

var vniKeys = keys{circ: "6", breve: "8", horn: "7", stroke: "9",
	tone: map[rune]string{'\u0300': "2", '\u0301': "1", '\u0309': "3", '\u0303': "4", '\u0323': "5"}}

// Telex is s as typed with the Telex input method switched off: "Nguyễn"
// → "Nguyeenx".
func Telex(s string) string { return typed(s, telexKeys) }

// VNI is s as typed with the VNI input method switched off: "Nguyễn" →
// "Nguye6n4".
func VNI(s string) string { return typed(s, vniKeys) }

// typed writes each word as its keystrokes: the shape key after its
// letter, the tone key at the end of the word (as most people type).
func typed(name string, k keys) string {
	words := strings.Fields(name)
	for i, w := range words {
		var b strings.Builder
		tone := ""
		for _, r := range norm.NFD.String(w) {
			switch r {
			case '\u0302': // circumflex
				if k.doubleCirc {
					prev := []rune(b.String())
					b.WriteRune(prev[len(prev)-1])
				} else {
					b.WriteString(k.circ)
				}
			case '\u0306':
				b.WriteString(k.breve)
			case '\u031B':
				b.WriteString(k.horn)
			default:
				if t, ok := k.tone[r]; ok {
					tone = t
					continue
				}
				if r == 'đ' || r == 'Đ' {
					b.WriteRune(map[rune]rune{'đ': 'd', 'Đ': 'D'}[r])
					b.WriteString(k.stroke)
					continue
				}
				b.WriteRune(r)
			}
		}
		words[i] = b.String() + tone
	}
	return strings.Join(words, " ")
}

// mojibake is s's UTF-8 bytes read as Windows-1252.
func mojibake(s string) string {
	out, err := charmap.Windows1252.NewDecoder().String(s)
	if err != nil {
		return s
	}
	return out
}

var (
	can = []string{"Canh", "Tân", "Nhâm", "Quý", "Giáp", "Ất", "Bính", "Đinh", "Mậu", "Kỷ"}
	chi = []string{"Thân", "Dậu", "Tuất", "Hợi", "Tý", "Sửu", "Dần", "Mão", "Thìn", "Tỵ", "Ngọ", "Mùi"}
)

// canChi is the sexagenary name of a (Gregorian) year: 1990 Canh Ngọ.
func canChi(y int) string {
	return can[y%10] + " " + chi[y%12]
}
