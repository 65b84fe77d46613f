package vn

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// spaceKind classifies a rune for cleaning: 1 = whitespace (any kind,
// including no-break spaces), 2 = drop (zero-width, soft hyphen, controls,
// invalid bytes), 0 = keep.
func spaceKind(r rune) int {
	switch r {
	case ' ', '\t', '\n', '\r', '\v', '\f', 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
		return 1
	case 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0xAD, 0x180E, 0x200E, 0x200F, utf8.RuneError:
		return 2
	}
	if r >= 0x2000 && r <= 0x200A {
		return 1
	}
	if r < 0x20 || (r >= 0x7F && r < 0xA0) {
		return 2
	}
	return 0
}

// Clean returns s with every kind of whitespace turned into single ASCII
// spaces, leading and trailing space removed, zero-width characters, soft
// hyphens, control characters and invalid UTF-8 dropped. It does not change
// letters or case.
func Clean(s string) string {
	if isCleanASCII(s) {
		return s
	}
	var stack [128]byte
	b := stack[:0]
	pending := false
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		if n == 1 && r == utf8.RuneError {
			continue
		}
		switch spaceKind(r) {
		case 1:
			pending = len(b) > 0
			continue
		case 2:
			continue
		}
		if pending {
			b = append(b, ' ')
			pending = false
		}
		b = utf8.AppendRune(b, r)
	}
	return string(b)
}

// isCleanASCII reports whether s is printable ASCII with single inner spaces
// and no leading or trailing space.
func isCleanASCII(s string) bool {
	prev := byte(' ')
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7F || (c == ' ' && prev == ' ') {
			return false
		}
		prev = c
	}
	return prev != ' ' || len(s) == 0
}

// Fold returns the diacritic-free key of any text: cleaned as by Clean,
// lower case, every diacritic removed (precomposed or combining), đ → d,
// single spaces. "  Nguyễn\u00a0Văn  ĐỨC" → "nguyen van duc". Letters of
// other scripts are only lower-cased.
func Fold(s string) string {
	var stack [128]byte
	b := appendFold(stack[:0], s)
	if string(b) == s {
		return s
	}
	return string(b)
}

func appendFold(b []byte, s string) []byte {
	pending := false
	start := len(b)
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			if c > ' ' && c < 0x7F {
				if pending {
					b = append(b, ' ')
					pending = false
				}
				if c >= 'A' && c <= 'Z' {
					c += 32
				}
				b = append(b, c)
				continue
			}
			if c == ' ' || (c >= '\t' && c <= '\r') {
				pending = len(b) > start
			}
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch spaceKind(r) {
		case 1:
			pending = len(b) > start
			continue
		case 2:
			continue
		}
		if isCombining(r) {
			continue
		}
		if pending {
			b = append(b, ' ')
			pending = false
		}
		if l, ok := lookup(r); ok {
			b = append(b, l.base)
			continue
		}
		b = utf8.AppendRune(b, unicode.ToLower(r))
	}
	return b
}

// Canon returns the canonical form of any text with diacritics kept: NFC,
// cleaned as by Clean, lower case, and one tone-mark placement — the old
// style (kiểu cũ), so "hoà"/"hòa" → "hòa", "Thuỷ"/"Thủy" → "thủy",
// "khoẻ" → "khỏe". Each word that is a Vietnamese syllable carrying one tone
// mark gets the tone on the vowel the old-style rules choose; other words
// are only lower-cased. Stray combining marks that NFC cannot attach are
// dropped.
func Canon(s string) string {
	var stack [128]byte
	b := appendCanon(stack[:0], s, false)
	if string(b) == s {
		return s
	}
	return string(b)
}

// needsNFC reports whether s has combining marks, so that it must be
// composed before the letter tables apply.
func needsNFC(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < utf8.RuneSelf {
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n - 1
		if _, ok := lookup(r); ok {
			continue
		}
		if unicode.Is(unicode.Mn, r) {
			return true
		}
	}
	return false
}

// appendCanon appends the canonical form of s to b; with title, each word
// starts with an upper-case letter.
func appendCanon(b []byte, s string, title bool) []byte {
	if needsNFC(s) {
		s = norm.NFC.String(s)
	}
	var word [48]rune
	n := 0
	long := false // word longer than the buffer: lower-case it rune by rune
	start := len(b)
	wordStart := len(b)
	flush := func(b []byte) []byte {
		if n > 0 && !long {
			b = appendCanonWord(b, word[:n], title)
		}
		n = 0
		long = false
		return b
	}
	for i := 0; i < len(s); {
		r, sz := utf8.DecodeRuneInString(s[i:])
		i += sz
		if sz == 1 && r == utf8.RuneError {
			continue
		}
		k := spaceKind(r)
		if k == 1 {
			b = flush(b)
			wordStart = len(b)
			continue
		}
		if k == 2 || isCombining(r) {
			continue
		}
		if n == 0 && !long && len(b) > start {
			b = append(b, ' ')
			wordStart = len(b)
		}
		if long {
			b = utf8.AppendRune(b, unicode.ToLower(r))
			continue
		}
		if n == len(word) {
			// Too long for a syllable: emit what we have lower-cased.
			long = true
			b = b[:wordStart]
			for j := 0; j < n; j++ {
				rr := lowerRune(word[j])
				if title && j == 0 {
					rr = titleRune(word[j])
				}
				b = utf8.AppendRune(b, rr)
			}
			b = utf8.AppendRune(b, unicode.ToLower(r))
			n = 0
			continue
		}
		word[n] = r
		n++
	}
	return flush(b)
}

