package vn

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// highlandOrder returns n's normalised name in one canonical order when it
// is a name of the Central Highlands written the way its registers write
// it, ok false otherwise. The rules (see the package doc, "Names of the
// Central Highlands"):
//
//   - A gender prefix, Y for a man and H' for a woman, comes before the
//     given name. Registers write H' as "H'", "H’", "H-", "H " or with
//     nothing ("HBlơi"), and Y with a space or nothing ("Ybhim"); all
//     become the word H' or Y. A word joined to its prefix is taken apart
//     only when it cannot be a Vietnamese syllable (Vietnamese has no
//     initial H or Y followed by a consonant) and is not a clan (Hđơk,
//     Hwing and Hmŏk are clans).
//   - The clan (family) name comes last in the Ê Đê, M'nông and Jrai
//     order ("Y Moan Êban", "H'Blơi Rơ Mah"), first in the Vietnamese one
//     ("Ksor H'Bia", "Rơ Mah H'Blơi"). A clan of two words (Rơ Mah, Rah
//     Lan, Ê Ban, Niê Kdăm) is one name written with or without the
//     space; it is written here as one word (Rơmah, Êban).
//   - A prefix with no clan known before it (highlandClans) starts the
//     name: the word after it is the given name, the words after the given
//     name the clan; the longest run of last words that joined is a known
//     clan is the clan, else the last word. Y is also a Kinh family name
//     ("Y Thu Hằng"): a name starting with the word Y or H without its
//     apostrophe ("H Blơi", "H-Blơi", beside a "H Thị Uyên" that lost the
//     letters of Hà), with Y before a vowel ("Yyơn") or with H joined to a
//     consonant ("HBlơi", and a scanner's "HVỲMH" for Huỳnh) is read so
//     only when its last words are a known clan.
//
// The canonical name is "Clan H' Given" (or "Clan Y Given"), so that
// ParseName gives family Clan, middle H' or Y, given Given, however the
// record wrote it, and two sisters of one clan differ in their given
// names. The given name's words are written as one word too (Bơ Lơi →
// Bơlơi), as the clan's.
func highlandOrder(n Name) (string, bool) {
	if !mayHighland(n.Key) {
		return "", false
	}
	out, ok := highlandWords(n.Normalized)
	if !ok {
		return "", false
	}
	if _, again := highlandWords(out); again {
		return "", false // read another way again ("Yb0 H' …": its clan a prefix): left as written
	}
	return out, true
}

// highlandWords is highlandOrder of a name normalised to s, word by word.
func highlandWords(s string) (string, bool) {
	w := strings.Fields(s)
	// The prefix: first word, or the word after a known clan of one to
	// three words.
	for p := 0; p < len(w) && p <= 3; p++ {
		if p > 0 && !highlandClans[Fold(strings.Join(w[:p], ""))] {
			continue
		}
		pre, rest, weak, ok := splitPrefix(w[p])
		if !ok {
			continue
		}
		if p > 0 && pre == "Y" && rest == "" && highlandClans[Fold(w[p])] {
			continue
		}
		given := w[p+1:]
		if rest != "" {
			given = append([]string{rest}, given...)
		}
		var clan []string
		if p > 0 {
			clan = w[:p]
		} else {
			var known bool
			given, clan, known = clanAtEnd(given)
			if weak && !known {
				return "", false // Y Thu Hằng: Y is a family name
			}
		}
		if len(given) == 0 || len(clan) == 0 && (weak || len(given) > 1) {
			return "", false
		}
		out := pre + " " + joinAsOne(given)
		if len(clan) > 0 {
			out = joinAsOne(clan) + " " + out
		}
		if out == s {
			return "", false
		}
		return out, true
	}
	return "", false
}

