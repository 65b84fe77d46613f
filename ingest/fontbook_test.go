package ingest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// bookCell is a cell of a test workbook: its sheet, reference, value and
// font ("" the default).
type bookCell struct {
	sheet, ref string
	v          any
	font       string
}

// writeFontBook writes the cells given, sheets in the order first met,
// each cell in its font, and hides the rows of hidden ("Sheet!3").
func writeFontBook(t *testing.T, path string, cells []bookCell, hidden ...string) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	styles := map[string]int{}
	made := map[string]bool{}
	first := true
	for _, c := range cells {
		if !made[c.sheet] {
			if first {
				if err := f.SetSheetName("Sheet1", c.sheet); err != nil {
					t.Fatal(err)
				}
				first = false
			} else if _, err := f.NewSheet(c.sheet); err != nil {
				t.Fatal(err)
			}
			made[c.sheet] = true
		}
		if err := f.SetCellValue(c.sheet, c.ref, c.v); err != nil {
			t.Fatal(err)
		}
		if c.font == "" {
			continue
		}
		st, ok := styles[c.font]
		if !ok {
			var err error
			if st, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Family: c.font}}); err != nil {
				t.Fatal(err)
			}
			styles[c.font] = st
		}
		if err := f.SetCellStyle(c.sheet, c.ref, c.ref, st); err != nil {
			t.Fatal(err)
		}
	}
	for _, h := range hidden {
		sheet, row, _ := strings.Cut(h, "!")
		n := 0
		for _, d := range row {
			n = n*10 + int(d-'0')
		}
		if err := f.SetRowVisible(sheet, n, false); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

// skipPreviews maps each listed skipped row of the sheet named to its
// kind and preview.
func skipPreviews(t *testing.T, desc Description, sheet string) map[int]SkipRun {
	t.Helper()
	for _, l := range desc.Sheets {
		if l.Sheet == sheet {
			out := map[int]SkipRun{}
			for _, s := range l.Skips {
				out[s.Row] = s
			}
			return out
		}
	}
	t.Fatalf("no sheet %q in %+v", sheet, desc.Sheets)
	return nil
}

// TestNameHoldingADigitRejected: "Hồ Văn 3" (a given name typed as a
// number, a row numbered in the name's cell) was accepted as a person of
// that name. A typed name holds no digit: the row is rejected, naming the
// column and the value. A year after the name ("Nguyễn Văn An 1985") is
// read as before; so is a scanned form's name, whose digit is the
// reader's misreading of a letter ("8ình"), kept for the matcher.
func TestNameHoldingADigitRejected(t *testing.T) {
	path := filepath.Join(t.TempDir(), "xom3.xlsx")
	s := "Sheet1"
	writeFontBook(t, path, []bookCell{
		{s, "A1", "TT", ""}, {s, "B1", "Họ và tên", ""}, {s, "C1", "Ngày sinh", ""},
		{s, "A2", 1, ""}, {s, "B2", "Hồ Văn 3", ""}, {s, "C2", "12/03/1985", ""},
		{s, "A3", 2, ""}, {s, "B3", "Trần Th1 Bình", ""}, {s, "C3", "05/07/1990", ""},
		{s, "A4", 3, ""}, {s, "B4", "Nguyễn Văn An 1985", ""},
		{s, "A5", 4, ""}, {s, "B5", "Lê Văn Cường", ""}, {s, "C5", "01/01/1970", ""},
	})
	items, _ := openAll(t, path, Options{})
	recs, rejects, _ := byRow(items)
	for _, row := range []int{2, 3} {
		r := rejects[row]
		if r == nil || r.Column != "Họ và tên" || !strings.Contains(r.Reason, "digit") || r.Value == "" {
			t.Errorf("row %d: reject %+v, record %+v; want rejected naming the column and the value", row, r, recs[row])
		}
	}
	if recs[4] == nil || recs[4].FullName != "Nguyễn Văn An" || recs[4].BirthDate != "1985" || recs[5] == nil {
		t.Errorf("rows 4 and 5: %+v %+v; want Nguyễn Văn An born 1985, and Lê Văn Cường", recs[4], recs[5])
	}
	// A scanned form's digit is a misread letter: kept for the matcher.
	forms := filepath.Join(t.TempDir(), "phieu.jsonl")
	if err := os.WriteFile(forms, []byte(`{"form_id":"F1","fields":{"full_name":{"text":"Trần Văn 8ình","confidence":0.7},"birth_date":{"text":"1990","confidence":0.9}}}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	items, _ = openAll(t, forms, Options{})
	if len(items) != 1 || items[0].Record == nil || items[0].Record.FullName != "Trần Văn 8ình" {
		t.Errorf("scanned form: %+v; want the record kept as read", items)
	}
}
