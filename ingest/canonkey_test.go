package ingest

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/vn"
)

// canonKeySplit is canonKey without its fast path: vn.Canon split on
// what is not a letter, digit or non-ASCII rune (U+00A0 aside) and joined
// with single spaces.
func canonKeySplit(s string) string {
	c := vn.Canon(s)
	return strings.Join(strings.FieldsFunc(c, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r >= 0x80 && r != '\u00a0')
	}), " ")
}

// TestCanonKeyClean checks canonKey (which returns a canonical form
// canonKeyClean accepts as it is) against the split and join on names,
// headers and random texts of the bytes that matter, and that the fast
// path is taken on ordinary names and refused on texts the split changes.
func TestCanonKeyClean(t *testing.T) {
	texts := []string{"", " ", "Họ và tên", "HỌ VÀ TÊN", "Hoàng Văn An", "Huỳnh Thị Bích", "Hồ Tên",
		"TM. UBND xã", "Họ  tên", " Họ tên", "Họ tên ", "Họ\u00a0tên", "Họ, tên", "Nguyễn Văn A1",
		"Ho\u0323 te\u0302n", "a\xc2", "\xc2\xa0", "x\xff y", "Ðặng", "ĐỖ VĂN ĐỨC"}
	parts := []string{"a", "z", "A", "0", "9", " ", "  ", ".", ",", "-", "\u00a0", "ọ", "Ọ", "ê", "đ", "Đ",
		"\u0323", "\u0302", "\xc2", "\xa0", "\xff", "\t", "hoà", "HOÀ", "uy", "ủy", "qu", "gi"}
	r := rand.New(rand.NewPCG(13, 4))
	for range 50000 {
		var b strings.Builder
		for n := r.IntN(8); n >= 0; n-- {
			b.WriteString(parts[r.IntN(len(parts))])
		}
		texts = append(texts, b.String())
	}
	fast := 0
	for _, s := range texts {
		want := canonKeySplit(s)
		if got := canonKey(s); got != want {
			t.Fatalf("canonKey(%q) = %q, split and joined %q", s, got, want)
		}
		if canonKeyClean(vn.Canon(s)) {
			fast++
		}
	}
	for _, s := range []string{"Hoàng Văn An", "HUỲNH THỊ BÍCH", "họ và tên"} {
		if !canonKeyClean(vn.Canon(s)) {
			t.Errorf("canonKeyClean(Canon(%q)) = false", s)
		}
	}
	for _, s := range []string{"", "a  b", " a", "a ", "a\u00a0b", "a.b", "A", "a\tb"} {
		if canonKeyClean(s) {
			t.Errorf("canonKeyClean(%q) = true", s)
		}
	}
	if fast == 0 || fast == len(texts) {
		t.Errorf("fast path taken on %d of %d texts", fast, len(texts))
	}
}

// BenchmarkCanonKey is canonKey against the split and join alone on
// names as admitRow gives them (a name starting with H checked against
// a repeated header).
func BenchmarkCanonKey(b *testing.B) {
	names := []string{"Hoàng Văn An", "Huỳnh Thị Bích Ngọc", "Hồ Minh Tuấn", "Hà Thị Lan", "Hoàng Thị Thu Hằng",
		"Hứa Văn Dũng", "Hồ Thị Mỹ Linh", "Huỳnh Quốc Bảo"}
	for _, c := range []struct {
		name string
		f    func(string) string
	}{{"fast", canonKey}, {"split", canonKeySplit}} {
		b.Run(c.name, func(b *testing.B) {
			n := 0
			for i := range b.N {
				n += len(c.f(names[i%len(names)]))
			}
			if n == 0 {
				b.Fatal("empty keys")
			}
		})
	}
}
