package synth

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"
)

// MessyExpected is what the messy fixture sheets hold, derived from what
// WriteMessy generated; it is written as expected.json beside them.
type MessyExpected struct {
	GeneratedBy string      `json:"generated_by"`
	Notes       []string    `json:"notes"`
	Files       []MessyFile `json:"files"`
}

// MessyFile is one fixture file.
type MessyFile struct {
	File         string       `json:"file"`
	Format       string       `json:"format"`        // xlsx or csv
	TextEncoding string       `json:"text_encoding"` // byte encoding of a CSV; "" for xlsx
	SourceDate   string       `json:"source_date"`   // the date the list describes
	Sheets       []MessySheet `json:"sheets"`
}

// MessySheet is one sheet of a fixture (a CSV has one, named "").
type MessySheet struct {
	Sheet        string        `json:"sheet"`
	HeaderRow    int           `json:"header_row"`  // 1-based row of the (first) header row
	HeaderRows   int           `json:"header_rows"` // 1, or 2 for a merged two-row header
	Columns      []MessyColumn `json:"columns"`
	FirstDataRow int           `json:"first_data_row"`
	LastDataRow  int           `json:"last_data_row"`
	DataRows     int           `json:"data_rows"`  // non-blank rows between header and footer
	BlankRows    int           `json:"blank_rows"` // blank rows among them
	Accepted     int           `json:"accepted"`   // data rows that pass strict validation
	Rejected     int           `json:"rejected"`   // data rows with an impossible date, a bad id or no name
	// RejectedMissingName counts the rows rejected even by lenient
	// validation (no name); the other bad rows are notes there.
	RejectedMissingName int          `json:"rejected_missing_name"`
	BadRows             []MessyBad   `json:"bad_rows"`
	Names               []MessyName  `json:"names"`
	Footer              []MessyFoot  `json:"footer"`
	Persons             []MessyTruth `json:"persons"` // every data row with its person
}

// MessyColumn is one column of a sheet and what it maps to.
type MessyColumn struct {
	Column   string `json:"column"`   // letter (A, B, …) or, for CSV, the same letters by position
	Header   string `json:"header"`   // decoded header; "Parent / Child" under a merged header
	Field    string `json:"field"`    // ingest field (schemas.Record ch name or ingest.Field…); "" when unmapped
	Font     string `json:"font"`     // font of the data cells; "" for CSV
	Encoding string `json:"encoding"` // unicode, tcvn3, tcvn3-upper, vni, windows-1258
}

// MessyBad is a planted bad row.
type MessyBad struct {
	Row     int    `json:"row"`
	Column  string `json:"column"` // header as in Columns
	Field   string `json:"field"`
	Value   string `json:"value"`   // the decoded cell value ("" when empty)
	Problem string `json:"problem"` // impossible_date, id_11_digits, missing_name
}

// MessyName is a decoded name expected at a row.
type MessyName struct {
	Row       int    `json:"row"`
	FullName  string `json:"full_name"`
	BirthDate string `json:"birth_date"` // YYYY-MM-DD, whatever the cell holds (text or serial)
}

// MessyFoot is a footer row (not data).
type MessyFoot struct {
	Row  int    `json:"row"`
	Text string `json:"text"`
}

// MessyTruth links a data row to the person it was made from.
type MessyTruth struct {
	Row      int    `json:"row"`
	PersonID string `json:"person_id"`
	IDNumber string `json:"id_number"`
}

// Problems planted in bad rows.
const (
	ProblemImpossibleDate = "impossible_date"
	ProblemID11Digits     = "id_11_digits"
	ProblemMissingName    = "missing_name"
)

// legacy encoders, from the embedded tables reversed.
type encoders struct {
	tcvn map[rune]rune   // Unicode → the Windows-1252 rune of its TCVN3 byte
	vni  map[rune]string // Unicode → VNI sequence as Windows-1252 runes
}

func loadEncoders() (*encoders, error) {
	e := &encoders{tcvn: map[rune]rune{}, vni: map[rune]string{}}
	tc, err := refdataLoad("encodings/tcvn3_to_unicode.tsv")
	if err != nil {
		return nil, err
	}
	for _, r := range tc.Rows {
		u, l := []rune(tc.Get(r, "unicode")), []rune(tc.Get(r, "legacy_char"))
		if len(u) == 1 && len(l) == 1 {
			e.tcvn[u[0]] = l[0]
		}
	}
	vn, err := refdataLoad("encodings/vni_to_unicode.tsv")
	if err != nil {
		return nil, err
	}
	for _, r := range vn.Rows {
		u := []rune(vn.Get(r, "unicode"))
		if len(u) == 1 {
			e.vni[u[0]] = vn.Get(r, "legacy_chars")
		}
	}
	return e, nil
}

