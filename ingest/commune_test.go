package ingest

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/xuri/excelize/v2"

	"github.com/dancu-vn/dancu/schemas"
)

// clerkCell is a cell of a commune's workbook as its clerk typed it: a
// text (already in the font's bytes) or a number, in a font.
type clerkCell struct {
	ref  string
	v    any
	font string
}

// writeClerkBook writes one sheet of clerkCells with the merged ranges
// given ("A7:A8"), as Excel saves a list typed in .VnTime.
func writeClerkBook(t *testing.T, path string, cells []clerkCell, merges ...string) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	styles := map[string]int{}
	for _, c := range cells {
		st, ok := styles[c.font]
		if !ok {
			var err error
			if st, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Family: c.font}}); err != nil {
				t.Fatal(err)
			}
			styles[c.font] = st
		}
		if err := f.SetCellValue("Sheet1", c.ref, c.v); err != nil {
			t.Fatal(err)
		}
		if err := f.SetCellStyle("Sheet1", c.ref, c.ref, st); err != nil {
			t.Fatal(err)
		}
	}
	for _, m := range merges {
		a, b, _ := strings.Cut(m, ":")
		if err := f.MergeCell("Sheet1", a, b); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

// byRow indexes the records and rejects of items by their sheet row.
func byRow(items []Item) (recs map[int]*schemas.Record, rejects map[int]*schemas.Reject, notes map[int][]Note) {
	recs, rejects, notes = map[int]*schemas.Record{}, map[int]*schemas.Reject{}, map[int][]Note{}
	for _, it := range items {
		switch {
		case it.Record != nil:
			recs[int(it.Record.Row)] = it.Record
			notes[int(it.Record.Row)] = it.Notes
		case it.Reject != nil:
			rejects[int(it.Reject.Row)] = it.Reject
		}
	}
	return recs, rejects, notes
}

// TestCommuneListNamesSplitUnderYearsByNamNu: a hamlet's list as its clerk
// types it in .VnTime, the header in .VnTimeH typed in lower case (the font
// draws capitals): "Họ và tên" merged over "Họ và đệm" | "Tên", and "Năm
// sinh" over "Nam" | "Nữ" — a man's year of birth under Nam, a woman's
// under Nữ — then "Cộng" with the count of each beside it, and the head of
// the hamlet's signature. The given name was lost (both name columns read
// as the full name, the first kept), the men had no sex (the column under
// "Năm sinh / nam" read as a plain year), and "Cộng | 3 | 2" was a person
// named Cộng born on 3 January 1900 (Excel's day 3).
func TestCommuneListNamesSplitUnderYearsByNamNu(t *testing.T) {
	for _, hc := range []struct {
		name, font string
		head       func(string) string
	}{
		{"vntimeh-lower", ".VnTimeH", func(s string) string { return tcvn3(t, strings.ToLower(s), false) }},
		{"vntimeh-caps", ".VnTimeH", func(s string) string { return tcvn3(t, s, true) }},
		{"unicode", "Times New Roman", func(s string) string { return s }},
	} {
		t.Run(hc.name, func(t *testing.T) {
			tc := func(s string) string { return tcvn3(t, s, false) }
			cells := []clerkCell{
				{"A1", hc.head("ỦY BAN NHÂN DÂN XÃ VĂN LĂNG"), hc.font},
				{"A3", hc.head("DANH SÁCH NHÂN KHẨU"), hc.font},
				{"A5", hc.head("STT"), hc.font},
				{"B5", hc.head("HỌ VÀ TÊN"), hc.font},
				{"B6", hc.head("HỌ VÀ ĐỆM"), hc.font},
				{"C6", hc.head("TÊN"), hc.font},
				{"D5", hc.head("NĂM SINH"), hc.font},
				{"D6", hc.head("NAM"), hc.font},
				{"E6", hc.head("NỮ"), hc.font},
				{"F5", hc.head("DÂN TỘC"), hc.font},
			}
			type person struct {
				family, given string
				male, female  any
				sex, born     string
			}
			people := []person{
				{"Hoàng Văn", "Long", 1970, nil, "M", "1970"},
				{"Nông Thị", "Hoa", nil, "15/06/1972", "F", "1972-06-15"},
				{"Hoàng Văn", "Bình", 2005, nil, "M", "2005"},
				{"Lý Văn", "Tư", 1948, nil, "M", "1948"},
				{"Hà Thị", "Nhung", nil, 1986, "F", "1986"},
				{"Ma Thị", "Thu", 1995, 1995, "", "1995"}, // marked under both: no sex
			}
			for i, p := range people {
				r := i + 7
				ref := func(col string) string { return col + string(rune('0'+r/10)) + string(rune('0'+r%10)) }
				cells = append(cells, clerkCell{ref("A"), i + 1, ".VnTime"},
					clerkCell{ref("B"), tc(p.family), ".VnTime"}, clerkCell{ref("C"), tc(p.given), ".VnTime"},
					clerkCell{ref("F"), tc("Tày"), ".VnTime"})
				if p.male != nil {
					cells = append(cells, clerkCell{ref("D"), p.male, ".VnTime"})
				}
				if p.female != nil {
					cells = append(cells, clerkCell{ref("E"), p.female, ".VnTime"})
				}
			}
			cells = append(cells, clerkCell{"B13", tc("Cộng"), ".VnTime"}, clerkCell{"D13", 3, ".VnTime"}, clerkCell{"E13", 2, ".VnTime"},
				clerkCell{"F15", hc.head("TRƯỞNG XÓM"), hc.font}, clerkCell{"F18", tc("Hoàng Văn Pháp"), ".VnTime"})
			path := filepath.Join(t.TempDir(), "khe_can.xlsx")
			writeClerkBook(t, path, cells, "A1:D1", "A3:F3", "A5:A6", "B5:C5", "D5:E5", "F5:F6")
			items, d := openAll(t, path, Options{})
			recs, rejects, notes := byRow(items)
			if len(rejects) > 0 || len(recs) != len(people) {
				t.Fatalf("%d records, %d rejects (%v); want %d records: %+v", len(recs), len(rejects), rejects, len(people), d.Sheets[0].Columns)
			}
			for i, p := range people {
				rec := recs[i+7]
				if rec == nil {
					t.Fatalf("row %d not accepted", i+7)
				}
				if want := p.family + " " + p.given; rec.FullName != want || rec.Sex != p.sex || rec.BirthDate != p.born {
					t.Errorf("row %d: %q sex %q born %q; want %q sex %q born %q", i+7, rec.FullName, rec.Sex, rec.BirthDate, want, p.sex, p.born)
				}
			}
			if len(notes[12]) != 1 || notes[12][0].Field != FieldSex {
				t.Errorf("row 12, marked under Nam and Nữ: notes %+v, want the sex dropped", notes[12])
			}
			if l := d.Sheets[0]; l.ByKind[SkipFooter] != 3 {
				t.Errorf("footer rows %d, want 3 (Cộng, Trưởng xóm, the name under it): %+v", l.ByKind[SkipFooter], l.Skips)
			}
		})
	}
}

// TestCommuneTotalsTypedInSTTColumn: the totals of a list typed in .VnTime
// across the STT and name columns merged ("Tổng cộng: 3 người"), with the
// count of men and women under "Giới tính / Nam | Nữ". The STT column has
// no text encoding of its own, so the line read "Tæng céng: 3 ngêi" and
// was rejected as a row with no name; the place-and-date line under it
// then read as a section heading.
func TestCommuneTotalsTypedInSTTColumn(t *testing.T) {
	tc := func(s string) string { return tcvn3(t, s, false) }
	cells := []clerkCell{
		{"A1", tc("UBND XÃ VĂN LĂNG"), ".VnTimeH"},
		{"A3", tc("DANH SÁCH NHÂN KHẨU"), ".VnTimeH"},
		{"A5", "STT", ".VnTimeH"}, {"B5", tcvn3(t, "HỌ VÀ TÊN", true), ".VnTimeH"},
		{"C5", tcvn3(t, "GIỚI TÍNH", true), ".VnTimeH"}, {"C6", "NAM", ".VnTimeH"}, {"D6", tcvn3(t, "NỮ", true), ".VnTimeH"},
		{"E5", tcvn3(t, "NGÀY SINH", true), ".VnTimeH"},
		{"A7", 1, ".VnTime"}, {"B7", tc("Nguyễn Văn An"), ".VnTime"}, {"C7", "x", ".VnTime"}, {"E7", "12/3/1985", ".VnTime"},
		{"A8", 2, ".VnTime"}, {"B8", tc("Trần Thị Bình"), ".VnTime"}, {"D8", "x", ".VnTime"}, {"E8", "5/7/1990", ".VnTime"},
		{"A9", 3, ".VnTime"}, {"B9", tc("Bùi Văn Lưu"), ".VnTime"}, {"C9", "x", ".VnTime"}, {"E9", "1950", ".VnTime"},
		{"A10", tc("Tổng cộng: 3 người"), ".VnTime"}, {"C10", 2, ".VnTime"}, {"D10", 1, ".VnTime"},
		{"C12", tc("Văn Lăng, ngày 15 tháng 10 năm 2024"), ".VnTime"},
		{"B13", tcvn3(t, "NGƯỜI LẬP BIỂU", true), ".VnTimeH"},
		{"B16", tc("Đỗ Thị Hạnh"), ".VnTime"},
	}
	path := filepath.Join(t.TempDir(), "van_lang.xlsx")
	writeClerkBook(t, path, cells, "A1:B1", "A3:E3", "A5:A6", "B5:B6", "C5:D5", "E5:E6", "A10:B10", "C12:E12")
	items, d := openAll(t, path, Options{})
	recs, rejects, _ := byRow(items)
	if len(recs) != 3 || len(rejects) != 0 {
		t.Fatalf("%d records, rejects %v; want 3 records, no reject", len(recs), rejects)
	}
	if rec := recs[9]; rec.FullName != "Bùi Văn Lưu" || rec.Sex != "M" {
		t.Errorf("row 9: %q %q", rec.FullName, rec.Sex)
	}
	l := d.Sheets[0]
	if l.ByKind[SkipFooter] != 4 || l.ByKind[SkipSection] != 0 {
		t.Errorf("skipped %v, want 4 footer rows (totals, date, signature, name) and no section: %+v", l.ByKind, l.Skips)
	}
}

// TestNameInThreeColumns: "Họ | Chữ đệm | Tên" (or "Tên đệm", "Đệm" under
// a merged "Họ và tên"), the name as the civil registry's forms split it.
// The middle name's column named no field and was dropped: Trần Thị Thu
// Hà was imported as "Trần Hà".
func TestNameInThreeColumns(t *testing.T) {
	for _, middle := range []string{"Chữ đệm", "Tên đệm", "Đệm"} {
		got := importRows(t, [][]string{
			{"STT", "Họ", middle, "Tên", "Năm sinh"},
			{"1", "Nguyễn", "Văn", "An", "1980"},
			{"2", "Trần", "Thị Thu", "Hà", "1990"},
			{"3", "Lò", "", "Pọ", "1961"},
		})
		for ext, g := range got {
			want := []string{"Nguyễn Văn An", "Trần Thị Thu Hà", "Lò Pọ"}
			if names := acceptedNames(g.items); strings.Join(names, "|") != strings.Join(want, "|") {
				t.Errorf("%q %s: names %q, want %q", middle, ext, names, want)
			}
		}
	}
	tc := func(s string) string { return tcvn3(t, s, false) }
	path := filepath.Join(t.TempDir(), "ba_cot.xlsx")
	writeClerkBook(t, path, []clerkCell{
		{"A1", "STT", ".VnTimeH"}, {"B1", tcvn3(t, "HỌ VÀ TÊN", true), ".VnTimeH"},
		{"B2", tcvn3(t, "HỌ", true), ".VnTimeH"}, {"C2", tcvn3(t, "ĐỆM", true), ".VnTimeH"}, {"D2", tcvn3(t, "TÊN", true), ".VnTimeH"},
		{"E1", tcvn3(t, "NĂM SINH", true), ".VnTimeH"},
		{"A3", 1, ".VnTime"}, {"B3", tc("Đặng"), ".VnTime"}, {"C3", tc("Thị"), ".VnTime"}, {"D3", tc("Hường"), ".VnTime"}, {"E3", 1975, ".VnTime"},
	}, "A1:A2", "B1:D1", "E1:E2")
	items, d := openAll(t, path, Options{})
	if recs, _, _ := byRow(items); len(recs) != 1 || recs[3] == nil || recs[3].FullName != "Đặng Thị Hường" {
		t.Errorf("merged header over Họ | Đệm | Tên: %+v; columns %+v", recs[3], d.Sheets[0].Columns)
	}
}

// TestHiddenSheetIsSaid: a clerk hides last year's copy of the list, a
// draft or a lookup list; Excel does not show it, the import read it as
// any other sheet without a word (8 more records from "DS 2023" beside
// "Thôn Đông"). It is still read, and said hidden, in both readers.
func TestHiddenSheetIsSaid(t *testing.T) {
	rows := [][]any{{"STT", "Họ và tên", "Năm sinh"}, {1, "Nguyễn Văn An", 1980}, {2, "Trần Thị Bình", 1990}}
	path := writeXLSX(t, t.TempDir(), "hai_sheet.xlsx", map[string][][]any{"Thon Dong": rows, "DS 2023": rows}, "Thon Dong", "DS 2023")
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.SetSheetVisible("DS 2023", false); err != nil {
		t.Fatal(err)
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	for _, excel := range []bool{false, true} {
		items, d := openAll(t, path, Options{ExcelizeRows: excel})
		if len(items) != 4 || len(d.Sheets) != 2 {
			t.Fatalf("excelize %v: %d items, %d sheets; want 4 and 2", excel, len(items), len(d.Sheets))
		}
		for _, l := range d.Sheets {
			hidden := l.Sheet == "DS 2023"
			if l.Hidden != hidden || strings.Contains(l.Note, "hidden") != hidden {
				t.Errorf("excelize %v: sheet %q hidden %v, note %q; want hidden %v, said in the note", excel, l.Sheet, l.Hidden, l.Note, hidden)
			}
		}
	}
}

// TestSexMarksOneAndZero: marks under "Giới tính / Nam | Nữ" written 1
// and 0 (the list counts its men and women with SUM): "0 | 1" is a woman,
// not a row marked under both.
func TestSexMarksOneAndZero(t *testing.T) {
	got := importRows(t, [][]string{
		{"STT", "Họ và tên", "Giới tính", "", "Năm sinh"},
		{"", "", "Nam", "Nữ", ""},
		{"1", "Nguyễn Văn An", "1", "0", "1980"},
		{"2", "Trần Thị Bình", "0", "1", "1990"},
		{"3", "Lê Văn Cường", "x", "-", "1975"},
		{"4", "Lê Thị Dung", "1", "1", "1976"},
	})
	for ext, g := range got {
		var sexes []string
		for _, it := range g.items {
			if it.Record != nil {
				sexes = append(sexes, it.Record.Sex)
			}
		}
		if strings.Join(sexes, ",") != "M,F,M," {
			t.Errorf("%s: sexes %q, want M, F, M and none (marked under both)", ext, sexes)
		}
	}
}

// TestSectionNumberedInSTT: a list grouped by hamlet numbers its headings
// in the STT column with Roman numerals ("I | Thôn Đông", "II | Thôn
// Tây"). The number beside it made the heading look like a person's row:
// a person named "Thôn Đông" was accepted.
func TestSectionNumberedInSTT(t *testing.T) {
	got := importRows(t, [][]string{
		{"STT", "Họ và tên", "Năm sinh", "Giới tính"},
		{"I", "Thôn Đông", "", ""},
		{"1", "Nguyễn Văn An", "1980", "Nam"},
		{"II.", "Thôn Tây", "", ""},
		{"2", "Lê Văn Cường", "1940", "Nam"},
		{"B", "Xóm Bãi", "", ""},
		{"3", "Lê Thị Dung", "1975", "Nữ"},
	})
	for ext, g := range got {
		if names := acceptedNames(g.items); strings.Join(names, "|") != "Nguyễn Văn An|Lê Văn Cường|Lê Thị Dung" {
			t.Errorf("%s: accepted %q, want the three persons", ext, names)
		}
		if n := g.d.Sheets[0].ByKind[SkipSection]; n != 3 {
			t.Errorf("%s: %d section headings, want 3: %+v", ext, n, g.d.Sheets[0].Skips)
		}
	}
}

// TestNameRemarkInBrackets: a clerk writes a remark after the name ("Lê
// Văn Cường (Tư)", a nickname, "(tạm vắng)"); the remark was read as more
// given names. It is left out of the name, with a note that says so
// (counted among the values kept, read another way). A remark that says
// the person died or moved away rejects the row
// (TestNameRemarkSaysDeadOrMovedAway).
func TestNameRemarkInBrackets(t *testing.T) {
	got := importRows(t, [][]string{
		{"STT", "Họ và tên", "Năm sinh"},
		{"1", "Lê Văn Cường (Tư)", "1940"},
		{"2", "Lê Thị Dung  (tạm vắng)", "1975"},
		{"3", "Nguyễn Văn An", "1980"},
	})
	for ext, g := range got {
		if names := acceptedNames(g.items); strings.Join(names, "|") != "Lê Văn Cường|Lê Thị Dung|Nguyễn Văn An" {
			t.Errorf("%s: names %q", ext, names)
		}
		for i, it := range g.items {
			if n := len(it.Notes); n != map[int]int{0: 1, 1: 1, 2: 0}[i] || n == 1 && (it.Notes[0].Reason != NoteNameRemark || !NoteKept(it.Notes[0].Reason)) {
				t.Errorf("%s row %d: notes %+v", ext, i+2, it.Notes)
			}
		}
		if rec := g.items[0].Record; rec.GivenName != "Cường" || rec.MiddleName != "Văn" {
			t.Errorf("%s: name parts %q %q %q", ext, rec.FamilyName, rec.MiddleName, rec.GivenName)
		}
	}
}

// TestExcelDateInYearColumn: a "Năm sinh" column whose cells hold whole
// dates formatted "yyyy" (the list's dates copied in, the column made to
// show years): the clerk sees 1985, the import dropped it as an
// impossible date. It reads the year shown; a small number there (an age)
// or a mistyped year is still no year.
func TestExcelDateInYearColumn(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nam_sinh.xlsx")
	f := excelize.NewFile()
	yyyy := "yyyy"
	st, err := f.NewStyle(&excelize.Style{CustomNumFmt: &yyyy})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range [][]any{
		{"STT", "Họ và tên", "Năm sinh"},
		{1, "Nguyễn Văn An", time.Date(1985, 3, 12, 0, 0, 0, 0, time.UTC)},
		{2, "Trần Thị Bình", 1990},
		{3, "Lê Văn Cường", 45},
		{4, "Lê Thị Dung", 7002}, // 2002 mistyped: not 3 March 1919
	} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SetCellStyle("Sheet1", "C2", "C5", st); err != nil {
		t.Fatal(err)
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	items, _ := openAll(t, path, Options{})
	recs, _, notes := byRow(items)
	for row, want := range map[int]string{2: "1985", 3: "1990", 4: "", 5: ""} {
		// One note on each but the plain year: the date read as its year
		// (kept, said), or the number that is no year (dropped).
		if recs[row] == nil || recs[row].BirthDate != want || (row != 3) != (len(notes[row]) == 1) {
			t.Errorf("row %d: %+v, notes %+v; want born %q", row, recs[row], notes[row], want)
		}
	}
}

// TestNameTitleOrNumberBefore: "Bà Trần Thị Bình", "Cháu Lê Thị Dung", and
// the list's number typed into the name's cell ("1. Lê Văn Cường") were
// read as part of the name (family name "Bà", "1"). They are left out,
// with a note; "Ông", a family name too, and a title before no family name
// are left as written.
func TestNameTitleOrNumberBefore(t *testing.T) {
	got := importRows(t, [][]string{
		{"Họ và tên", "Năm sinh"},
		{"Bà Trần Thị Bình", "1950"},
		{"Cháu Lê Thị Dung", "2015"},
		{"1. Lê Văn Cường", "1985"},
		{"12) Đỗ Văn Hùng", "1986"},
		{"Ông Văn Dũng", "1960"},
		{"Bà Ngọc", "1940"},
	})
	want := []string{"Trần Thị Bình", "Lê Thị Dung", "Lê Văn Cường", "Đỗ Văn Hùng", "Ông Văn Dũng", "Bà Ngọc"}
	for ext, g := range got {
		if names := acceptedNames(g.items); strings.Join(names, "|") != strings.Join(want, "|") {
			t.Errorf("%s: names %q, want %q", ext, names, want)
		}
		for i, it := range g.items {
			if noted := len(it.Notes) == 1 && it.Notes[0].Reason == NoteNamePrefix; noted != (i < 4) {
				t.Errorf("%s row %d: notes %+v", ext, i+2, it.Notes)
			}
		}
	}
}

// TestMayPrefixAsWritten: namePrefix's quick test of a name's first word
// (mayPrefix) is true of every word it leaves out — a number ending in
// '.' or ')', a title of nameTitles in any case (every rune that
// strings.ToLower makes b or c is B, b, C or c) — and false of the
// family names it is there to pass over.
func TestMayPrefixAsWritten(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if l := unicode.ToLower(r); (l == 'b' || l == 'c') && r != l && r != l-'a'+'A' {
			t.Errorf("unicode.ToLower(%U) = %q", r, l)
		}
	}
	for title := range nameTitles {
		for _, w := range []string{title, strings.ToUpper(title), strings.ToUpper(title[:1]) + title[1:]} {
			if !nameTitles[strings.ToLower(w)] || !mayPrefix(w) {
				t.Errorf("mayPrefix(%q) = false", w)
			}
		}
	}
	for _, w := range []string{"1.", "12)", "x.", "(3)"} {
		if !mayPrefix(w) {
			t.Errorf("mayPrefix(%q) = false", w)
		}
	}
	for _, w := range []string{"Nguyễn", "Trần", "Lê", "Đỗ", "Ông", "Hồ", ""} {
		if mayPrefix(w) {
			t.Errorf("mayPrefix(%q) = true", w)
		}
	}
}

// TestGivenNameCongInUnnumberedRow: a household list numbers its heads
// only; a member whose given name is Cộng (or Cong, typed without
// diacritics) stands in the "Tên" column of an unnumbered row, after the
// family name. "Cộng" there is a person's given name, not the totals:
// the row and the members after it, read as a footer, were lost.
func TestGivenNameCongInUnnumberedRow(t *testing.T) {
	got := importRows(t, [][]string{
		{"STT", "Họ và đệm", "Tên", "Quan hệ với chủ hộ"},
		{"1", "Nguyễn Văn", "An", "Chủ hộ"},
		{"", "Nguyễn Văn", "Cộng", "Con"},
		{"", "Nguyễn Thị", "Hoa", "Con"},
		{"2", "Lê Văn", "Tổng", "Chủ hộ"},
		{"", "Lê Văn", "Cong", "Con"},
		{"3", "Lê Văn", "Bình", "Chủ hộ"},
		{"", "Cộng", "", ""},
	})
	want := "Nguyễn Văn An|Nguyễn Văn Cộng|Nguyễn Thị Hoa|Lê Văn Tổng|Lê Văn Cong|Lê Văn Bình"
	for ext, g := range got {
		if names := acceptedNames(g.items); strings.Join(names, "|") != want {
			t.Errorf("%s: accepted %q, want %q; skipped %+v", ext, names, want, g.d.Sheets[0].Skips)
		}
		if n := g.d.Sheets[0].ByKind[SkipFooter]; n != 1 {
			t.Errorf("%s: %d footer rows, want 1 (the totals): %+v", ext, n, g.d.Sheets[0].Skips)
		}
	}
}

// TestFiveDigitsInYearColumnOfCSV: "19850" typed in a CSV's "Năm sinh"
// (1985 with a 0 too many) is no Excel date — a CSV has no cell formats —
// and was read as Excel's day 19850, 6 May 1954: born 1954, without a
// note. It is no year, and said; in a workbook the year an Excel date
// shows is read, and said too, as a typo there reads the same.
func TestFiveDigitsInYearColumnOfCSV(t *testing.T) {
	got := importRows(t, [][]string{
		{"STT", "Họ và tên", "Năm sinh"},
		{"1", "Nguyễn Văn An", "19850"},
		{"2", "Nguyễn Văn Bình", "1985"},
	})
	for ext, g := range got {
		recs, _, notes := byRow(g.items)
		want := map[string]string{".csv": "", ".xlsx": "1954"}[ext]
		if recs[2] == nil || recs[2].BirthDate != want || len(notes[2]) != 1 {
			t.Errorf("%s row 2: %+v, notes %+v; want born %q, one note", ext, recs[2], notes[2], want)
		}
		if recs[3] == nil || recs[3].BirthDate != "1985" || len(notes[3]) != 0 {
			t.Errorf("%s row 3: %+v, notes %+v; want born 1985", ext, recs[3], notes[3])
		}
	}
}

// TestNameRemarkSaysDeadOrMovedAway: a remark after the name that says the
// person died ("(đã chết)", "(mất năm 2019)", "(chet)") or moved away
// ("(chuyển đi)", "(cắt khẩu)") was left out with a note counted in the
// summary, and the person entered the register as a living resident. Such
// a row is rejected now, the reason and the remark naming why, for the
// data team to record the death or the move; a nickname ("(Tư)") or a
// move in ("(chuyển đến)") is still a remark left out of the name.
func TestNameRemarkSaysDeadOrMovedAway(t *testing.T) {
	got := importRows(t, [][]string{
		{"STT", "Họ và tên", "Năm sinh"},
		{"1", "Lê Văn Cường (đã chết)", "1940"},
		{"2", "Lê Thị Dung (chuyển đi)", "1975"},
		{"3", "Nguyễn Văn A (Tư)", "1950"},
		{"4", "Trần Văn Mạnh (Mất năm 2019)", "1932"},
		{"5", "Tran Van Tu (chet)", "1930"},
		{"6", "Phạm Thị Lan (cắt khẩu)", "1990"},
		{"7", "Đỗ Văn Hùng (chuyển đến)", "1986"},
		{"8", "Hà Văn Mát (Mát)", "1986"},
	})
	for ext, g := range got {
		recs, rejects, _ := byRow(g.items)
		for row := 2; row <= 9; row++ {
			dead := row == 2 || row == 3 || row == 5 || row == 6 || row == 7
			if rj := rejects[row]; dead != (rj != nil) || dead && (rj.Column != "Họ và tên" || !strings.HasPrefix(rj.Value, "(") || strings.Contains(rj.Value, "Lê") ||
				!strings.Contains(rj.Reason, "remark")) {
				t.Errorf("%s row %d: reject %+v, record %+v; want rejected %v", ext, row, rj, recs[row], dead)
			}
		}
		if rec := recs[4]; rec == nil || rec.FullName != "Nguyễn Văn A" {
			t.Errorf("%s: row 4 %+v, want Nguyễn Văn A", ext, rec)
		}
	}
}

// TestNameRemarkLostIsNoDeath: "mất" says died ("(mất)", "(đã mất năm
// 2019)", "(mất 2010)"), but also lost: "(mất sức)" is a pensioner on
// the allowance for lost working capacity, "(mất CMND)" a lost ID card,
// "(mất tích)" a missing person, not one known dead. Those are remarks
// left out of the name, the person kept; before, each row was rejected
// as "died or moved away". A death remark's reject names the file, the
// sheet, the row, the column and the remark, written any way ("(ĐÃ
// CHẾT)", "(DA CHET)").
func TestNameRemarkLostIsNoDeath(t *testing.T) {
	got := importRows(t, [][]string{
		{"STT", "Họ và tên", "Năm sinh"},
		{"1", "Lê Văn Cường (mất sức)", "1940"},
		{"2", "Lê Thị Dung (Mất CMND)", "1975"},
		{"3", "Nguyễn Văn Ba (mất tích)", "1950"},
		{"4", "Tran Van Tu (mat suc)", "1930"},
		{"5", "Phạm Thị Lan (mất giấy tờ)", "1990"},
		{"6", "Trần Văn Mạnh (Mất)", "1932"},
		{"7", "Đỗ Văn Hùng (đã mất năm 2019)", "1936"},
		{"8", "Hà Văn Sơn (mất 2010)", "1941"},
		{"9", "Vũ Thị Hoa (ĐÃ CHẾT)", "1928"},
		{"10", "Vu Van Hai (DA CHET)", "1929"},
	})
	for ext, g := range got {
		recs, rejects, _ := byRow(g.items)
		for row := 2; row <= 11; row++ {
			dead := row >= 7
			rj := rejects[row]
			if dead != (rj != nil) {
				t.Errorf("%s row %d: reject %+v, record %+v; want rejected %v", ext, row, rj, recs[row], dead)
				continue
			}
			if rj != nil && (rj.SourceFile == "" || rj.FileHash == "" || ext == ".xlsx" && rj.Sheet != "DS" ||
				rj.Column != "Họ và tên" || !strings.HasPrefix(rj.Value, "(") || !strings.Contains(rj.Reason, "died")) {
				t.Errorf("%s row %d: reject %+v, want the file, sheet, column, remark and why", ext, row, rj)
			}
		}
		if rec := recs[2]; rec == nil || rec.FullName != "Lê Văn Cường" {
			t.Errorf("%s: row 2 %+v, want Lê Văn Cường", ext, rec)
		}
	}
}

// TestTextDateInYearColumn: a "Năm sinh" column of a commune list whose
// cells hold whole dates typed as text (user26's VNI workbook: 10 of 20
// dates). The clerk sees "27/10/1953"; the import dropped each as an
// "impossible date of birth". A text date there is kept whole, as in a
// date column, in a workbook and in a CSV; a year stays a year, and an age
// no year.
func TestTextDateInYearColumn(t *testing.T) {
	dir := t.TempDir()
	book := filepath.Join(dir, "xom3.xlsx")
	f := excelize.NewFile()
	for i, r := range [][]any{
		{"TT", "Họ tên", "Năm sinh"},
		{1, "Nguyễn Văn An", "27/10/1953"},
		{2, "Trần Thị Bình", "11.03.1990"},
		{3, "Lê Văn Cường", 1985},
		{4, "Lê Thị Dung", "ngày 5 tháng 3 năm 1978"},
		{5, "Phan Văn Em", 45},
	} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SaveAs(book); err != nil {
		t.Fatal(err)
	}
	csv := filepath.Join(dir, "xom3.csv")
	if err := os.WriteFile(csv, []byte("TT;Họ tên;Năm sinh\n1;Nguyễn Văn An;27/10/1953\n2;Trần Thị Bình;11.03.1990\n3;Lê Văn Cường;1985\n4;Lê Thị Dung;ngày 5 tháng 3 năm 1978\n5;Phan Văn Em;45\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{book, csv} {
		items, desc := openAll(t, path, Options{})
		if cols := desc.Sheets[0].Columns; len(cols) < 3 || cols[2].Field != FieldBirthYear {
			t.Fatalf("%s: column C is not read as a year column (%+v): the test tests nothing", path, cols)
		}
		recs, _, notes := byRow(items)
		for row, want := range map[int]string{2: "1953-10-27", 3: "1990-03-11", 4: "1985", 5: "1978-03-05", 6: ""} {
			if recs[row] == nil || recs[row].BirthDate != want || (want == "") != (len(notes[row]) == 1) {
				t.Errorf("%s row %d: %+v, notes %+v; want born %q", filepath.Base(path), row, recs[row], notes[row], want)
			}
		}
	}
}

// TestHiddenRowWarned: a clerk hides the rows of the persons who left (a
// notes sheet of user26's workbook said so); Excel does not show them and
// the import read them as living residents without a word. They are read
// as before, each with a "hidden row" warning naming it; the rows shown
// have none, nor a hidden blank row.
func TestHiddenRowWarned(t *testing.T) {
	path := filepath.Join(t.TempDir(), "an_dong.xlsx")
	f := excelize.NewFile()
	for i, r := range [][]any{
		{"STT", "Họ và tên", "Ngày sinh"},
		{1, "Nguyễn Văn An", "12/03/1985"},
		{2, "Trần Thị Bình", "05/07/1990"},
		{},
		{3, "Lê Văn Cường", "01/01/1970"},
	} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	for _, row := range []int{3, 4} {
		if err := f.SetRowVisible("Sheet1", row, false); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	items, desc := openAll(t, path, Options{})
	recs, _, _ := byRow(items)
	if len(recs) != 3 || recs[3] == nil {
		t.Fatalf("records of rows %v; want rows 2, 3 and 5, the hidden one read as the others", slices.Collect(maps.Keys(recs)))
	}
	l := desc.Sheets[0]
	var rows []int
	for _, w := range l.Warnings {
		if w.Kind == WarnHiddenRow {
			rows = append(rows, w.Row)
		}
	}
	if !slices.Equal(rows, []int{3}) || l.WarningCounts[WarnHiddenRow] != 1 {
		t.Errorf("hidden-row warnings for rows %v (count %d); want row 3 alone", rows, l.WarningCounts[WarnHiddenRow])
	}
}

// TestSerialShownAsDateInYearColumn: a "Năm sinh" column whose cells are
// Excel dates formatted "dd/mm/yyyy" (user26's VNI list: the clerk sees
// 28/09/2000) was read as the years alone, "Excel date in a year column
// read as the year it shows", which it did not show. A date whose format
// shows the day is kept whole; one formatted "yyyy" is still its year,
// with the note.
func TestSerialShownAsDateInYearColumn(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nam_sinh_ngay.xlsx")
	f := excelize.NewFile()
	for i, r := range [][]any{
		{"STT", "Họ và tên", "Năm sinh"},
		{1, "Nguyễn Văn An", time.Date(2000, 9, 28, 0, 0, 0, 0, time.UTC)},
		{2, "Trần Thị Bình", time.Date(1985, 3, 12, 0, 0, 0, 0, time.UTC)},
		{3, "Lê Văn Cường", time.Date(1966, 3, 23, 0, 0, 0, 0, time.UTC)},
	} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	for ref, code := range map[string]string{"C2": "dd/mm/yyyy", "C3": "yyyy", "C4": `[$-42A]d" tháng "m" năm "yyyy`} {
		st, err := f.NewStyle(&excelize.Style{CustomNumFmt: &code})
		if err != nil {
			t.Fatal(err)
		}
		if err := f.SetCellStyle("Sheet1", ref, ref, st); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	items, desc := openAll(t, path, Options{})
	if cols := desc.Sheets[0].Columns; len(cols) < 3 || cols[2].Field != FieldBirthYear {
		t.Fatalf("column C is not read as a year column (%+v): the test tests nothing", cols)
	}
	recs, _, notes := byRow(items)
	for row, want := range map[int]struct {
		born  string
		notes int
	}{2: {"2000-09-28", 0}, 3: {"1985", 1}, 4: {"1966-03-23", 0}} {
		if recs[row] == nil || recs[row].BirthDate != want.born || len(notes[row]) != want.notes {
			t.Errorf("row %d: %+v, notes %+v; want born %q with %d note(s)", row, recs[row], notes[row], want.born, want.notes)
		}
	}
}

func TestFormatShowsDay(t *testing.T) {
	for _, c := range []struct {
		id   int
		code string
		want bool
	}{
		{14, "", true}, {22, "", true}, {0, "", false}, {1, "", false}, {49, "@", false},
		{164, "dd/mm/yyyy", true}, {165, "yyyy", false}, {166, `"ngày "d`, true}, {167, `"ngày"yyyy`, false},
		{168, "[Red]0.00", false}, {169, `\dyyyy`, false}, {170, "[$-409]mmmm d, yyyy", true}, {171, "General", false},
	} {
		if got := formatShowsDay(c.id, c.code); got != c.want {
			t.Errorf("formatShowsDay(%d, %q) = %v, want %v", c.id, c.code, got, c.want)
		}
	}
}

// TestCSVExcelTextFormula: a CSV exported by another tool for Excel
// writes a number that must keep its leading zero as ="042192004321"
// (bare, or quoted as "=""…"""): Excel shows the text inside. The import
// dropped such an identification number, "unexpected characters"; it
// reads the text inside now, in any column.
func TestCSVExcelTextFormula(t *testing.T) {
	path := filepath.Join(t.TempDir(), "xuat.csv")
	body := "\ufeffSTT;Họ và tên;Ngày sinh;Số định danh cá nhân;Số CMND\r\n" +
		"1;Lê Thị Chín;=\"03/04/1992\";=\"042192004321\";\r\n" +
		"2;Hồ Thị Một;07/08/1994;\"=\"\"042194004322\"\"\";=\"083456789\"\r\n" +
		"3;Võ Văn Hai;1995;=\"04 2095\"\"006789\";\r\n"
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	items, _ := openAll(t, path, Options{})
	recs, _, notes := byRow(items)
	for row, want := range map[int][3]string{2: {"1992-04-03", "042192004321", ""}, 3: {"1994-08-07", "042194004322", "083456789"}} {
		r := recs[row]
		if r == nil || r.BirthDate != want[0] || r.IDNumber != want[1] || r.CMND != want[2] || len(notes[row]) != 0 {
			t.Errorf("row %d: %+v, notes %+v; want born %s, number %s, CMND %q", row, r, notes[row], want[0], want[1], want[2])
		}
	}
	if r := recs[4]; r == nil || r.IDNumber != "" || len(notes[4]) != 1 {
		t.Errorf("row 4 (a quote inside: no text formula): %+v, notes %+v; want its number dropped with a note", r, notes[4])
	}
}

// TestSectionsOfResidence: a village's list in parts — "I | THƯỜNG TRÚ",
// its persons and "Tổng số hộ: 1, nhân khẩu: 2"; "II | TẠM TRÚ", the
// header again, its persons and "Cộng tạm trú: 2 người"; "III | TẠM VẮNG"
// (user26). The import made persons of "THƯỜNG TRÚ", "Cộng tạm trú: 2
// người" and "TẠM VẮNG": three of eight records were no person. Now the
// five persons are the records; a person numbered with a letter ("a |
// Nguyễn Văn An", alone in its row) is still one.
func TestSectionsOfResidence(t *testing.T) {
	path := filepath.Join(t.TempDir(), "thon_bac.xlsx")
	f := excelize.NewFile()
	for i, r := range [][]any{
		{"UBND XÃ TÂN LỘC"},
		{"DANH SÁCH NHÂN KHẨU THÔN BẮC"},
		{},
		{"STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Ghi chú"},
		{"I", "THƯỜNG TRÚ"},
		{1, "Nguyễn Văn Bắc", "12/03/1960", "Nam", "042060001111", ""},
		{2, "Trần Thị Nam", "05/07/1962", "Nữ", "042162002222", ""},
		{"a", "Nguyễn Văn An"},
		{"", "Tổng số hộ: 1, nhân khẩu: 3"},
		{"II", "TẠM TRÚ"},
		{"STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Ghi chú"},
		{1, "Lê Văn Tây", "01/01/1990", "Nam", "038090003333", "Tạm trú từ Thanh Hóa"},
		{2, "Phạm Thị Đông", "02/02/1992", "Nữ", "038192004444", ""},
		{"", "Cộng tạm trú: 2 người"},
		{"III", "TẠM VẮNG"},
		{1, "Hoàng Văn Vắng", "03/03/1985", "Nam", "042085005555", "Đi làm ở Hàn Quốc"},
		{},
		{"", "Tổng cộng toàn thôn: 6 nhân khẩu"},
	} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	items, desc := openAll(t, path, Options{})
	recs, rejects, _ := byRow(items)
	rows := slices.Sorted(maps.Keys(recs))
	if want := []int{6, 7, 8, 12, 13, 16}; !slices.Equal(rows, want) || len(rejects) != 0 {
		names := map[int]string{}
		for r, rec := range recs {
			names[r] = rec.FullName
		}
		t.Errorf("records of rows %v %v, rejects %v; want rows %v", rows, names, slices.Collect(maps.Keys(rejects)), want)
	}
	if l := desc.Sheets[0]; l.Rows != l.Accepted+l.Rejected+l.SkippedRows {
		t.Errorf("rows %d != accepted %d + rejected %d + skipped %d", l.Rows, l.Accepted, l.Rejected, l.SkippedRows)
	}
}

// TestNameCellTwoNamesOrAYear: a couple typed in one cell ("Nguyễn Văn
// Bình, Nguyễn Thị Cúc") was one person of six words, and a year typed
// after a name ("Nguyễn Văn An 1985") part of the name (user26). The
// first is rejected, each person needing a row; the year is left out of
// the name, with a note, and is the year of birth when the row gives
// none. A comma in one name, or after a given name alone, is no second
// person.
func TestNameCellTwoNamesOrAYear(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ten.csv")
	body := "STT,Họ và tên,Ngày sinh\n" +
		"1,\"Nguyễn Văn Bình, Nguyễn Thị Cúc\",12/03/1960\n" +
		"2,Nguyễn Văn An 1985,\n" +
		"3,Trần Văn Em - 1990,12/03/1991\n" +
		"4,\"Nguyễn, Văn Hải\",01/01/1970\n" +
		"5,\"Lê Văn Cường; Lê\",01/01/1971\n"
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	items, _ := openAll(t, path, Options{})
	recs, rejects, notes := byRow(items)
	if r := rejects[2]; r == nil || !strings.Contains(r.Reason, "two persons' names in one cell") || strings.Contains(r.Value, "Bình") {
		t.Errorf("row 2: reject %+v, record %+v; want it rejected, two names in one cell, the names masked", r, recs[2])
	}
	for row, want := range map[int][2]string{3: {"Nguyễn Văn An", "1985"}, 4: {"Trần Văn Em", "1991-03-12"}} {
		r := recs[row]
		if r == nil || r.FullName != want[0] || r.BirthDate != want[1] || len(notes[row]) != 1 || notes[row][0].Reason != NoteNameYear {
			t.Errorf("row %d: %+v, notes %+v; want %q born %s with the note %q", row, r, notes[row], want[0], want[1], NoteNameYear)
		}
	}
	for _, row := range []int{5, 6} {
		if recs[row] == nil {
			t.Errorf("row %d: rejected %+v; want it accepted (one person)", row, rejects[row])
		}
	}
}

// TestNumberAndCMNDInOneCell: a "Số CCCD/CMND" cell holding the number
// and the old CMND ("042160001234 (cũ: 183456789)") lost both, dropped as
// "unexpected characters" (user26). Each is kept now, with a note; two
// numbers of one kind, or three numbers, are still dropped.
func TestNumberAndCMNDInOneCell(t *testing.T) {
	path := filepath.Join(t.TempDir(), "so.csv")
	body := "STT,Họ và tên,Số CCCD/CMND\n" +
		"1,Phạm Thị Hoa,042160001234 (cũ: 183456789)\n" +
		"2,Phạm Văn Hùng,CCCD 042060001235 / CMND 183456780\n" +
		"3,Phạm Văn Khoa,042060001236 (042060001299)\n" +
		"4,Phạm Văn Lâm,042060001237 183456781 1\n"
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	items, _ := openAll(t, path, Options{})
	recs, _, notes := byRow(items)
	for row, want := range map[int][2]string{2: {"042160001234", "183456789"}, 3: {"042060001235", "183456780"}, 4: {"", ""}, 5: {"", ""}} {
		r := recs[row]
		kept := len(notes[row]) == 1 && notes[row][0].Reason == NoteNumberAndCMND
		if r == nil || r.IDNumber != want[0] || r.CMND != want[1] || kept != (want[0] != "") || len(notes[row]) != 1 {
			t.Errorf("row %d: %+v, notes %+v; want number %q, CMND %q", row, r, notes[row], want[0], want[1])
		}
	}
}
