package compare

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestLookAlikeKeyAsRunes: LookAlikeKey gives strings.Map of the rune
// mapping for random texts of ASCII bytes (every one of them), letters
// past ASCII, invalid UTF-8 and the empty text, and returns an ASCII
// text no byte of which changes as it is (no copy).
func TestLookAlikeKeyAsRunes(t *testing.T) {
	pieces := []string{"m", "b", "v", "t", "M", "B", "V", "T", "a", "Z", " ", "ễ", "Ư", "đ", "\xff", "\x00", "\x7f"}
	for c := 0; c < 128; c++ {
		pieces = append(pieces, string(rune(c)))
	}
	rng := rand.New(rand.NewPCG(3, 5))
	for range 200000 {
		var b strings.Builder
		for range rng.IntN(10) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		s := b.String()
		if got, want := LookAlikeKey(s), strings.Map(lookAlikeRune, s); got != want {
			t.Fatalf("LookAlikeKey(%q) = %q, want %q", s, got, want)
		}
	}
	s := "nguyen an"
	if k := LookAlikeKey(s); k != s {
		t.Fatalf("LookAlikeKey(%q) = %q", s, k)
	}
	if n := testing.AllocsPerRun(100, func() { LookAlikeKey(s) }); n != 0 {
		t.Errorf("LookAlikeKey(%q) allocated %v times", s, n)
	}
}

// BenchmarkLookAlikeKey: the blocking columns' keys (folded family and
// given names, ASCII).
//
//	go test ./matching/compare -run '^$' -bench LookAlikeKey -benchmem
func BenchmarkLookAlikeKey(b *testing.B) {
	in := []string{"nguyen", "tran", "le", "pham", "an", "binh", "minh", "thu ha", "hoa", "cuong"}
	n := 0
	for i := 0; b.Loop(); i++ {
		n += len(LookAlikeKey(in[i%len(in)]))
	}
	if n == 0 {
		b.Fatal("no key")
	}
}