// encode writes s in the encoding of font and returns the encoded text and
// the Unicode text a correct decoder gives back. TCVN3 has no upper-case
// letters with tone marks: in .VnTimeH all text is upper case (lower-case
// bytes drawn as capitals); in .VnTime such a capital is typed lower case.
func (e *encoders) encode(s, font string) (enc, dec string) {
	var eb, db strings.Builder
	switch font {
	case ".VnTimeH":
		s = strings.ToUpper(s)
		for _, r := range s {
			db.WriteRune(r)
			if r < 128 {
				eb.WriteRune(r)
			} else if l, ok := e.tcvn[unicode.ToLower(r)]; ok {
				eb.WriteRune(l)
			} else {
				eb.WriteRune(r)
			}
		}
	case ".VnTime":
		for _, r := range s {
			if r < 128 {
				eb.WriteRune(r)
				db.WriteRune(r)
			} else if l, ok := e.tcvn[r]; ok {
				eb.WriteRune(l)
				db.WriteRune(r)
			} else if l, ok := e.tcvn[unicode.ToLower(r)]; ok {
				eb.WriteRune(l)
				db.WriteRune(unicode.ToLower(r))
			} else {
				eb.WriteRune(r)
				db.WriteRune(r)
			}
		}
	case "VNI-Times":
		for _, r := range s {
			db.WriteRune(r)
			if v, ok := e.vni[r]; ok && r >= 128 {
				eb.WriteString(v)
			} else {
				eb.WriteRune(r)
			}
		}
	default:
		return s, s
	}
	return eb.String(), db.String()
}

func fontEncoding(font string) string {
	switch font {
	case ".VnTime":
		return "tcvn3"
	case ".VnTimeH":
		return "tcvn3-upper"
	case "VNI-Times":
		return "vni"
	}
	return "unicode"
}

// encode1258 writes s in code page 1258: letters it lacks precomposed are
// written as base letter (with its shape mark) plus a combining tone mark.
func encode1258(s string) ([]byte, error) {
	cm := charmap.Windows1258
	var out []byte
	for _, r := range norm.NFC.String(s) {
		if b, ok := cm.EncodeRune(r); ok {
			out = append(out, b)
			continue
		}
		var base []rune
		var tone rune
		for _, d := range norm.NFD.String(string(r)) {
			if isTone(d) {
				tone = d
			} else {
				base = append(base, d)
			}
		}
		bs := []rune(norm.NFC.String(string(base)))
		ok := len(bs) == 1
		var b1, b2 byte
		if ok {
			b1, ok = cm.EncodeRune(bs[0])
		}
		if ok && tone != 0 {
			b2, ok = cm.EncodeRune(tone)
		}
		if !ok {
			return nil, fmt.Errorf("encode windows-1258: %q has no encoding", r)
		}
		out = append(out, b1)
		if tone != 0 {
			out = append(out, b2)
		}
	}
	return out, nil
}

// cell is a data value: text, or an Excel serial date when serial > 0.
type cell struct {
	text   string
	serial float64
}

func excelSerial(t time.Time) float64 {
	return float64(t.Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)).Hours() / 24)
}

type colSpec struct {
	parent, header string // parent: text of the merged cell above, for two-row headers
	field          string
	font           string
	value          func(p *Person) cell
	dateCol        bool // holds the birth date (an impossible date goes here)
	idCol          bool // holds the identification number
	nameCol        bool
}

type sheetSpec struct {
	name       string
	titles     []string // title rows above the header (Unicode)
	titleFont  string
	headerFont string
	twoRow     bool
	cols       []colSpec
	persons    []*Person
	bad        map[int]string // data index → problem
	blankAfter map[int]bool   // a blank row after data index
	footer     [][2]string    // column letter, text
	otherFont  string         // font of cells without their own (STT, dates)
}

func colLetter(i int) string {
	s, _ := excelize.ColumnNumberToName(i + 1)
	return s
}

