package ingest

import (
	"path/filepath"
	"testing"
)

// TestSignatureUnderAddressColumn: under "Người lập biểu | Trưởng thôn"
// the two sign, their names under the list's name and address columns.
// "Phan Thị Huệ | Nguyễn Văn Thành" was accepted as a person living at
// "Nguyễn Văn Thành" (Thành reads as an address word: user27's Thạch Kim
// workbook), and the footer before it flagged as followed by data. A
// person's name in the address column is no address: the row is the
// footer's. A person's row after a footer still returns to data.
func TestSignatureUnderAddressColumn(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kim_hai.xlsx")
	s := "Sheet1"
	writeFontBook(t, path, []bookCell{
		{s, "A1", "STT", ""}, {s, "B1", "Họ và tên", ""}, {s, "C1", "Năm sinh", ""}, {s, "D1", "Nơi thường trú", ""},
		{s, "A2", 1, ""}, {s, "B2", "Nguyễn Văn Hùng", ""}, {s, "C2", 1970, ""}, {s, "D2", "Thôn Kim Hải", ""},
		{s, "B4", "Người lập biểu", ""}, {s, "D4", "Trưởng thôn", ""},
		{s, "B7", "Phan Thị Huệ", ""}, {s, "D7", "Nguyễn Văn Thành", ""},
	})
	items, desc := openAll(t, path, Options{})
	recs, _, _ := byRow(items)
	if recs[7] != nil {
		t.Errorf("row 7 accepted: %q at %q; want the footer's signatures", recs[7].FullName, recs[7].PermAddress)
	}
	got := skipPreviews(t, desc, s)
	if got[7].Kind != SkipFooter || got[4].Note != "" {
		t.Errorf("row 4 %+v, row 7 %+v; want both footer, row 4 not flagged", got[4], got[7])
	}
}
