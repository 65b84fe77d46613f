package vn

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/dancu-vn/dancu/internal/refdata"
)

// Kinds of identification number.
const (
	KindCCCD = "cccd" // 12-digit personal identification number (số định danh cá nhân, on the CCCD card)
	KindCMND = "cmnd" // old 9-digit identity card number
)

// ID is what an identification number encodes.
type ID struct {
	Valid bool   `json:"valid"`
	Kind  string `json:"kind"`
	// Number is the cleaned digits (12 or 9 of them when Kind is set).
	Number string `json:"number"`
	// ProvinceCode is the 3-digit code of the province (pre-2025, as in
	// id_province_codes.csv) or country (id_country_codes.csv, births
	// registered abroad) where the birth was registered.
	ProvinceCode string `json:"province_code"`
	// Abroad is set when ProvinceCode is a country code.
	Abroad bool `json:"-"`
	// Century is the century of birth as id_century_gender_codes.csv counts
	// it: 20 for 1900–1999, 21 for 2000–2099.
	Century int `json:"century"`
	// Sex is "M" or "F" from the fourth digit.
	Sex string `json:"sex"`
	// BirthYearSuffix is the last two digits of the birth year.
	BirthYearSuffix string `json:"birth_year_suffix"`
	Error           string `json:"error"`
}

type idTables struct {
	province map[string]provinceCode // 3-digit ID code → codes
	country  map[string]string
	// code3 answers province and country for the 3-digit codes: 1 a
	// province, 2 a country (and no province), 0 neither — ParseID's
	// question, once a record, without two map probes.
	code3   [1000]uint8
	century [10]struct {
		century int // 20 for 1900–1999, 21 for 2000–2099, ...
		sex     string
	}
}

type provinceCode struct {
	gso, gso2025 string
}

var (
	idOnce sync.Once
	idTab  *idTables
	idErr  error
)

// code3Index returns the index of a code of three ASCII digits in
// idTables.code3.
func code3Index(code string) (int, bool) {
	if len(code) != 3 {
		return 0, false
	}
	k := 0
	for i := range 3 {
		c := code[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		k = k*10 + int(c-'0')
	}
	return k, true
}

func loadIDTables() (*idTables, error) {
	idOnce.Do(func() {
		t := &idTables{province: map[string]provinceCode{}, country: map[string]string{}}
		p, err := refdata.Load("id_province_codes.csv")
		if err != nil {
			idErr = err
			return
		}
		for _, r := range p.Rows {
			t.province[p.Get(r, "code")] = provinceCode{gso: p.Get(r, "gso_province_code"), gso2025: p.Get(r, "province_2025_code")}
		}
		c, err := refdata.Load("id_country_codes.csv")
		if err != nil {
			idErr = err
			return
		}
		for _, r := range c.Rows {
			t.country[c.Get(r, "code")] = c.Get(r, "country_name")
		}
		for code := range t.country {
			if k, ok := code3Index(code); ok {
				t.code3[k] = 2
			}
		}
		for code := range t.province {
			if k, ok := code3Index(code); ok {
				t.code3[k] = 1
			}
		}
		g, err := refdata.Load("id_century_gender_codes.csv")
		if err != nil {
			idErr = err
			return
		}
		for _, r := range g.Rows {
			d, err1 := strconv.Atoi(g.Get(r, "digit4"))
			cent, err2 := strconv.Atoi(g.Get(r, "century"))
			if err1 != nil || err2 != nil || d < 0 || d > 9 {
				idErr = fmt.Errorf("read id_century_gender_codes.csv: bad row %v", r)
				return
			}
			sex := "M"
			if g.Get(r, "gender") != "Nam" {
				sex = "F"
			}
			t.century[d].century = cent
			t.century[d].sex = sex
		}
		idTab = t
	})
	return idTab, idErr
}

// cleanID keeps the digits of s, reading the letters scanners and typists
// put for digits (O/o/D→0, l/I/i/|→1, S/s→5, B→8, Z→2, G→6) and dropping
// spaces, dots, dashes and other separators. ok is false when a character
// that is neither is present.
func cleanID(s string) (string, bool) {
	if len(s) <= 32 && AllDigits(s) {
		return s, true // a number already clean, as ingest leaves it: no rune-by-rune pass
	}
	return cleanIDRunes(s)
}

// cleanIDRunes is cleanID rune by rune.
func cleanIDRunes(s string) (string, bool) {
	var buf [32]byte
	b := buf[:0]
	ok := true
	for _, r := range s {
		var c byte
		switch {
		case r >= '0' && r <= '9':
			c = byte(r)
		case r >= '０' && r <= '９':
			c = byte(r-'０') + '0'
		case r == 'O' || r == 'o' || r == 'D' || r == 'Q':
			c = '0'
		case r == 'l' || r == 'I' || r == 'i' || r == '|' || r == '!':
			c = '1'
		case r == 'S' || r == 's':
			c = '5'
		case r == 'B':
			c = '8'
		case r == 'Z' || r == 'z':
			c = '2'
		case r == 'G' || r == 'b':
			c = '6'
		case r == ' ' || r == '.' || r == '-' || r == '_' || r == '/' || r == ',' || r == '\'' || r == '"' || r == '\t' || spaceKind(r) != 0:
			continue
		default:
			ok = false
			continue
		}
		if len(b) == cap(buf) {
			return string(b), false
		}
		b = append(b, c)
	}
	if string(b) == s {
		return s, ok // already clean: no copy (the common case)
	}
	return string(b), ok
}

// AllDigits reports whether s is one or more ASCII digits (false for "").
// It is the test of identification numbers, address tokens and
// spreadsheet cells; small enough to be inlined on their hot paths.
func AllDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i]-'0' > 9 {
			return false
		}
	}
	return s != ""
}

