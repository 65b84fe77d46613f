//go:build ignore

// gen writes two commune workbooks the way two offices of one commune keep
// them, and truth.json, what each of their rows holds (in Unicode, as the
// clerk meant it). It was written before reading the importer's tests or
// the other trials' workbooks (issue 1/4, user17).
//
//	go run ./ingest/testdata/user17/gen.go -out ingest/testdata/user17
//
// quynhhung_tcvn3.xlsx — the commune office's register: .VnTime text
// (headers in .VnTimeH), a cover sheet, a "Tổng hợp" sheet of formulas, a
// sheet per hamlet with a three-row merged header (Ngày | Tháng | Năm, Nam |
// Nữ tick columns, Nơi thường trú in three level columns), households with
// blank rows between them, a hidden row and a hidden column, a filter left
// on, a totals row, names pasted from the web in Unicode (Times New Roman),
// identification numbers as numbers (leading zero lost, one shown in
// scientific notation, one typed as "4.0109E+10" text), STT as formulas.
//
// quynhhung_vni.xlsx — the police post's list of the same people: VNI-Times,
// a two-row header, one "Ngày sinh" column typed every way ("12/3/1985",
// "1985", "03-1985", "12.03.85", serial dates, a DATE formula), "Giới tính"
// as Nam/Nữ, IDs with spaces or as numbers, names wrapped over two lines,
// trailing and non-breaking spaces.
//
// The .xls files are the same workbooks saved by LibreOffice as Excel
// 97–2003 (BIFF8):
//
//	soffice --headless --convert-to xls --outdir DIR FILE.xlsx
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/unicode/norm"
)

// ---- legacy encoders, written from the font tables, independent of vn ----

// tcvn3 maps a lower-case Vietnamese letter to its TCVN3 (ABC) byte. Upper
// case toned letters have no code of their own: ABC keyboards type the
// lower-case code (shown upper case by .VnTimeH); Ă Â Ê Ô Ơ Ư Đ have codes.
var tcvn3 = map[rune]byte{
	'Ă': 0xA1, 'Â': 0xA2, 'Ê': 0xA3, 'Ô': 0xA4, 'Ơ': 0xA5, 'Ư': 0xA6, 'Đ': 0xA7,
	'ă': 0xA8, 'â': 0xA9, 'ê': 0xAA, 'ô': 0xAB, 'ơ': 0xAC, 'ư': 0xAD, 'đ': 0xAE,
	'à': 0xB5, 'ả': 0xB6, 'ã': 0xB7, 'á': 0xB8, 'ạ': 0xB9,
	'ằ': 0xBB, 'ẳ': 0xBC, 'ẵ': 0xBD, 'ắ': 0xBE, 'ặ': 0xC6,
	'ầ': 0xC7, 'ẩ': 0xC8, 'ẫ': 0xC9, 'ấ': 0xCA, 'ậ': 0xCB,
	'è': 0xCC, 'ẻ': 0xCE, 'ẽ': 0xCF, 'é': 0xD0, 'ẹ': 0xD1,
	'ề': 0xD2, 'ể': 0xD3, 'ễ': 0xD4, 'ế': 0xD5, 'ệ': 0xD6,
	'ì': 0xD7, 'ỉ': 0xD8, 'ĩ': 0xDC, 'í': 0xDD, 'ị': 0xDE,
	'ò': 0xDF, 'ỏ': 0xE1, 'õ': 0xE2, 'ó': 0xE3, 'ọ': 0xE4,
	'ồ': 0xE5, 'ổ': 0xE6, 'ỗ': 0xE7, 'ố': 0xE8, 'ộ': 0xE9,
	'ờ': 0xEA, 'ở': 0xEB, 'ỡ': 0xEC, 'ớ': 0xED, 'ợ': 0xEE,
	'ù': 0xEF, 'ủ': 0xF1, 'ũ': 0xF2, 'ú': 0xF3, 'ụ': 0xF4,
	'ừ': 0xF5, 'ử': 0xF6, 'ữ': 0xF7, 'ứ': 0xF8, 'ự': 0xF9,
	'ỳ': 0xFA, 'ỷ': 0xFB, 'ỹ': 0xFC, 'ý': 0xFD, 'ỵ': 0xFE,
}

// cp1252 is how Excel shows a byte of a legacy font's text: the cell holds
// the Windows-1252 character of the byte (all bytes used here are ≥ 0xA0 or
// ASCII, where Windows-1252 and Latin-1 agree).
func cp1252(b byte) rune { return rune(b) }