func (sp *sheetSpec) columns() []MessyColumn {
	var out []MessyColumn
	for i, c := range sp.cols {
		h := c.header
		if c.parent != "" {
			h = c.parent + " / " + c.header
		}
		out = append(out, MessyColumn{Column: colLetter(i), Header: h, Field: c.field, Font: c.font, Encoding: fontEncoding(c.font)})
	}
	return out
}

// badValue returns the cell of a bad row for column c, or ok false when c
// is not the column the problem sits in.
func badValue(problem string, c colSpec, p *Person, r *rand.Rand) (cell, bool) {
	switch {
	case problem == ProblemMissingName && c.nameCol:
		return cell{}, true
	case problem == ProblemID11Digits && c.idCol:
		return cell{text: p.IDNumber[:11]}, true
	case problem == ProblemImpossibleDate && c.dateCol:
		if v := c.value(p); v.text == "" && v.serial == 0 {
			return cell{}, false // the other sex's column of a Nam/Nữ layout
		}
		y := p.Birth.Year()
		if y%4 == 0 {
			y++ // 29/02 of a year that is not a leap year
		}
		switch r.IntN(3) {
		case 0:
			return cell{text: fmt.Sprintf("29/02/%d", y)}, true
		case 1:
			return cell{text: fmt.Sprintf("31/%02d/%d", []int{4, 6, 9, 11}[r.IntN(4)], p.Birth.Year())}, true
		default:
			return cell{text: fmt.Sprintf("%02d/13/%d", 1+r.IntN(28), p.Birth.Year())}, true
		}
	}
	return cell{}, false
}

// writeSheet writes sp into f and returns what a reader must find.
func (sp *sheetSpec) writeSheet(f *excelize.File, e *encoders, r *rand.Rand) (MessySheet, error) {
	sh := sp.name
	styles := map[string]int{}
	style := func(font string, numFmt int, bold bool) (int, error) {
		k := font + "|" + strconv.Itoa(numFmt) + "|" + strconv.FormatBool(bold)
		if id, ok := styles[k]; ok {
			return id, nil
		}
		st := &excelize.Style{Font: &excelize.Font{Family: font, Size: 12, Bold: bold}}
		if numFmt != 0 {
			// Serial dates shown day first, as Vietnamese lists show them.
			dateFmt := "dd/mm/yyyy"
			st.CustomNumFmt = &dateFmt
		}
		id, err := f.NewStyle(st)
		if err != nil {
			return 0, fmt.Errorf("write sheet %s: %w", sh, err)
		}
		styles[k] = id
		return id, nil
	}
	put := func(col, row int, v any, font string, numFmt int, bold bool) (string, error) {
		ref, _ := excelize.CoordinatesToCellName(col+1, row)
		dec := ""
		if s, ok := v.(string); ok {
			var enc string
			enc, dec = e.encode(s, font)
			v = enc
		}
		if err := f.SetCellValue(sh, ref, v); err != nil {
			return "", fmt.Errorf("write sheet %s cell %s: %w", sh, ref, err)
		}
		st, err := style(font, numFmt, bold)
		if err != nil {
			return "", err
		}
		return dec, f.SetCellStyle(sh, ref, ref, st)
	}
	ms := MessySheet{Sheet: sh, Columns: sp.columns()}
	last := colLetter(len(sp.cols) - 1)
	row := 1
	for _, t := range sp.titles {
		if _, err := put(0, row, t, sp.titleFont, 0, true); err != nil {
			return ms, err
		}
		if err := f.MergeCell(sh, fmt.Sprintf("A%d", row), fmt.Sprintf("%s%d", last, row)); err != nil {
			return ms, err
		}
		row++
	}
	row++ // a blank row under the titles
	ms.HeaderRow, ms.HeaderRows = row, 1
	if sp.twoRow {
		ms.HeaderRows = 2
		for i := 0; i < len(sp.cols); {
			c := sp.cols[i]
			if c.parent == "" {
				if _, err := put(i, row, c.header, sp.headerFont, 0, true); err != nil {
					return ms, err
				}
				if err := f.MergeCell(sh, colLetter(i)+strconv.Itoa(row), colLetter(i)+strconv.Itoa(row+1)); err != nil {
					return ms, err
				}
				i++
				continue
			}
			j := i
			for j < len(sp.cols) && sp.cols[j].parent == c.parent {
				if _, err := put(j, row+1, sp.cols[j].header, sp.headerFont, 0, true); err != nil {
					return ms, err
				}
				j++
			}
			if _, err := put(i, row, c.parent, sp.headerFont, 0, true); err != nil {
				return ms, err
			}
			if err := f.MergeCell(sh, colLetter(i)+strconv.Itoa(row), colLetter(j-1)+strconv.Itoa(row)); err != nil {
				return ms, err
			}
			i = j
		}
		row += 2
	} else {
		for i, c := range sp.cols {
			if _, err := put(i, row, c.header, sp.headerFont, 0, true); err != nil {
				return ms, err
			}
		}
		row++
	}
	ms.FirstDataRow = row
	for i, p := range sp.persons {
		problem := sp.bad[i]
		var name string
		for ci, c := range sp.cols {
			v := c.value(p)
			placed := false
			if problem != "" {
				if bv, ok := badValue(problem, c, p, r); ok {
					v, placed = bv, true
				}
			}
			font := c.font
			var dec string
			var err error
			switch {
			case v.serial > 0:
				_, err = put(ci, row, v.serial, font, 14, false)
			case v.text != "":
				dec, err = put(ci, row, v.text, font, 0, false)
			}
			if err != nil {
				return ms, err
			}
			if c.nameCol {
				name = dec
			}
			if placed {
				ms.BadRows = append(ms.BadRows, MessyBad{Row: row, Column: ms.Columns[ci].Header, Field: c.field, Value: dec, Problem: problem})
			}
		}
		ms.Persons = append(ms.Persons, MessyTruth{Row: row, PersonID: p.ID, IDNumber: p.IDNumber})
		if problem == "" && len(ms.Names) < 8 {
			ms.Names = append(ms.Names, MessyName{Row: row, FullName: name, BirthDate: p.Birth.Format("2006-01-02")})
		}
		ms.LastDataRow = row
		ms.DataRows++
		row++
		if sp.blankAfter[i] && i < len(sp.persons)-1 {
			ms.BlankRows++
			row++
		}
	}
	row += 2 // two blank rows before the footer
	for _, ft := range sp.footer {
		col, _ := excelize.ColumnNameToNumber(ft[0])
		dec, err := put(col-1, row, ft[1], sp.titleFont, 0, ft[1] == strings.ToUpper(ft[1]))
		if err != nil {
			return ms, err
		}
		ms.Footer = append(ms.Footer, MessyFoot{Row: row, Text: dec})
		row++
	}
	countBad(&ms)
	return ms, nil
}

