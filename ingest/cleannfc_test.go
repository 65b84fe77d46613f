package ingest

import (
	"math/rand/v2"
	"strings"
	"testing"

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
