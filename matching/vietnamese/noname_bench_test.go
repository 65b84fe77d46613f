package vietnamese

import "testing"

// BenchmarkNoName: whether a name cell says "no name", over cells as a
// list holds them (names far longer than any token, a few tokens).
func BenchmarkNoName(b *testing.B) {
	cells := []string{"Nguyễn Văn An", "Trần Thị Ngọc Ánh", "Lê Na", "không rõ", "NGUYỄN THỊ HOA", "Phạm Minh Tuấn", "N/A", "Hoàng Văn Bảy"}
	n := 0
	for i := 0; i < b.N; i++ {
		if noName(cells[i%len(cells)]) {
			n++
		}
	}
	if b.N >= len(cells) && n == 0 {
		b.Fatal("no token found")
	}
}
