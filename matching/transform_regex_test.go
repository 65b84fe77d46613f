package matching

import (
	"math/rand/v2"
	"regexp"
	"testing"

	"github.com/dancu-vn/dancu/internal/sweep"
)

// nameBirthPattern is the Vietnamese settings' name_birth transform's
// pattern (matching/vietnamese/settings.yaml).
const nameBirthPattern = `^\S.* [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}$`

// TestWholeMatchAsRegexp checks that a regex transform checked by bytes
// (wholeMatch) gives what the regexp package gives — the value or
// nothing — on every string of up to five bytes drawn from characters the
// patterns name and bytes of longer runes (valid UTF-8 or not), on random
// strings of such runes, and, for name_birth's pattern, on values of its
// shape with one to three bytes changed, added or taken out; and that
// the patterns it cannot decide so are left to the regexp package.
func TestWholeMatchAsRegexp(t *testing.T) {
	compiled := []string{
		nameBirthPattern,
		`^[0-9]{5}$`, `^.*x$`, `^(?s).*\n$`, `^a.+b$`, `^\S.*$`, `^$`, `^.$`, `^.*$`,
		`^[^a-c]é.*[0-9]$`, `^é\S{2}$`, `^(?:ab)[\n-]{2}.*$`, `^[^\x00-\x{10FFFF}]$`,
		`^([0-9]{5})$`, `^0([0-9]{2})[0-3][0-9]{2}$`, `^a(x-)[0 ]$`, // one group, ASCII, no .*
	}
	notCompiled := []string{
		`^é.*é$`,           // a tail rune outside ASCII
		`(?i)^ab$`,         // case folded
		`^ab.*cd.*$`,       // two .*
		`^([0-9]{5}).*$`,   // a capture group with a .*
		`^(é)$`, `^a(\S)$`, // a capture group of a rune beyond ASCII
		`^(a)(x)$`,           // two capture groups
		`[0-9]{5}`, `^[0-9]`, // not anchored at both ends
		`^a?$`, `^(?m)a$`, `^a|b$`, `^\bx$`, `^[0-9]{2,4}$`, `^x*$`,
	}
	for _, pat := range notCompiled {
		if compileWhole(pat) != nil {
			t.Errorf("%q compiled to byte checks", pat)
		}
	}
	strs := 0
	for _, pat := range compiled {
		w := compileWhole(pat)
		if w == nil {
			t.Errorf("%q not compiled to byte checks", pat)
			continue
		}
		re := regexp.MustCompile(pat)
		rt := compileRegex(pat)
		same := func(s string) {
			strs++
			if got, want := w.match(s), re.MatchString(s); got != want {
				t.Errorf("%q on %q: %v, regexp says %v", pat, s, got, want)
			}
			want := ""
			if m := re.FindStringSubmatch(s); len(m) > 1 {
				want = m[1]
			} else if m != nil {
				want = m[0]
			}
			if got := rt.extract(s); got != want {
				t.Errorf("%q extracts %q from %q, regexp %q", pat, got, s, want)
			}
		}
		sweep.Bytes([]byte{'a', 'x', '0', '-', ' ', '\n', 0xC3, 0xA9, 0xE1}, 5, same)
		rng := rand.New(rand.NewPCG(7, uint64(len(pat))))
		sweep.Random(rng, []rune("abx059- \n\t\u00e9\u1eab\ufffd\U00020000"), 20000, 20, same)
		for range 20000 {
			b := []byte("nguyen van an 1990-01-02 01")
			for range 1 + rng.IntN(3) {
				k := rng.IntN(len(b) + 1)
				c := "a0 -\n\t\xc3\xa9\xe1"[rng.IntN(9)]
				switch rng.IntN(3) {
				case 0:
					if k < len(b) {
						b[k] = c
					}
				case 1:
					b = append(b[:k], append([]byte{c}, b[k:]...)...)
				default:
					if k < len(b) {
						b = append(b[:k], b[k+1:]...)
					}
				}
			}
			same(string(b))
		}
	}
	t.Logf("%d patterns on %d strings", len(compiled), strs)
}

// TestRegexTransformResult checks what a regex transform gives with and
// without byte checks: the whole value or "" for an anchored pattern, the
// capture group or first match for others, and "" for a pattern that
// does not compile.
func TestRegexTransformResult(t *testing.T) {
	for _, c := range []struct{ pat, in, want string }{
		{nameBirthPattern, "nguyen van an 1990-01-02 01", "nguyen van an 1990-01-02 01"},
		{nameBirthPattern, "nguyen van an 1990-01 01", ""},
		{nameBirthPattern, "1990-01-02 01", ""},
		{nameBirthPattern, "nguyen van an 1990-01-02", ""},
		{`^([0-9]{5})$`, "10115", "10115"},
		{`^0([0-9]{2})[0-3][0-9]{8}$`, "042187001234", "42"},
		{`^0([0-9]{2})[0-3][0-9]{8}$`, "042787001234", ""},
		{`^0([0-9]{2})[0-3][0-9]{8}$`, "42187001234", ""},
		{`([0-9]{5})`, "Berlin 10115", "10115"},
		{`[0-9]+`, "a12b3", "12"},
		{`(`, "x", ""},
	} {
		if got := compileRegex(c.pat).extract(c.in); got != c.want {
			t.Errorf("regex:%s on %q: %q, want %q", c.pat, c.in, got, c.want)
		}
		if got := applyTransforms(c.in, []string{"regex:" + c.pat}); got != c.want {
			t.Errorf("applyTransforms regex:%s on %q: %q, want %q", c.pat, c.in, got, c.want)
		}
	}
}

// BenchmarkNameBirthTransform is name_birth's transform on a value that
// matches and one that does not, by byte checks and by the regexp
// package.
func BenchmarkNameBirthTransform(b *testing.B) {
	in := []string{"nguyen thi thu ha 1987-11-23 01", "nguyen thi thu ha 1987 01"}
	rt := compileRegex(nameBirthPattern)
	re := regexp.MustCompile(nameBirthPattern)
	b.Run("bytes", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for _, v := range in {
				_ = rt.extract(v)
			}
		}
	})
	b.Run("regexp", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for _, v := range in {
				_ = re.FindStringSubmatch(v)
			}
		}
	})
}
