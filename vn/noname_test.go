package vn_test

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

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

// noNameByDefinition is NoName without its shortcuts: the cell, trimmed,
// is NA or KR, or equal-folds to one of MissingValues but Na.
func noNameByDefinition(cell string) bool {
	cell = strings.TrimSpace(cell)
	if cell == "NA" || cell == "KR" {
		return true
	}
	for _, m := range vn.MissingValues {
		if !strings.EqualFold(m, "na") && strings.EqualFold(cell, m) {
			return true
		}
	}
	return false
}

// TestNoNameAsDefinition compares NoName with its definition on cells
// made of a first rune followed by each token's rest (the token without
// its first rune), by names' rests and by nothing, with and without
// spaces around. The first runes: every rune up to U+0300, Vietnamese's
// letters (U+1E00–U+1EFF), the letterlike symbols (U+2100–U+21FF), every
// rune that folds to or from an ASCII one (unicode.SimpleFold: the Kelvin
// sign K, the long s ſ) and every 97th rune up to U+20000. The shortcut
// on the cell's first byte (missingStart) must keep every rune that folds
// to a token's first ("Không rõ" written with the Kelvin sign is no name).
func TestNoNameAsDefinition(t *testing.T) {
	tails := []string{"", "guyễn Văn An", "a", "ê Na", "R", "r"}
	for _, m := range vn.MissingValues {
		_, n := utf8.DecodeRuneInString(m)
		tails = append(tails, m[n:], strings.ToUpper(m[n:]))
	}
	var firsts []rune
	for r := rune(0); r < 0x20000; r++ {
		if r < 0x300 || 0x1E00 <= r && r < 0x1F00 || 0x2100 <= r && r < 0x2200 || r%97 == 0 {
			firsts = append(firsts, r)
		}
	}
	for c := rune(0); c < utf8.RuneSelf; c++ {
		for f := unicode.SimpleFold(c); f != c; f = unicode.SimpleFold(f) {
			firsts = append(firsts, f)
		}
	}
	found := 0
	for _, r := range firsts {
		if !utf8.ValidRune(r) {
			continue
		}
		for _, tail := range tails {
			for _, cell := range []string{string(r) + tail, " " + string(r) + tail + " "} {
				got, want := vn.NoName(cell), noNameByDefinition(cell)
				if got != want {
					t.Fatalf("NoName(%q) = %v, by definition %v", cell, got, want)
				}
				if want {
					found++
				}
			}
		}
	}
	if !vn.NoName("\u212Ahông rõ") || found < 2*len(vn.MissingValues) {
		t.Errorf("the Kelvin sign's không rõ: %v; %d cells are no name: the test reads too few tokens", vn.NoName("\u212Ahông rõ"), found)
	}
}
