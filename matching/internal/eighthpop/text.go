package eighthpop

import (
	"math/rand/v2"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// noMarks writes s without its marks (đ as d), as a keyboard without
// Vietnamese input or a reader that lost them does.
func noMarks(s string) string {
	var b strings.Builder
	for _, c := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, c):
		case c == 'đ':
			b.WriteRune('d')
		case c == 'Đ':
			b.WriteRune('D')
		default:
			b.WriteRune(c)
		}
	}
	return b.String()
}

// upper is s in capitals (Vietnamese letters included).
func upper(s string) string { return strings.ToUpper(s) }

// The tone marks, decomposed.
const (
	sac   = '\u0301'
	huyen = '\u0300'
	hoi   = '\u0309'
	nga   = '\u0303'
	nang  = '\u0323'
)

// misreadMark changes one mark of one word of s as a form reader
// mistakes it: a tone for its neighbour (sắc/huyền, hỏi/ngã), the dot
// below lost, a hat, breve or horn lost, or đ read d. It returns s
// unchanged when no word has a mark.
func misreadMark(r *rand.Rand, s string) string {
	words := strings.Split(s, " ")
	var marked []int
	for i, w := range words {
		if noMarks(w) != w {
			marked = append(marked, i)
		}
	}
	if len(marked) == 0 {
		return s
	}
	i := marked[r.IntN(len(marked))]
	d := []rune(norm.NFD.String(words[i]))
	var pos []int
	for j, c := range d {
		if unicode.Is(unicode.Mn, c) || c == 'đ' || c == 'Đ' {
			pos = append(pos, j)
		}
	}
	j := pos[r.IntN(len(pos))]
	switch d[j] {
	case sac:
		d[j] = huyen
	case huyen:
		d[j] = sac
	case hoi:
		d[j] = nga
	case nga:
		d[j] = hoi
	case 'đ':
		d[j] = 'd'
	case 'Đ':
		d[j] = 'D'
	default: // dot below, hat, breve, horn: lost
		d = append(d[:j], d[j+1:]...)
	}
	words[i] = norm.NFC.String(string(d))
	return strings.Join(words, " ")
}

// lookAlike are the letters a reader takes for digits and back.
var lookAlike = map[rune]rune{'O': '0', 'I': '1', 'S': '5', 'B': '8', 'G': '6', 'Z': '2',
	'0': 'O', '1': 'l', '5': 'S', '8': 'B', '6': 'G', '2': 'Z'}

// swapLookAlike replaces one letter of s (or digit) by its look-alike;
// ok false when none has one.
func swapLookAlike(r *rand.Rand, s string) (string, bool) {
	rs := []rune(s)
	var pos []int
	for i, c := range rs {
		if _, ok := lookAlike[c]; ok {
			pos = append(pos, i)
		}
	}
	if len(pos) == 0 {
		return s, false
	}
	i := pos[r.IntN(len(pos))]
	rs[i] = lookAlike[rs[i]]
	return string(rs), true
}

// misreadDigit replaces one digit of s by a digit of like shape (3/8,
// 1/7, 0/6, 5/6, 4/9).
func misreadDigit(r *rand.Rand, s string) (string, bool) {
	like := map[byte]byte{'3': '8', '8': '3', '1': '7', '7': '1', '0': '6', '6': '0', '5': '6', '4': '9', '9': '4', '2': '7'}
	b := []byte(s)
	var pos []int
	for i, c := range b {
		if c >= '0' && c <= '9' {
			pos = append(pos, i)
		}
	}
	if len(pos) == 0 {
		return s, false
	}
	i := pos[r.IntN(len(pos))]
	b[i] = like[b[i]]
	return string(b), true
}