func countBad(ms *MessySheet) {
	rows := map[int]bool{}
	for _, b := range ms.BadRows {
		rows[b.Row] = true
		if b.Problem == ProblemMissingName {
			ms.RejectedMissingName++
		}
	}
	ms.Rejected = len(rows)
	ms.Accepted = ms.DataRows - ms.Rejected
}

// messyPersons draws n persons living in one commune (one village list).
func messyPersons(t *tables, seed uint64, home place, n int) []*Person {
	r := rand.New(rand.NewPCG(seed, 0x3e55))
	g := &popGen{t: t, r: r, ids: newIDAllocator(seed), namesake: 0, home: &home}
	var out []*Person
	for len(out) < n {
		h := g.next()
		out = append(out, h.members...)
	}
	return out[:n]
}

func householdBreaks(ps []*Person) map[int]bool {
	m := map[int]bool{}
	for i := 0; i+1 < len(ps); i++ {
		if ps[i].HouseholdID != ps[i+1].HouseholdID {
			m[i] = true
		}
	}
	return m
}

// plantBad picks distinct data indexes for the three problems.
func plantBad(r *rand.Rand, n int, problems ...string) map[int]string {
	m := map[int]string{}
	for _, p := range problems {
		for {
			i := 1 + r.IntN(n-1)
			if m[i] == "" {
				m[i] = p
				break
			}
		}
	}
	return m
}

func txt(f func(p *Person) string) func(p *Person) cell {
	return func(p *Person) cell { return cell{text: f(p)} }
}

func dmy(p *Person) string { return p.Birth.Format("02/01/2006") }

