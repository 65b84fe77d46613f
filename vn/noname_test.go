package vn_test

import (
	"testing"

	"github.com/dancu-vn/dancu/vn"
)

// A name cell that says, whole and as typed, that there is none is no
// name: not the given name Na, not Không and Rõ, not "khong ro".
func TestNoName(t *testing.T) {
	for _, c := range []struct {
		cell string
		none bool
	}{
		{"NA", true}, {" NA ", true}, {"N/A", true}, {"n/a", true}, {"n.a.", true}, {"KR", true},
		{"-", true}, {"?", true}, {"không rõ", true}, {"Không rõ", true}, {"KHÔNG RÕ", true},
		{"Chưa rõ", true}, {"không có", true}, {"null", true}, {"None", true},
		{"", false}, {"Na", false}, {"na", false}, {"Nà", false}, {"NÁ", false}, {"Kr", false},
		{"Nguyễn Thị Na", false}, {"Khổng", false}, {"Khong ro", false}, {"Nguyễn Văn An", false},
	} {
		if got := vn.NoName(c.cell); got != c.none {
			t.Errorf("NoName(%q) = %v, want %v", c.cell, got, c.none)
		}
	}
}

// BenchmarkNoName: whether a name cell says "no name", over cells as a
// list holds them (names far longer than any token, a few tokens).
func BenchmarkNoName(b *testing.B) {
	cells := []string{"Nguyễn Văn An", "Trần Thị Ngọc Ánh", "Lê Na", "không rõ", "NGUYỄN THỊ HOA", "Phạm Minh Tuấn", "N/A", "Hoàng Văn Bảy"}
	n := 0
	for i := 0; i < b.N; i++ {
		if vn.NoName(cells[i%len(cells)]) {
			n++
		}
	}
	if b.N >= len(cells) && n == 0 {
		b.Fatal("no token found")
	}
}
