package address

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dancu-vn/dancu/matching/compare"
	"github.com/dancu-vn/dancu/vn"
)

// repair mends the words people mistype in ways the exact scan cannot
// read, before it runs. Only words no name or type word has are touched
// (a known word is never rewritten), and a repaired word points at the
// gazetteer's own string, so nothing is allocated:
//   - a type word glued to the name: "XãHợp Hưng", "TBắc Giang",
//     "HuyệnCai Lậy", "XÃNGỌC LÂM" (split where a capital starts the name,
//     or where a type word is followed by a known word);
//   - a misspelt type word: "Tnh", "Huyn", "Thị trsn", "Thanh hpo";
//   - a dot inside a word: "C.hâu", "Qu.ảng", "Thàn.h";
//   - a digit inside a word ("Lạng5") or a telex tone key left over
//     ("Thanhf", "Vinhx").
func (st *state) repair() {
	g := st.g
	out := st.rtoks[:0]
	for i := 0; i < len(st.toks); i++ {
		t := st.toks[i]
		known := t.id >= 0 || t.marker
		// A dot inside a word: glue it back when that makes a known word.
		if n := len(out); n > 0 && t.soft && !t.hard {
			p := &out[n-1]
			pk := p.id >= 0 || p.marker
			if (!known || !pk || len(p.key) == 1 || len(t.key) == 1) && t.start == p.end+1 && st.text[p.end] == '.' && !(p.marker && len(p.key) <= 2 && g.markers[p.key]&mAdmin != 0) {
				st.scratch = append(append(st.scratch[:0], p.key...), t.key...)
				if wd, ok := g.words[string(st.scratch)]; ok && wd.id >= 0 {
					p.key, p.id, p.marker, p.end = wd.s, wd.id, wd.marker, t.end
					p.ascii = p.ascii && t.ascii
					continue
				}
			}
		}
		if known && t.id >= 0 && !t.marker && i+1 < len(st.toks) && (g.glued[t.id>>6]&(1<<(t.id&63)) != 0 && innerCapital(st.text[t.start:t.end]) || t.end-t.start > 2 && oneLetterStart(st.text[t.start], st.text[t.start+1]) && oneLetterGlued(st.text[t.start:t.end])) {
			if a, b, ok := st.gluedKnown(t, st.toks[i+1]); ok {
				out = append(out, a, b)
				continue
			}
		}
		if known || vn.AllDigits(t.key) || len(t.key) < 2 {
			out = append(out, t)
			continue
		}
		// A type word glued to a number: "Qận3", "phuong12".
		if a, b, ok := st.markerNumber(t, out); ok {
			out = append(out, a, b)
			continue
		}
		// A capital doubled inside a name ("Tân Hưng TThuận", "Xuân
		// TThới Đông"): after a name's word in the same part, the word
		// without it, not a type word glued to the name ("T" + "Thuận"
		// would read Tỉnh Thuận). At the start of a part, "HHiệp Hòa" is
		// Huyện Hiệp Hòa as before.
		if w := st.text[t.start:t.end]; len(w) > 2 && 'A' <= w[0] && w[0] <= 'Z' && w[1] == w[0] && !t.hard && !t.dash && len(out) > 0 {
			if p := out[len(out)-1]; p.id >= 0 && !p.marker {
				if wd, ok := g.words[foldCachedWord(w[1:])]; ok && wd.id >= 0 {
					t.key, t.id, t.marker = wd.s, wd.id, wd.marker
					out = append(out, t)
					continue
				}
			}
		}
		// A type word glued to the name.
		// (One small letter before a capital is a swap, "hPước", not a
		// type word.)
		if k := capitalSplit(st.text[t.start:t.end]); k > 0 && !(k == 1 && st.text[t.start] >= 'a' && st.text[t.start] <= 'z') {
			pre := foldCachedWord(st.text[t.start : t.start+k])
			rest := foldCachedWord(st.text[t.start+k : t.end])
			prev := ""
			if len(out) > 0 && !t.hard {
				prev = out[len(out)-1].key
			}
			if m, ok := st.markerWord(pre, prev); ok && rest != "" && (len(pre) > 1 || pre == "x" || pre == "h" || pre == "t" || pre == "p" || pre == "q") {
				a, b := t, t
				a.end, a.key, a.id, a.marker = t.start+k, m.s, m.id, true
				b.start, b.key, b.hard, b.soft, b.dash = t.start+k, rest, false, false, false
				b.id, b.marker = -1, false
				if wd, ok := g.words[rest]; ok {
					b.id, b.marker = wd.id, wd.marker
				} else if wd, ok := st.cleanWord(rest, false); ok {
					b.key, b.id, b.marker = wd.s, wd.id, wd.marker
				}
				out = append(out, a, b)
				continue
			}
		}
		if wd, ok := st.cleanWord(t.key, t.ascii); ok {
			t.key, t.id, t.marker = wd.s, wd.id, wd.marker
			out = append(out, t)
			continue
		}
		// Where a type word is expected — at the start of a part, not
		// after another type word — an unknown word may be one misspelt
		// or glued to the name. Elsewhere "Thnh", "Phòòng", "Nuận" are
		// misspelt names, left to the misspelling search.
		prev := ""
		partStart := len(out) == 0 || t.hard || t.dash
		if len(out) > 0 && !t.hard {
			prev = out[len(out)-1].key
			if out[len(out)-1].marker && st.g.markers[prev]&mAdmin != 0 {
				partStart = false
			}
		}
		if partStart {
			if a, b, ok := st.prefixSplit(t, gluedPrefixes[:]); ok {
				out = append(out, a, b)
				continue
			}
		}
		// the second word of a two-word type word glued to the name:
		// "THỊ XÃVĨNH CHÂU", "Thành phốHồ Chí Minh" in one case
		var second []string
		switch prev {
		case "thi":
			second = []string{"tran", "xa"}
		case "thanh":
			second = []string{"pho"}
		}
		if second != nil {
			if a, b, ok := st.prefixSplit(t, second); ok {
				out = append(out, a, b)
				continue
			}
		}
		if m, ok := st.fuzzyMarker(t.key, prev, partStart); ok {
			t.key, t.id, t.marker = m.s, m.id, true
		}
		out = append(out, t)
	}
	st.rtoks, st.toks = st.toks[:0], out
	if len(st.toks) > 64 {
		st.toks = st.toks[:64]
	}
	st.webWords()
}

