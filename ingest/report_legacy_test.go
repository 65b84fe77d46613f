package ingest

import (
	"os"
	"strings"
	"testing"
	"unicode"

	"github.com/xuri/excelize/v2"

	"github.com/dancu-vn/dancu/internal/refdata"
)

// The legacy fixtures are workbooks with title rows and a merged two-row
// header whose parent cells ("Thông tin cá nhân", "Nơi cư trú") name no
// field: what a report must show decoded. tcvn3_merged_header.xlsx is in
// TCVN3 (ABC): titles and names in .VnTimeH, the rest in .VnTime;
// vni_merged_header.xlsx in VNI-Windows (VNI-Times) throughout.
// DANCU_WRITE_FIXTURES=1 go test ./ingest -run TestReportDecodesLegacyHeaders
// writes them again.
var legacyFixtures = []struct {
	path         string
	lower, upper string // fonts of ordinary text and of text in capitals
	encode       func(t testing.TB, s string, upper bool) string
}{
	{"testdata/tcvn3_merged_header.xlsx", ".VnTime", ".VnTimeH", tcvn3},
	{"testdata/vni_merged_header.xlsx", "VNI-Times", "VNI-Times", vni},
}

// vni writes s as the VNI-Windows font holds it: each letter with a
// diacritic as its base letter and one or two mark bytes.
func vni(t testing.TB, s string, upper bool) string {
	t.Helper()
	tab, err := refdata.Load("encodings/vni_to_unicode.tsv")
	if err != nil {
		t.Fatal(err)
	}
	enc := map[rune]string{}
	for _, r := range tab.Rows {
		if u := []rune(tab.Get(r, "unicode")); len(u) == 1 {
			enc[u[0]] = tab.Get(r, "legacy_chars")
		}
	}
	if upper {
		s = strings.ToUpper(s)
	}
	var b strings.Builder
	for _, r := range s {
		if l, ok := enc[r]; ok && r >= 128 {
			b.WriteString(l)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// tcvn3 writes s as a TCVN3 font would hold it: in .VnTimeH (upper) the
// lower-case bytes of the upper-cased text, in .VnTime the letters with
// their lower-case codes where TCVN3 has no capital.
func tcvn3(t testing.TB, s string, upper bool) string {
	t.Helper()
	tab, err := refdata.Load("encodings/tcvn3_to_unicode.tsv")
	if err != nil {
		t.Fatal(err)
	}
	enc := map[rune]rune{}
	for _, r := range tab.Rows {
		u, l := []rune(tab.Get(r, "unicode")), []rune(tab.Get(r, "legacy_char"))
		if len(u) == 1 && len(l) == 1 {
			enc[u[0]] = l[0]
		}
	}
	if upper {
		s = strings.ToUpper(s)
	}
	var b strings.Builder
	for _, r := range s {
		switch l, ok := enc[r]; {
		case r < 128:
			b.WriteRune(r)
		case ok && !upper:
			b.WriteRune(l)
		default:
			if l, ok := enc[unicode.ToLower(r)]; ok {
				b.WriteRune(l)
			} else {
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}

func writeLegacyFixture(t *testing.T, path, lowerFont, upperFont string, encode func(testing.TB, string, bool) string) {
	f := excelize.NewFile()
	defer f.Close()
	sh := "Danh sach"
	if err := f.SetSheetName("Sheet1", sh); err != nil {
		t.Fatal(err)
	}
	style := func(font string) int {
		id, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Family: font}})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	lower, upper := style(lowerFont), style(upperFont)
	set := func(ref, text string, up bool) {
		st := lower
		if up {
			st = upper
		}
		if err := f.SetCellStr(sh, ref, encode(t, text, up)); err != nil {
			t.Fatal(err)
		}
		if err := f.SetCellStyle(sh, ref, ref, st); err != nil {
			t.Fatal(err)
		}
	}
	merge := func(a, b string) {
		if err := f.MergeCell(sh, a, b); err != nil {
			t.Fatal(err)
		}
	}
	set("A1", "Ủy ban nhân dân xã Tân Minh", true)
	set("A2", "Danh sách nhân khẩu thôn 8", true)
	set("A3", "STT", false)
	merge("A3", "A4")
	set("B3", "Thông tin cá nhân", false)
	merge("B3", "D3")
	set("B4", "Họ và tên", false)
	set("C4", "Ngày sinh", false)
	set("D4", "Giới tính", false)
	set("E3", "Nơi cư trú", false)
	merge("E3", "F3")
	set("E4", "Nơi thường trú", false)
	set("F4", "Nơi ở hiện tại", false)
	set("G3", "Ghi chú", false)
	merge("G3", "G4")
	rows := [][]string{
		{"1", "Phạm Minh Lực", "19/04/1974", "Nam", "Thôn 8, xã Tân Minh", "Thôn 8, xã Tân Minh", ""},
		{"2", "Nguyễn Thị Hồng", "11/10/1977", "Nữ", "Thôn 8, xã Tân Minh", "Thôn 8, xã Tân Minh", "Vợ"},
		{"3", "Phạm Minh Đức", "12/10/2004", "Nam", "Thôn 8, xã Tân Minh", "Phường Hiến Nam", "Đi học"},
	}
	for i, r := range rows {
		for j, v := range r {
			if v == "" {
				continue
			}
			ref, _ := excelize.CoordinatesToCellName(j+1, i+5)
			set(ref, v, j == 1)
		}
	}
	set("B10", "Người lập biểu", false)
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

// tcvn3Only are characters TCVN3 text holds and decoded Vietnamese does
// not: any of them in a report means undecoded text.
const tcvn3Only = "«¸©µª¬­¤¢¡£¥¦§¨®¯°±²³´¶·¹º»¼½¾ÆÇËÎÏÑÖ×ØÛÜÞßäåæçëîïñö÷øûüþ"

// TestReportDecodesLegacyHeaders: in a TCVN3 workbook, the columns'
// headers (the parents of a merged header too, and a column no field
// takes) and the previews of the title and header rows read as decoded
// Vietnamese, not as the font's bytes (`Th«ng tin c¸ nh©n`).
func TestReportDecodesLegacyHeaders(t *testing.T) {
	for _, fx := range legacyFixtures {
		t.Run(fx.path, func(t *testing.T) {
			if os.Getenv("DANCU_WRITE_FIXTURES") != "" {
				writeLegacyFixture(t, fx.path, fx.lower, fx.upper, fx.encode)
			}
			checkLegacyReport(t, fx.path)
		})
	}
}

func checkLegacyReport(t *testing.T, path string) {
	items, d := openAll(t, path, Options{})
	checkAccount(t, items, d)
	if len(d.Sheets) != 1 {
		t.Fatalf("%d sheets", len(d.Sheets))
	}
	l := d.Sheets[0]
	want := []struct{ header, field string }{
		{"STT", "stt"},
		{"Thông tin cá nhân / Họ và tên", FieldFullName},
		{"Thông tin cá nhân / Ngày sinh", "birth_date"},
		{"Thông tin cá nhân / Giới tính", "sex"},
		{"Nơi cư trú / Nơi thường trú", "perm_address"},
		{"Nơi cư trú / Nơi ở hiện tại", "cur_address"},
		{"Ghi chú", FieldRemark},
	}
	if len(l.Columns) != len(want) || len(l.HeaderRows) != 2 || l.HeaderRows[0] != 3 {
		t.Fatalf("header rows %v, columns %+v", l.HeaderRows, l.Columns)
	}
	for i, w := range want {
		if c := l.Columns[i]; c.Header != w.header || c.Field != w.field {
			t.Errorf("column %s: header %q → %q, want %q → %q", c.Letter, c.Header, c.Field, w.header, w.field)
		}
	}
	previews := map[int]string{}
	for _, s := range l.Skips {
		previews[s.Row] = s.Preview
		if strings.ContainsAny(s.Preview, tcvn3Only) {
			t.Errorf("row %d (%s): preview %q is not decoded", s.Row, s.Kind, s.Preview)
		}
	}
	for row, want := range map[int]string{1: "ỦY BAN NHÂN DÂN XÃ TÂN MINH", 3: "STT | Thông tin cá nhân | Nơi cư trú | Ghi chú", 4: "Họ và tên | Ngày sinh | Giới tính | Nơi thường trú | Nơi ở hiện tại",
		// TCVN3: typed in .VnTime under the .VnTimeH names, its own text decides
		10: "Người lập biểu"} {
		if previews[row] != want {
			t.Errorf("row %d: preview %q, want %q", row, previews[row], want)
		}
	}
	if it := items[0].Record; it == nil || it.FullName != "PHẠM MINH LỰC" || it.BirthDate != "1974-04-19" {
		t.Errorf("first record %+v", items[0])
	}
}

// TestTitlesAreNotNames: previews mask every name written in a cell, but
// the words of a list's title (ỦY BAN NHÂN DÂN, DANH SÁCH NHÂN KHẨU) are
// no one's name, though Ban and Danh are family names; names beside or
// inside such words, and names that fold like them, are still masked.
func TestTitlesAreNotNames(t *testing.T) {
	for in, want := range map[string]string{
		"ỦY BAN NHÂN DÂN XÃ TÂN MINH":            "ỦY BAN NHÂN DÂN XÃ TÂN MINH",
		"DANH SÁCH NHÂN KHẨU THÔN 8":             "DANH SÁCH NHÂN KHẨU THÔN 8",
		"DANH SÁCH HỘ GIA ĐÌNH":                  "DANH SÁCH HỘ GIA ĐÌNH",
		"TM. ỦY BAN NHÂN DÂN":                    "TM. ỦY BAN NHÂN DÂN",
		"Trưởng thôn Nguyễn Văn Bình":            "Trưởng thôn Nguyễn V. B.",
		"Nguyễn Thị Huyền":                       "Nguyễn T. H.",
		"Hồ Gia Định":                            "Hồ G. Đ.",
		"Hộ ông Nguyễn Công An":                  "Hộ ông Nguyễn C. A.",
		"DANH SACH NHAN KHAU":                    "Danh S. N. K.", // no diacritics: masked whole
		"DANH SÁCH NHÂN KHẨU THÔN 8 Danh Văn Út": "DANH SÁCH NHÂN KHẨU THÔN 8 Danh V. Ú.",
		// user27: a place after its unit's word is shown; a person after
		// an office, or of three words, is not.
		"CÔNG AN XÃ HỒNG LỘC - HUYỆN LỘC HÀ": "CÔNG AN XÃ HỒNG LỘC - HUYỆN LỘC HÀ",
		"xóm 3, xã Hồng Lộc, huyện Lộc Hà":   "xóm 3, xã Hồng Lộc, huyện Lộc Hà",
		"thị trấn Thạch Hà":                  "thị trấn Thạch Hà",
		"Trưởng thôn Lê Bình":                "Trưởng thôn Lê B.",
		"Chủ tịch UBND xã Nguyễn Văn An":     "Chủ tịch UBND xã Nguyễn V. A.",
		"Cán bộ xã Hồ Bình":                  "Cán bộ xã Hồ B.",
		// user30: a place of three words whose second is a family name.
		"DANH SÁCH NHÂN KHẨU ẤP 1, XÃ THẠNH PHÚ ĐÔNG": "DANH SÁCH NHÂN KHẨU ẤP 1, XÃ THẠNH PHÚ ĐÔNG",
		"ấp Tân Phú Trung, huyện Củ Chi":              "ấp Tân Phú Trung, huyện Củ Chi",
		"Trưởng ấp Thạnh Phú Đông":                    "Trưởng ấp Thạnh Phú Đ.",
		"xã Thạnh, Phú Đông":                          "xã Thạnh, Phú Đ.",
		// user30: a name ends at its comma, and keeps its brackets.
		"Người lập: Nguyễn Văn An, Trưởng thôn": "Người lập: Nguyễn V. A., Trưởng thôn",
		"(Nguyễn Văn An)":            "(Nguyễn V. A.)",
		"Nguyễn Văn An; Lê Thị Bình": "Nguyễn V. A.; Lê T. B.",
		"Hộ ông Nguyễn Văn An.":      "Hộ ông Nguyễn V. A.",
	} {
		if got := maskNamesIn(in); got != want {
			t.Errorf("maskNamesIn(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestPreviewShowsSerialDates: a rejected row's birth date held as an
// Excel serial is previewed as the date Excel shows; a year, a number in
// another column and a serial outside a date column stay as they are.
func TestPreviewShowsSerialDates(t *testing.T) {
	got := preview([]string{"25", "42841", "Nam", "1990", "42841"}, []string{FieldSTT, FieldBirthDate, FieldSex, FieldBirthDateFem, ""}, nil, true, false)
	if want := "25 | 16/04/2017 | Nam | 1990 | 42841"; got != want {
		t.Errorf("preview %q, want %q", got, want)
	}
	// In a workbook of the 1904 date system, 41379 is that day.
	got = preview([]string{"25", "41379", "Nam", "1990"}, []string{FieldSTT, FieldBirthDate, FieldSex, FieldBirthDateFem}, nil, true, true)
	if want := "25 | 16/04/2017 | Nam | 1990"; got != want {
		t.Errorf("1904 system: preview %q, want %q", got, want)
	}
}
