package vn

import (
	"strings"
	"sync"

	"github.com/dancu-vn/dancu/internal/refdata"
)

// SureFamily returns a key of n's family name — folded (Fold), in one
// spelling for the pairs the South wrote otherwise (Huỳnh for Hoàng, Võ
// for Vũ: the names of Nguyễn lords avoided), written by its sound
// (familySound) — when the name says its family beyond doubt; else "". A Vietnamese family name is kept for life — a wife keeps
// hers, a child takes the father's (or, less often, the mother's) at birth
// —, so two records whose names carry two different family names of
// names/surnames.csv are two persons, whatever else they share (a village's
// favourite given name, the birth year), unless a slip made one name into
// another: callers compare them allowing one edit (Lê/Lý, Hà/Hồ).
//
// The family is sure when the name has a given name, its first word is a
// family name of the list, and its last word is none: a name whose last
// word is a family name too ("Trần Văn Hoàng", "Sa Rết Thạch") may be
// written given name first, its family at the end, so it says nothing
// here. A scanner's garbled family ("Ncuyễh") is no family of the list and
// says nothing either.
func SureFamily(n Name) string {
	if n.Family == "" || n.Given == "" {
		return ""
	}
	// The family's and the last word's folds, cut from n.Key (Fold of
	// n.Normalized, word for word) where its words line up with the
	// name's, so that no string is made for them.
	f, g := "", ""
	if strings.Count(n.Key, " ") == strings.Count(n.Normalized, " ") && strings.HasPrefix(n.Normalized, n.Family) {
		f = n.Key[:min(len(n.Key), wordsEnd(n.Key, strings.Count(n.Family, " ")+1))]
		g = n.Key[strings.LastIndexByte(n.Key, ' ')+1:]
	} else {
		f = Fold(n.Family)
		g = Fold(n.Given)
		g = g[strings.LastIndexByte(g, ' ')+1:]
	}
	sound, ok := familySounds()[f]
	if !ok {
		return ""
	}
	if familyKeys()[g] != 0 {
		// In a name written with its marks, the last word is a family
		// name only if the list writes it so (Lân is one, Lan is not);
		// without marks it may be any of its writings.
		last := n.Given[strings.LastIndexByte(n.Given, ' ')+1:]
		if !hasMarks(n.Normalized) || surnamesMarked()[last] {
			return ""
		}
	}
	return sound
}

// hasMarks reports whether s has a letter outside ASCII (a mark, đ).
func hasMarks(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return true
		}
	}
	return false
}

var (
	familySoundsOnce sync.Once
	familySoundsMap  map[string]string
)

// familySounds maps each folded family name of names/surnames.csv to the
// key SureFamily returns for it (southernFamilies, then familySound),
// made once: a record's family is looked up, not spelt again.
func familySounds() map[string]string {
	familySoundsOnce.Do(func() {
		familySoundsMap = map[string]string{}
		for f := range familyKeys() {
			k := f
			if s, ok := southernFamilies[k]; ok {
				k = s
			}
			familySoundsMap[f] = familySound(k)
		}
	})
	return familySoundsMap
}

// wordsEnd is the byte offset in s where its first k space-separated
// words end.
func wordsEnd(s string, k int) int {
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' {
			if k--; k == 0 {
				return i
			}
		}
	}
	return len(s)
}

// southernFamilies maps the southern spelling of a family name to the
// northern one: under the Nguyễn lords the South avoided the names Hoàng
// (Nguyễn Hoàng) and Vũ (Võ Vương), writing Huỳnh and Võ, and registers
// hold one person under both.
var southernFamilies = map[string]string{"huynh": "hoang", "vo": "vu"}

var (
	surnamesMarkedOnce sync.Once
	surnamesMarkedSet  map[string]bool
)

// surnamesMarked holds the family names of names/surnames.csv as
// ParseName writes a word (title case, marks in one placement), so that
// the last word of a parsed name is looked up as it is.
func surnamesMarked() map[string]bool {
	surnamesMarkedOnce.Do(func() {
		surnamesMarkedSet = map[string]bool{}
		t, err := refdata.Load("names/surnames.csv")
		if err != nil {
			return
		}
		for _, r := range t.Rows {
			if n := ParseName(r[0]); n.Normalized != "" && !strings.Contains(n.Normalized, " ") {
				surnamesMarkedSet[n.Normalized] = true
			}
		}
	})
	return surnamesMarkedSet
}

// familySound writes a folded family name by its sound, its initial
// consonant in one spelling for the initials the dialects merge, so that a
// name a clerk wrote by ear is one family: d, gi and r are one sound in
// the North (Giàng, Dàng), s and x, ch and tr one there too, c, k and q
// one sound spelt by the vowel after it, and qu and ho before a vowel one
// glide in the South (Quàng, as the Thái write Hoàng). Source: the
// dialects' initials in en.wikipedia, "Vietnamese phonology" (Northern
// d, gi, r → /z/, s and x, ch and tr merged; Southern qu-, hoa- → /w/).
// The spellings keep the name's length where they can (tr for ch, hu for
// qu and ho), so that a slip of one letter stays one edit from the name
// (Tần for Trần).
func familySound(f string) string {
	switch {
	case strings.HasPrefix(f, "gi") && len(f) > 2 && isVowelByte(f[2]):
		return "d" + f[2:]
	case strings.HasPrefix(f, "r"):
		return "d" + f[1:]
	case strings.HasPrefix(f, "x"):
		return "s" + f[1:]
	case strings.HasPrefix(f, "ch"):
		return "tr" + f[2:]
	case strings.HasPrefix(f, "k"):
		return "c" + f[1:]
	case strings.HasPrefix(f, "qu") && len(f) > 2 && isVowelByte(f[2]):
		return "hu" + f[2:]
	case strings.HasPrefix(f, "ho") && len(f) > 2 && isVowelByte(f[2]):
		return "hu" + f[2:]
	}
	return f
}

// isVowelByte reports whether c is a vowel of folded text.
func isVowelByte(c byte) bool {
	return strings.IndexByte("aeiouy", c) >= 0
}