// dropFloatZero drops the ".0" of a number written as a float
// ("1073004567.0": a number column through pandas, or a CSV export of one
// with blanks), where the point is no separator: grouping dots stand
// between groups of three digits ("012.345.678").
func dropFloatZero(s string) string {
	if strings.IndexByte(s, '.') < 0 {
		return s // most numbers: no point at all
	}
	t := strings.TrimSpace(s)
	i := strings.IndexByte(t, '.')
	if i <= 0 || t[i+1:] != "0" && t[i+1:] != "00" {
		return s
	}
	for j := 0; j < i; j++ {
		if t[j] < '0' || t[j] > '9' {
			return s
		}
	}
	return t[:i]
}

// idLabels are words written before a number ("CCCD: 0010…", "Số CMND").
var idLabels = []string{"so cccd", "so cmnd", "so cmt", "so dinh danh", "cccd", "cmnd", "cmt", "so", "id", "ma dinh danh", "dinh danh", "no"}

// stripIDLabel removes a leading label ("CCCD:", "Số CMND") from s.
func stripIDLabel(s string) string {
	t := strings.TrimSpace(s)
	if t == "" || t[0] >= '0' && t[0] <= '9' {
		return s
	}
	isLabel := func(h string) bool {
		h = strings.TrimRight(Fold(h), " :.#-")
		for _, l := range idLabels {
			if h == l {
				return true
			}
		}
		return false
	}
	if i := strings.IndexAny(t, ":#"); i > 0 && isLabel(t[:i]) {
		return t[i+1:]
	}
	f := strings.Fields(t)
	for k := min(4, len(f)-1); k >= 1; k-- {
		if isLabel(strings.Join(f[:k], " ")) {
			return strings.Join(f[k:], " ")
		}
	}
	return s
}

