package ingest

import (
	"archive/zip"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestCountAloneIsTotals: in a list with no STT column the totals row has
// its count where the name stands ("3 người", "17 nhân khẩu"), and was
// imported as a person named "3 người". It is a footer, as "Cộng: 3" is.
func TestCountAloneIsTotals(t *testing.T) {
	head := []string{"Họ và tên", "Năm sinh", "Nơi thường trú"}
	people := [][]string{
		{"Nguyễn Văn Hùng", "1973", "Thôn Đông"},
		{"Trần Thị Thủy", "1978", "Thôn Đông"},
		{"Lê Văn Hộ", "1980", "Thôn Đông"},
	}
	checkTotalsRows(t, head, people, []string{"Nguyễn Văn Hùng", "Trần Thị Thủy", "Lê Văn Hộ"}, [][]string{
		{"3 người", "", ""},
		{"3 nguoi", "", ""},
		{"3 nhân khẩu", "", ""},
		{"1 hộ", "", ""},
		{"3 người", "2", "1"},
	})
}

// TestExcelErrorValues: "#N/A", "#VALUE!", "#REF!" — a formula's error,
// kept as text by a CSV saved from Excel or a sheet pasted as values — are
// missing values with a note saying so; they were noted as unexpected
// characters in an identification number, an impossible date, and kept
// as the address "#VALUE!". An error where the name stands rejects the
// row, with the error in its reason.
func TestExcelErrorValues(t *testing.T) {
	rows := [][]string{
		{"STT", "Họ và tên", "Ngày sinh", "Số CCCD", "Nơi thường trú"},
		{"1", "Nguyễn Văn Hùng", "#N/A", "#REF!", "#VALUE!"},
		{"2", "#N/A", "05/03/1978", "001078001234", "Thôn Đông"},
		{"3", "Trần Thị Thủy", "12/10/1980", "#DIV/0!", "Thôn Đông"},
	}
	for ext, got := range importRows(t, rows) {
		var rec, rej int
		for _, it := range got.items {
			switch {
			case it.Record != nil && it.Record.FullName == "Nguyễn Văn Hùng":
				rec++
				if it.Record.PermAddress != "" || it.Record.IDNumber != "" || it.Record.BirthDate != "" {
					t.Errorf("%s: error values kept: %+v", ext, it.Record)
				}
				var fields []string
				for _, n := range it.Notes {
					if !strings.Contains(n.Reason, "Excel error") || !strings.HasPrefix(n.Value, "#") {
						t.Errorf("%s: note %+v", ext, n)
					}
					fields = append(fields, n.Field)
				}
				if want := []string{FieldBirthDate, FieldIDNumber, FieldPermAddress}; !slices.Equal(fields, want) {
					t.Errorf("%s: notes on %q, want %q", ext, fields, want)
				}
			case it.Record != nil && it.Record.FullName == "Trần Thị Thủy":
				rec++
				if len(it.Notes) != 1 || it.Notes[0].Value != "#DIV/0!" || !strings.Contains(it.Notes[0].Reason, "Excel error") {
					t.Errorf("%s: notes %+v", ext, it.Notes)
				}
			case it.Reject != nil:
				rej++
				if it.Reject.Row != 3 || it.Reject.Value != "#N/A" || !strings.Contains(it.Reject.Reason, "Excel error") {
					t.Errorf("%s: reject %+v", ext, it.Reject)
				}
			default:
				t.Errorf("%s: unexpected item %+v", ext, it)
			}
		}
		if rec != 2 || rej != 1 {
			t.Errorf("%s: %d records and %d rejects, want 2 and 1", ext, rec, rej)
		}
	}
}

// TestSectionHeadingInSTTColumn: a village's heading typed in the STT
// column above its people's numbers is a section heading, as in any other
// column but the name's; it was counted as a blank row (and so left out
// of the report). A totals row alone there is a footer.
func TestSectionHeadingInSTTColumn(t *testing.T) {
	rows := [][]string{
		{"STT", "Họ và tên", "Năm sinh"},
		{"Thôn Đông", "", ""},
		{"1", "Nguyễn Văn Hùng", "1973"},
		{"Thôn Tây", "", ""},
		{"2", "Trần Thị Thủy", "1978"},
		{"3", "", ""},
		{"Cộng: 2 người", "", ""},
	}
	for ext, got := range importRows(t, rows) {
		if names := acceptedNames(got.items); !slices.Equal(names, []string{"Nguyễn Văn Hùng", "Trần Thị Thủy"}) {
			t.Errorf("%s: accepted %q", ext, names)
		}
		l := got.d.Sheets[0]
		if l.ByKind[SkipSection] != 2 || l.ByKind[SkipBlank] != 1 || l.ByKind[SkipFooter] != 1 {
			t.Errorf("%s: %v, want 2 section headings, 1 blank, 1 footer (%+v)", ext, l.ByKind, l.Skips)
		}
	}
}

// TestApproximateBirthDate: "khoảng 1950" (about 1950) and its kin are
// left out, as before, but noted as an approximate date, not as an
// impossible one; the dates beside them read as they did. 31/02/1990 is
// kept as the year its one-digit corrections agree on (oneDigitDate).
func TestApproximateBirthDate(t *testing.T) {
	rows := [][]string{
		{"Họ và tên", "Ngày sinh"},
		{"Nguyễn Văn Hùng", "khoảng 1950"},
		{"Trần Thị Thủy", "khoảng năm 1948"},
		{"Lê Văn Tám", "~1952"},
		{"Phạm Thị Lan", "k. 1940"},
		{"Hoàng Văn Bảy", "15.3.1990"},
		{"Vũ Thị Mai", "03/1990"},
		{"Đỗ Văn Giang", "31/02/1990"},
	}
	want := []string{"approximate", "approximate", "approximate", "approximate", "", "", "impossible"}
	wantDates := []string{"", "", "", "", "1990-03-15", "1990-03", "1990"}
	for ext, got := range importRows(t, rows) {
		var reasons, dates []string
		for _, it := range got.items {
			if it.Record == nil {
				t.Fatalf("%s: reject %+v", ext, it.Reject)
			}
			r := ""
			if len(it.Notes) == 1 {
				r, _, _ = strings.Cut(it.Notes[0].Reason, " ")
			}
			reasons = append(reasons, r)
			dates = append(dates, it.Record.BirthDate)
		}
		if !slices.Equal(reasons, want) || !slices.Equal(dates, wantDates) {
			t.Errorf("%s: notes %q, dates %q; want %q, %q", ext, reasons, dates, want, wantDates)
		}
	}
}

// TestExcelErrorCells: a workbook keeps a formula's error as a cell of type
// "e" (<c t="e"><v>#N/A</v></c>), not as text. The sheet scanner read such
// a cell as empty, so an identification number that a lookup failed to
// find was missing without a note, and a name that failed rejected the row
// as "no name" without saying why — where the same values typed as text
// (TestExcelErrorValues) are noted. Both ways now read alike.
func TestExcelErrorCells(t *testing.T) {
	cell := func(ref, v string) string {
		if strings.HasPrefix(v, "#") {
			return `<c r="` + ref + `" t="e"><f>VLOOKUP(A1,X!A:B,2,0)</f><v>` + v + `</v></c>`
		}
		return `<c r="` + ref + `" t="inlineStr"><is><t>` + v + `</t></is></c>`
	}
	rows := [][]string{
		{"STT", "Họ và tên", "Ngày sinh", "Số CCCD", "Nơi thường trú"},
		{"1", "Nguyễn Văn Hùng", "12/10/1980", "#N/A", "Thôn Đông"},
		{"2", "#REF!", "05/03/1978", "001078001234", "Thôn Đông"},
	}
	var sheet strings.Builder
	sheet.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
	for i, r := range rows {
		fmt.Fprintf(&sheet, `<row r="%d">`, i+1)
		for j, v := range r {
			sheet.WriteString(cell(fmt.Sprintf("%c%d", 'A'+j, i+1), v))
		}
		sheet.WriteString(`</row>`)
	}
	sheet.WriteString(`</sheetData></worksheet>`)
	files := map[string]string{
		"[Content_Types].xml":        `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
		"_rels/.rels":                `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
		"xl/workbook.xml":            `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="DS" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels": `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
		"xl/worksheets/sheet1.xml":   sheet.String(),
	}
	path := filepath.Join(t.TempDir(), "errors.xlsx")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for _, name := range slices.Sorted(maps.Keys(files)) {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, files[name]); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	items, d := openAll(t, path, Options{})
	checkAccount(t, items, d)
	var rec, rej int
	for _, it := range items {
		switch {
		case it.Record != nil:
			rec++
			if it.Record.IDNumber != "" || len(it.Notes) != 1 || it.Notes[0].Value != "#N/A" || it.Notes[0].Field != FieldIDNumber ||
				!strings.Contains(it.Notes[0].Reason, "Excel error") {
				t.Errorf("record %+v, notes %+v: want no number and a note on the error", it.Record, it.Notes)
			}
		case it.Reject != nil:
			rej++
			if it.Reject.Row != 3 || it.Reject.Value != "#REF!" || !strings.Contains(it.Reject.Reason, "Excel error") {
				t.Errorf("reject %+v: want row 3, value #REF! and the error in its reason", it.Reject)
			}
		}
	}
	if rec != 1 || rej != 1 {
		t.Errorf("%d records and %d rejects, want 1 and 1", rec, rej)
	}
}
