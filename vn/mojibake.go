package vn

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"
)

// Mojibake: UTF-8 text read as Windows-1252 and saved again, as a CSV
// opened in a spreadsheet without choosing UTF-8 leaves it: every
// Vietnamese letter becomes two or three characters ("Nguyễn" →
// "Nguyá»…n", "Đoài" → "Ä\u0090oÃ\u00a0i"). The lead bytes of the
// letters Vietnamese writes beyond ASCII read as Ã, Ä, Æ (U+00C0–U+01B0)
// and á (U+1EA0–U+1EF9, followed by º or »); what follows them is a
// continuation byte, 0x80–0xBF, read as its Windows-1252 character.

// mojibakeBytes is a quick look for mojibake, for Clean, which every
// cell goes through: a lead (Ã Ä Æ á: C3 83, C3 84, C3 86, C3 A1) whose
// next byte starts a character Windows-1252 reads a continuation byte as
// (C2: U+0080–U+00BF; C5, C6, CB, E2: the letters and punctuation of
// 0x80–0x9F; EF: U+FFFD). maybeMojibake then checks the characters.
func mojibakeBytes(s string) bool {
	for i := 0; ; {
		j := strings.IndexByte(s[i:], 0xC3)
		if j < 0 || i+j+2 >= len(s) {
			return false
		}
		i += j + 1
		switch s[i] {
		case 0x83, 0x84, 0x86, 0xA1:
			switch s[i+1] {
			case 0xC2, 0xC5, 0xC6, 0xCB, 0xE2, 0xEF:
				return true
			}
		}
	}
}

// mojibakeLead reports whether r is a lead byte of a 2- or 3-byte
// Vietnamese letter read as Windows-1252.
func mojibakeLead(r rune) bool {
	return r == 'Ã' || r == 'Ä' || r == 'Æ' || r == 'á'
}

// cp1252Cont reports whether r is what Windows-1252 reads a UTF-8
// continuation byte (0x80–0xBF) as: the five bytes it leaves undefined
// come through as U+FFFD or as the C1 control of their value.
func cp1252Cont(r rune) bool {
	if r >= 0x80 && r <= 0xBF || r == utf8.RuneError {
		return true
	}
	b, ok := charmap.Windows1252.EncodeRune(r)
	return ok && b >= 0x80 && b <= 0xBF
}

// undefined1252 are the bytes Windows-1252 leaves undefined: a U+FFFD in
// mojibake stood for one of them.
var undefined1252 = [...]byte{0x81, 0x8D, 0x8F, 0x90, 0x9D}

// maybeMojibake reports whether s has a lead followed by a continuation,
// as no Vietnamese text written right does (Ã, a capital letter of the
// language, is followed by a letter, a space or punctuation below 0x80).
func maybeMojibake(s string) bool {
	prevLead := false
	for _, r := range s {
		if prevLead && cp1252Cont(r) {
			return true
		}
		prevLead = mojibakeLead(r)
	}
	return false
}

// RepairMojibake reads back UTF-8 text that was read as Windows-1252:
// s's characters are taken as the Windows-1252 bytes they stand for and
// those bytes decoded as UTF-8. A U+FFFD (an undefined byte lost) is the
// undefined byte that makes its word a Vietnamese syllable in one case. s is
// returned unchanged unless it looks like mojibake and every character
// maps back to a byte, the bytes are UTF-8, and the result is NFC.
func RepairMojibake(s string) string {
	if !maybeMojibake(s) {
		return s
	}
	b := make([]byte, 0, len(s))
	var lost []int // offsets in b of U+FFFD
	for _, r := range s {
		switch {
		case r == ' ' && len(b) > 0 && b[len(b)-1] == 0xC3:
			// à is C3 A0, a no-break space after Ã, which editors
			// and Clean make a space; in mojibake Ã is always a lead.
			b = append(b, 0xA0)
		case r < 0x80 || r >= 0x80 && r <= 0x9F && isUndefined1252(byte(r)):
			b = append(b, byte(r))
		case r == utf8.RuneError:
			lost = append(lost, len(b))
			b = append(b, 0)
		default:
			c, ok := charmap.Windows1252.EncodeRune(r)
			if !ok {
				return s
			}
			b = append(b, c)
		}
	}
	for _, at := range lost {
		best, bestScore := byte(0), 0
		for _, c := range undefined1252 {
			b[at] = c
			w, ok := wordAt(b, at)
			if !ok || !ValidSyllable(strings.ToLower(w)) {
				continue
			}
			// A syllable in one case (ỐC, ốc, Ốc) before one that
			// mixes them (ọC).
			score := 1
			if rs := []rune(w); w == strings.ToUpper(w) || string(rs[1:]) == strings.ToLower(string(rs[1:])) {
				score = 2
			}
			if score > bestScore {
				best, bestScore = c, score
			}
		}
		if bestScore == 0 {
			return s
		}
		b[at] = best
	}
	if !utf8.Valid(b) {
		return s
	}
	return norm.NFC.String(string(b))
}

func isUndefined1252(c byte) bool {
	for _, u := range undefined1252 {
		if c == u {
			return true
		}
	}
	return false
}

// wordAt returns the word of b around offset at, in NFC, ok false when
// it is not valid UTF-8 (another lost byte in it is tried later, so a
// zero there is taken as a letter).
func wordAt(b []byte, at int) (string, bool) {
	i, j := at, at
	for i > 0 && b[i-1] != ' ' && b[i-1] != ',' {
		i--
	}
	for j < len(b) && b[j] != ' ' && b[j] != ',' {
		j++
	}
	w := b[i:j]
	if !utf8.Valid(w) {
		return "", false
	}
	return norm.NFC.String(string(w)), true
}