// WriteMessy writes the messy provincial sheets that ingest's tests read
// (legacy TCVN3 and VNI fonts, title rows, a merged two-row header, a
// workbook of village sheets with blank rows and footers, Excel serial
// dates, a Windows-1258 CSV) and expected.json describing them.
func WriteMessy(dir string, seed int64) (*MessyExpected, error) {
	t, err := loadTables()
	if err != nil {
		return nil, err
	}
	e, err := loadEncoders()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create %s: %w", dir, err)
	}
	r := rand.New(rand.NewPCG(uint64(seed), 0x3e55))
	exp := &MessyExpected{
		GeneratedBy: fmt.Sprintf("dancu gen --messy DIR --seed %d", seed),
		Notes: []string{
			"Rows are 1-based sheet rows (CSV: 1-based lines). Columns are letters by position.",
			"data_rows counts the non-blank rows between the header and the footer; accepted + rejected = data_rows.",
			"rejected counts rows with an impossible date of birth, an 11-digit identification number or no name (strict validation); rejected_missing_name counts those rejected even when bad dates and numbers are only noted.",
			"Names are the decoded Unicode (NFC) a correct reader returns; .VnTimeH cells decode to upper case.",
			"persons lists every data row with the generated person it came from (bad rows included).",
		},
	}
	// pick draws a commune of the given type ("Xã" for villages, "Phường"
	// for urban residential groups).
	pick := func(typ string) place {
		for {
			if p := t.randomPlace(r, ""); p.c.Type == typ {
				return p
			}
		}
	}
	south := func() place { // a Mekong delta commune, where villages are ấp
		for {
			if p := t.randomPlace(r, ""); p.c.Type == "Xã" && p.c.ProvinceCode >= "80" {
				return p
			}
		}
	}
	sourceDate := "2024-05-01"

	// 1. TCVN3 (.VnTime / .VnTimeH) list under title rows.
	{
		home := pick("Xã")
		home.detail = "Thôn " + strconv.Itoa(1+r.IntN(9))
		ps := messyPersons(t, uint64(seed)+1, home, 40)
		sp := &sheetSpec{
			name:       "DS nhan khau",
			titles:     []string{"ỦY BAN NHÂN DÂN " + strings.ToUpper(home.c.Name), "DANH SÁCH NHÂN KHẨU " + strings.ToUpper(home.detail)},
			titleFont:  ".VnTimeH",
			headerFont: ".VnTime",
			persons:    ps,
			bad:        plantBad(r, len(ps), ProblemImpossibleDate, ProblemID11Digits, ProblemMissingName),
			cols: []colSpec{
				{header: "STT", field: "stt", font: ".VnTime", value: nil},
				{header: "Họ và tên", field: "full_name", font: ".VnTimeH", nameCol: true, value: txt((*Person).FullName)},
				{header: "Ngày sinh", field: "birth_date", font: ".VnTime", dateCol: true, value: txt(dmy)},
				{header: "Giới tính", field: "sex", font: ".VnTime", value: txt(func(p *Person) string { return sexText(p.Sex) })},
				{header: "Số CMND/CCCD", field: "id_any", font: ".VnTime", idCol: true, value: txt(func(p *Person) string { return p.IDNumber })},
				{header: "Quê quán", field: "native_place", font: ".VnTime", value: txt(func(p *Person) string { return renderAddress(p.Native, false) })},
				{header: "Nơi thường trú", field: "perm_address", font: ".VnTime", value: txt(func(p *Person) string { return renderAddress(p.Perm, false) })},
				{header: "Quan hệ với chủ hộ", field: "relation_to_head", font: ".VnTime", value: txt(func(p *Person) string { return p.Relation })},
			},
			footer: [][2]string{{"B", "Người lập biểu"}, {"B", "(Ký, ghi rõ họ tên)"}, {"G", "TM. ỦY BAN NHÂN DÂN"}},
		}
		numberSTT(sp)
		mf, err := writeWorkbook(filepath.Join(dir, "tcvn3_danhsach.xlsx"), e, r, sp)
		if err != nil {
			return nil, err
		}
		mf.SourceDate = sourceDate
		exp.Files = append(exp.Files, *mf)
	}

	// 2. VNI-Times list, other header wordings, one row per person.
	{
		home := pick("Xã")
		home.detail = "Xóm " + villageNames[r.IntN(len(villageNames))]
		ps := messyPersons(t, uint64(seed)+2, home, 40)
		sp := &sheetSpec{
			name:       "Sheet1",
			titles:     []string{"ỦY BAN NHÂN DÂN " + strings.ToUpper(home.c.Name), "DANH SÁCH NHÂN KHẨU HỘ GIA ĐÌNH"},
			titleFont:  "VNI-Times",
			headerFont: "VNI-Times",
			persons:    ps,
			bad:        plantBad(r, len(ps), ProblemImpossibleDate, ProblemID11Digits, ProblemMissingName),
			cols: []colSpec{
				{header: "TT", field: "stt", font: "VNI-Times"},
				{header: "HỌ TÊN", field: "full_name", font: "VNI-Times", nameCol: true, value: txt((*Person).FullName)},
				{header: "Ngày tháng năm sinh", field: "birth_date", font: "VNI-Times", dateCol: true, value: txt(func(p *Person) string { return p.Birth.Format("2/1/2006") })},
				{header: "Giới tính", field: "sex", font: "VNI-Times", value: txt(func(p *Person) string { return sexText(p.Sex) })},
				{header: "Số ĐDCN", field: "id_number", font: "VNI-Times", idCol: true, value: txt(func(p *Person) string { return p.IDNumber })},
				{header: "Họ tên chủ hộ", field: "household_head", font: "VNI-Times", value: txt(func(p *Person) string { return p.HeadName })},
				{header: "Quan hệ với chủ hộ", field: "relation_to_head", font: "VNI-Times", value: txt(func(p *Person) string { return p.Relation })},
				{header: "Nơi thường trú", field: "perm_address", font: "VNI-Times", value: txt(func(p *Person) string { return renderAddress(p.Perm, false) })},
			},
			footer: [][2]string{{"B", "Người lập biểu"}, {"F", "Trưởng thôn"}},
		}
		numberSTT(sp)
		mf, err := writeWorkbook(filepath.Join(dir, "vni_danhsach.xlsx"), e, r, sp)
		if err != nil {
			return nil, err
		}
		mf.SourceDate = sourceDate
		exp.Files = append(exp.Files, *mf)
	}

	// 3. Unicode list with a merged two-row header and serial dates under
	// the Nam / Nữ columns.
	{
		home := pick("Phường")
		home.detail = "Tổ dân phố " + strconv.Itoa(1+r.IntN(12))
		ps := messyPersons(t, uint64(seed)+3, home, 40)
		const font = "Times New Roman"
		dateFor := func(sex byte) func(p *Person) cell {
			return func(p *Person) cell {
				if p.Sex != sex {
					return cell{}
				}
				return cell{serial: excelSerial(p.Birth)}
			}
		}
		sp := &sheetSpec{
			name:       "Danh sách",
			titles:     []string{"ỦY BAN NHÂN DÂN " + strings.ToUpper(home.c.Name), "CÔNG AN " + strings.ToUpper(home.c.Name), "DANH SÁCH NHÂN KHẨU THƯỜNG TRÚ " + strings.ToUpper(home.detail)},
			titleFont:  font,
			headerFont: font,
			twoRow:     true,
			persons:    ps,
			bad:        plantBad(r, len(ps), ProblemImpossibleDate, ProblemID11Digits, ProblemMissingName),
			cols: []colSpec{
				{header: "STT", field: "stt", font: font},
				{header: "Họ và tên", field: "full_name", font: font, nameCol: true, value: txt((*Person).FullName)},
				{parent: "Ngày sinh", header: "Nam", field: "birth_date_male", font: font, dateCol: true, value: dateFor('M')},
				{parent: "Ngày sinh", header: "Nữ", field: "birth_date_female", font: font, dateCol: true, value: dateFor('F')},
				{header: "Số định danh cá nhân", field: "id_number", font: font, idCol: true, value: txt(func(p *Person) string { return p.IDNumber })},
				{parent: "Nơi cư trú", header: "Nơi thường trú", field: "perm_address", font: font, value: txt(func(p *Person) string { return renderAddress(p.Perm, false) })},
				{parent: "Nơi cư trú", header: "Nơi ở hiện tại", field: "cur_address", font: font, value: txt(func(p *Person) string { return renderAddress(p.Cur, false) })},
				{header: "Họ tên chủ hộ", field: "household_head", font: font, value: txt(func(p *Person) string { return p.HeadName })},
				{header: "Quan hệ với chủ hộ", field: "relation_to_head", font: font, value: txt(func(p *Person) string { return p.Relation })},
			},
			footer: [][2]string{{"B", "NGƯỜI LẬP BIỂU"}, {"B", "(Ký, ghi rõ họ tên)"}, {"H", "TRƯỞNG CÔNG AN XÃ"}},
		}
		numberSTT(sp)
		mf, err := writeWorkbook(filepath.Join(dir, "merged_header.xlsx"), e, r, sp)
		if err != nil {
			return nil, err
		}
		mf.SourceDate = sourceDate
		exp.Files = append(exp.Files, *mf)
	}

	// 4. One workbook, one sheet per village, blank rows between
	// households, footers with signatures, serial dates.
	{
		c := pick("Xã")
		var sheets []*sheetSpec
		for k, village := range []string{"Thôn 1", "Thôn 2", "Thôn Đông"} {
			home := c
			home.detail = village
			ps := messyPersons(t, uint64(seed)+10+uint64(k), home, 25)
			const font = "Times New Roman"
			problem := []string{ProblemMissingName, ProblemID11Digits, ProblemImpossibleDate}[k]
			sp := &sheetSpec{
				name:       village,
				titles:     []string{"ỦY BAN NHÂN DÂN " + strings.ToUpper(home.c.Name), "DANH SÁCH NHÂN KHẨU " + strings.ToUpper(village)},
				titleFont:  font,
				headerFont: font,
				persons:    ps,
				bad:        plantBad(r, len(ps), problem),
				blankAfter: householdBreaks(ps),
				cols: []colSpec{
					{header: "STT", field: "stt", font: font},
					{header: "Họ và tên", field: "full_name", font: font, nameCol: true, value: txt((*Person).FullName)},
					{header: "Ngày, tháng, năm sinh", field: "birth_date", font: font, dateCol: true, value: func(p *Person) cell { return cell{serial: excelSerial(p.Birth)} }},
					{header: "Giới tính", field: "sex", font: font, value: txt(func(p *Person) string { return sexText(p.Sex) })},
					{header: "Dân tộc", field: "ethnicity", font: font, value: txt(func(p *Person) string { return p.Ethnicity })},
					{header: "Số CCCD", field: "id_number", font: font, idCol: true, value: txt(func(p *Person) string { return p.IDNumber })},
					{header: "Số CMND", field: "cmnd", font: font, value: txt(func(p *Person) string { return p.CMND })},
					{header: "Quan hệ với chủ hộ", field: "relation_to_head", font: font, value: txt(func(p *Person) string { return p.Relation })},
					{header: "Ghi chú", field: "remark", font: font, value: txt(func(p *Person) string { return "" })},
				},
				footer: [][2]string{
					{"G", strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(c.c.Name, "Xã "), "Phường "), "Thị trấn ") + ", ngày 15 tháng 4 năm 2024"},
					{"B", "Người lập biểu"}, {"G", "TRƯỞNG THÔN"}, {"B", "(Ký, ghi rõ họ tên)"},
					{"B", ps[len(ps)-1].HeadName}, {"G", ps[0].HeadName},
				},
			}
			numberSTT(sp)
			sheets = append(sheets, sp)
		}
		mf, err := writeWorkbook(filepath.Join(dir, "thon_workbook.xlsx"), e, r, sheets...)
		if err != nil {
			return nil, err
		}
		mf.SourceDate = sourceDate
		exp.Files = append(exp.Files, *mf)
	}

	// 5. CSV in Windows-1258, a title line above the header.
	{
		home := south()
		home.detail = "Ấp " + strconv.Itoa(1+r.IntN(9))
		ps := messyPersons(t, uint64(seed)+4, home, 40)
		mf, err := writeCSV1258(filepath.Join(dir, "win1258.csv"), r, home, ps)
		if err != nil {
			return nil, err
		}
		mf.SourceDate = sourceDate
		exp.Files = append(exp.Files, *mf)
	}

	b, err := json.MarshalIndent(exp, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode expected.json: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "expected.json"), append(b, '\n'), 0o644); err != nil {
		return nil, fmt.Errorf("write expected.json: %w", err)
	}
	return exp, nil
}