// gluedKnown splits a known word that is a type word glued to the first
// word of a name, where a capital starts the name, when that name goes on
// in the next word and the word itself begins no name with it:
// "PhườngNam Tiến" is Phường Nam Tiến, though "phuongnam" is a word (Phương
// Nam glued) — "Phương Nam Tiến" is no name.
func (st *state) gluedKnown(t, next token) (token, token, bool) {
	k := capitalSplit(st.text[t.start:t.end])
	if k < 1 || k == 1 && !oneLetterGlued(st.text[t.start:t.end]) || next.id < 0 || next.hard || next.dash {
		return token{}, token{}, false
	}
	g := st.g
	m, ok := g.words[foldCachedWord(st.text[t.start:t.start+k])]
	if !ok || !m.marker || g.markers[m.s]&mAdmin == 0 {
		return token{}, token{}, false
	}
	wd, ok := g.words[foldCachedWord(st.text[t.start+k:t.end])]
	if !ok || wd.id < 0 {
		return token{}, token{}, false
	}
	node, ok := g.child(0, wd.id)
	if !ok {
		return token{}, token{}, false
	}
	if _, ok := g.child(node, next.id); !ok {
		return token{}, token{}, false
	}
	if whole, ok := g.child(0, t.id); ok {
		if _, ok := g.child(whole, next.id); ok {
			return token{}, token{}, false
		}
	}
	a, b := t, t
	a.end, a.key, a.id, a.marker = t.start+k, m.s, m.id, true
	b.start, b.key, b.id, b.marker, b.hard, b.soft, b.dash = t.start+k, wd.s, wd.id, wd.marker, false, false, false
	return a, b, true
}

