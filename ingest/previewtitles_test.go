package ingest

import (
	"path/filepath"
	"testing"
)

// TestNotesSheetPreviewDecodedByFont: the notes sheet of a commune's
// TCVN3 workbook ("Ghi chú:" typed in .VnTime, "GHI CHÚ" in .VnTimeH's
// lower-case codes) is no list and its rows are skipped; its preview was
// the raw bytes read as Unicode, "Ghi chó:" (user26), and "GHI CHÚ:"
// masked as a person's name, "Ghi C.": the text alone reads either way,
// the cell's font says which.
func TestNotesSheetPreviewDecodedByFont(t *testing.T) {
	for _, tc := range []struct {
		name, font, text, want string
	}{
		{"vntime", ".VnTime", tcvn3(t, "Ghi chú:", false), "Ghi chú:"},
		{"vntimeh", ".VnTimeH", tcvn3(t, "ghi chú:", false), "GHI CHÚ:"},
		{"unicode capitals", "Times New Roman", "GHI CHÚ:", "GHI CHÚ:"},
		{"unicode label", "Times New Roman", "GHI CHÚ", "GHI CHÚ"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "tan_loc.xlsx")
			cells := []bookCell{
				{"Thon Trung", "A1", "STT", ""}, {"Thon Trung", "B1", "Họ và tên", ""}, {"Thon Trung", "C1", "Ngày sinh", ""},
				{"Thon Trung", "A2", 1, ""}, {"Thon Trung", "B2", "Nguyễn Văn An", ""}, {"Thon Trung", "C2", "12/03/1985", ""},
				{"Ghi chu", "A1", tc.text, tc.font},
				{"Ghi chu", "A2", "1.", ""}, {"Ghi chu", "B2", tcvn3(t, "Hàng ẩn là người đã chuyển đi", false), ".VnTime"},
			}
			writeFontBook(t, path, cells)
			_, desc := openAll(t, path, Options{})
			s := skipPreviews(t, desc, "Ghi chu")[1]
			if s.Kind != SkipNotList || s.Preview != tc.want {
				t.Errorf("notes sheet row 1: %q %q; want %q %q", s.Kind, s.Preview, SkipNotList, tc.want)
			}
		})
	}
}

// TestTitlePreviewShowsPlaces: the rows above a list, its header and its
// footer are previewed with the names of persons masked (a signature),
// but the preview masked the places and phrases of titles that read like
// names — "Công A. XÃ Hồng L. - HUYỆN Lộc H." for the police post of Xã
// Hồng Lộc, "Quan H. V. C. H." for the header "QUAN HỆ VỚI CHỦ HỘ"
// (user26): a data team could not tell which list the dry run read. A
// name after a unit's word (xã, huyện, thôn …) is a place; a header names
// columns, never a person. The signature is still masked.
func TestTitlePreviewShowsPlaces(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hong_loc.xlsx")
	s := "Xom 3"
	writeFontBook(t, path, []bookCell{
		{s, "A1", "CÔNG AN XÃ HỒNG LỘC - HUYỆN LỘC HÀ", ""},
		{s, "A2", "Danh sách công dân xóm 3, xã Hồng Lộc, huyện Lộc Hà, tỉnh Hà Tĩnh", ""},
		{s, "A4", "TT", ""}, {s, "B4", "Họ tên", ""}, {s, "C4", "Năm sinh", ""}, {s, "D4", "QUAN HỆ VỚI CHỦ HỘ", ""},
		{s, "A5", 1, ""}, {s, "B5", "Nguyễn Văn An", ""}, {s, "C5", 1985, ""}, {s, "D5", "Chủ hộ", ""},
		{s, "A6", 2, ""}, {s, "B6", "Trần Thị Bình", ""}, {s, "C6", 1990, ""}, {s, "D6", "Vợ", ""},
		{s, "B8", "Người lập biểu", ""}, {s, "D8", "Trưởng thôn", ""},
		{s, "B9", "Lê Văn Cường", ""}, {s, "D9", "Hồ Sĩ Dũng", ""},
	})
	_, desc := openAll(t, path, Options{})
	got := skipPreviews(t, desc, s)
	for row, want := range map[int]string{
		1: "CÔNG AN XÃ HỒNG LỘC - HUYỆN LỘC HÀ",
		2: "Danh sách công dân xóm 3, xã Hồng Lộc, huyện Lộc Hà, tỉnh Hà Tĩnh",
		4: "TT | Họ tên | Năm sinh | QUAN HỆ VỚI CHỦ HỘ",
		9: "Lê V. C. | Hồ S. D.",
	} {
		if got[row].Preview != want {
			t.Errorf("row %d (%s): preview %q; want %q", row, got[row].Kind, got[row].Preview, want)
		}
	}
}
