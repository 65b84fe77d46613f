package vn

import (
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Shapes of a Vietnamese letter besides its tone.
const (
	shapeNone   = 0
	shapeBreve  = 1 // ă
	shapeCirc   = 2 // â ê ô
	shapeHorn   = 3 // ơ ư
	shapeStroke = 4 // đ
)

// Tones, numbered as in VIQR order-independent terms.
const (
	toneNone  = 0
	toneGrave = 1 // huyền
	toneHook  = 2 // hỏi
	toneTilde = 3 // ngã
	toneAcute = 4 // sắc
	toneDot   = 5 // nặng
)

// letter describes a Latin letter as base + marks.
type letter struct {
	base  byte // ASCII lower-case base letter; 0 if not a Latin letter
	shape byte // shape*
	tone  byte // tone*
	upper bool
	vn    bool // made only of marks Vietnamese uses, so compose() can rebuild it
}

var (
	latTab [0x250]letter // U+0000..U+024F
	extTab [0x100]letter // U+1E00..U+1EFF
	// compose[base-'a'][shape][tone][upper]
	composeTab [26][5][6][2]rune
)

func init() {
	add := func(r rune, l letter) {
		if r < 0x250 {
			latTab[r] = l
		} else {
			extTab[r-0x1E00] = l
		}
		if l.vn && l.base >= 'a' && l.base <= 'z' {
			u := 0
			if l.upper {
				u = 1
			}
			if composeTab[l.base-'a'][l.shape][l.tone][u] == 0 {
				composeTab[l.base-'a'][l.shape][l.tone][u] = r
			}
		}
	}
	one := func(r rune) {
		switch {
		case r >= 'a' && r <= 'z':
			add(r, letter{base: byte(r), vn: true})
			return
		case r >= 'A' && r <= 'Z':
			add(r, letter{base: byte(r) + 32, upper: true, vn: true})
			return
		case r == 'đ':
			add(r, letter{base: 'd', shape: shapeStroke, vn: true})
			return
		case r == 'Đ':
			add(r, letter{base: 'd', shape: shapeStroke, upper: true, vn: true})
			return
		case r < 0xC0:
			return
		}
		d := norm.NFD.String(string(r))
		b, n := utf8.DecodeRuneInString(d)
		var l letter
		switch {
		case b >= 'a' && b <= 'z':
			l.base = byte(b)
		case b >= 'A' && b <= 'Z':
			l.base, l.upper = byte(b)+32, true
		default:
			return
		}
		l.vn = true
		for _, m := range d[n:] {
			switch m {
			case 0x0306:
				l.shape = shapeBreve
			case 0x0302:
				l.shape = shapeCirc
			case 0x031B:
				l.shape = shapeHorn
			case 0x0300:
				l.tone = toneGrave
			case 0x0309:
				l.tone = toneHook
			case 0x0303:
				l.tone = toneTilde
			case 0x0301:
				l.tone = toneAcute
			case 0x0323:
				l.tone = toneDot
			default:
				l.vn = false
			}
		}
		if len(d) == n { // no marks: not a decomposable letter (e.g. ß, Æ)
			return
		}
		add(r, l)
	}
	for r := rune(0); r < 0x250; r++ {
		one(r)
	}
	for r := rune(0x1E00); r < 0x1F00; r++ {
		one(r)
	}
	// Ð/ð (eth) are common look-alikes of Đ/đ in typed Vietnamese: read them
	// as đ. They are added after Đ/đ so that compose still yields Đ/đ.
	latTab[0xD0] = letter{base: 'd', shape: shapeStroke, upper: true, vn: true}
	latTab[0xF0] = letter{base: 'd', shape: shapeStroke, vn: true}
}

// lookup returns the letter description of r.
func lookup(r rune) (letter, bool) {
	if r < 0x250 {
		l := latTab[r]
		return l, l.base != 0
	}
	if r >= 0x1E00 && r < 0x1F00 {
		l := extTab[r-0x1E00]
		return l, l.base != 0
	}
	return letter{}, false
}

// compose rebuilds a letter; it returns 0 when no such precomposed letter exists.
func compose(base, shape, tone byte, upper bool) rune {
	if base < 'a' || base > 'z' || shape > 4 || tone > 5 {
		return 0
	}
	u := 0
	if upper {
		u = 1
	}
	return composeTab[base-'a'][shape][tone][u]
}

func isVowelBase(b byte) bool {
	switch b {
	case 'a', 'e', 'i', 'o', 'u', 'y':
		return true
	}
	return false
}

// isCombining reports whether r is a combining diacritical mark.
func isCombining(r rune) bool {
	return r >= 0x0300 && r < 0x0370
}