func lowerRune(r rune) rune {
	if l, ok := lookup(r); ok && l.vn {
		if c := compose(l.base, l.shape, l.tone, false); c != 0 {
			return c
		}
	}
	return unicode.ToLower(r)
}

func titleRune(r rune) rune {
	if l, ok := lookup(r); ok && l.vn {
		if c := compose(l.base, l.shape, l.tone, true); c != 0 {
			return c
		}
	}
	return unicode.ToUpper(r)
}

// appendCanonWord appends one word lower-cased (title-cased with title):
// each run of Latin letters in it ("hoà" in "(hoà),") is a candidate
// syllable handled by appendCanonSyllable; other runes are lower-cased.
func appendCanonWord(b []byte, w []rune, title bool) []byte {
	for i := 0; i < len(w); {
		j := i
		for j < len(w) {
			if l, ok := lookup(w[j]); !ok || !l.vn {
				break
			}
			j++
		}
		if j > i {
			b = appendCanonSyllable(b, w[i:j], title && i == 0)
			i = j
			continue
		}
		if title && i == 0 {
			b = utf8.AppendRune(b, titleRune(w[i]))
		} else {
			b = utf8.AppendRune(b, lowerRune(w[i]))
		}
		i++
	}
	return b
}

// appendCanonSyllable appends a run of letters lower-cased (title-cased
// with title) with its tone mark moved to the canonical vowel when it is a
// Vietnamese syllable with one tone.
func appendCanonSyllable(b []byte, w []rune, title bool) []byte {
	target, tone := canonTonePos(w)
	for i, r := range w {
		up := title && i == 0
		if target >= 0 {
			if l, ok := lookup(r); ok && l.vn {
				t := byte(toneNone)
				if i == target {
					t = tone
				}
				if c := compose(l.base, l.shape, t, up); c != 0 {
					b = utf8.AppendRune(b, c)
					continue
				}
			}
		}
		if up {
			b = utf8.AppendRune(b, titleRune(r))
		} else {
			b = utf8.AppendRune(b, lowerRune(r))
		}
	}
	return b
}

// canonTonePos returns where the old-style rules put the tone of w and the
// tone, or -1 when w is not a one-tone syllable made of letters.
func canonTonePos(w []rune) (int, byte) {
	var ls [48]letter
	tone := byte(0)
	tones := 0
	for i, r := range w {
		l, ok := lookup(r)
		if !ok || !l.vn {
			return -1, 0
		}
		if l.tone != toneNone {
			tones++
			tone = l.tone
			if !isVowelBase(l.base) {
				return -1, 0
			}
		}
		ls[i] = l
	}
	if tones != 1 {
		return -1, 0
	}
	return tonePosition(ls[:len(w)], false), tone
}

// tonePosition returns the index of the vowel that carries the tone in a
// syllable spelled by ls (tones ignored), in the old style, or in the new
// style with newStyle (which differs only for open oa, oe, uy). It returns
// -1 when ls is not shaped like a syllable.
func tonePosition(ls []letter, newStyle bool) int {
	first := -1
	for i, l := range ls {
		if isVowelBase(l.base) && l.shape != shapeStroke {
			first = i
			break
		}
	}
	if first < 0 {
		return -1
	}
	end := first
	for end < len(ls) && isVowelBase(ls[end].base) && ls[end].shape != shapeStroke {
		end++
	}
	for j := end; j < len(ls); j++ {
		if isVowelBase(ls[j].base) {
			return -1 // two vowel groups: not one syllable
		}
	}
	if end-first > 1 {
		if first == 1 && ls[0].base == 'q' && ls[first].base == 'u' && ls[first].shape == shapeNone {
			first++
		} else if first == 1 && ls[0].base == 'g' && ls[first].base == 'i' && ls[first].shape == shapeNone {
			first++
		}
	}
	for j := end - 1; j >= first; j-- {
		if ls[j].shape != shapeNone {
			return j
		}
	}
	n := end - first
	switch {
	case end < len(ls):
		return end - 1
	case n == 1:
		return first
	case n == 2:
		if newStyle {
			a, c := ls[first].base, ls[first+1].base
			if (a == 'o' && (c == 'a' || c == 'e')) || (a == 'u' && c == 'y') {
				return first + 1
			}
		}
		return first
	case n == 3:
		return first + 1
	}
	return -1
}