// splitPrefix reads word as a gender prefix, alone or joined to the given
// name after it: pre is "H'" or "Y", rest the given name's part of word
// ("" when word is the prefix alone). weak says that word may be a Kinh
// name's word as well (Y, the family name; "Yyơn", no syllable, beside
// Yên; "HBlơi" beside a misread "HVỲMH"), so that the name is read as a
// highland one only when its clan is known.
func splitPrefix(word string) (pre, rest string, weak, ok bool) {
	switch word {
	case "H'", "H’":
		return "H'", "", false, true
	case "H": // also "H-", and a Kinh word that lost its letters ("H Thị Uyên", Hà)
		return "H'", "", true, true
	case "Y":
		return "Y", "", true, true
	}
	if len(word) < 3 || word[0] != 'H' && word[0] != 'Y' {
		return "", "", false, false
	}
	if word[0] == 'H' {
		if k := strings.IndexAny(word, "'’"); k == 1 {
			_, size := utf8.DecodeRuneInString(word[k:])
			if r := word[k+size:]; r != "" {
				return "H'", capitalise(r), false, true
			}
			return "H'", "", false, true
		}
	}
	// Joined with nothing, in a word that is no syllable, no syllable
	// misread and no clan: H or Y before a consonant (never Vietnamese),
	// or Y before a vowel.
	r, _ := utf8.DecodeRuneInString(word[1:])
	if !unicode.IsLetter(r) || ValidSyllable(word) || highlandClans[Fold(word)] || misreadSyllable(word) {
		return "", "", false, false
	}
	vowel := isVowelRune(r)
	if word[0] == 'H' {
		if vowel {
			return "", "", false, false
		}
		// Weak: a scanner's misreading of two letters makes such words
		// too (HVỲMH, Huỳnh).
		return "H'", capitalise(word[1:]), true, true
	}
	return "Y", capitalise(word[1:]), vowel, true
}

// clanAtEnd splits the words after a gender prefix into the given name
// and the clan: the clan is the longest run of last words (up to three)
// that joined is a known clan; else a known clan written onto the word
// before it ("H'Thơnay", "Y Blơirah Lan": Thơ / Nay, Blơi / Rah Lan), when
// two letters or more are left of the given name; else the last word,
// when there are two or more (else no clan). known says whether the clan is a known one.
func clanAtEnd(w []string) (given, clan []string, known bool) {
	for k := min(3, len(w)-1); k >= 1; k-- {
		if highlandClans[Fold(strings.Join(w[len(w)-k:], ""))] {
			return w[:len(w)-k], w[len(w)-k:], true
		}
	}
	// A clan joined to the given name: cut the words' letters, joined,
	// where a known clan ends them.
	joined := []rune(strings.Join(w, ""))
	if f := Fold(string(joined)); len(f) == len(joined) { // one letter a rune
		for c := 2; c <= len(f)-2; c++ {
			if highlandClans[f[c:]] {
				return cutRunes(w, c)
			}
		}
	}
	if len(w) < 2 {
		return w, nil, false // no clan: a one-word name (Bahnar, Sedang)
	}
	return w[:len(w)-1], w[len(w)-1:], false
}

// misreadSyllable reports whether word, folded, is a syllable with its
// second letter read for another by a scanner (U as V, H as B, I as T, N
// and M): "HVỲNH" is Huỳnh misread, not H' and Vỳnh.
func misreadSyllable(word string) bool {
	f := []byte(Fold(word))
	if len(f) < 2 {
		return false
	}
	for _, pair := range [...][2]byte{{'v', 'u'}, {'b', 'h'}, {'t', 'i'}, {'m', 'n'}, {'n', 'm'}} {
		if f[1] == pair[0] {
			f[1] = pair[1]
			ok := validASCIISyllable(f)
			f[1] = pair[0]
			if ok {
				return true
			}
		}
	}
	return false
}

// isVowelRune reports whether r is a vowel letter, with or without marks.
func isVowelRune(r rune) bool {
	f := Fold(string(r))
	return f != "" && strings.ContainsAny(f, "aeiouy")
}

// capitalise writes s with its first letter in upper case and the others
// in lower case.
func capitalise(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + strings.ToLower(s[size:])
}

// joinAsOne writes words as one word ("Rơ", "Mah" → "Rơmah").
func joinAsOne(words []string) string {
	if len(words) == 1 {
		return words[0]
	}
	return capitalise(strings.Join(words, ""))
}

// mayHighland is false for a name key (folded, lower case) that
// highlandOrder leaves as it is, found without splitting its words: one
// with no apostrophe, which does not start with y or with h before a
// space or a consonant, and with no word h or y after its first, holds
// no gender prefix. Nearly every name is passed over here.
func mayHighland(key string) bool {
	if len(key) < 3 {
		return false
	}
	// (an apostrophe looked for byte by byte: strings.ContainsAny with ’,
	// outside ASCII, looked each rune up in the set, ~1,200 instructions a
	// name; ’ is E2 80 99, and E2 only ever starts a rune)
	if strings.IndexByte(key, '\'') >= 0 || strings.Contains(key, "’") || strings.Contains(key, " h ") || strings.Contains(key, " y ") {
		return true
	}
	switch key[0] {
	case 'y':
		return true // Y, "Ybhim", "Yyơn"; few Kinh names start with y (Yên)
	case 'h':
	default:
		return false
	}
	switch key[1] {
	case 'a', 'e', 'i', 'o', 'u', 'y':
		return false
	}
	return true
}

