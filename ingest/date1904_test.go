package ingest

import (
	"path/filepath"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestDate1904Workbook: a workbook saved in the 1904 date system (Excel
// for Mac's old default, or the option "Use 1904 date system") counts its
// serial dates from 1 January 1904: 25538 is 2 December 1973 there, as
// Excel shows it, not 1969-12-01 — four years and a day early, for every
// birth date of the list. Years written as numbers are years in both.
func TestDate1904Workbook(t *testing.T) {
	for _, d1904 := range []bool{false, true} {
		f := excelize.NewFile()
		if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &d1904}); err != nil {
			t.Fatal(err)
		}
		dateStyle, err := f.NewStyle(&excelize.Style{NumFmt: 14})
		if err != nil {
			t.Fatal(err)
		}
		serial := 27000.0 // 1973-12-02 in the 1900 system
		if d1904 {
			serial -= 1462
		}
		rows := [][]any{{"Họ và tên", "Ngày sinh"}, {"Nguyễn Văn Hùng", serial}, {"Trần Thị Thủy", 1978}, {"Lê Đức Thắng", "07/09/1945"}}
		for r, row := range rows {
			for c, v := range row {
				ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if err := f.SetCellValue("Sheet1", ref, v); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := f.SetCellStyle("Sheet1", "B2", "B2", dateStyle); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), "ds.xlsx")
		if err := f.SaveAs(path); err != nil {
			t.Fatal(err)
		}
		f.Close()
		for _, excelizeRows := range []bool{false, true} {
			items, _ := openAll(t, path, Options{ExcelizeRows: excelizeRows})
			var got []string
			for _, it := range items {
				got = append(got, it.Record.BirthDate)
			}
			if want := []string{"1973-12-02", "1978", "1945-09-07"}; len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
				t.Errorf("1904 system %v, excelize rows %v: birth dates %q, want %q", d1904, excelizeRows, got, want)
			}
		}
	}
}
