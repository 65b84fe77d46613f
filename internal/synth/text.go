package synth

import (
	"math/rand/v2"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Combining marks of Vietnamese in NFD.
const (
	markGrave      = '\u0300' // huyền
	markAcute      = '\u0301' // sắc
	markTilde      = '\u0303' // ngã
	markHook       = '\u0309' // hỏi
	markDot        = '\u0323' // nặng
	markCircumflex = '\u0302' // â ê ô
	markBreve      = '\u0306' // ă
	markHorn       = '\u031B' // ơ ư
)

var toneMarks = []rune{markGrave, markAcute, markTilde, markHook, markDot}

func isTone(r rune) bool {
	switch r {
	case markGrave, markAcute, markTilde, markHook, markDot:
		return true
	}
	return false
}

// baseLetter maps each precomposed Vietnamese letter to its letter
// without diacritics.
var baseLetter = func() *[0x1F00]byte {
	var m [0x1F00]byte
	m['đ'], m['Đ'] = 'd', 'D'
	for r := rune(0xC0); r < 0x1F00; r++ {
		if !unicode.IsLetter(r) {
			continue
		}
		d := norm.NFD.String(string(r))
		if len(d) > 1 && d[0] < utf8.RuneSelf {
			m[r] = d[0]
		}
	}
	return &m
}()

// stripDiacritics removes every Vietnamese diacritic: "Nguyễn Đức" → "Nguyen Duc".
// It accepts NFC and NFD text.
func stripDiacritics(s string) string {
	i := 0
	for i < len(s) && s[i] < utf8.RuneSelf {
		i++
	}
	if i == len(s) {
		return s
	}
	b := make([]byte, i, len(s))
	copy(b, s[:i])
	for _, r := range s[i:] {
		switch {
		case r < utf8.RuneSelf:
			b = append(b, byte(r))
		case r >= 0x300 && r <= 0x36F: // combining marks (NFD input)
		case r < 0x1F00 && baseLetter[r] != 0:
			b = append(b, baseLetter[r])
		default:
			b = utf8.AppendRune(b, r)
		}
	}
	return string(b)
}

// toneMaps holds the rhyme rewrites of both directions, keyed by the last
// two letters of a word: old style (hòa, thủy) → new (hoà, thuỷ) and back.
type toneMaps struct{ toNew, toOld map[string]string }

func newToneMaps(pairs [][2]string) toneMaps {
	m := toneMaps{toNew: map[string]string{}, toOld: map[string]string{}}
	for _, p := range pairs {
		m.toNew[p[0]] = p[1]
		m.toOld[p[1]] = p[0]
	}
	return m
}

// toneStyle rewrites the open rhymes oa, oe, uy between the old style
// (hòa, thủy) and the new style (hoà, thuỷ). Syllables with a final
// consonant or after q are written the same in both and are left alone.
func toneStyle(s string, tm toneMaps, toNew bool) string {
	m := tm.toOld
	if toNew {
		m = tm.toNew
	}
	var b []byte
	last := 0 // bytes of s copied to b so far
	// p0, p1: start of the second-to-last and last rune of the current word;
	// pq: start of the rune before p0.
	p0, p1, pq, n := -1, -1, -1, 0
	flush := func(end int) {
		if n < 2 {
			return
		}
		rep, ok := m[s[p0:end]]
		if !ok {
			return
		}
		if pq >= 0 && (s[pq] == 'q' || s[pq] == 'Q') {
			return
		}
		if b == nil {
			b = make([]byte, 0, len(s)+4)
		}
		b = append(b, s[last:p0]...)
		b = append(b, rep...)
		last = end
	}
	for i, r := range s {
		if unicode.IsLetter(r) {
			pq, p0, p1 = p0, p1, i
			n++
			continue
		}
		flush(i)
		p0, p1, pq, n = -1, -1, -1, 0
	}
	flush(len(s))
	if b == nil {
		return s
	}
	return string(append(b, s[last:]...))
}

// ocrText applies character-level recognition errors of the kind seen on
// scanned Vietnamese forms: a horn, breve or circumflex lost (ư→u, ơ→o,
// ă/â→a, ă↔â), đ read as d, a tone mark dropped or read as another one.
// Each letter is hit with probability p. It reports whether anything changed.
func ocrText(s string, r *rand.Rand, p float64) (string, bool) {
	if p <= 0 || s == "" {
		return s, false
	}
	d := []rune(norm.NFD.String(s))
	changed := false
	out := make([]rune, 0, len(d))
	for i := 0; i < len(d); i++ {
		c := d[i]
		if r.Float64() >= p || !unicode.IsLetter(c) && !unicode.Is(unicode.Mn, c) {
			out = append(out, c)
			continue
		}
		switch {
		case c == 'đ':
			out = append(out, 'd')
			changed = true
		case c == 'Đ':
			out = append(out, 'D')
			changed = true
		case c == markHorn || c == markBreve || c == markCircumflex:
			changed = true
			if c == markBreve && r.IntN(2) == 0 {
				out = append(out, markCircumflex) // ă read as â
			} else if c == markCircumflex && r.IntN(3) == 0 && i > 0 && (d[i-1] == 'a' || d[i-1] == 'A') {
				out = append(out, markBreve) // â read as ă
			}
		case isTone(c):
			changed = true
			if r.IntN(2) == 0 {
				out = append(out, toneMarks[r.IntN(len(toneMarks))])
			}
		default:
			out = append(out, c)
		}
	}
	if !changed {
		return s, false
	}
	return norm.NFC.String(string(out)), true
}

// Middle names a record may add that the person does not use.
var (
	middleMale   = []string{"Văn", "Hữu", "Đức", "Minh", "Quang", "Anh"}
	middleFemale = []string{"Thị", "Ngọc", "Thu", "Kim", "Anh"}
)

// ocrConfusable are the letter shapes a scanner mistakes for one another
// on upper-case forms (N↔M, H↔B, U↔V, I↔T), both ways.
var ocrConfusable = map[rune]rune{'N': 'M', 'M': 'N', 'H': 'B', 'B': 'H', 'U': 'V', 'V': 'U', 'I': 'T', 'T': 'I',
	'n': 'm', 'm': 'n', 'h': 'b', 'b': 'h', 'u': 'v', 'v': 'u', 'i': 't', 't': 'i'}

// ocrConfuse replaces each confusable letter of s with its look-alike
// with probability p (marks stay on the letter: Ư may come out V̛, as the
// scanner reads it). It reports whether anything changed.
func ocrConfuse(s string, r *rand.Rand, p float64) (string, bool) {
	if p <= 0 || s == "" {
		return s, false
	}
	d := []rune(norm.NFD.String(s))
	changed := false
	for i, c := range d {
		if o, ok := ocrConfusable[c]; ok && r.Float64() < p {
			d[i] = o
			changed = true
		}
	}
	if !changed {
		return s, false
	}
	return norm.NFC.String(string(d)), true
}

// yearOCR are digits a scanner reads as others (0→8 in 2014 → 2814).
var yearOCR = map[byte][]byte{'0': {'8', '6'}, '1': {'7', '4'}, '2': {'7'}, '3': {'8'}, '4': {'9', '1'},
	'5': {'6', '3'}, '6': {'8', '5'}, '7': {'1'}, '8': {'3', '0', '6'}, '9': {'4', '8'}}

// ocrYearDigit misreads one of the last three digits of the first run of
// four digits in a date (its year) as a look-alike: 2014 → 2814.
func ocrYearDigit(date string, r *rand.Rand) string {
	b := []byte(date)
	for i := 0; i+4 <= len(b); i++ {
		if isDigits(b[i:i+4]) && (i+4 == len(b) || b[i+4] < '0' || b[i+4] > '9') && (i == 0 || b[i-1] < '0' || b[i-1] > '9') {
			k := i + 1 + r.IntN(3)
			alt := yearOCR[b[k]]
			b[k] = alt[r.IntN(len(alt))]
			return string(b)
		}
	}
	return date
}

func isDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// typo makes one typing error in s: two adjacent letters swapped, a letter
// dropped, or a letter doubled.
func typo(s string, r *rand.Rand) string {
	rs := []rune(s)
	var letters []int
	for i, c := range rs {
		if unicode.IsLetter(c) {
			letters = append(letters, i)
		}
	}
	if len(letters) < 3 {
		return s
	}
	i := letters[1+r.IntN(len(letters)-1)] // keep the initial letter
	switch r.IntN(3) {
	case 0:
		if i+1 < len(rs) && unicode.IsLetter(rs[i+1]) && rs[i] != rs[i+1] {
			rs[i], rs[i+1] = rs[i+1], rs[i]
			return string(rs)
		}
		fallthrough
	case 1:
		return string(rs[:i]) + string(rs[i+1:])
	default:
		return string(rs[:i+1]) + string(rs[i:])
	}
}

var digitOCR = map[byte]byte{'0': 'O', '1': 'l', '5': 'S', '8': 'B', '6': 'b', '2': 'Z'}

// ocrDigits replaces one digit of s with a letter OCR often confuses it with.
func ocrDigits(s string, r *rand.Rand) string {
	var idx []int
	for i := 0; i < len(s); i++ {
		if _, ok := digitOCR[s[i]]; ok {
			idx = append(idx, i)
		}
	}
	if len(idx) == 0 {
		return s
	}
	i := idx[r.IntN(len(idx))]
	b := []byte(s)
	b[i] = digitOCR[b[i]]
	return string(b)
}

// capitalize upper-cases the first letter of each word.
func capitalize(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		r, n := utf8.DecodeRuneInString(w)
		words[i] = string(unicode.ToUpper(r)) + strings.ToLower(w[n:])
	}
	return strings.Join(words, " ")
}