// highlandClans are common clan (family) names of the Ê Đê, M'nông and
// Jrai, folded, a clan of two or three words written as one (Rơ Mah →
// romah, Mlô Duôn Du → mloduondu). From general knowledge of the names and
// the lists of vi.wikipedia's "Tên người Ê Đê" (Niê, Mlô, Buôn Yă, Êban,
// Ksơr, Êčăm, Kbuôr, Adrơng and their Jrai forms Nay, Kpă, Rhlan, Rčom,
// Puih, Kpuih, Ajrơng), not from a data file of records.
var highlandClans = map[string]bool{
	// Ê Đê and M'nông.
	"nie": true, "eban": true, "ayun": true, "adrong": true, "bya": true, "mlo": true, "enuol": true,
	"knul": true, "hdok": true, "kpa": true, "hwing": true, "kbuor": true, "bdap": true, "mdrang": true,
	"ksor": true, "rcam": true, "eya": true, "bkrong": true, "hmok": true, "mjao": true, "kdam": true,
	"ktla": true, "emo": true, "buon": true, "krong": true, "alio": true, "nay": true, "ktul": true,
	"niekdam": true, "niedam": true, "nieksor": true, "buonya": true, "buonkrong": true, "mkrong": true,
	"mloduondu": true, "ecam": true, "kbor": true,
	// Jrai.
	"siu": true, "romah": true, "rmah": true, "rocham": true, "rocom": true, "rcom": true, "rolan": true,
	"rahlan": true, "ralan": true, "rhlan": true, "puih": true, "kpuih": true, "rmuoch": true, "ajrong": true,
}

// cutRunes cuts the words w, joined, after their first c runes: the given
// name's words before the cut, the clan's after it, the word the cut falls
// in parted between them.
func cutRunes(w []string, c int) (given, clan []string, known bool) {
	for i, x := range w {
		n := utf8.RuneCountInString(x)
		if c >= n {
			given = append(given, x)
			c -= n
			continue
		}
		if c > 0 {
			r := []rune(x)
			given = append(given, string(r[:c]))
			clan = append(clan, capitalise(string(r[c:])))
		} else {
			clan = append(clan, x)
		}
		return given, append(clan, w[i+1:]...), true
	}
	return given, clan, true
}

// khmerFamilies are the family names Khmer registers of the Mekong delta
// give (Thạch, Danh, Sơn, Kim, Lâm, Chau, Trà), folded.
var khmerFamilies = []string{"thach", "danh", "chau", "son", "kim", "lam", "tra"}

// khmerJoined returns n's normalised name with a Khmer family name
// written onto the word after it ("Thạchri", "Chaumỹ Lan") set apart, ok
// false otherwise: the first word is no Vietnamese syllable nor one
// misread (ocrKey), starts with
// one of khmerFamilies and has two letters or more after it.
func khmerJoined(n Name) (string, bool) {
	first, rest, _ := strings.Cut(n.Normalized, " ")
	kfirst, _, _ := strings.Cut(n.Key, " ")
	// The family names first: nearly every name starts with none, and
	// the tests below (the runes, the syllable's lookups) cost every
	// name ~1,300 instructions, 0.8% of dancu link's read (issue 13).
	khmer := false
	for _, f := range khmerFamilies {
		if strings.HasPrefix(kfirst, f) && len(kfirst)-len(f) >= 2 {
			khmer = true
			break
		}
	}
	if !khmer {
		return "", false
	}
	rs := []rune(first)
	if len(rs) != len(kfirst) || len(kfirst) < 5 || ValidSyllable(first) || ocrKey(kfirst) != kfirst {
		return "", false // a syllable, or one a scanner misread ("TRANQ")
	}
	for _, f := range khmerFamilies {
		if !strings.HasPrefix(kfirst, f) || len(kfirst)-len(f) < 2 {
			continue
		}
		out := string(rs[:len(f)]) + " " + capitalise(string(rs[len(f):]))
		if rest != "" {
			out += " " + rest
		}
		return out, true
	}
	return "", false
}
