package ingest

import (
	"path/filepath"
	"testing"
)

// TestNamNuColumnsWithoutParent: a list's header "Ngày sinh | Tháng sinh
// | Năm sinh | Nam | Nữ", the sex marked "x" (or written) under Nam or
// Nữ, no "Giới tính" over them: both columns were left unread and every
// person lost their sex (user27's Hộ Độ workbook, 26 of 26). They are the
// marks of a man and a woman now.
func TestNamNuColumnsWithoutParent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ho_do.xlsx")
	s := "Sheet1"
	writeFontBook(t, path, []bookCell{
		{s, "A1", "STT", ""}, {s, "B1", "Họ và tên", ""}, {s, "C1", "Ngày sinh", ""}, {s, "D1", "Tháng sinh", ""}, {s, "E1", "Năm sinh", ""}, {s, "F1", "Nam", ""}, {s, "G1", "Nữ", ""},
		{s, "A2", 1, ""}, {s, "B2", "Nguyễn Văn Hùng", ""}, {s, "C2", 5, ""}, {s, "D2", 3, ""}, {s, "E2", 1970, ""}, {s, "F2", "x", ""},
		{s, "A3", 2, ""}, {s, "B3", "Trần Thị Thủy", ""}, {s, "C3", 7, ""}, {s, "D3", 9, ""}, {s, "E3", 1972, ""}, {s, "G3", "x", ""},
		{s, "A4", 3, ""}, {s, "B4", "Lê Thị Hằng", ""}, {s, "E4", 1950, ""}, {s, "G4", "Nữ", ""},
		{s, "A5", 4, ""}, {s, "B5", "Lê Văn Sơn", ""}, {s, "E5", 1955, ""}, {s, "F5", "Nam", ""},
	})
	items, _ := openAll(t, path, Options{})
	recs, _, _ := byRow(items)
	for row, want := range map[int][2]string{2: {"M", "1970-03-05"}, 3: {"F", "1972-09-07"}, 4: {"F", "1950"}, 5: {"M", "1955"}} {
		if r := recs[row]; r == nil || r.Sex != want[0] || r.BirthDate != want[1] {
			t.Errorf("row %d: %+v; want sex %s born %s", row, r, want[0], want[1])
		}
	}
}
