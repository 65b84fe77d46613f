package address

import (
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/dancu-vn/dancu/vn"
)

// token is one word of an address: its folded form (lower case, no
// diacritics, đ→d, apostrophes dropped) and where it sits in the input.
type token struct {
	key        string // folded
	id         int32  // word id in the gazetteer's trie, -1 if no name has this word
	marker     bool   // the word is part of a type, hamlet or street word
	start, end int    // byte offsets of the word in the input
	hard       bool   // a comma, semicolon, newline or bracket comes before it
	soft       bool   // a dash, dot or slash comes before it
	dash       bool   // a dash with a space before it comes before it (" - " parts)
	ascii      bool   // the input word had no letter outside ASCII
}

// tokenize splits s into words. Letters, digits and combining marks make
// words (so NFD text works); apostrophes inside a word and zero-width
// characters are dropped; everything else separates words, commas and
// the like more strongly than dashes and dots. Words like "Q3", "P12" and
// "F15" are split into type word and number, and numbers lose leading
// zeros. The result is appended to dst.
func tokenize(dst []token, s string) []token {
	dst, _ = tokenizeWith(dst, s, nil, nil)
	return dst
}

// tokenizeWith is tokenize with the gazetteer's words at hand: a word
// that needs folding is folded into scratch and, when the gazetteer knows
// it, keyed by the gazetteer's own string, so that reading it allocates
// nothing and touches no shared cache; each token gets its word's id (-1
// when no name has it) and marker, looked up once. It reports whether s
// is valid UTF-8: every character is decoded on the way (a byte that is
// not valid UTF-8 ends a word, and is read where words are not).
func tokenizeWith(dst []token, s string, words *wordTable, scratch *[]byte) ([]token, bool) {
	hard, soft, dash := false, false, false
	valid := true
	i := 0
	for i < len(s) {
		r, n := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, n = decodeRune(s, i)
			if r == utf8.RuneError && n == 1 {
				valid = false
			}
		}
		if isWordRune(r) {
			// The word's end: ASCII letters and digits are read a byte at a
			// time; plain says every byte is a small letter or a digit (the
			// word is its own folded form).
			j := i
			ascii, plain := true, true
			for j < len(s) {
				c := s[j]
				if c < utf8.RuneSelf {
					switch {
					case 'a' <= c && c <= 'z' || '0' <= c && c <= '9':
						j++
						continue
					case 'A' <= c && c <= 'Z':
						plain = false
						j++
						continue
					case (c == '\'' || c == '`') && j > i && j+1 < len(s) && nextIsWord(s[j+1:]):
						plain = false
						j++
						continue
					}
					break
				}
				var r2 rune
				var n2 int
				switch {
				case 0xC2 <= c && c < 0xE0 && j+1 < len(s) && s[j+1]&0xC0 == 0x80:
					r2, n2 = rune(c&0x1F)<<6|rune(s[j+1]&0x3F), 2
				case 0xE1 <= c && c < 0xED && j+2 < len(s) && s[j+1]&0xC0 == 0x80 && s[j+2]&0xC0 == 0x80:
					r2, n2 = rune(c&0x0F)<<12|rune(s[j+1]&0x3F)<<6|rune(s[j+2]&0x3F), 3
				default:
					r2, n2 = decodeRune(s, j)
				}
				if r2 < rune(len(wordRuneTab)) && wordRuneTab[r2] || isWordRune(r2) || isIgnorable(r2) || (isApostrophe(r2) && j > i && j+n2 < len(s) && nextIsWord(s[j+n2:])) {
					ascii = false
					j += n2
					continue
				}
				break
			}
			before := len(dst)
			dst = appendWord(dst, s, i, j, ascii, ascii && plain, hard, soft, words, scratch)
			if len(dst) > before {
				dst[before].dash = dash
			}
			hard, soft, dash = false, false, false
			i = j
			continue
		}
		switch {
		case r == ',' || r == ';' || r == '\n' || r == '\r' || r == '(' || r == ')' || r == '|' || r == '[' || r == ']':
			hard = true
		case r == '-' || r == '–' || r == '—':
			soft = true
			dash = dash || i > 0 && s[i-1] == ' '
		case r == '.' || r == '/' || r == '\\' || r == '_' || r == ':':
			soft = true
			// " / " separates parts as " - " does
			dash = dash || r == '/' && i > 0 && s[i-1] == ' '
		}
		i += n
	}
	return dst, valid
}