func encTCVN3(s string) string {
	var out strings.Builder
	for _, r := range norm.NFC.String(s) {
		if r < 0x80 {
			out.WriteRune(r)
			continue
		}
		if b, ok := tcvn3[r]; ok {
			out.WriteRune(cp1252(b))
			continue
		}
		if b, ok := tcvn3[unicode.ToLower(r)]; ok {
			out.WriteRune(cp1252(b))
			continue
		}
		log.Fatalf("TCVN3 has no %q (in %q)", r, s)
	}
	return out.String()
}

// VNI: a base letter then a mark byte (lower-case marks shown; upper case is
// the byte − 0x20). Tones on a, e, o, u, y, ơ, ư: ù ø û õ ï; on â ê ô: á à å
// ã ä (the circumflex byte â replaced); on ă: é è ú ü ë (breve ê replaced).
// i has single bytes í ì æ ó ò; ỵ is î; ơ ô, ư ö, đ ñ.
func encVNI(s string) string {
	var out strings.Builder
	for _, r := range norm.NFC.String(s) {
		if r < 0x80 {
			out.WriteRune(r)
			continue
		}
		upper := unicode.IsUpper(r)
		d := []rune(norm.NFD.String(string(unicode.ToLower(r))))
		base, tone, shape := d[0], rune(0), rune(0)
		for _, m := range d[1:] {
			switch m {
			case 0x0301, 0x0300, 0x0309, 0x0303, 0x0323:
				tone = m
			case 0x0302, 0x0306, 0x031B:
				shape = m
			}
		}
		var bs []byte
		toneIdx := map[rune]int{0x0301: 0, 0x0300: 1, 0x0309: 2, 0x0303: 3, 0x0323: 4}
		plain := []byte{0xF9, 0xF8, 0xFB, 0xF5, 0xEF}
		circ := []byte{0xE1, 0xE0, 0xE5, 0xE3, 0xE4}
		breve := []byte{0xE9, 0xE8, 0xFA, 0xFC, 0xEB}
		switch {
		case base == 'đ' || r == 'đ' || r == 'Đ':
			bs = []byte{0xF1}
		case base == 'i':
			if tone == 0 {
				bs = []byte{'i'}
			} else {
				bs = []byte{[]byte{0xED, 0xEC, 0xE6, 0xF3, 0xF2}[toneIdx[tone]]}
			}
		case base == 'y' && tone == 0x0323:
			bs = []byte{0xEE}
		case shape == 0x031B: // horn: ơ ư
			b := byte(0xF4)
			if base == 'u' {
				b = 0xF6
			}
			bs = []byte{b}
			if tone != 0 {
				bs = append(bs, plain[toneIdx[tone]])
			}
		case shape == 0x0302:
			bs = []byte{byte(base), 0xE2}
			if tone != 0 {
				bs[1] = circ[toneIdx[tone]]
			}
		case shape == 0x0306:
			bs = []byte{byte(base), 0xEA}
			if tone != 0 {
				bs[1] = breve[toneIdx[tone]]
			}
		default:
			bs = []byte{byte(base)}
			if tone != 0 {
				bs = append(bs, plain[toneIdx[tone]])
			}
		}
		if bs[0] == 0 || base > 0x7F && base != 'đ' {
			log.Fatalf("VNI has no %q (in %q)", r, s)
		}
		for _, b := range bs {
			if upper {
				if b >= 'a' && b <= 'z' {
					b -= 0x20
				} else if b >= 0xE0 && b != 0xF7 {
					b -= 0x20
				}
			}
			out.WriteRune(cp1252(b))
		}
	}
	return out.String()
}

// ---- the people ----

type person struct {
	Hamlet   string
	Name     string
	Day      int // 0 = unknown
	Month    int
	Year     int
	Sex      string // M or F
	CCCD     string // 12 digits
	CMND     string // 9 digits
	Relation string
	Note     string
	Head     bool
}