// oneLetterGlued reports whether w is a capital P, X, H, T or Q (Phường,
// Xã, Huyện, Tỉnh, Quận cut to their initial) glued to a capitalised
// word ("PAn", "PLong", "XTân"): the pair is a known word often enough
// ("pan", "plong", "xtan" hardly, but highland names have the first two),
// and the capitals say how it was typed. A word in capitals ("PHAN") or
// with a second capital only ("PHường", "THành") does not split
// (capitalSplit wants a small letter after the capital; gluedKnown wants
// the rest to start a name that the next word goes on with).
func oneLetterGlued(w string) bool {
	return len(w) > 2 && oneLetterStart(w[0], w[1]) && capitalSplit(w) == 1 && w[1] != w[0]
}

// oneLetterStart is oneLetterGlued's test of the first two bytes (the
// second a capital's first byte, or a byte that may begin one), cheap
// enough for every word.
func oneLetterStart(c0, c1 byte) bool {
	return (c0 == 'P' || c0 == 'X' || c0 == 'H' || c0 == 'T' || c0 == 'Q') &&
		('A' <= c1 && c1 <= 'Z' || c1 == 0xC3 || c1 == 0xC4 || c1 == 0xC6 || c1 == 0xE1)
}

// setGlued marks the words (in g.glued) that are a type word of two
// letters or more glued to a word that starts a name ("phuongnam",
// "tinhan"): the only ones gluedKnown may split.
func (g *gazetteer) setGlued() {
	g.glued = make([]uint64, (len(g.root)+63)/64)
	var prefixes []string
	for k, m := range g.markers {
		if m&mAdmin != 0 && len(k) >= 2 && !strings.Contains(k, " ") {
			prefixes = append(prefixes, k)
		}
	}
	// words of names of two words or more: a syllable ("phu", "phong"),
	// not a glued pair
	inName := make(map[string]bool, len(g.words))
	for k := range g.index {
		if strings.IndexByte(k, ' ') >= 0 {
			for _, w := range strings.Split(k, " ") {
				inName[w] = true
			}
		}
	}
	for w, wd := range g.words {
		if wd.id < 0 || wd.marker || inName[w] {
			continue // (a type word is not one glued to a name)
		}
		for _, p := range prefixes {
			if len(w) <= len(p) || w[:len(p)] != p {
				continue
			}
			if rw, ok := g.words[w[len(p):]]; ok && rw.id >= 0 {
				if _, ok := g.child(0, rw.id); ok {
					g.glued[wd.id>>6] |= 1 << (wd.id & 63)
					break
				}
			}
		}
	}
}

// innerCapital reports whether w may have a capital letter after its
// first (one of the Vietnamese alphabet's: ASCII, À–Ý, Ă Đ Ĩ Ũ, Ơ Ư, Ạ–Ỹ),
// from its bytes alone: most words have none, and capitalSplit, which
// decodes them, is not run on them.
func innerCapital(w string) bool {
	for i := 1; i < len(w); i++ {
		switch c := w[i]; {
		case 'A' <= c && c <= 'Z':
			return true
		case c == 0xC3:
			if i+1 < len(w) && w[i+1] < 0xA0 {
				return true
			}
		case c == 0xC4 || c == 0xC5:
			if i+1 < len(w) && w[i+1]&1 == 0 {
				return true
			}
		case c == 0xC6:
			if i+1 < len(w) && (w[i+1] == 0xA0 || w[i+1] == 0xAF) {
				return true
			}
		case c == 0xE1:
			if i+2 < len(w) && (w[i+1] == 0xBA || w[i+1] == 0xBB) && w[i+2]&1 == 0 {
				return true
			}
		}
	}
	return false
}

