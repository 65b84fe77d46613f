package synth

import (
	"math/rand/v2"
	"testing"
	"unicode/utf8"
)

// FuzzTextNoise feeds arbitrary text to the noise operations: none may
// panic, and valid UTF-8 in must give valid UTF-8 out.
func FuzzTextNoise(f *testing.F) {
	for _, s := range []string{"Nguyễn Thị Hòa", "THUỶ", "Q.3, P.1", "", "a", "\u0301\u0301", "qúy hoà"} {
		f.Add(s, uint64(1))
	}
	tb, err := loadTables()
	if err != nil {
		f.Fatal(err)
	}
	e, err := loadEncoders()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string, seed uint64) {
		r := rand.New(rand.NewPCG(seed, 1))
		valid := utf8.ValidString(s)
		outs := []string{stripDiacritics(s), toneStyle(s, tb.tonePairs, true), toneStyle(s, tb.tonePairs, false), typo(s, r), ocrDigits(s, r)}
		o, _ := ocrText(s, r, 0.5)
		outs = append(outs, o)
		for _, font := range []string{".VnTime", ".VnTimeH", "VNI-Times"} {
			enc, dec := e.encode(s, font)
			outs = append(outs, enc, dec)
		}
		for _, out := range outs {
			if valid && !utf8.ValidString(out) {
				t.Fatalf("%q gave invalid UTF-8 %q", s, out)
			}
		}
		if valid {
			_, _ = encode1258(s)
		}
	})
}
