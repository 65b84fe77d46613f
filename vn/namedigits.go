package vn

import (
	"strings"
	"unicode"
)

// nameDigitLetters are the letters a form reader's digit may stand for in
// a name: 0 O, 1 I or L, 5 S, 6 G, 8 B or Đ.
var nameDigitLetters = map[rune][]rune{'0': {'O'}, '1': {'I', 'L'}, '5': {'S'}, '6': {'G'}, '8': {'B', 'Đ'}}

// NameDigitsAsLetters returns a recognised name (a scanned form's) with
// each word that holds a letter and one to three of the digits readers put
// for letters read as those letters, when exactly one reading of the word
// is a family, middle or given name of the name tables ("N6UYỄN" NGUYỄN,
// "T0ÁN" TOÁN, "H1ỀN" HIỀN — not HLỀN); a word two readings make names
// ("8ình": Bình or Đình), none does, or holding another digit is left as
// written, for the matcher's OCR key. A letter takes the case of most of
// the word's letters (issue 12, acc55).
func NameDigitsAsLetters(s string) string {
	var words []string
	for i, w := range strings.Split(s, " ") {
		if t, ok := wordDigitsAsLetters(w); ok {
			if words == nil {
				words = strings.Split(s, " ")
			}
			words[i] = t
		}
	}
	if words == nil {
		return s
	}
	return strings.Join(words, " ")
}

func wordDigitsAsLetters(w string) (string, bool) {
	rs := []rune(w)
	var at []int
	letters, upper := 0, 0
	for i, r := range rs {
		switch {
		case nameDigitLetters[r] != nil:
			at = append(at, i)
		case r >= '0' && r <= '9':
			return "", false
		case unicode.IsLetter(r):
			letters++
			if unicode.IsUpper(r) {
				upper++
			}
		}
	}
	if len(at) == 0 || len(at) > 3 || letters == 0 {
		return "", false
	}
	up := upper*2 >= letters
	wc := nameCounts()
	found, n := "", 0
	var try func(k int)
	try = func(k int) {
		if k == len(at) {
			c := string(rs)
			marked := hasMarks(c)
			if wc.family(c, marked) != 0 || wc.given(c, marked)+wc.middle(c, marked) > 0 {
				found, n = c, n+1
			}
			return
		}
		d := rs[at[k]]
		for _, l := range nameDigitLetters[d] {
			if !up {
				l = unicode.ToLower(l)
			}
			rs[at[k]] = l
			try(k + 1)
		}
		rs[at[k]] = d
	}
	try(0)
	return found, n == 1
}