// markerNumber splits a word of letters then digits whose letters are a
// type word, exact or misspelt, or a hamlet word ("KP3", "Tổ5", "Ấp3",
// "TDP5", when no name has the word: the hamlet is then read as in "KP 3
// Linh Trung", not with the ward after it), into the type word and the
// number.
func (st *state) markerNumber(t token, out []token) (token, token, bool) {
	k := t.key
	d := len(k)
	for d > 0 && k[d-1] >= '0' && k[d-1] <= '9' {
		d--
	}
	if d == 0 || d == len(k) || !allLetters(k[:d]) {
		return token{}, token{}, false
	}
	prev := ""
	if len(out) > 0 && !t.hard {
		prev = out[len(out)-1].key
	}
	m, ok := st.g.words[k[:d]]
	if ok && m.id >= 0 && !m.marker {
		return token{}, token{}, false // a name's word: "Thịnh5" is Thịnh, not Tỉnh 5
	}
	if hm := st.g.markers[k[:d]]; ok && hm&mAdmin == 0 && hm&mHamlet != 0 && m.id >= 0 {
		return token{}, token{}, false // "Lạng5" is Lạng, a name's word, not Làng 5
	}
	if !ok || !m.marker || st.g.markers[k[:d]]&(mAdmin|mHamlet) == 0 {
		if m, ok = st.fuzzyMarker(k[:d], prev, true); !ok {
			return token{}, token{}, false
		}
	}
	// where the digits start in the input: the word's bytes end with them
	at := t.end - (len(k) - d)
	a, b := t, t
	a.end, a.key, a.id, a.marker = at, m.s, m.id, true
	b.start, b.key, b.id, b.marker, b.hard, b.soft, b.dash = at, trimZeros(k[d:]), -1, false, false, false, false
	if wd, ok := st.g.words[b.key]; ok {
		b.id = wd.id
	}
	return a, b, true
}

func allLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return true
}

// capitalSplit finds where a capital letter followed by a small one
// starts a second word inside w ("XãHợp" → 3, "TBắc" → 1), or 0.
func capitalSplit(w string) int {
	for i, r := range w {
		if i > 0 && unicode.IsUpper(r) {
			next, _ := utf8.DecodeRuneInString(w[i+utf8.RuneLen(r):])
			if unicode.IsLower(next) || unicode.Is(unicode.Mn, next) {
				return i
			}
		}
	}
	return 0
}

// markerWord reads k as a unit type word, exactly or misspelt ("tnh").
func (st *state) markerWord(k, prev string) (word, bool) {
	if wd, ok := st.g.words[k]; ok && wd.marker && st.g.markers[k]&mAdmin != 0 {
		return wd, true
	}
	if wd, ok := st.cleanWord(k, false); ok && wd.marker && st.g.markers[wd.s]&mAdmin != 0 {
		return wd, true
	}
	return st.fuzzyMarker(k, prev, true)
}

// fuzzyMarker reads an unknown word as a misspelt type word: one edit
// from Tỉnh, Huyện, Quận, Phường, or from the second word of Thị trấn,
// Thị xã, Thành phố after the first.
func (st *state) fuzzyMarker(k, prev string, partStart bool) (word, bool) {
	if len(k) < 3 || len(k) > 8 {
		return word{}, false
	}
	try := func(m string) (word, bool) {
		if compare.OSA(k, m, 1) <= 1 {
			wd, ok := st.g.words[m]
			return wd, ok && wd.marker
		}
		return word{}, false
	}
	for _, m := range [...]string{"tinh", "huyen", "quan", "phuong"} {
		if !partStart {
			break
		}
		if wd, ok := try(m); ok {
			return wd, true
		}
	}
	switch prev {
	case "thi":
		if wd, ok := try("tran"); ok {
			return wd, true
		}
	case "thanh":
		if wd, ok := try("pho"); ok {
			return wd, true
		}
	}
	return word{}, false
}

