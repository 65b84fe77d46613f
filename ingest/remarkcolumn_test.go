package ingest

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestRemarkColumnSaysGone: a list's "Ghi chú" column holding "Đã chết
// năm 2023" (typed in VNI-Times, as the rest of user27's Hộ Độ list) had
// the person accepted as a living resident, where the same words in
// brackets after the name reject the row. Read as that remark now: the
// row is rejected naming the column and the remark. A remark about
// someone else ("Vợ đã chết"), a move in, work away are read as before.
func TestRemarkColumnSaysGone(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ho_do.xlsx")
	s := "Sheet1"
	V := "VNI-Times"
	v := func(x string) string { return vni(t, x, false) }
	writeFontBook(t, path, []bookCell{
		{s, "A1", "STT", ""}, {s, "B1", "Họ và tên", ""}, {s, "C1", "Năm sinh", ""}, {s, "D1", "Ghi chú", ""},
		{s, "A2", 1, ""}, {s, "B2", v("Nguyễn Văn Hùng"), V}, {s, "C2", 1940, ""}, {s, "D2", v("Đã chết năm 2023"), V},
		{s, "A3", 2, ""}, {s, "B3", v("Trần Thị Thủy"), V}, {s, "C3", 1950, ""}, {s, "D3", v("Chuyển đi Hà Nội"), V},
		{s, "A4", 3, ""}, {s, "B4", v("Lê Văn Sơn"), V}, {s, "C4", 1955, ""}, {s, "D4", v("Vợ đã chết"), V},
		{s, "A5", 4, ""}, {s, "B5", v("Lê Thị Hằng"), V}, {s, "C5", 1960, ""}, {s, "D5", v("Chuyển đến năm 2021"), V},
		{s, "A6", 5, ""}, {s, "B6", v("Phan Văn Đạt"), V}, {s, "C6", 1980, ""}, {s, "D6", v("Đi làm ăn xa"), V},
	})
	items, _ := openAll(t, path, Options{})
	recs, rejects, _ := byRow(items)
	for _, row := range []int{2, 3} {
		r := rejects[row]
		if r == nil || r.Column != "Ghi chú" || !strings.Contains(r.Reason, "died or moved away") || r.Value == "" {
			t.Errorf("row %d: reject %+v, record %v; want rejected naming Ghi chú and the remark", row, r, recs[row] != nil)
		}
	}
	for _, row := range []int{4, 5, 6} {
		if recs[row] == nil {
			t.Errorf("row %d: rejected %+v; want read", row, rejects[row])
		}
	}
}
