package ingest

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/vn"
	"golang.org/x/text/unicode/norm"
)

// TestComposeVietnamese checks composeVietnamese against norm.NFC: every
// Vietnamese letter written decomposed is composed by it, alone and in a
// name; every letter of ASCII and the two Latin ranges followed by every
// one or two of a set of marks (Vietnamese and others), and random
// strings of letters, marks, spaces and stray bytes, give NFC's text
// whenever it answers.
func TestComposeVietnamese(t *testing.T) {
	check := func(s string) bool {
		t.Helper()
		got, ok := composeVietnamese(s)
		if ok && got != norm.NFC.String(s) {
			t.Fatalf("composeVietnamese(%+q) = %+q, NFC %+q", s, got, norm.NFC.String(s))
		}
		return ok
	}
	vietnamese := "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵ"
	for _, r := range vietnamese + strings.ToUpper(vietnamese) {
		d := norm.NFD.String(string(r))
		if d == string(r) {
			continue
		}
		for _, s := range []string{d, "Ng" + d + "n", "Nguy" + d + "n V" + d + "n"} {
			if !check(s) {
				t.Fatalf("composeVietnamese(%+q) left to norm: every Vietnamese letter written decomposed must be composed", s)
			}
		}
	}
	marks := []rune{0x300, 0x301, 0x303, 0x309, 0x323, 0x302, 0x306, 0x31B, 0x304, 0x308, 0x30C, 0x327, 0x1DC4, 0x20D0}
	var bases []rune
	for r := rune(0x20); r < 0x7F; r++ {
		bases = append(bases, r)
	}
	for r := rune(0xC0); r <= 0x24F; r++ {
		bases = append(bases, r)
	}
	for r := rune(0x1E00); r <= 0x1EFF; r++ {
		bases = append(bases, r)
	}
	for _, b := range bases {
		for _, m1 := range marks {
			check("x" + string([]rune{b, m1}) + "y")
			for _, m2 := range marks {
				check(string([]rune{b, m1, m2}))
				check(string([]rune{b, m1, m2, m1}) + "a")
			}
		}
	}
	alphabet := []string{"a", "e", "y", "n", "N", " ", "ă", "ê", "ơ", "ư", "Đ", "ệ", "ñ", "\u0300", "\u0301", "\u0302", "\u0303", "\u0309",
		"\u0323", "\u0306", "\u031b", "\u0308", "\u1dc4", "\u3131", "\u1100", "\u1161", "Ω", "\xff", "\xcc", "\u200b"}
	rng := rand.New(rand.NewPCG(5, 6))
	composed := 0
	for range 200000 {
		var b strings.Builder
		for range 1 + rng.IntN(10) {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		if check(b.String()) {
			composed++
		}
	}
	if composed < 10000 {
		t.Fatalf("only %d random strings composed: the test checks too little", composed)
	}
}

// BenchmarkDecodeTextNFD is decodeText on names written decomposed, as
// ~4% of the name cells of a generated list are.
func BenchmarkDecodeTextNFD(b *testing.B) {
	names := []string{"Tra\u0302\u0300n Thi\u0323 Thu\u0301y", "Le\u0302 Quang Nghi\u0303a", "Nguye\u0302\u0303n Ngo\u0323c Tha\u0306\u0301ng",
		"Ngo\u0302 Va\u0306n \u0110a\u0323t", "Tra\u0302\u0300n Thi\u0323 Ho\u0302\u0300ng Nha\u0300n", "Vu\u0303 Va\u0306n So\u031bn"}
	for b.Loop() {
		for _, n := range names {
			decodeText(n, vn.Unicode)
		}
	}
}
