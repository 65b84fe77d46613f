package ingest

import (
	"path/filepath"
	"testing"
)

// TestVnTimeHASCIIPreviewInCapitals: .VnTimeH draws every letter as a
// capital, the ASCII ones too ("stt", "dan toc", "thon dong" typed
// without marks are drawn STT, DAN TOC, THON DONG). The previews of a
// title and of the header, and the header names the report gives the
// columns, showed such cells in lower case (user27's leftover: "nam"),
// not as the clerk saw them; the toned cells beside them were already
// capitals.
func TestVnTimeHASCIIPreviewInCapitals(t *testing.T) {
	path := filepath.Join(t.TempDir(), "thach_kim.xlsx")
	s := "Thon Dong"
	h := ".VnTimeH"
	writeFontBook(t, path, []bookCell{
		{s, "A1", tcvn3(t, "danh sách nhân khẩu", false), h},
		{s, "A2", "thon dong", h},
		{s, "A4", "stt", h}, {s, "B4", tcvn3(t, "họ và tên", false), h}, {s, "C4", tcvn3(t, "ngày sinh", false), h}, {s, "D4", "dan toc", h},
		{s, "A5", 1, ""}, {s, "B5", tcvn3(t, "Nguyễn Văn An", false), ".VnTime"}, {s, "C5", "12/03/1985", ""}, {s, "D5", "Kinh", ".VnTime"},
		{s, "A6", 2, ""}, {s, "B6", tcvn3(t, "Trần Thị Bình", false), ".VnTime"}, {s, "C6", "05/06/1990", ""}, {s, "D6", "Kinh", ".VnTime"},
	})
	items, desc := openAll(t, path, Options{})
	if len(items) != 2 || items[0].Record == nil || items[0].Record.FullName != "Nguyễn Văn An" || items[0].Record.Ethnicity != "Kinh" {
		t.Fatalf("items %+v", items)
	}
	got := skipPreviews(t, desc, s)
	for row, want := range map[int]string{
		1: "DANH SÁCH NHÂN KHẨU",
		2: "THON DONG",
		4: "STT | HỌ VÀ TÊN | NGÀY SINH | DAN TOC",
	} {
		if got[row].Preview != want {
			t.Errorf("row %d (%s): preview %q; want %q", row, got[row].Kind, got[row].Preview, want)
		}
	}
	cols := desc.Sheets[0].Columns
	if len(cols) < 4 || cols[0].Header != "STT" || cols[3].Header != "DAN TOC" {
		t.Errorf("columns %+v; want the headers STT … DAN TOC", cols)
	}
}