// ParseID cleans and checks an identification number, after a leading
// label such as "CCCD:" or "Số CMND". Twelve digits are a
// personal identification number (KindCCCD): digits 1–3 are a province
// code (or a country code for births registered abroad), digit 4 the
// century and sex, digits 5–6 the last digits of the birth year. Nine
// digits are an old identity card number (KindCMND), which encodes nothing
// checked here but is no placeholder (one digit nine times, 000000000: what
// clerks type where the field may not be left blank; taken as a number,
// every such row would share one block and one "same CMND"). A number whose birth year is in the future (century digit
// 4–9, or a 2000s year past this one) is not valid. Errors are reported in
// Error, never by panicking.
func ParseID(s string) ID {
	num, ok := cleanID(dropFloatZero(stripIDLabel(s)))
	id := ID{Number: num}
	if !ok {
		id.Error = "unexpected characters"
		return id
	}
	switch len(num) {
	case 0:
		id.Error = "empty"
		return id
	case 9:
		id.Kind = KindCMND
		if cmndPlaceholder(num) {
			id.Error = "a placeholder, not a CMND (one digit nine times)"
			return id
		}
		id.Valid = true
		return id
	case 12:
		id.Kind = KindCCCD
	default:
		id.Error = fmt.Sprintf("%d digits: want 12 (or 9 for a CMND)", len(num))
		return id
	}
	t, err := loadIDTables()
	if err != nil {
		id.Error = err.Error()
		return id
	}
	code := num[:3]
	id.ProvinceCode = code
	k, _ := code3Index(code) // num is digits: always ok
	if t.code3[k] != 1 {
		if t.code3[k] == 2 {
			id.Abroad = true
		} else {
			id.Error = "unknown province or country code " + code
			return id
		}
	}
	c := t.century[num[3]-'0']
	id.Century, id.Sex = c.century, c.sex
	id.BirthYearSuffix = num[4:6]
	if y := id.BirthYear(); AfterThisYear(y) {
		id.Error = fmt.Sprintf("encodes birth year %d, in the future", y)
		return id
	}
	id.Valid = true
	return id
}

// BirthYear returns the birth year the number encodes, or 0.
func (id ID) BirthYear() int {
	if id.Kind != KindCCCD || id.Century == 0 || len(id.BirthYearSuffix) != 2 {
		return 0
	}
	n, err := strconv.Atoi(id.BirthYearSuffix)
	if err != nil {
		return 0
	}
	return (id.Century-1)*100 + n
}

// Check returns the contradictions between the number and a record: its
// birth year, sex ("M"/"F") and birth-registration province. A zero or
// empty argument is not checked. The province may be given as the 3-digit
// ID code ("001"), or as a 2-digit GSO code of either era ("01"); a 2-digit
// code matches when it is the province's code before or after the 2025
// reform. The result is empty when the number is consistent (and for
// numbers that encode nothing, such as a CMND); an invalid number yields
// its error.
func (id ID) Check(birthYear int, sex, birthProvinceCode string) []string {
	if !id.Valid {
		if id.Error != "" {
			return []string{"invalid number: " + id.Error}
		}
		return []string{"invalid number"}
	}
	if id.Kind != KindCCCD {
		return nil
	}
	var out []string
	if birthYear != 0 {
		if y := id.BirthYear(); y != birthYear {
			out = append(out, fmt.Sprintf("birth year %d, number encodes %d", birthYear, y))
		}
	}
	if sex != "" && id.Sex != "" && sex != id.Sex {
		out = append(out, fmt.Sprintf("sex %s, number encodes %s", sex, id.Sex))
	}
	if p := strings.TrimSpace(birthProvinceCode); p != "" && !id.Abroad {
		t, _ := loadIDTables()
		match := false
		switch len(p) {
		case 3:
			match = p == id.ProvinceCode
		case 1, 2:
			if len(p) == 1 {
				p = "0" + p
			}
			if pc, ok := t.province[id.ProvinceCode]; ok {
				match = p == pc.gso || p == pc.gso2025
			}
		}
		if !match {
			out = append(out, fmt.Sprintf("birth province %s, number encodes %s", p, id.ProvinceCode))
		}
	}
	return out
}

// MaskID hides the middle of an identification number for logs, keeping
// the first four and last two digits: "001090012345" → "0010******45".
// Inputs too short to mask meaningfully are fully starred.
func MaskID(s string) string {
	num, _ := cleanID(s)
	if num == "" {
		return strings.Repeat("*", utf8.RuneCountInString(s))
	}
	n := len(num)
	if n < 8 {
		return strings.Repeat("*", n)
	}
	return num[:4] + strings.Repeat("*", len(num)-6) + num[len(num)-2:]
}

// cmndPlaceholder reports whether nine digits are a placeholder typed for
// a missing CMND rather than a number: one digit repeated nine times.
func cmndPlaceholder(num string) bool {
	for i := 1; i < len(num); i++ {
		if num[i] != num[0] {
			return false
		}
	}
	return true
}