var people = []person{
	// Thôn Thượng
	{"Thôn Thượng", "Hồ Sỹ Đường", 12, 3, 1958, "M", "040058001234", "", "Chủ hộ", "", true},
	{"Thôn Thượng", "Nguyễn Thị Huệ", 0, 0, 1961, "F", "040161002345", "", "Vợ", "", false},
	{"Thôn Thượng", "Hồ Thị Thủy", 5, 11, 1985, "F", "", "186254789", "Con", "Đi làm ăn xa", false},
	{"Thôn Thượng", "Hồ Sỹ Phước", 20, 7, 1990, "M", "040090003456", "", "Con", "", false},
	{"Thôn Thượng", "Ông Văn Ổn", 0, 0, 1975, "M", "040075004567", "", "Chủ hộ", "", true},
	{"Thôn Thượng", "Lê Bá Tý", 12, 3, 1978, "M", "", "", "Em", "Mới chuyển đến", false},
	{"Thôn Thượng", "Ông Thị Yến", 0, 3, 1985, "F", "040185005678", "", "Vợ", "", false},
	{"Thôn Thượng", "Ông Đức Ưng", 9, 9, 2008, "M", "", "", "Con", "", false},
	{"Thôn Thượng", "Trần Thị Mỵ", 1, 1, 1949, "F", "040149006789", "", "Chủ hộ", "Hộ nghèo", true},
	{"Thôn Thượng", "Phạm Văn Lữ", 30, 4, 1975, "M", "040075007890", "", "Con", "", false},
	// Thôn Hạ
	{"Thôn Hạ", "Nguyễn Hữu Nghĩa", 2, 9, 1945, "M", "040045008901", "", "Chủ hộ", "Thương binh", true},
	{"Thôn Hạ", "Đặng Thị Bưởi", 15, 6, 1950, "F", "", "186000123", "Vợ", "", false},
	{"Thôn Hạ", "Nguyễn Hữu Khương", 28, 2, 1980, "M", "040080009012", "", "Con", "", false},
	{"Thôn Hạ", "Nguyễn Thị Ngọc Diệp", 17, 10, 2012, "F", "040312000123", "", "Cháu", "", false},
	{"Thôn Hạ", "Võ Thị Lựu", 0, 0, 1938, "F", "040138001122", "", "Chủ hộ", "", true},
	{"Thôn Hạ", "Võ Hoàng Quyết", 24, 12, 1968, "M", "040068002233", "", "Con", "", false},
	{"Thôn Hạ", "Hoàng Trọng Nhượng", 11, 11, 1963, "M", "040063003344", "", "Chủ hộ", "", true},
	{"Thôn Hạ", "Phạm Thị Xuyến", 8, 8, 1966, "F", "040166004455", "", "Vợ", "", false},
	{"Thôn Hạ", "Hoàng Thị Kiều Oanh", 19, 5, 1993, "F", "040193005566", "", "Con", "", false},
	{"Thôn Hạ", "Đỗ Văn Ẩn", 3, 2, 1999, "M", "040099006677", "", "Con rể", "", false},
}

func (p person) iso() string {
	switch {
	case p.Day > 0:
		return fmt.Sprintf("%04d-%02d-%02d", p.Year, p.Month, p.Day)
	case p.Month > 0:
		return fmt.Sprintf("%04d-%02d", p.Year, p.Month)
	default:
		return fmt.Sprintf("%04d", p.Year)
	}
}

// ---- truth ----

type expect struct {
	File     string `json:"file"` // the .xlsx; its .xls copy has the same rows
	Sheet    string `json:"sheet"`
	Row      int    `json:"row"`
	Person   int    `json:"person"` // index in the people list, -1 for none
	Outcome  string `json:"outcome"`
	Name     string `json:"full_name,omitempty"`
	Birth    string `json:"birth_date,omitempty"`
	Sex      string `json:"sex,omitempty"`
	ID       string `json:"id_number,omitempty"`
	CMND     string `json:"cmnd,omitempty"`
	Relation string `json:"relation_to_head,omitempty"`
	Address  string `json:"perm_address,omitempty"`
	Why      string `json:"why,omitempty"`  // what the row tests
	Text     string `json:"text,omitempty"` // a row of a sheet with no list: its text
}

var truth []expect

func accept(file, sheet string, row, i int, why string, idOK bool) {
	p := people[i]
	e := expect{File: file, Sheet: sheet, Row: row, Person: i, Outcome: "accepted",
		Name: p.Name, Birth: p.iso(), Sex: p.Sex, Relation: p.Relation, Why: why}
	if idOK {
		e.ID, e.CMND = p.CCCD, p.CMND
	}
	truth = append(truth, e)
}

func skip(file, sheet string, row int, why string) {
	truth = append(truth, expect{File: file, Sheet: sheet, Row: row, Person: -1, Outcome: "skipped", Why: why})
}

// noList records a row of a sheet that holds no list (a cover, a
// summary): the import reports the sheet, with this text decoded.
func noList(file, sheet string, row int, text string) {
	truth = append(truth, expect{File: file, Sheet: sheet, Row: row, Person: -1, Outcome: "no header", Text: text})
}