// cleanWord reads an unknown word with its digits dropped ("lang5") or
// a trailing telex tone key dropped ("thanhf"), and, when the input word
// was plain ASCII (typed, marks are what the keys would have made), as
// typed in Telex or VNI with the input method off (telexWord).
func (st *state) cleanWord(k string, ascii bool) (word, bool) {
	g := st.g
	hasDigit, hasLetter := false, false
	for i := 0; i < len(k); i++ {
		if '0' <= k[i] && k[i] <= '9' {
			hasDigit = true
		} else {
			hasLetter = true
		}
	}
	if hasDigit && hasLetter {
		// VNI keys: a digit inside the word after its vowel ("ta6n"), or
		// one at its end in a text that has such a word ("Phu1 Tha2nh"),
		// read before a digit OCR put for a letter ("phu1" → phui)
		if ascii && (vniKeyed(k) || st.vniText()) {
			if wd, ok := st.telexWord(k); ok {
				return wd, true
			}
		}
		// a digit OCR or a hurried hand put for a letter: "H0à", "Ha1"
		for _, sub := range [...]string{"0o1l2z3e4a5s6b7t8b9g", "0o1i2z3e4a5s6g7t8b9q"} {
			st.scratch = st.scratch[:0]
			for i := 0; i < len(k); i++ {
				c := k[i]
				if '0' <= c && c <= '9' {
					c = sub[2*(c-'0')+1]
				}
				st.scratch = append(st.scratch, c)
			}
			if wd, ok := g.words[string(st.scratch)]; ok && wd.id >= 0 {
				return wd, true
			}
		}
		st.scratch = st.scratch[:0]
		for i := 0; i < len(k); i++ {
			if k[i] < '0' || k[i] > '9' {
				st.scratch = append(st.scratch, k[i])
			}
		}
		if wd, ok := g.words[string(st.scratch)]; ok {
			return wd, true
		}
		if n := len(st.scratch); n > 2 && isTelexKey(st.scratch[n-1]) {
			if wd, ok := g.words[string(st.scratch[:n-1])]; ok {
				return wd, true
			}
		}
		return word{}, false
	}
	if n := len(k); n > 2 && isTelexKey(k[n-1]) {
		if wd, ok := g.words[k[:n-1]]; ok {
			return wd, true
		}
	}
	if ascii {
		if wd, ok := st.telexWord(k); ok {
			return wd, true
		}
	}
	// two letters swapped: "phogn", "hpuoc"
	if len(k) >= 4 && len(k) <= 12 {
		st.scratch = append(st.scratch[:0], k...)
		for i := 0; i+1 < len(k); i++ {
			if k[i] == k[i+1] {
				continue
			}
			st.scratch[i], st.scratch[i+1] = k[i+1], k[i]
			if wd, ok := g.words[string(st.scratch)]; ok && wd.id >= 0 {
				return wd, true
			}
			st.scratch[i], st.scratch[i+1] = k[i], k[i+1]
		}
	}
	return word{}, false
}

// telexWord reads an unknown word as typed with the Vietnamese input
// method off, in Telex or VNI keys, and returns the name's word it spells
// ("phuwowngf", "quaanj", "xax", "ddawks", "thow" → phuong, quan, xa, dak,
// tho; "ta6n", "nguye64n" → tan, nguyen). The key is the folded word, so a
// key that adds a mark only goes: a doubled a, e or o (â, ê, ô), a w after
// a vowel (ă, ơ, ư, ươ), a first dd (đ), and after the first vowel the
// tone keys s f r x j (and z, which takes a tone off) and VNI's digits —
// after a vowel no Vietnamese syllable has those letters, only c ch m n ng
// nh p t. A w with no vowel before it is ư ("tw" → tu). Only a word of the
// gazetteer is returned; the word is undone in st.scratch, so nothing is
// allocated.
func (st *state) telexWord(k string) (word, bool) {
	if len(k) < 2 || len(k) > 16 {
		return word{}, false
	}
	b := st.scratch[:0]
	// strong: a key no misspelling makes as often (a doubled vowel, w, dd,
	// a tone key or digit ending the word); inner: a tone key or digit
	// before the word's last letter ("osn" is more often "sơn" with two
	// letters swapped than "ón")
	strong, inner, vowel, doubled, keyed := false, false, false, false, false
	for i := 0; i < len(k); i++ {
		c := k[i]
		switch {
		case c == 'd' && i == 0 && len(k) > 1 && k[1] == 'd':
			b = append(b, 'd')
			i++
			strong, keyed = true, true
		case c == 'a' || c == 'e' || c == 'o':
			if n := len(b); n > 0 && b[n-1] == c && vowel && !doubled {
				strong, doubled = true, true // the second key of â, ê, ô
				continue
			}
			// a third key undoes the mark: "ooo" is "oo" (Kroong)
			b = append(b, c)
			vowel, doubled = true, false
		case c == 'i' || c == 'u' || c == 'y':
			b = append(b, c)
			vowel, doubled = true, false
		case c == 'w':
			strong, keyed = true, true
			if !vowel {
				b = append(b, 'u')
				vowel = true
			}
		case vowel && (isTelexKey(c) || c == 'z' || '1' <= c && c <= '9'):
			if i == len(k)-1 {
				strong, keyed = true, true
			} else if x := k[i+1]; 'a' <= x && x <= 'z' {
				inner = true
			}
		case 'a' <= c && c <= 'z':
			b = append(b, c)
			doubled = false
		default:
			st.scratch = b
			return word{}, false
		}
	}
	st.scratch = b
	if !strong && !(inner && vniKeyed(k)) || len(b) < 2 {
		return word{}, false
	}
	// a doubled vowel the only key, in a text written with marks
	// elsewhere, is a slip ("Giaai"), not Telex
	if !keyed && !inner && !asciiText(st.text) {
		return word{}, false
	}
	if wd, ok := st.g.words[string(b)]; ok && wd.id >= 0 {
		return wd, true
	}
	return word{}, false
}

