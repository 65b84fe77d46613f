package compare

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// ocrPairs are the letter shapes a scanner mistakes for one another on
// upper-case forms: N↔M, H↔B, U↔V, I↔T (compared case-insensitively).
var ocrPairs = map[[2]rune]bool{
	{'n', 'm'}: true, {'m', 'n'}: true, {'h', 'b'}: true, {'b', 'h'}: true,
	{'u', 'v'}: true, {'v', 'u'}: true, {'i', 't'}: true, {'t', 'i'}: true,
}

// Confusable reports whether a scanner commonly reads x as y.
func Confusable(x, y rune) bool {
	return ocrPairs[[2]rune{unicode.ToLower(x), unicode.ToLower(y)}]
}

// OCRCost is the cheapest way to turn a into b when replacing a letter by
// its scanner look-alike (Confusable) costs conf — the lower OCR
// confidence of the two fields, 1 for typed text — and any other
// insertion, deletion or substitution costs 2. At full confidence one
// confusion costs 1; at confidence 0.5, two cost 1. Work stops once the
// cost exceeds limit (the result is then some value above limit).
func OCRCost(a, b string, conf, limit float64) float64 {
	a, b = strings.ToLower(a), strings.ToLower(b)
	if limit >= 0 && limit < 2 && conf >= 0 {
		return ocrSubstitutions(a, b, conf, limit)
	}
	return ocrProgram([]rune(a), []rune(b), conf, limit)
}

// ocrProgram is OCRCost's dynamic program over the runes of two
// lower-cased strings (TestOCRCostSameAsDP checks the shortcut of
// ocrSubstitutions against it).
func ocrProgram(ra, rb []rune, conf, limit float64) float64 {
	if d := len(ra) - len(rb); float64(2*max(d, -d)) > limit {
		return limit + 1
	}
	prev := make([]float64, len(rb)+1)
	cur := make([]float64, len(rb)+1)
	for j := range prev {
		prev[j] = 2 * float64(j)
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = 2 * float64(i)
		best := cur[0]
		for j := 1; j <= len(rb); j++ {
			sub := 2.0
			switch {
			case ra[i-1] == rb[j-1]:
				sub = 0
			case Confusable(ra[i-1], rb[j-1]):
				sub = conf
			}
			v := prev[j-1] + sub
			if d := prev[j] + 2; d < v {
				v = d
			}
			if d := cur[j-1] + 2; d < v {
				v = d
			}
			cur[j] = v
			if v < best {
				best = v
			}
		}
		if best > limit {
			return limit + 1
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// ocrSubstitutions is OCRCost when limit is below 2, the cost of any
// insertion, deletion or ordinary substitution: only an alignment of
// equal positions and look-alikes can cost limit or less, so the cost is
// the sum along the diagonal (the sum the dynamic program takes there, in
// the same order) when the strings have as many runes and that sum is
// within limit, and limit+1 otherwise. The level asks this of most
// candidate pairs whose names differ, and the program allocated its rows
// and runes.
func ocrSubstitutions(a, b string, conf, limit float64) float64 {
	if utf8.RuneCountInString(a) != utf8.RuneCountInString(b) {
		return limit + 1
	}
	cost := 0.0
	for i, j := 0, 0; i < len(a); {
		x, n := utf8.DecodeRuneInString(a[i:])
		y, m := utf8.DecodeRuneInString(b[j:])
		i, j = i+n, j+m
		switch {
		case x == y:
			cost += 0
		case Confusable(x, y):
			cost += conf
		default:
			return limit + 1
		}
		if cost > limit {
			return limit + 1
		}
	}
	return cost
}

// WordsSubset reports whether every word of the shorter of a and b is
// among the words of the other (middle names added or dropped: "Trọng"
// and "Anh Trọng"). Words are strings.Fields' words, read in place: the
// level is asked of most candidate pairs whose middle names differ, and
// two slices of words a call were an allocation each.
func WordsSubset(a, b string) bool {
	na, nb := countFields(a), countFields(b)
	if na > nb {
		a, b = b, a
	}
	if min(na, nb) == 0 {
		return false
	}
	for w := range strings.FieldsSeq(a) {
		found := false
		for x := range strings.FieldsSeq(b) {
			if x == w {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// countFields is len(strings.Fields(s)).
func countFields(s string) int {
	n := 0
	for range strings.FieldsSeq(s) {
		n++
	}
	return n
}

// LookAlikeKey lower-cases s and writes each scanner look-alike pair as
// one letter (m→n, b→h, v→u, t→i), so that a name and its misreading
// share a blocking key: "NGVYỄN" and "Nguyễn" both give "nguyễn" folded
// the same way, "PBƯỢMG" and "Phượng" give "phượng".
func LookAlikeKey(s string) string {
	// ASCII (the folded name keys the blocking columns read) byte by
	// byte, s itself when no byte changes: strings.Map's call and
	// unicode.ToLower a rune were ~1% of dancu link's read
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return strings.Map(lookAlikeRune, s)
		}
		if lookAlikeASCII[c] == c {
			continue
		}
		b := []byte(s)
		for k := i; k < len(b); k++ {
			if b[k] >= utf8.RuneSelf {
				return strings.Map(lookAlikeRune, s)
			}
			b[k] = lookAlikeASCII[b[k]]
		}
		return string(b)
	}
	return s
}

// lookAlikeASCII is lookAlikeRune of each ASCII byte.
var lookAlikeASCII = func() (t [utf8.RuneSelf]byte) {
	for c := range t {
		t[c] = byte(lookAlikeRune(rune(c)))
	}
	return t
}()

// lookAlikeRune is LookAlikeKey of one rune.
func lookAlikeRune(r rune) rune {
	switch r = unicode.ToLower(r); r {
	case 'm':
		return 'n'
	case 'b':
		return 'h'
	case 'v':
		return 'u'
	case 't':
		return 'i'
	}
	return r
}

// FirstWordMoved reports whether one of a and b is the other with its
// first word moved to the end ("an nguyen van" and "nguyen van an": a
// given name written first, as forms laid out for Western names have it).
// Words are separated by single spaces; equal strings are not moved.
func FirstWordMoved(a, b string) bool {
	return a != b && len(a) == len(b) && (movedFirst(a, b) || movedFirst(b, a))
}

// movedFirst reports whether b is a with its first word moved to the end.
func movedFirst(a, b string) bool {
	i := strings.IndexByte(a, ' ')
	if i < 0 {
		return false
	}
	rest := len(a) - i - 1
	return b[:rest] == a[i+1:] && b[rest] == ' ' && b[rest+1:] == a[:i]
}