// numberSTT fills the STT column: 1, 2, 3 … in data order.
func numberSTT(sp *sheetSpec) {
	idx := map[string]int{}
	for i, p := range sp.persons {
		idx[p.ID] = i + 1
	}
	for i := range sp.cols {
		if sp.cols[i].field == "stt" {
			sp.cols[i].value = func(p *Person) cell { return cell{text: strconv.Itoa(idx[p.ID])} }
		}
	}
}

func writeWorkbook(path string, e *encoders, r *rand.Rand, sheets ...*sheetSpec) (*MessyFile, error) {
	f := excelize.NewFile()
	defer f.Close()
	mf := &MessyFile{File: filepath.Base(path), Format: "xlsx"}
	for i, sp := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", sp.name); err != nil {
				return nil, fmt.Errorf("write %s: %w", path, err)
			}
		} else if _, err := f.NewSheet(sp.name); err != nil {
			return nil, fmt.Errorf("write %s: %w", path, err)
		}
		ms, err := sp.writeSheet(f, e, r)
		if err != nil {
			return nil, fmt.Errorf("write %s: %w", path, err)
		}
		mf.Sheets = append(mf.Sheets, ms)
	}
	if err := f.SaveAs(path); err != nil {
		return nil, fmt.Errorf("save %s: %w", path, err)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		return nil, fmt.Errorf("save %s: %w", path, err)
	}
	return mf, nil
}

