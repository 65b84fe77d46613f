package vn

import (
	"testing"

	"golang.org/x/text/encoding/charmap"
)

// asMojibake is s's UTF-8 read as Windows-1252 (undefined bytes → U+FFFD).
func asMojibake(t *testing.T, s string) string {
	t.Helper()
	m, err := charmap.Windows1252.NewDecoder().String(s)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestRepairMojibake(t *testing.T) {
	for _, s := range []string{
		"Nguyễn Văn Cường", "Trần Thị Hồng Thuỷ", "Thôn Đoài, Xã Quảng Châu, Huyện Quảng Trạch",
		"ĐẶNG THỊ ỐC", "Lê Ngọc Ánh", "Đoài", "Hoàng Văn Bàng", "ngày 14 tháng 2 năm 1988", "Số 281, Tổ dân phố 16, Phường Minh Phương",
	} {
		m := asMojibake(t, s)
		if m == s {
			t.Fatalf("%q: no mojibake made", s)
		}
		if got := RepairMojibake(m); got != s {
			t.Errorf("RepairMojibake(%q) = %q, want %q", m, got, s)
		}
		if got := Clean(m); got != Clean(s) {
			t.Errorf("Clean(%q) = %q, want %q", m, got, Clean(s))
		}
	}
	// Text written right, upper-case Ã and Vietnamese á included, is left
	// alone.
	for _, s := range []string{"XÃ HÒA AN", "Nguyễn Thị Sáu", "NGÃ BA", "Phạm Thị Ã", "Café »", ""} {
		if got := RepairMojibake(s); got != s {
			t.Errorf("RepairMojibake(%q) = %q, want it unchanged", s, got)
		}
	}
}

// à's no-break space made a space ("HoÃ ng") is read back too.
func TestRepairMojibakeSpacedA(t *testing.T) {
	if got := Clean("HoÃ ng VÄƒn BÃ ng"); got != "Hoàng Văn Bàng" {
		t.Errorf("Clean = %q", got)
	}
}

// BenchmarkCleanCells cleans cells as ingest does: names and addresses
// written right (the mojibake check is a comparison per letter).
func BenchmarkCleanCells(b *testing.B) {
	cells := []string{"Nguyễn Văn Cường", "Trần Thị Hồng Thuỷ", "Thôn Đoài, Xã Quảng Châu, Huyện Quảng Trạch, Tỉnh Quảng Bình",
		"ĐẶNG THỊ ỐC", "Số 281, Tổ dân phố 16, Phường Minh Phương", "Kinh", "Việt Nam", "Hồ Thúy Ngoan"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		_ = Clean(cells[i%len(cells)])
	}
}
