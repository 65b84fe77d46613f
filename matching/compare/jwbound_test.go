package compare

import (
	"math/rand/v2"
	"testing"
)

// TestJaroWinklerBound checks the bound on random strings over small
// alphabets (repeated letters, transpositions, near copies) and on names:
// it is never below JaroWinkler, and it is below 0.8 for most pairs of
// unrelated names (else it would save nothing).
func TestJaroWinklerBound(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	word := func(alpha []rune) []rune {
		w := make([]rune, rng.IntN(12))
		for i := range w {
			w[i] = alpha[rng.IntN(len(alpha))]
		}
		return w
	}
	for _, alpha := range [][]rune{[]rune("ab"), []rune("abcd"), []rune("nguyễthịanh"), []rune("abcdefghijklmnopqrstuvwxyz"), []rune("a\u0101\u0141")} {
		for range 50000 {
			a, b := word(alpha), word(alpha)
			if rng.IntN(3) == 0 {
				b = append(b[:0], a...)
				if len(b) > 1 {
					i := rng.IntN(len(b) - 1)
					b[i], b[i+1] = b[i+1], b[i]
				}
				if len(b) > 0 && rng.IntN(2) == 0 {
					b[rng.IntN(len(b))] = alpha[rng.IntN(len(alpha))]
				}
			}
			if jw, ub := JaroWinkler(a, b), JaroWinklerBound(a, b); ub < jw {
				t.Fatalf("JaroWinklerBound(%q, %q) = %v below JaroWinkler %v", string(a), string(b), ub, jw)
			}
		}
	}
	names := []string{"nguyen", "tran", "le", "pham", "hoang", "huynh", "phan", "vu", "vo", "dang", "bui", "do", "ho", "ngo", "duong", "ly", "anh", "thi", "van", "minh", "thuy", "hung", "lan", "huong", "tuan"}
	below := 0
	for _, x := range names {
		for _, y := range names {
			a, b := []rune(x), []rune(y)
			jw, ub := JaroWinkler(a, b), JaroWinklerBound(a, b)
			if ub < jw {
				t.Fatalf("JaroWinklerBound(%q, %q) = %v below JaroWinkler %v", x, y, ub, jw)
			}
			if ub < 0.8 {
				below++
			}
		}
	}
	if below < len(names)*len(names)/2 {
		t.Errorf("the bound is below 0.8 for only %d of %d name pairs", below, len(names)*len(names))
	}
	if JaroWinklerBound([]rune("nguyen"), []rune("tran")) >= 0.8 {
		t.Error("nguyen / tran not ruled out")
	}
}
