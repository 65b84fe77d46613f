package sweep

import (
	"math/rand/v2"
	"strings"
)

// Bytes calls f with every string of up to maxLen bytes drawn from
// alphabet, the empty one first and each before those it starts.
func Bytes(alphabet []byte, maxLen int, f func(string)) {
	var rec func(b []byte)
	rec = func(b []byte) {
		f(string(b))
		if len(b) == maxLen {
			return
		}
		for _, c := range alphabet {
			rec(append(b, c))
		}
	}
	rec(nil)
}

// Random calls f with n strings, each of fewer than maxRunes runes drawn
// from runes by rng (its length drawn first, then its runes in turn).
func Random(rng *rand.Rand, runes []rune, n, maxRunes int, f func(string)) {
	for range n {
		var b strings.Builder
		for range rng.IntN(maxRunes) {
			b.WriteRune(runes[rng.IntN(len(runes))])
		}
		f(b.String())
	}
}
