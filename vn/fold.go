package vn

import (
	"strings"
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
// letters or case, except in mojibake (UTF-8 read as Windows-1252,
// "Nguyá»…n"), which is read back first (RepairMojibake).
func Clean(s string) string {
	if isCleanASCII(s) {
		return s
	}
	if mojibakeBytes(s) {
		s = RepairMojibake(s)
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
func isCleanASCII(s string) bool { return cleanASCII(s, false) }

// isFoldedASCII reports whether s is its own Fold: what isCleanASCII
// accepts, lower-case. Fold then returns s without writing its fold to
// compare with it.
func isFoldedASCII(s string) bool { return cleanASCII(s, true) }

// cleanASCII is isCleanASCII, and isFoldedASCII when lower (no capitals):
// one scan for both, inlined into each with lower constant.
func cleanASCII(s string, lower bool) bool {
	prev := byte(' ')
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7F || lower && c-'A' < 26 || (c == ' ' && prev == ' ') {
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
	if isFoldedASCII(s) {
		return s // dates, codes, what a key was folded from: nothing to fold
	}
	var stack [128]byte
	b := appendFold(stack[:0], s)
	if string(b) == s {
		return s
	}
	return string(b)
}

// AppendFold appends Fold(s) to b: for a caller that keeps folds in
// bytes of its own rather than a string each.
func AppendFold(b []byte, s string) []byte {
	if isFoldedASCII(s) {
		return append(b, s...)
	}
	return appendFold(b, s)
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
		if l, ok := lookup(r); ok {
			// a letter of the table (most runes past ASCII here), which
			// is no space, dropped character or combining mark
			// (TestLettersNoSpaces): the tests below are for other runes
			if pending {
				b = append(b, ' ')
				pending = false
			}
			b = append(b, l.base)
			continue
		}
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
		r = unicode.ToLower(r) // Å (angstrom) → å, K (kelvin) → k: fold those too
		if l, ok := lookup(r); ok {
			b = append(b, l.base)
			continue
		}
		b = utf8.AppendRune(b, r)
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

// appendCanon appends the canonical form of s to b; with title, each word
// starts with an upper-case letter.
func appendCanon(b []byte, s string, title bool) []byte {
	b, _ = appendCanonKey(b, nil, s, title, false)
	return b
}

// appendCanonKey appends the canonical form of s to b and, withKey, its
// Fold to k in the same pass (k then equals Fold of what was appended to b).
func appendCanonKey(b, k []byte, s string, title, withKey bool) ([]byte, []byte) {
	b0, k0 := len(b), len(k)
	b, k, redo := appendCanonScan(b, k, s, title, withKey, nil, false, false)
	if redo { // combining marks: compose first
		b, k, _ = appendCanonScan(b[:b0], k[:k0], norm.NFC.String(s), title, withKey, nil, false, true)
	}
	return b, k
}

// appendCanonScan is the loop behind appendCanonKey and ParseName. cache,
// when not nil, holds precomputed results for whole words as they appear
// in s (computed by this function with the same title, withKey and
// names). With names, every
// rune that is not part of a name word (punctuation, invalid bytes) ends a
// word like a space. Unless nfcDone, it stops and reports redo when it
// meets a combining mark: the caller must compose s (NFC) and call again
// with nfcDone — so that text already in NFC is scanned only once.
func appendCanonScan(b, k []byte, s string, title, withKey bool, cache *wordCache, names, nfcDone bool) ([]byte, []byte, bool) {
	var word [48]rune
	n := 0
	long := false // word longer than the buffer: handled rune by rune
	start := len(b)
	ws, we, clean := 0, 0, true // byte span of the word in s; nothing dropped inside it
	ms, me := -1, -1            // the span the cache was last asked for in vain
	for i := 0; i < len(s); {
		if n == 0 && !long && clean && cache != nil {
			// A word that starts here and runs to the next space (or the
			// end) and is in the cache is a word the loop below would
			// read whole, nothing dropped, and answer from the cache: the
			// cache's words are letters only (TestCachedWordsRead checks).
			// Its runes are not decoded one by one.
			j := strings.IndexByte(s[i:], ' ')
			if j < 0 {
				j = len(s) - i
			}
			if canon, key, ok := cache.get(s[i : i+j]); ok {
				if len(b) > start {
					b = append(b, ' ')
					if withKey {
						k = append(k, ' ')
					}
				}
				b = append(b, canon...)
				if withKey {
					k = append(k, key...)
				}
				i += j
				continue
			}
			ms, me = i, i+j
		}
		var r rune
		sz := 1
		if c := s[i]; c < utf8.RuneSelf {
			r = rune(c)
		} else {
			r, sz = utf8.DecodeRuneInString(s[i:])
		}
		i += sz
		kind := 0
		switch {
		case sz == 1 && r == utf8.RuneError:
			kind = 2
			if names {
				kind = 1
			}
		case r < utf8.RuneSelf:
			if r <= ' ' || r == 0x7F {
				kind = spaceKind(r)
			} else if names && !asciiNameByte[r] {
				kind = 1
			}
		default:
			if _, ok := lookup(r); !ok {
				kind = spaceKind(r)
				if kind == 0 && unicode.Is(unicode.Mn, r) {
					if !nfcDone {
						return b, k, true
					}
					if isCombining(r) {
						kind = 2 // stray mark NFC could not attach
					}
				}
				if kind == 0 && names && !isNameRune(r) {
					kind = 1
				}
			}
		}
		if kind == 1 {
			if n > 0 {
				b, k = flushWord(b, k, s[ws:we], word[:n], clean, title, withKey, askAgain(cache, ws, we, ms, me))
			}
			n, long, clean = 0, false, true
			continue
		}
		if kind == 2 {
			clean = false
			continue
		}
		if n == 0 {
			ws = i - sz
		}
		we = i
		if n == 0 && !long && len(b) > start {
			b = append(b, ' ')
			if withKey {
				k = append(k, ' ')
			}
		}
		if long {
			b, k = appendOther(b, k, r, false, withKey)
			continue
		}
		if n == len(word) {
			// Too long for a syllable: no tone placement.
			for j := 0; j < n; j++ {
				b, k = appendOther(b, k, word[j], title && j == 0, withKey)
			}
			b, k = appendOther(b, k, r, false, withKey)
			n, long = 0, true
			continue
		}
		word[n] = r
		n++
	}
	if n > 0 {
		b, k = flushWord(b, k, s[ws:we], word[:n], clean, title, withKey, askAgain(cache, ws, we, ms, me))
	}
	return b, k, false
}

// askAgain is cache, or nil when the word at ws..we of the text is the
// span ms..me the cache did not have (the word is then computed without
// asking again).
func askAgain(cache *wordCache, ws, we, ms, me int) *wordCache {
	if ws == ms && we == me {
		return nil
	}
	return cache
}

// asciiNameByte marks the ASCII characters of name words.
var asciiNameByte = func() (t [128]bool) {
	for c := 0; c < 128; c++ {
		t[c] = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '\''
	}
	return t
}()

// flushWord appends one word: from the cache when raw (its bytes in the
// input, with nothing dropped inside when clean) is there, else computed.
func flushWord(b, k []byte, raw string, w []rune, clean, title, withKey bool, cache *wordCache) ([]byte, []byte) {
	if cache != nil && clean {
		if canon, key, ok := cache.get(raw); ok {
			b = append(b, canon...)
			if withKey {
				k = append(k, key...)
			}
			return b, k
		}
	}
	return appendCanonWord(b, k, w, title, withKey)
}

// appendOther appends one rune lower-cased (upper-cased with up) without
// tone placement, and its fold.
func appendOther(b, k []byte, r rune, up, withKey bool) ([]byte, []byte) {
	if up {
		r = titleRune(r)
	} else {
		r = lowerRune(r)
	}
	b = utf8.AppendRune(b, r)
	if withKey {
		k = appendFoldRune(k, r)
	}
	return b, k
}

// appendFoldRune appends the fold of one rune that is not a space, as
// appendFold would.
func appendFoldRune(k []byte, r rune) []byte {
	if r < utf8.RuneSelf {
		if r >= 'A' && r <= 'Z' {
			r += 32
		}
		return append(k, byte(r))
	}
	if l, ok := lookup(r); ok {
		return append(k, l.base)
	}
	r = unicode.ToLower(r)
	if l, ok := lookup(r); ok {
		return append(k, l.base)
	}
	return utf8.AppendRune(k, r)
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
// syllable whose tone mark moves to the canonical vowel when it is a
// Vietnamese syllable with one tone; other runes are lower-cased.
func appendCanonWord(b, k []byte, w []rune, title, withKey bool) ([]byte, []byte) {
	var ls [48]letter
	for i := 0; i < len(w); {
		j := i
		tones, tone, toned := 0, byte(0), -1
		for j < len(w) {
			l, ok := lookup(w[j])
			if !ok || !l.vn {
				break
			}
			if l.tone != toneNone {
				tones++
				tone, toned = l.tone, j
			}
			ls[j] = l
			j++
		}
		if j == i {
			b, k = appendOther(b, k, w[i], title && i == 0, withKey)
			i++
			continue
		}
		if tones == 1 && isVowelBase(ls[toned].base) {
			if p := tonePosition(ls[i:j], false); p >= 0 && i+p != toned {
				// Move the tone when both letters exist that way.
				t := i + p
				if compose(ls[t].base, ls[t].shape, tone, false) != 0 && compose(ls[toned].base, ls[toned].shape, toneNone, false) != 0 {
					ls[t].tone, ls[toned].tone = tone, toneNone
				}
			}
		}
		for x := i; x < j; x++ {
			l := ls[x]
			up := title && x == 0
			if l.shape == shapeNone && l.tone == toneNone {
				c := l.base
				if up {
					c -= 32
				}
				b = append(b, c)
			} else {
				c := compose(l.base, l.shape, l.tone, up)
				if c == 0 {
					if up {
						c = titleRune(w[x])
					} else {
						c = lowerRune(w[x])
					}
				}
				b = utf8.AppendRune(b, c)
			}
			if withKey {
				k = append(k, l.base)
			}
		}
		i = j
	}
	return b, k
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
