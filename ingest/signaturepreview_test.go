package ingest

import (
	"path/filepath"
	"testing"
)

// TestSignatureUnderAddressColumnMasked: the signatures under a list
// ("Người lập biểu | Trưởng thôn", then the two names) sit under its
// columns; the one under the address column was previewed whole ("Phan
// Đình Tứ", a full name at info level: user28's first week), as an
// address cell's places are since user27. A name alone there is masked;
// a place-and-date line still shows its place.
func TestSignatureUnderAddressColumnMasked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bac_son.xlsx")
	s := "Thon Bac Son"
	writeFontBook(t, path, []bookCell{
		{s, "A1", "STT", ""}, {s, "B1", "Họ và tên", ""}, {s, "C1", "Năm sinh", ""}, {s, "D1", "Nơi thường trú", ""},
		{s, "A2", 1, ""}, {s, "B2", "Phan Văn Hải", ""}, {s, "C2", 1958, ""}, {s, "D2", "Nghi Xuân, Hà Tĩnh", ""},
		{s, "A3", 2, ""}, {s, "B3", "Nguyễn Thị Lài", ""}, {s, "C3", 1962, ""}, {s, "D3", "Nghi Xuân, Hà Tĩnh", ""},
		{s, "D5", "Thạch Bằng, ngày 1 tháng 3 năm 2019", ""},
		{s, "B6", "Người lập biểu", ""}, {s, "D6", "Trưởng thôn", ""},
		{s, "B9", "Nguyễn Văn Lâm", ""}, {s, "D9", "Phan Đình Tứ", ""},
	})
	_, desc := openAll(t, path, Options{})
	got := skipPreviews(t, desc, s)
	for row, want := range map[int]string{
		5: "Thạch Bằng, ngày 1 tháng 3 năm 2019",
		6: "Người lập biểu | Trưởng thôn",
		9: "Nguyễn V. L. | Phan Đ. T.",
	} {
		if got[row].Preview != want {
			t.Errorf("row %d (%s): preview %q; want %q", row, got[row].Kind, got[row].Preview, want)
		}
	}
}
