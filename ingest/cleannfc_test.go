package ingest

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/dancu-vn/dancu/vn"
	"golang.org/x/text/unicode/norm"
)

// TestCleanNFCRanges checks what isCleanNFC relies on: every letter of
// its ranges is a starter that NFC leaves alone, and vn.Clean keeps it.
func TestCleanNFCRanges(t *testing.T) {
	for _, rg := range [][2]rune{{0xC0, 0x24F}, {0x1E00, 0x1EFF}} {
		for r := rg[0]; r <= rg[1]; r++ {
			s := string(r)
			p := norm.NFC.PropertiesString(s)
			if p.CCC() != 0 || !norm.NFC.IsNormalString(s) || !norm.NFC.IsNormalString("a"+s+"a") {
				t.Errorf("U+%04X: ccc %d, NFC normal %v", r, p.CCC(), norm.NFC.IsNormalString(s))
			}
			if vn.Clean(s) != s {
				t.Errorf("U+%04X: vn.Clean changes it", r)
			}
		}
	}
}

// TestIsCleanNFC checks isCleanNFC against the full path on cells it
// accepts and on cells it must refuse (combining marks, odd spaces,
// control characters, invalid UTF-8).
func TestIsCleanNFC(t *testing.T) {
	for _, c := range []struct {
		s    string
		want bool
	}{
		{"Nguyễn Văn Đức", true},
		{"Xã Đạ Chais, Huyện Lạc Dương", true},
		{"", false},
		{" Lan", false},
		{"Lan ", false},
		{"Lan  Anh", false},
		{"Nguye\u0303n", false}, // combining tilde: NFC composes it
		{"Lan\u00a0Anh", false},
		{"Lan\u200bAnh", false},
		{"Lan\tAnh", false},
		{"Lan\xffAnh", false},
		{"Ω", false},
	} {
		if got := isCleanNFC(c.s); got != c.want {
			t.Errorf("isCleanNFC(%q) = %v, want %v", c.s, got, c.want)
		}
	}
	// Random cells over the letters of Vietnamese lists and the
	// characters that must be refused: whenever isCleanNFC accepts a
	// cell, the full path returns it unchanged.
	alphabet := []rune("aAđĐơƯ ,.-/0123456789ạẾữỳ\u0301\u00a0\u200b\t\uFFFDΩ")
	rng := rand.New(rand.NewPCG(1, 2))
	accepted := 0
	for range 20000 {
		var b strings.Builder
		for range 1 + rng.IntN(12) {
			b.WriteRune(alphabet[rng.IntN(len(alphabet))])
		}
		s := b.String()
		if isCleanNFC(s) {
			accepted++
			if full := cleanText(decodeText(s, vn.Unicode)); full != s {
				t.Fatalf("isCleanNFC(%q) but the full path gives %q", s, full)
			}
		}
	}
	if accepted < 1000 {
		t.Fatalf("only %d random cells accepted: the test checks too little", accepted)
	}
}

// isCleanNFCRunes is isCleanNFC as first written, rune by rune: the
// definition the byte-by-byte version must agree with.
func isCleanNFCRunes(s string) bool {
	if s == "" || s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	prev := byte(0)
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7F || c == ' ' && prev == ' ' {
				return false
			}
			prev = c
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if !(r >= 0xC0 && r <= 0x24F || r >= 0x1E00 && r <= 0x1EFF) {
			return false
		}
		prev = 0
		i += n
	}
	return true
}

// TestIsCleanNFCBytes checks the byte-by-byte isCleanNFC against the
// rune-by-rune definition: every rune up to U+20000 alone and between
// letters, the edges of the two ranges cut short, and random strings
// of those edges, spaces and stray bytes.
func TestIsCleanNFCBytes(t *testing.T) {
	check := func(s string) {
		t.Helper()
		if got, want := isCleanNFC(s), isCleanNFCRunes(s); got != want {
			t.Fatalf("isCleanNFC(%q) = %v, rune by rune %v", s, got, want)
		}
	}
	for r := rune(0); r < 0x20000; r++ {
		s := string(r)
		check(s)
		check("a" + s + "b")
		for k := 1; k < len(s); k++ {
			check("a" + s[:k])
			check("a" + s[:k] + "b")
		}
	}
	edges := []string{"a", " ", "\u00bf", "\u00c0", "\u00ff", "\u0100", "\u024f", "\u0250", "\u1dff", "\u1e00", "\u1eff", "\u1f00",
		"\xc3", "\xc9", "\xc9\x90", "\xe1", "\xe1\xb8", "\xe1\xbc\x80", "\xe1\xb7\xbf", "\x80", "\xff", "\t"}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 200000 {
		var b strings.Builder
		for range 1 + rng.IntN(8) {
			b.WriteString(edges[rng.IntN(len(edges))])
		}
		check(b.String())
	}
}

// BenchmarkIsCleanNFC runs isCleanNFC on the cells of a row of a
// generated list (names, a date, numbers, addresses).
func BenchmarkIsCleanNFC(b *testing.B) {
	cells := []string{"1", "BG0000000002", "Đặng Quốc Anh Tuấn", "19/08/1989", "Nam", "068089290141", "Mường", "Công giáo", "Việt Nam",
		"Xã Đạ Chais, Huyện Lạc Dương, Tỉnh Lâm Đồng", "Số 59, Buôn Tân Lập, Xã An Nhơn, Tỉnh Lâm Đồng",
		"Số 59, Buôn Tân Lập - X.An Nhơn - H. Đạ Huoai - Lâm Đồng", "Đặng Văn Hà", "Nguyễn Phương Hồng Dung", "Nguyễn Thị Ngân", "Chủ hộ"}
	n := 0
	for b.Loop() {
		for _, c := range cells {
			if isCleanNFC(c) {
				n++
			}
		}
	}
	if n == 0 {
		b.Fatal("no cell clean")
	}
}
