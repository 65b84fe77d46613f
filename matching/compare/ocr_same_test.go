package compare

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// ocrCostDP is OCRCost as it was written before its shortcut for limits
// below 2: the dynamic program alone. TestOCRCostSameAsDP checks the two
// agree.
func ocrCostDP(a, b string, conf, limit float64) float64 {
	return ocrProgram([]rune(strings.ToLower(a)), []rune(strings.ToLower(b)), conf, limit)
}

// TestOCRCostSameAsDP compares OCRCost with the dynamic program on random
// strings of look-alike letters (upper and lower case, a Vietnamese
// letter, invalid UTF-8) at assorted confidences and limits: the same
// answer to "within the limit", and the same cost when it is.
func TestOCRCostSameAsDP(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	alpha := []string{"n", "m", "h", "b", "u", "v", "i", "t", "N", "M", "a", "ễ", "\xff"}
	gen := func() string {
		var sb strings.Builder
		for range rng.IntN(7) {
			sb.WriteString(alpha[rng.IntN(len(alpha))])
		}
		return sb.String()
	}
	within := 0
	for range 300000 {
		a := gen()
		b := a
		if rng.IntN(2) == 0 {
			b = gen()
		} else if len(b) > 0 { // a look-alike or two swapped in
			bs := []byte(strings.ToLower(b))
			for range 1 + rng.IntN(2) {
				i := rng.IntN(len(bs))
				switch bs[i] {
				case 'n':
					bs[i] = 'm'
				case 'h':
					bs[i] = 'b'
				case 'u':
					bs[i] = 'v'
				case 't':
					bs[i] = 'i'
				}
			}
			b = string(bs)
		}
		conf := []float64{0, 0.3, 0.5, 1, 1.5}[rng.IntN(5)]
		limit := []float64{0, 0.5, 1, 1.5, 1.99, 2, 5}[rng.IntN(7)]
		got, want := OCRCost(a, b, conf, limit), ocrCostDP(a, b, conf, limit)
		if (got <= limit) != (want <= limit) || want <= limit && got != want {
			t.Fatalf("OCRCost(%q, %q, %v, %v) = %v, the program gives %v", a, b, conf, limit, got, want)
		}
		if got <= limit && a != b {
			within++
		}
	}
	if within < 1000 {
		t.Fatalf("only %d differing pairs within the limit: the test compares little", within)
	}
	if n := testing.AllocsPerRun(100, func() { OCRCost("nguyen", "nguyem", 1, 1) }); n != 0 {
		t.Errorf("OCRCost allocates %v times a call at limit 1", n)
	}
}

// BenchmarkOCRCost asks the look-alike level (limit 1) of names of equal
// length that differ, as most candidate pairs that reach it do
// ("program": the dynamic program alone):
//
//	go test ./matching/compare -run '^$' -bench OCRCost -benchmem
func BenchmarkOCRCost(b *testing.B) {
	pairs := [][2]string{{"nguyen", "nguyem"}, {"tran", "tram"}, {"hoang", "huynh"}, {"pham", "phan"}}
	for _, v := range []struct {
		name string
		f    func(a, b string, conf, limit float64) float64
	}{{"shortcut", OCRCost}, {"program", ocrCostDP}} {
		b.Run(v.name, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				p := pairs[i%len(pairs)]
				v.f(p[0], p[1], 1, 1)
				i++
			}
		})
	}
}