// vniKeyed reports whether k has a VNI key inside it: a digit 1–9 after
// a vowel and before a letter ("tha2nh", "nguye64n").
func vniKeyed(k string) bool {
	for i := 1; i+1 < len(k); i++ {
		if '1' <= k[i] && k[i] <= '9' {
			j := i
			for j+1 < len(k) && '1' <= k[j+1] && k[j+1] <= '9' {
				j++
			}
			if p := k[i-1]; (p == 'a' || p == 'e' || p == 'i' || p == 'o' || p == 'u' || p == 'y') && j+1 < len(k) && 'a' <= k[j+1] && k[j+1] <= 'z' {
				return true
			}
			i = j
		}
	}
	return false
}

// vniText reports whether a word of the text being read has a VNI key
// inside it (vniKeyed): then a digit ending a word is one too. Asked only
// of words with a digit among their letters, so it is rarely run.
func (st *state) vniText() bool {
	for _, t := range st.toks {
		if vniKeyed(t.key) {
			return true
		}
	}
	return false
}

func asciiText(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func isTelexKey(c byte) bool { return c == 's' || c == 'f' || c == 'r' || c == 'x' || c == 'j' }

// gluedPrefixes are the type words tried at the start of an unknown word
// in text with no case to go by ("xangoc", "tinhkhanh"), longest first.
var gluedPrefixes = [...]string{"phuong", "huyen", "tinh", "quan", "tp", "tx", "tt", "xa", "x", "h", "t"}

// prefixSplit splits an unknown word into a type word and a known word.
func (st *state) prefixSplit(t token, prefixes []string) (token, token, bool) {
	g := st.g
	for _, p := range prefixes {
		if len(t.key) <= len(p) || t.key[:len(p)] != p {
			continue
		}
		rest := t.key[len(p):]
		if len(rest) < 3 {
			continue
		}
		wd, ok := g.words[rest]
		if !ok || wd.id < 0 {
			continue
		}
		m, ok := g.words[p]
		if !ok || !m.marker {
			continue
		}
		// where the rest starts in the input: after as many letters as
		// the prefix has
		at := t.start
		for n := 0; n < len(p) && at < t.end; {
			r, size := utf8.DecodeRuneInString(st.text[at:])
			at += size
			if !unicode.Is(unicode.Mn, r) {
				n++
			}
		}
		for at < t.end {
			r, size := utf8.DecodeRuneInString(st.text[at:])
			if !unicode.Is(unicode.Mn, r) {
				break
			}
			at += size
		}
		a, b := t, t
		a.end, a.key, a.id, a.marker = at, m.s, m.id, true
		b.start, b.key, b.id, b.marker, b.hard, b.soft, b.dash = at, wd.s, wd.id, wd.marker, false, false, false
		return a, b, true
	}
	return token{}, token{}, false
}
