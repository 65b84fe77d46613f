package ingest

import (
	"slices"
	"testing"
)

// TestSexMarkedUnderNamNu: many commune lists give sex as a mark ("x")
// under "Nam" or "Nữ", two columns below a "Giới tính" header cell (merged
// over both in a workbook, alone above the first in a CSV). The second
// header row used to be read as a person with no name (a reject), the
// marks as an unknown sex in the "Nam" column and the "Nữ" column not at
// all: no record had its sex. Now each mark gives the sex, the header's
// two rows are a header, and a row marked in both columns keeps no sex,
// with a note.
func TestSexMarkedUnderNamNu(t *testing.T) {
	rows := [][]string{
		{"STT", "Họ và tên", "Ngày sinh", "Giới tính", "", "Nơi thường trú"},
		{"", "", "", "Nam", "Nữ", ""},
		{"1", "Nguyễn Văn Hùng", "02/12/1973", "x", "", "Thôn Đông"},
		{"2", "Trần Thị Thủy", "05/03/1978", "", "X", "Thôn Đông"},
		{"3", "Lê Đức Thắng", "07/09/1945", "✓", "", "Xóm 3"},
		{"4", "Đỗ Minh An", "01/01/2001", "x", "x", "Xóm 3"},
		{"", "Tổng cộng", "", "2", "1", ""},
	}
	for ext, got := range importRows(t, rows) {
		var sexes []string
		notes := 0
		for _, it := range got.items {
			if it.Record == nil {
				t.Errorf("%s: row %+v rejected", ext, it.Reject)
				continue
			}
			sexes = append(sexes, it.Record.Sex)
			notes += len(it.Notes)
		}
		if want := []string{"M", "F", "M", ""}; !slices.Equal(sexes, want) {
			t.Errorf("%s: sexes %q, want %q", ext, sexes, want)
		}
		if notes != 1 {
			t.Errorf("%s: %d notes, want 1 (the row marked twice)", ext, notes)
		}
		l := got.d.Sheets[0]
		if !slices.Equal(l.HeaderRows, []int{1, 2}) {
			t.Errorf("%s: header rows %v, want [1 2]", ext, l.HeaderRows)
		}
		var fields []string
		for _, c := range l.Columns {
			fields = append(fields, c.Field)
		}
		if !slices.Contains(fields, FieldSexMale) || !slices.Contains(fields, FieldSexFem) {
			t.Errorf("%s: fields %q, want the marks' columns", ext, fields)
		}
	}
}