// ---- workbook helpers ----

type book struct {
	f      *excelize.File
	name   string
	styles map[string]int
}

func newBook(name string) *book {
	return &book{f: excelize.NewFile(), name: name, styles: map[string]int{}}
}

// style returns a style of font family (and bold, wrap, number format).
func (b *book) style(font string, bold, wrap bool, numFmt string) int {
	key := fmt.Sprint(font, bold, wrap, numFmt)
	if id, ok := b.styles[key]; ok {
		return id
	}
	st := &excelize.Style{Font: &excelize.Font{Family: font, Size: 12, Bold: bold}}
	if wrap || bold {
		st.Alignment = &excelize.Alignment{WrapText: wrap, Horizontal: "center", Vertical: "center"}
	}
	if numFmt != "" {
		st.CustomNumFmt = &numFmt
	}
	id, err := b.f.NewStyle(st)
	must(err)
	b.styles[key] = id
	return id
}

func (b *book) put(sheet, cell string, v any, style int) {
	must(b.f.SetCellValue(sheet, cell, v))
	must(b.f.SetCellStyle(sheet, cell, cell, style))
}

func (b *book) formula(sheet, cell, f string, cached any, style int) {
	must(b.f.SetCellValue(sheet, cell, cached))
	must(b.f.SetCellFormula(sheet, cell, f))
	must(b.f.SetCellStyle(sheet, cell, cell, style))
}

func (b *book) merge(sheet, from, to string) { must(b.f.MergeCell(sheet, from, to)) }

func cell(col string, row int) string { return fmt.Sprintf("%s%d", col, row) }

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

// ---- the commune office's TCVN3 register ----