// decodeRune is utf8.DecodeRuneInString(s[i:]), with the one- and
// two-byte forms and the three-byte forms of U+1000 … U+CFFF (Latin
// Extended Additional, where most Vietnamese letters are) decoded in
// line: every character of an address goes through it.
func decodeRune(s string, i int) (rune, int) {
	c := s[i]
	if c < utf8.RuneSelf {
		return rune(c), 1
	}
	if 0xC2 <= c && c < 0xE0 && i+1 < len(s) {
		if c1 := s[i+1]; c1&0xC0 == 0x80 {
			return rune(c&0x1F)<<6 | rune(c1&0x3F), 2
		}
	} else if 0xE1 <= c && c < 0xED && i+2 < len(s) {
		// (E0 may be overlong and ED a surrogate: those the slow way)
		if c1, c2 := s[i+1], s[i+2]; c1&0xC0 == 0x80 && c2&0xC0 == 0x80 {
			return rune(c&0x0F)<<12 | rune(c1&0x3F)<<6 | rune(c2&0x3F), 3
		}
	}
	return utf8.DecodeRuneInString(s[i:])
}

func nextIsWord(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return isWordRune(r)
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	if r < rune(len(wordRuneTab)) {
		return wordRuneTab[r]
	}
	return isWordRuneSlow(r)
}

