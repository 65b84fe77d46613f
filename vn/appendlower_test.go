package vn

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestAppendLower checks appendLower against strings.ToLower, which the
// word counts' lookups read before: ASCII, Vietnamese capitals, the
// letters whose lower case is another length (İ, the Kelvin sign) and
// invalid UTF-8, alone and in random words; and that a word lower-cased
// finds the counts strings.ToLower found.
func TestAppendLower(t *testing.T) {
	pieces := []string{"A", "z", "Đ", "đ", "Ư", "Ế", "ễ", "İ", "\u212a", "ß", "Σ", "\xff", "\xe1\xbb", " ", "'", "0", "Nguyễn", "THỊ"}
	check := func(s string) {
		t.Helper()
		if got, want := string(appendLower(nil, s)), strings.ToLower(s); got != want {
			t.Fatalf("appendLower(%q) = %q, strings.ToLower %q", s, got, want)
		}
		if got, want := string(appendLower([]byte("x"), s)), "x"+strings.ToLower(s); got != want {
			t.Fatalf("appendLower(x, %q) = %q, want %q", s, got, want)
		}
	}
	check("")
	for _, p := range pieces {
		check(p)
	}
	rng := rand.New(rand.NewPCG(7, 8))
	for range 20000 {
		var b strings.Builder
		for range 1 + rng.IntN(6) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		check(b.String())
	}
	wc := nameCounts()
	for _, w := range []string{"Nguyễn", "Tuấn", "Hoàng", "Thị", "Văn", "LÊ", "Đặng"} {
		if got, want := wc.family(w, true), wc.fam[strings.ToLower(w)]; got != want {
			t.Errorf("family(%q) = %d, want %d", w, got, want)
		}
		if got, want := wc.given(w, true), wc.giv[strings.ToLower(w)]; got != want {
			t.Errorf("given(%q) = %d, want %d", w, got, want)
		}
		if got, want := wc.middle(w, true), wc.mid[strings.ToLower(w)]; got != want {
			t.Errorf("middle(%q) = %d, want %d", w, got, want)
		}
		if got, want := wc.share(w, true), wc.sh[strings.ToLower(w)]; got != want {
			t.Errorf("share(%q) = %v, want %v", w, got, want)
		}
	}
	if wc.family("Nguyễn", true) != 2 || wc.given("Tuấn", true) == 0 {
		t.Errorf("Nguyễn's family rank %d, Tuấn's given count %d: the counts were not read", wc.family("Nguyễn", true), wc.given("Tuấn", true))
	}
}
