package vn

import (
	"strings"
	"unicode/utf8"
)

// Rhymes (vần) of Vietnamese without tone, including the medial o/u, as
// they are spelled after an initial consonant. The list is the standard
// inventory of the orthography plus a few rhymes of loan words and minority
// place names (ăk, ơk, …) that appear in official unit names.
const rhymeList = `a ai ao au ay ac ach am an ang anh ap at
ăc ăm ăn ăng ăp ăt ăk
â âc âm ân âng âp ât âu ây
e ec em en eng eo ep et
ê êch êm ên ênh êp êt êu
i ia ich im in inh ip it iu iêc iêm iên iêng iêp iêt iêu
o oc oi om on ong op ot ooc oong ok
ô ôc ôi ôm ôn ông ôp ôt ôk
ơ ơi ơm ơn ơp ơt ơk
u ua uc ui um un ung up ut uôc uôi uôm uôn uông uôt uơ
ư ưa ưc ưi ưm ưn ưng ưt ưu ươc ươi ươm ươn ương ươp ươt ươu
y yêm yên yêng yêt yêu
oa oac oach oai oam oan oang oanh oao oap oat oay oăc oăm oăn oăng oăt oe oen oeng oeo oet
uâc uân uâng uât uây uê uêch uênh uêt uy uya uych uyên uyêt uynh uyp uyt uyu uyn
uăc uăm uăn uăng uăp uăt ue uen ueo uet ak ek uk`

// Initial consonants of Vietnamese (qu is q + a rhyme with medial u; gi is
// g + a rhyme starting with i, or gi + a rhyme).
const initialList = `b c ch d đ g gh gi h k kh l m n ng ngh nh p ph q r s t th tr v x`

var (
	rhymes       = map[string]bool{}
	initials     = map[string]bool{"": true}
	asciiRhymes  = map[string]bool{}
	asciiInitial = map[string]bool{"": true}
)

func init() {
	for _, r := range strings.Fields(rhymeList) {
		rhymes[r] = true
		asciiRhymes[Fold(r)] = true
	}
	for _, i := range strings.Fields(initialList) {
		initials[i] = true
		asciiInitial[Fold(i)] = true
	}
}

// stopFinal reports whether a rhyme ends in a stop (p, t, c, ch, k), which
// allows only the sắc and nặng tones.
func stopFinal(rhyme string) bool {
	if rhyme == "" {
		return false
	}
	switch rhyme[len(rhyme)-1] {
	case 'p', 't', 'c', 'k':
		return true
	case 'h':
		return strings.HasSuffix(rhyme, "ch")
	}
	return false
}

// ValidSyllable reports whether w (one word, any case, NFC) is a
// well-formed Vietnamese syllable: a known initial consonant, a known
// rhyme, at most one tone mark, on the vowel either tone-mark style
// chooses, and only sắc or nặng before a stop final (p, t, c, ch).
func ValidSyllable(w string) bool {
	var buf [64]byte
	var ls [24]letter
	n := 0
	tone, tonePos := byte(0), -1
	b := buf[:0]
	for _, r := range w {
		l, ok := lookup(r)
		if !ok || !l.vn || n == len(ls) {
			return false
		}
		if l.tone != toneNone {
			if tonePos >= 0 || !isVowelBase(l.base) {
				return false
			}
			tone, tonePos = l.tone, n
		}
		ls[n] = l
		n++
		c := compose(l.base, l.shape, toneNone, false)
		if c == 0 {
			return false
		}
		b = utf8.AppendRune(b, c)
	}
	if n == 0 {
		return false
	}
	s := string(b) // small; only on the validation path
	ok := false
	var rhyme string
	for cut := 0; cut <= len(s) && cut <= 4; cut++ {
		if !initials[s[:cut]] {
			continue
		}
		r := s[cut:]
		if cut > 0 && s[:cut] == "q" && !strings.HasPrefix(r, "u") {
			continue
		}
		if rhymes[r] || (s[:cut] == "gi" && r == "") {
			ok, rhyme = true, r
			break
		}
	}
	if !ok {
		return false
	}
	if tonePos >= 0 {
		if stopFinal(rhyme) && tone != toneAcute && tone != toneDot {
			return false
		}
		if p := tonePosition(ls[:n], false); p != tonePos && tonePosition(ls[:n], true) != tonePos {
			return false
		}
	}
	return true
}

// validASCIISyllable reports whether w (lower-case ASCII, diacritics
// folded) can be a Vietnamese syllable with its diacritics removed.
func validASCIISyllable(w []byte) bool {
	for cut := 0; cut <= len(w) && cut <= 3; cut++ {
		if !asciiInitial[string(w[:cut])] {
			continue
		}
		r := w[cut:]
		if cut == 1 && w[0] == 'q' && (len(r) == 0 || r[0] != 'u') {
			continue
		}
		if asciiRhymes[string(r)] || (cut == 2 && w[0] == 'g' && w[1] == 'i' && len(r) == 0) {
			return true
		}
	}
	return false
}
