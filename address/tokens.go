package address

import (
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"
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
func tokenize(dst []token, s string) []token { return tokenizeWith(dst, s, nil, nil) }

// tokenizeWith is tokenize with the gazetteer's words at hand: a word
// that needs folding is folded into scratch and, when the gazetteer knows
// it, keyed by the gazetteer's own string, so that reading it allocates
// nothing and touches no shared cache; each token gets its word's id (-1
// when no name has it) and marker, looked up once.
func tokenizeWith(dst []token, s string, words *wordTable, scratch *[]byte) []token {
	hard, soft, dash := false, false, false
	i := 0
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if isWordRune(r) {
			j := i
			ascii := true
			for j < len(s) {
				r2, n2 := utf8.DecodeRuneInString(s[j:])
				if isWordRune(r2) || isIgnorable(r2) || (isApostrophe(r2) && j > i && j+n2 < len(s) && nextIsWord(s[j+n2:])) {
					if r2 >= utf8.RuneSelf {
						ascii = false
					}
					j += n2
					continue
				}
				break
			}
			before := len(dst)
			dst = appendWord(dst, s, i, j, ascii, hard, soft, words, scratch)
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
		}
		i += n
	}
	return dst
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

func appendWord(dst []token, s string, i, j int, ascii, hard, soft bool, words *wordTable, scratch *[]byte) []token {
	w := s[i:j]
	var key string
	var wd word
	found := false
	switch {
	case ascii && !hasUpperOrApos(w):
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
	// lookup gives the word's id and marker (the gazetteer's words only;
	// without them, as tokenize is called, the fields are left zero).
	lookup := func(t token) token {
		if words == nil {
			return t
		}
		wd, ok := words.getString(t.key)
		if !ok {
			wd.id = -1
		}
		t.id, t.marker = wd.id, wd.marker
		return t
	}
	// "q3", "p12", "f15": a type letter glued to a number.
	if len(key) >= 2 && (key[0] == 'q' || key[0] == 'p' || key[0] == 'f') && allDigits(key[1:]) && j-i == len(key) {
		dst = append(dst, lookup(token{key: key[:1], start: i, end: i + 1, hard: hard, soft: soft, ascii: ascii}))
		return append(dst, lookup(token{key: trimZeros(key[1:]), start: i + 1, end: j, ascii: ascii}))
	}
	if allDigits(key) {
		key = trimZeros(key)
		found = false
	}
	t := token{key: key, start: i, end: j, hard: hard, soft: soft, ascii: ascii}
	if found { // looked up already
		t.id, t.marker = wd.id, wd.marker
		return append(dst, t)
	}
	return append(dst, lookup(t))
}

func hasUpperOrApos(w string) bool {
	for i := 0; i < len(w); i++ {
		c := w[i]
		if 'A' <= c && c <= 'Z' || c == '\'' || c == '`' {
			return true
		}
	}
	return false
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

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
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
		r, n := utf8.DecodeRuneInString(w[i:])
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
