package address

import (
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// The marks of a name tell apart names that fold alike (Hòa / Hóa, Đông
// / Đồng). markSig writes them as a signature that does not depend on
// where a tone mark sits (hòa = hoà, thủy = thuỷ) nor on case or NFC/NFD:
// per word, its letters (a shaped letter â ă ê ô ơ ư đ as its own code)
// and then its tone, words separated by spaces. Unlike vn.Canon it
// allocates nothing, so the exact scan can compare marks for free.

// markInfo is what a precomposed letter or a combining mark contributes.
type markInfo struct {
	base  byte // folded letter, 0 for a combining mark
	shape byte // code of the shaped letter (â → '1' …), or 0
	tone  byte // '1'…'5' (grave, acute, tilde, hook, dot), or 0
}

var markTab = func() (t [0x1F00]markInfo) {
	for r := rune(0x80); r < 0x1F00; r++ {
		if r >= 0x250 && r < 0x300 || r >= 0x370 && r < 0x1E00 {
			continue
		}
		var mi markInfo
		for _, c := range norm.NFD.String(string(r)) {
			switch {
			case c < utf8.RuneSelf:
				if 'A' <= c && c <= 'Z' {
					c += 'a' - 'A'
				}
				mi.base = byte(c)
			case c == 'đ' || c == 'Đ':
				mi.base, mi.shape = 'd', '7'
			default:
				if s := shapeOf(c); s != 0 {
					mi.shape = s
				} else if tn := toneOf(c); tn != 0 {
					mi.tone = tn
				}
			}
		}
		t[r] = mi
	}
	return t
}()

func shapeOf(c rune) byte {
	switch c {
	case '\u0302': // circumflex
		return '1'
	case '\u0306': // breve
		return '2'
	case '\u031b': // horn
		return '3'
	}
	return 0
}

func toneOf(c rune) byte {
	switch c {
	case '\u0300':
		return '1'
	case '\u0301':
		return '2'
	case '\u0303':
		return '3'
	case '\u0309':
		return '4'
	case '\u0323':
		return '5'
	}
	return 0
}

// appendMarkSig appends the signature of word w to b.
func appendMarkSig(b []byte, w string) []byte {
	var tone byte = '0'
	for i := 0; i < len(w); {
		c := w[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case 'a' <= c && c <= 'z' || '0' <= c && c <= '9':
				b = append(b, c)
			case 'A' <= c && c <= 'Z':
				b = append(b, c+'a'-'A')
			}
			continue
		}
		r, n := utf8.DecodeRuneInString(w[i:])
		i += n
		if r >= 0x1F00 {
			b = utf8.AppendRune(b, r)
			continue
		}
		mi := markTab[r]
		if mi.base != 0 {
			b = append(b, mi.base)
		}
		if mi.shape != 0 {
			b = append(b, mi.shape)
		}
		if mi.tone != 0 {
			tone = mi.tone
		}
	}
	return append(b, tone)
}

// markSig is the signature of a whole name.
func markSig(name string) string {
	var b []byte
	for i, t := range tokenize(nil, name) {
		if i > 0 {
			b = append(b, ' ')
		}
		b = appendMarkSig(b, name[t.start:t.end])
	}
	return string(b)
}
