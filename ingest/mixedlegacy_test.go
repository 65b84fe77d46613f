package ingest

import (
	"path/filepath"
	"testing"
)

// TestLegacyCellsOfTheOtherFamily: rows copied from another commune's file
// keep their font, so one sheet holds cells typed in TCVN3 (.VnTime) and
// in VNI (VNI-Times). A VNI cell in a TCVN3 column was read as TCVN3,
// "Hoaứng Ngoùc AÙnh" for Hoàng Ngọc Ánh (user27's Thạch Kim workbook:
// 5 of 31 persons so), and a .VnTime cell in a VNI column as VNI. A cell
// whose own font is of the other legacy family is read in it when its
// text agrees; the column's own cells and a Unicode cell pasted in are
// read as before.
func TestLegacyCellsOfTheOtherFamily(t *testing.T) {
	path := filepath.Join(t.TempDir(), "thach_kim.xlsx")
	s := "Sheet1"
	T, V, U := ".VnTime", "VNI-Times", "Times New Roman"
	writeFontBook(t, path, []bookCell{
		{s, "A1", "STT", ""}, {s, "B1", "Họ và tên", ""}, {s, "C1", "Quê quán", ""}, {s, "D1", "Năm sinh", ""},
		{s, "A2", 1, ""}, {s, "B2", tcvn3(t, "Nguyễn Văn Hùng", false), T}, {s, "C2", vni(t, "Nghệ An", false), V}, {s, "D2", 1970, ""},
		{s, "A3", 2, ""}, {s, "B3", vni(t, "Hoàng Ngọc Ánh", false), V}, {s, "C3", vni(t, "Thạch Hà, Hà Tĩnh", false), V}, {s, "D3", 1972, ""},
		{s, "A4", 3, ""}, {s, "B4", tcvn3(t, "Trần Thị Thủy", false), T}, {s, "C4", tcvn3(t, "Can Lộc, Hà Tĩnh", false), T}, {s, "D4", 1980, ""},
		{s, "A5", 4, ""}, {s, "B5", "Lê Thị Hằng", U}, {s, "C5", vni(t, "Nghi Xuân, Hà Tĩnh", false), V}, {s, "D5", 1985, ""},
		{s, "A6", 5, ""}, {s, "B6", tcvn3(t, "Phan Công Nghĩa", false), T}, {s, "C6", vni(t, "Lộc Hà, Hà Tĩnh", false), V}, {s, "D6", 1990, ""},
		{s, "A7", 6, ""}, {s, "B7", tcvn3(t, "Bùi Thị Thu", false), T}, {s, "C7", vni(t, "Hồng Lộc, Lộc Hà", false), V}, {s, "D7", 1991, ""},
	})
	items, desc := openAll(t, path, Options{})
	if cols := desc.Sheets[0].Columns; cols[1].Encoding != "tcvn3" || cols[2].Encoding != "vni" {
		t.Fatalf("columns %+v: want B read as TCVN3 and C as VNI, the test tests nothing else", cols)
	}
	recs, _, _ := byRow(items)
	for row, want := range map[int][2]string{
		2: {"Nguyễn Văn Hùng", "Nghệ An"},
		3: {"Hoàng Ngọc Ánh", "Thạch Hà, Hà Tĩnh"},
		4: {"Trần Thị Thủy", "Can Lộc, Hà Tĩnh"},
		5: {"Lê Thị Hằng", "Nghi Xuân, Hà Tĩnh"},
		6: {"Phan Công Nghĩa", "Lộc Hà, Hà Tĩnh"},
		7: {"Bùi Thị Thu", "Hồng Lộc, Lộc Hà"},
	} {
		if r := recs[row]; r == nil || r.FullName != want[0] || r.NativePlace != want[1] {
			t.Errorf("row %d: %+v; want %q of %q", row, r, want[0], want[1])
		}
	}
}