func tcvn3Book(dir string) {
	const file = "quynhhung_tcvn3.xlsx"
	b := newBook(file)
	f := b.f
	vn := b.style(".VnTime", false, false, "")
	vnH := b.style(".VnTimeH", true, true, "")
	vnB := b.style(".VnTime", true, false, "")
	uni := b.style("Times New Roman", false, false, "")
	num := b.style(".VnTime", false, false, "0")
	sci := b.style(".VnTime", false, false, "0.00E+00")

	// Cover sheet.
	cover := "Bia"
	must(f.SetSheetName("Sheet1", cover))
	b.put(cover, "A2", encTCVN3("ỦY BAN NHÂN DÂN"), vnH)
	b.put(cover, "A3", encTCVN3("XÃ QUỲNH HƯNG"), vnH)
	b.put(cover, "D2", encTCVN3("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), vnH)
	b.put(cover, "D3", encTCVN3("Độc lập - Tự do - Hạnh phúc"), vnB)
	b.put(cover, "B8", encTCVN3("SỔ THEO DÕI NHÂN KHẨU THƯỜNG TRÚ"), vnH)
	noList(file, cover, 8, "SỔ THEO DÕI NHÂN KHẨU THƯỜNG TRÚ")
	b.put(cover, "B9", encTCVN3("Xã Quỳnh Hưng, huyện Quỳnh Lưu, tỉnh Nghệ An"), vn)
	b.put(cover, "B10", encTCVN3("Năm 2026"), vn)
	b.put(cover, "A20", encTCVN3("Người lập biểu"), vnB)
	b.put(cover, "D20", encTCVN3("TM. UBND XÃ"), vnB)
	b.put(cover, "D21", encTCVN3("CHỦ TỊCH"), vnB)
	b.put(cover, "D22", encTCVN3("(Ký, ghi rõ họ tên, đóng dấu)"), vn)
	b.put(cover, "A26", encTCVN3("Lê Thị Hằng"), vnB)
	b.put(cover, "D26", encTCVN3("Nguyễn Văn Thắng"), vnB)

	// Summary sheet.
	sum := encTCVN3("Tổng hợp")
	_, err := f.NewSheet(sum)
	must(err)
	b.put(sum, "A1", encTCVN3("TỔNG HỢP NHÂN KHẨU THEO THÔN"), vnH)
	noList(file, sum, 1, "TỔNG HỢP NHÂN KHẨU THEO THÔN")
	for i, h := range []string{"STT", "Thôn", "Số hộ", "Số nhân khẩu", "Nam", "Nữ"} {
		c, _ := excelize.CoordinatesToCellName(i+1, 3)
		b.put(sum, c, encTCVN3(h), vnH)
	}

	hamlets := []string{"Thôn Thượng", "Thôn Hạ"}
	for hi, hamlet := range hamlets {
		sh := encTCVN3(hamlet)
		_, err := f.NewSheet(sh)
		must(err)
		// Title rows.
		b.put(sh, "A1", encTCVN3("UBND XÃ QUỲNH HƯNG"), vnH)
		b.put(sh, "A2", encTCVN3("DANH SÁCH NHÂN KHẨU "+strings.ToUpper(hamlet)), vnH)
		b.merge(sh, "A2", "N2")
		// Three header rows: 4 (groups), 5 (sub-columns), 6 (column numbers).
		// A STT | B Họ và tên | C Mã hộ (hidden) | D-F Ngày tháng năm sinh |
		// G-H Giới tính (Nam | Nữ) | I Số CCCD/CMND | J Quan hệ với chủ hộ |
		// K-M Nơi thường trú (Thôn | Xã | Huyện) | N Ghi chú
		top := map[string]string{"A": "STT", "B": "Họ và tên", "C": "Mã hộ", "D": "Ngày tháng năm sinh",
			"G": "Giới tính", "I": "Số CCCD/CMND", "J": "Quan hệ với chủ hộ", "K": "Nơi thường trú", "N": "Ghi chú"}
		for col, h := range top {
			b.put(sh, col+"4", encTCVN3(h), vnH)
		}
		sub := map[string]string{"D": "Ngày", "E": "Tháng", "F": "Năm", "G": "Nam", "H": "Nữ",
			"K": "Thôn", "L": "Xã", "M": "Huyện"}
		for col, h := range sub {
			b.put(sh, col+"5", encTCVN3(h), vnH)
		}
		for _, col := range []string{"A", "B", "C", "I", "J", "N"} {
			b.merge(sh, col+"4", col+"5")
		}
		b.merge(sh, "D4", "F4")
		b.merge(sh, "G4", "H4")
		b.merge(sh, "K4", "M4")
		for i := 0; i < 14; i++ {
			c, _ := excelize.CoordinatesToCellName(i+1, 6)
			b.put(sh, c, fmt.Sprintf("(%d)", i+1), vnB)
		}
		must(f.SetColVisible(sh, "C", false))
		must(f.SetColWidth(sh, "B", "B", 26))
		skip(file, sh, 1, "title")
		skip(file, sh, 2, "title")
		skip(file, sh, 4, "header")
		skip(file, sh, 5, "header")
		skip(file, sh, 6, "column numbers")

		row, stt, household := 7, 0, 0
		first := row
		for i, p := range people {
			if p.Hamlet != hamlet {
				continue
			}
			if p.Head {
				household++
				if stt > 0 { // a blank row between households
					skip(file, sh, row, "blank between households")
					row++
				}
			}
			stt++
			r := func(col string) string { return cell(col, row) }
			if stt == 1 {
				b.put(sh, r("A"), 1, num)
			} else {
				b.formula(sh, r("A"), fmt.Sprintf("MAX($A$%d:A%d)+1", first, row-1), stt, num)
			}
			why := "TCVN3 name"
			name := encTCVN3(p.Name)
			nameStyle := vn
			switch p.Name {
			case "Lê Bá Tý", "Đỗ Văn Ẩn":
				// Pasted from the web: Unicode in Times New Roman. "Lê Bá
				// Tý" has only Latin-1 letters, each a TCVN3 byte too.
				name, nameStyle, why = p.Name, uni, "Unicode pasted into a TCVN3 column ("+p.Name+")"
			case "Phạm Văn Lữ":
				name += "  " // trailing spaces
				why = "trailing spaces"
			case "Hoàng Thị Kiều Oanh":
				name = encTCVN3("Hoàng Thị") + "\n" + encTCVN3("Kiều Oanh")
				nameStyle = b.style(".VnTime", false, true, "")
				why = "name wrapped over two lines"
			case "Ông Văn Ổn":
				why = "TCVN3 Ô then a toned capital typed as its lower-case code"
			case "Nguyễn Hữu Khương":
				// Typed in capitals in .VnTimeH, the capitals font.
				name, nameStyle = encTCVN3(strings.ToUpper(p.Name)), b.style(".VnTimeH", false, false, "")
				why = "name in capitals in .VnTimeH in a .VnTime column"
			}
			b.put(sh, r("B"), name, nameStyle)
			b.put(sh, r("C"), fmt.Sprintf("QH%02d%02d", hi+1, household), vn)
			if p.Day > 0 {
				b.put(sh, r("D"), p.Day, num)
			}
			if p.Month > 0 {
				b.put(sh, r("E"), p.Month, num)
			}
			if p.Name == "Nguyễn Thị Huệ" {
				b.put(sh, r("F"), fmt.Sprint(p.Year), vn) // the year typed as text
				why += ", year as text"
			} else {
				b.put(sh, r("F"), p.Year, num)
			}
			tick := "x"
			if p.Name == "Võ Hoàng Quyết" {
				tick = "X"
			}
			if p.Sex == "M" {
				b.put(sh, r("G"), tick, vn)
			} else {
				b.put(sh, r("H"), tick, vn)
			}
			idOK := true
			switch {
			case p.Name == "Hồ Sỹ Phước":
				// A number shown in scientific notation: the value is whole.
				b.put(sh, r("I"), atof(p.CCCD), sci)
				why += ", CCCD as a number shown 4.01E+10"
			case p.Name == "Võ Hoàng Quyết":
				// Typed when the column was in scientific notation, then
				// made text: the digits are gone; the number must not be read.
				b.put(sh, r("I"), "4.0068E+10", vn)
				why += ", CCCD text 4.0068E+10 (digits lost)"
				idOK = false
			case p.CCCD != "":
				b.put(sh, r("I"), atof(p.CCCD), num) // leading zero lost
				why += ", CCCD as a number (leading zero lost)"
			case p.CMND != "":
				b.put(sh, r("I"), atof(p.CMND), num)
				why += ", CMND as a number"
			}
			b.put(sh, r("J"), encTCVN3(p.Relation), vn)
			b.put(sh, r("K"), encTCVN3(hamlet), vn)
			b.put(sh, r("L"), encTCVN3("Quỳnh Hưng"), vn)
			b.put(sh, r("M"), encTCVN3("Quỳnh Lưu"), vn)
			if p.Note != "" {
				b.put(sh, r("N"), encTCVN3(p.Note), vn)
			}
			if p.Name == "Hồ Thị Thủy" || p.Name == "Võ Thị Lựu" {
				must(f.SetRowVisible(sh, row, false))
				why += ", row hidden"
			}
			accept(file, sh, row, i, why, idOK)
			truth[len(truth)-1].Address = hamlet + ", Quỳnh Hưng, Quỳnh Lưu"
			if p.Name == "Nguyễn Hữu Khương" {
				truth[len(truth)-1].Name = strings.ToUpper(p.Name) // as written
			}
			row++
		}
		// Totals row.
		b.put(sh, cell("B", row), encTCVN3("Tổng cộng"), vnB)
		b.formula(sh, cell("G", row), fmt.Sprintf("COUNTA(G%d:G%d)", first, row-1), countSex(hamlet, "M"), num)
		b.formula(sh, cell("H", row), fmt.Sprintf("COUNTA(H%d:H%d)", first, row-1), countSex(hamlet, "F"), num)
		skip(file, sh, row, "totals")
		last := row
		must(f.AutoFilter(sh, fmt.Sprintf("A5:N%d", row-1), nil))
		row += 2
		b.put(sh, cell("J", row), encTCVN3("Quỳnh Hưng, ngày 20 tháng 11 năm 2026"), vn)
		skip(file, sh, row, "place and date")
		b.put(sh, cell("B", row+1), encTCVN3("Người lập biểu"), vnB)
		b.put(sh, cell("J", row+1), encTCVN3("Trưởng thôn"), vnB)
		skip(file, sh, row+1, "signature")
		b.put(sh, cell("B", row+4), encTCVN3("Lê Thị Hằng"), vnB)
		b.put(sh, cell("J", row+4), encTCVN3("Phan Đình Tụng"), vnB)
		skip(file, sh, row+4, "signatory names")

		// Summary line of this hamlet.
		sr := 4 + hi
		b.put(sum, cell("A", sr), hi+1, num)
		b.put(sum, cell("B", sr), encTCVN3(hamlet), vn)
		b.formula(sum, cell("C", sr), fmt.Sprintf("COUNTA('%s'!C%d:C%d)", sh, first, last-1), household, num)
		b.formula(sum, cell("D", sr), fmt.Sprintf("COUNT('%s'!A%d:A%d)", sh, first, last-1), stt, num)
		b.formula(sum, cell("E", sr), fmt.Sprintf("'%s'!G%d", sh, last), countSex(hamlet, "M"), num)
		b.formula(sum, cell("F", sr), fmt.Sprintf("'%s'!H%d", sh, last), countSex(hamlet, "F"), num)
	}
	b.put(sum, "B6", encTCVN3("Cộng"), vnB)
	for _, col := range []string{"C", "D", "E", "F"} {
		b.formula(sum, col+"6", fmt.Sprintf("SUM(%s4:%s5)", col, col), 0, num)
	}
	must(f.SaveAs(filepath.Join(dir, file)))
}

func countSex(hamlet, sex string) int {
	n := 0
	for _, p := range people {
		if p.Hamlet == hamlet && p.Sex == sex {
			n++
		}
	}
	return n
}

func atof(s string) float64 {
	var v float64
	fmt.Sscan(s, &v)
	return v
}

// ---- the police post's VNI list ----

func vniBook(dir string) {
	const file = "quynhhung_vni.xlsx"
	b := newBook(file)
	f := b.f
	vn := b.style("VNI-Times", false, false, "")
	vnB := b.style("VNI-Times", true, true, "")
	vnW := b.style("VNI-Times", false, true, "")
	arial := b.style("Arial", false, false, "")
	date := b.style("VNI-Times", false, false, "dd/mm/yyyy")
	num := b.style("VNI-Times", false, false, "0")
	sci := b.style("VNI-Times", false, false, "0.00E+00")

	sh := "DS"
	must(f.SetSheetName("Sheet1", sh))
	b.put(sh, "A1", encVNI("CÔNG AN XÃ QUỲNH HƯNG"), vnB)
	b.put(sh, "A2", encVNI("DANH SÁCH NHÂN KHẨU THƯỜNG TRÚ (cập nhật tháng 11/2026)"), vnB)
	b.merge(sh, "A2", "K2")
	skip(file, sh, 1, "title")
	skip(file, sh, 2, "title")
	// Two header rows (4, 5):
	// A TT | B Họ và tên | C Ngày sinh | D Giới tính | E Dân tộc (hidden) |
	// F Số định danh/CMND | G Quan hệ với chủ hộ | H-J Nơi thường trú
	// (Xóm | Xã | Huyện) | K Ghi chú
	top := map[string]string{"A": "TT", "B": "Họ và tên", "C": "Ngày, tháng, năm sinh", "D": "Giới tính",
		"E": "Dân tộc", "F": "Số định danh/CMND", "G": "Quan hệ với chủ hộ", "H": "Nơi thường trú", "K": "Ghi chú"}
	for col, h := range top {
		b.put(sh, col+"4", encVNI(h), vnB)
	}
	for col, h := range map[string]string{"H": "Xóm", "I": "Xã", "J": "Huyện"} {
		b.put(sh, col+"5", encVNI(h), vnB)
	}
	for _, col := range []string{"A", "B", "C", "D", "E", "F", "G", "K"} {
		b.merge(sh, col+"4", col+"5")
	}
	b.merge(sh, "H4", "J4")
	must(f.SetColVisible(sh, "E", false))
	skip(file, sh, 4, "header")
	skip(file, sh, 5, "header")

	// The police list's order is its own: Thôn Hạ first.
	order := []int{10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9}
	row, tt := 6, 0
	first := row
	dates := 0
	for _, i := range order {
		p := people[i]
		if p.Head && tt > 0 {
			skip(file, sh, row, "blank between households")
			row++
		}
		tt++
		r := func(col string) string { return cell(col, row) }
		b.put(sh, r("A"), tt, num)
		why := "VNI name"
		name, nameStyle := encVNI(p.Name), vn
		switch p.Name {
		case "Lê Bá Tý", "Trần Thị Mỵ":
			name, nameStyle, why = p.Name, arial, "Unicode pasted into a VNI column ("+p.Name+")"
		case "Nguyễn Thị Ngọc Diệp":
			name, nameStyle, why = encVNI("Nguyễn Thị")+"\n"+encVNI("Ngọc Diệp"), vnW, "name wrapped over two lines"
		case "Hồ Sỹ Phước":
			name += "\u00a0"
			why = "non-breaking space after the name"
		case "Đặng Thị Bưởi":
			name = " " + name + " "
			why = "spaces around the name"
		case "Ông Văn Ổn":
			why = "VNI capitals Ô and Ổ"
		}
		b.put(sh, r("B"), name, nameStyle)
		// Dates, every way they are typed.
		switch {
		case p.Day == 0 && p.Month == 0:
			b.put(sh, r("C"), fmt.Sprint(p.Year), vn)
			why += ", year alone as text"
		case p.Day == 0:
			b.put(sh, r("C"), fmt.Sprintf("%02d-%d", p.Month, p.Year), vn)
			why += ", date MM-YYYY"
		default:
			dates++
			switch dates % 5 {
			case 0:
				b.put(sh, r("C"), fmt.Sprintf("%d/%d/%d", p.Day, p.Month, p.Year), vn)
				why += ", date d/m/yyyy text"
			case 1:
				b.put(sh, r("C"), serial(p), date)
				why += ", date as a serial number"
			case 2:
				if p.Year < 2000 {
					b.put(sh, r("C"), fmt.Sprintf("%02d.%02d.%02d", p.Day, p.Month, p.Year%100), vn)
					why += ", date dd.mm.yy text"
				} else {
					b.put(sh, r("C"), fmt.Sprintf("%02d/%02d/%d", p.Day, p.Month, p.Year), vn)
					why += ", date dd/mm/yyyy text"
				}
			case 3:
				b.formula(sh, r("C"), fmt.Sprintf("DATE(%d,%d,%d)", p.Year, p.Month, p.Day), serial(p), date)
				why += ", date as a DATE formula"
			case 4:
				b.put(sh, r("C"), fmt.Sprintf("%d-%d-%d", p.Day, p.Month, p.Year), vn)
				why += ", date d-m-yyyy text"
			}
		}
		sex := map[string]string{"M": "Nam", "F": "Nữ"}[p.Sex]
		b.put(sh, r("D"), encVNI(sex), vn)
		b.put(sh, r("E"), "Kinh", vn)
		idOK := true
		switch {
		case p.CCCD != "" && tt%3 == 0:
			b.put(sh, r("F"), p.CCCD[:3]+" "+p.CCCD[3:6]+" "+p.CCCD[6:], vn)
			why += ", CCCD with spaces"
		case p.CCCD != "" && tt%3 == 1:
			b.put(sh, r("F"), atof(p.CCCD), sci)
			why += ", CCCD as a number in scientific format"
		case p.CCCD != "":
			b.put(sh, r("F"), p.CCCD, vn)
			why += ", CCCD as text"
		case p.CMND != "":
			b.put(sh, r("F"), atof(p.CMND), num)
			why += ", CMND as a number"
		}
		b.put(sh, r("G"), encVNI(p.Relation), vn)
		b.put(sh, r("H"), encVNI(strings.Replace(p.Hamlet, "Thôn", "Xóm", 1)), vn)
		b.put(sh, r("I"), encVNI("Quỳnh Hưng"), vn)
		b.put(sh, r("J"), encVNI("Quỳnh Lưu"), vn)
		if p.Note != "" {
			b.put(sh, r("K"), encVNI(p.Note), vn)
		}
		if p.Name == "Hồ Thị Thủy" {
			must(f.SetRowVisible(sh, row, false))
			why += ", row hidden"
		}
		accept(file, sh, row, i, why, idOK)
		truth[len(truth)-1].Address = strings.Replace(p.Hamlet, "Thôn", "Xóm", 1) + ", Quỳnh Hưng, Quỳnh Lưu"
		row++
	}
	must(f.AutoFilter(sh, fmt.Sprintf("A5:K%d", row-1), nil))
	b.put(sh, cell("B", row), encVNI(fmt.Sprintf("Cộng: %d nhân khẩu", tt)), vnB)
	b.formula(sh, cell("A", row), fmt.Sprintf("COUNT(A%d:A%d)", first, row-1), tt, num)
	skip(file, sh, row, "totals")
	b.put(sh, cell("G", row+2), encVNI("TRƯỞNG CÔNG AN XÃ"), vnB)
	skip(file, sh, row+2, "signature")
	b.put(sh, cell("G", row+5), encVNI("Thượng úy Nguyễn Đình Lực"), vnB)
	skip(file, sh, row+5, "signatory name")
	must(f.SaveAs(filepath.Join(dir, file)))
}

// serial is Excel's 1900-system serial number of p's birth date.
func serial(p person) float64 {
	days := func(y, m, d int) int { // days since 1899-12-30
		// civil-from-days, proleptic Gregorian
		if m <= 2 {
			y--
			m += 12
		}
		era := y / 400
		yoe := y - era*400
		doy := (153*(m-3)+2)/5 + d - 1
		doe := yoe*365 + yoe/4 - yoe/100 + doy
		return era*146097 + doe - 719468
	}
	return float64(days(p.Year, p.Month, p.Day) - days(1899, 12, 30))
}

func main() {
	out := flag.String("out", ".", "directory to write to")
	flag.Parse()
	tcvn3Book(*out)
	vniBook(*out)
	j, err := json.MarshalIndent(truth, "", " ")
	must(err)
	must(os.WriteFile(filepath.Join(*out, "truth.json"), append(j, '\n'), 0o644))
}
