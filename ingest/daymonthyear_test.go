package ingest

import (
	"slices"
	"testing"
)

// TestBirthDateInDayMonthYearColumns: many lists split the birth date in
// three columns, "Ngày", "Tháng", "Năm" under "Ngày tháng năm sinh" (or
// "Ngày sinh", "Tháng sinh", "Năm sinh" side by side). The day used to be
// read as an Excel serial (5 → 1900-01-05), the month ignored, and "Năm"
// (year) taken for "Nam" (male), which made every person of the list a
// man. Now the three make the date; a row with the year only keeps the
// year, and the sex column decides the sex.
func TestBirthDateInDayMonthYearColumns(t *testing.T) {
	people := [][]string{
		{"1", "Nguyễn Văn An", "5", "3", "1978", "Nam"},
		{"2", "Trần Thị Bình", "", "", "1980", "Nữ"},
		{"3", "Lê Thị Cúc", "12", "11", "2001", "Nữ"},
	}
	wantDates, wantSex := []string{"1978-03-05", "1980", "2001-11-12"}, []string{"M", "F", "F"}
	for name, head := range map[string][][]string{
		"merged":       {{"STT", "Họ và tên", "Ngày tháng năm sinh", "", "", "Giới tính"}, {"", "", "Ngày", "Tháng", "Năm", ""}},
		"no tones":     {{"STT", "Ho va ten", "Ngay thang nam sinh", "", "", "Gioi tinh"}, {"", "", "Ngay", "Thang", "Nam", ""}},
		"side by side": {{"STT", "Họ và tên", "Ngày sinh", "Tháng sinh", "Năm sinh", "Giới tính"}},
	} {
		rows := append(append([][]string{}, head...), people...)
		for ext, got := range importRows(t, rows) {
			var dates, sexes []string
			for _, it := range got.items {
				if it.Record == nil {
					t.Fatalf("%s %s: reject %+v", name, ext, it.Reject)
				}
				dates = append(dates, it.Record.BirthDate)
				sexes = append(sexes, it.Record.Sex)
			}
			if !slices.Equal(dates, wantDates) || !slices.Equal(sexes, wantSex) {
				t.Errorf("%s %s: dates %q, sexes %q; want %q, %q (columns %+v)", name, ext, dates, sexes, wantDates, wantSex, got.d.Sheets[0].Columns)
			}
		}
	}
}