func isWordRuneSlow(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// wordRuneTab is isWordRuneSlow for the runes below U+1F00 (every
// Vietnamese letter, precomposed or with combining marks), looked up
// instead of the Unicode tables for each letter of an address.
var wordRuneTab = func() (t [0x1F00]bool) {
	for r := range rune(len(t)) {
		t[r] = isWordRuneSlow(r)
	}
	return t
}()

func isApostrophe(r rune) bool {
	return r == '\'' || r == '’' || r == '‘' || r == '`' || r == '´' || r == 'ʼ'
}

func isIgnorable(r rune) bool {
	return r == '\u200b' || r == '\u200c' || r == '\u200d' || r == '\ufeff' || r == '\u00ad' || r == '\u2060'
}

// appendWord appends the token of word s[i:j]; plain says it is all
// small ASCII letters and digits (its own folded form).
func appendWord(dst []token, s string, i, j int, ascii, plain, hard, soft bool, words *wordTable, scratch *[]byte) []token {
	w := s[i:j]
	var key string
	var wd word
	found := false
	switch {
	case plain:
		key = w
	case words != nil:
		b, ok := fastFold((*scratch)[:0], w)
		*scratch = b
		if ok {
			if wd, found = words.get(b); found {
				key = wd.s
				break
			}
		}
		key = foldCachedWord(w)
	default:
		key = foldCachedWord(w)
	}
	if key == "" {
		return dst
	}
	// "q3", "p12", "f15": a type letter glued to a number.
	if len(key) >= 2 && (key[0] == 'q' || key[0] == 'p' || key[0] == 'f') && vn.AllDigits(key[1:]) && j-i == len(key) {
		dst = pushToken(dst, key[:1], lookupWord(words, key[:1]), i, i+1, hard, soft, ascii)
		k := trimZeros(key[1:])
		return pushToken(dst, k, lookupWord(words, k), i+1, j, false, false, ascii)
	}
	if vn.AllDigits(key) {
		key = trimZeros(key)
		found = false
	}
	if !found {
		wd = lookupWord(words, key)
	}
	return pushToken(dst, key, wd, i, j, hard, soft, ascii)
}

// lookupWord gives word key's id and marker (the gazetteer's words only,
// id -1 for a word no name has; without them, as tokenize is called, both
// are left zero).
func lookupWord(words *wordTable, key string) word {
	if words == nil {
		return word{}
	}
	wd, ok := words.getString(key)
	if !ok {
		wd.id = -1
	}
	return wd
}

// pushToken appends a token, written in place field by field: a token
// put together on the stack and then copied was stored a byte at a time
// and loaded 16 bytes at a time, which the processor cannot forward (a
// third of appendWord's samples in perf).
func pushToken(dst []token, key string, wd word, start, end int, hard, soft, ascii bool) []token {
	dst = append(dst, token{})
	t := &dst[len(dst)-1]
	t.key, t.id, t.marker = key, wd.id, wd.marker
	t.start, t.end = start, end
	t.hard, t.soft, t.ascii = hard, soft, ascii
	return dst
}

// foldWord folds one word: lower case, diacritics removed, đ→d, and
// anything that is not a letter or digit (apostrophes, zero-width
// characters) dropped.
func foldWord(w string) string {
	f := fold(w)
	ok := true
	for i := 0; i < len(f); i++ {
		c := f[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9') {
			ok = false
			break
		}
	}
	if ok {
		return f
	}
	var b strings.Builder
	for _, r := range f {
		if r < utf8.RuneSelf && ('a' <= r && r <= 'z' || '0' <= r && r <= '9') || r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func trimZeros(s string) string {
	for len(s) > 1 && s[0] == '0' {
		s = s[1:]
	}
	return s
}

// foldKey folds a whole name into the key the index uses: its words,
// folded, joined by single spaces.
func foldKey(s string) string {
	toks := tokenize(nil, s)
	var b strings.Builder
	for i, t := range toks {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(t.key)
	}
	return b.String()
}

// foldCache remembers the folded form of words seen before: addresses
// repeat a small vocabulary (Phường, Xã, Huyện, Thành phố, names), and
// folding is the costliest step of reading a word. It stops growing at
// foldCacheMax words so that junk input cannot fill memory.
var (
	foldCache    sync.Map // string → string
	foldCacheLen int64    // words in foldCache
)

const foldCacheMax = 1 << 16

func foldCachedWord(w string) string {
	if v, ok := foldCache.Load(w); ok {
		return v.(string)
	}
	k := foldWord(w)
	if len(w) <= 32 && atomic.AddInt64(&foldCacheLen, 1) <= foldCacheMax {
		foldCache.Store(strings.Clone(w), k)
	}
	return k
}

// foldTab folds the letters of Latin-1, Latin Extended-A/B and Latin
// Extended Additional (all Vietnamese letters, precomposed) to one ASCII
// letter the way vn.Fold does — it is built from vn.Fold, so the two
// cannot disagree. 0 means "not in the table" (fold the slow way),
// foldSkip "dropped" (combining marks).
var foldTab = func() (t [0x1F00]byte) {
	for r := rune(0x80); r < 0x1F00; r++ {
		if r >= 0x250 && r < 0x300 || r >= 0x370 && r < 0x1E00 {
			continue
		}
		switch f := fold(string(r)); {
		case f == "":
			t[r] = foldSkip
		case len(f) == 1 && ('a' <= f[0] && f[0] <= 'z' || '0' <= f[0] && f[0] <= '9'):
			t[r] = f[0]
		}
	}
	return t
}()

const foldSkip = 1

// fastFold appends the folded form of word w (as foldWord folds it) to
// b, and reports false when w has a character foldTab does not know.
func fastFold(b []byte, w string) ([]byte, bool) {
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
		var r rune
		var n int
		switch {
		case 0xC2 <= c && c < 0xE0 && i+1 < len(w) && w[i+1]&0xC0 == 0x80:
			r, n = rune(c&0x1F)<<6|rune(w[i+1]&0x3F), 2
		case 0xE1 <= c && c < 0xED && i+2 < len(w) && w[i+1]&0xC0 == 0x80 && w[i+2]&0xC0 == 0x80:
			r, n = rune(c&0x0F)<<12|rune(w[i+1]&0x3F)<<6|rune(w[i+2]&0x3F), 3
		default:
			r, n = utf8.DecodeRuneInString(w[i:])
		}
		i += n
		if r < 0x1F00 {
			switch x := foldTab[r]; x {
			case foldSkip:
				continue
			case 0:
			default:
				b = append(b, x)
				continue
			}
		}
		if isIgnorable(r) || isApostrophe(r) {
			continue
		}
		return b, false
	}
	return b, true
}