// oldTone toggles the tone's place in the open rhymes oa, oe, uy (hòa ↔
// hoà); ok false when s has none.
var toneStyles = [][2]string{
	{"òa", "oà"}, {"óa", "oá"}, {"ỏa", "oả"}, {"õa", "oã"}, {"ọa", "oạ"},
	{"òe", "oè"}, {"óe", "oé"}, {"ỏe", "oẻ"}, {"õe", "oẽ"}, {"ọe", "oẹ"},
	{"ùy", "uỳ"}, {"úy", "uý"}, {"ủy", "uỷ"}, {"ũy", "uỹ"}, {"ụy", "uỵ"},
}

func toggleTone(s string) (string, bool) {
	words := strings.Split(s, " ")
	changed := false
	for i, w := range words {
		lw := strings.ToLower(w)
		for _, ts := range toneStyles {
			// only a syllable ending in the rhyme (no final consonant)
			if strings.HasSuffix(lw, ts[0]) && !strings.HasPrefix(lw, "q") {
				words[i] = w[:len(w)-len(ts[0])] + ts[1]
				changed = true
				break
			}
			if strings.HasSuffix(lw, ts[1]) && !strings.HasPrefix(lw, "q") {
				words[i] = w[:len(w)-len(ts[1])] + ts[0]
				changed = true
				break
			}
		}
	}
	return strings.Join(words, " "), changed
}

// typo makes one keying slip in a word of s other than the first: a
// letter dropped, doubled or two exchanged.
func typo(r *rand.Rand, s string) string {
	words := strings.Split(s, " ")
	if len(words) < 2 {
		return s
	}
	i := 1 + r.IntN(len(words)-1)
	w := []rune(words[i])
	if len(w) < 3 {
		return s
	}
	j := 1 + r.IntN(len(w)-2)
	switch r.IntN(3) {
	case 0:
		w = append(w[:j], w[j+1:]...)
	case 1:
		w = append(w[:j+1], w[j:]...)
	default:
		w[j], w[j+1] = w[j+1], w[j]
	}
	words[i] = string(w)
	return strings.Join(words, " ")
}

// breakLine puts a line break into s where a form's box or a cell's
// width wraps it: between words, or (midWord) inside one, as a reader
// joins two lines without the hyphen.
func breakLine(r *rand.Rand, s string, midWord bool) string {
	rs := []rune(s)
	if len(rs) < 12 {
		return s
	}
	at := len(rs)/3 + r.IntN(len(rs)/3)
	if midWord {
		for at < len(rs)-2 && (rs[at] == ' ' || rs[at-1] == ' ' || rs[at] == ',') {
			at++
		}
		return string(rs[:at]) + "\n" + string(rs[at:])
	}
	for at < len(rs)-1 && rs[at] != ' ' {
		at++
	}
	if at >= len(rs)-1 {
		return s
	}
	return string(rs[:at]) + "\n" + string(rs[at+1:])
}

// splitWord cuts one word of a name in two, or joins two words, as a
// reader does with the spaces of handwriting.
func splitWord(r *rand.Rand, s string) string {
	words := strings.Split(s, " ")
	if r.IntN(2) == 0 && len(words) >= 2 {
		i := r.IntN(len(words) - 1)
		return strings.Join(append(append(append([]string{}, words[:i]...), words[i]+words[i+1]), words[i+2:]...), " ")
	}
	i := r.IntN(len(words))
	w := []rune(words[i])
	if len(w) < 4 {
		return s
	}
	j := 1 + r.IntN(len(w)-2)
	words[i] = string(w[:j]) + " " + string(w[j:])
	return strings.Join(words, " ")
}

// abbrevUnits writes the unit words short: X., P., TT., H., Q., TX., TP., T.
func abbrevUnits(s string) string {
	for _, p := range [][2]string{{"Thị trấn ", "TT. "}, {"Thị xã ", "TX. "}, {"Thành phố ", "TP. "}, {"Xã ", "X. "},
		{"Phường ", "P. "}, {"Huyện ", "H. "}, {"Quận ", "Q. "}, {"Tỉnh ", "T. "}} {
		s = strings.ReplaceAll(s, p[0], p[1])
	}
	return s
}