func writeCSV1258(path string, r *rand.Rand, home place, ps []*Person) (*MessyFile, error) {
	headers := []string{"STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số định danh cá nhân", "Dân tộc", "Tôn giáo", "Quê quán", "Nơi thường trú", "Họ tên cha", "Họ tên mẹ"}
	fields := []string{"stt", "full_name", "birth_date", "sex", "id_number", "ethnicity", "religion", "native_place", "perm_address", "father_name", "mother_name"}
	ms := MessySheet{HeaderRow: 3, HeaderRows: 1, FirstDataRow: 4}
	for i, h := range headers {
		ms.Columns = append(ms.Columns, MessyColumn{Column: colLetter(i), Header: h, Field: fields[i], Encoding: "windows-1258"})
	}
	var sb strings.Builder
	w := csv.NewWriter(&sb)
	w.UseCRLF = true
	row := make([]string, len(headers))
	write := func(rec []string) {
		w.Write(rec)
	}
	title := make([]string, len(headers))
	title[0] = "DANH SÁCH NHÂN KHẨU " + strings.ToUpper(home.detail+", "+home.c.Name)
	write(title)
	write(make([]string, len(headers)))
	write(headers)
	bad := plantBad(r, len(ps), ProblemImpossibleDate, ProblemID11Digits, ProblemMissingName)
	line := 4
	for i, p := range ps {
		copy(row, []string{strconv.Itoa(i + 1), p.FullName(), p.Birth.Format("02/01/2006"), sexText(p.Sex), p.IDNumber,
			p.Ethnicity, p.Religion, renderAddress(p.Native, false), renderAddress(p.Perm, false), p.FatherName, p.MotherName})
		switch bad[i] {
		case ProblemMissingName:
			row[1] = ""
			ms.BadRows = append(ms.BadRows, MessyBad{Row: line, Column: headers[1], Field: fields[1], Value: "", Problem: bad[i]})
		case ProblemID11Digits:
			row[4] = p.IDNumber[:11]
			ms.BadRows = append(ms.BadRows, MessyBad{Row: line, Column: headers[4], Field: fields[4], Value: row[4], Problem: bad[i]})
		case ProblemImpossibleDate:
			v, _ := badValue(ProblemImpossibleDate, colSpec{dateCol: true, value: txt(dmy)}, p, r)
			row[2] = v.text
			ms.BadRows = append(ms.BadRows, MessyBad{Row: line, Column: headers[2], Field: fields[2], Value: row[2], Problem: bad[i]})
		default:
			if len(ms.Names) < 8 {
				ms.Names = append(ms.Names, MessyName{Row: line, FullName: p.FullName(), BirthDate: p.Birth.Format("2006-01-02")})
			}
		}
		write(row)
		ms.Persons = append(ms.Persons, MessyTruth{Row: line, PersonID: p.ID, IDNumber: p.IDNumber})
		ms.LastDataRow = line
		ms.DataRows++
		line++
	}
	write(make([]string, len(headers)))
	line++
	foot := make([]string, len(headers))
	foot[1] = "Người lập biểu"
	write(foot)
	ms.Footer = append(ms.Footer, MessyFoot{Row: line, Text: foot[1]})
	w.Flush()
	countBad(&ms)
	b, err := encode1258(sb.String())
	if err != nil {
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	return &MessyFile{File: filepath.Base(path), Format: "csv", TextEncoding: "windows-1258", Sheets: []MessySheet{ms}}, nil
}
