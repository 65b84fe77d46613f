package ingest

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dancu-vn/dancu/internal/refdata"
	"github.com/dancu-vn/dancu/vn"
)

// relationWords are the relations to the household head a household book
// keyed again writes in the name's cell ("CH Nguyễn Văn Thành", "Chủ hộ:
// …", "Vợ: …", "… - CH"), as canonKey writes them. Those that are also a
// family name or a given name (Ông, Anh, Em, Châu) are read only before a
// colon or after a dash (relationAmbiguous).
var relationWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range []string{"ch", "chủ hộ", "vợ", "chồng", "con", "con trai", "con gái", "con dâu", "con rể",
		"con nuôi", "mẹ", "bố", "cha", "cháu", "cháu nội", "cháu ngoại", "bà", "cụ", "chị", "em", "anh", "ông",
		"ông nội", "bà nội", "ông ngoại", "bà ngoại", "anh trai", "em trai", "em gái", "chị gái", "mẹ vợ", "bố vợ",
		"mẹ chồng", "bố chồng", "cha dượng", "mẹ kế", "ở nhờ", "người ở nhờ"} {
		m[canonKey(w)] = true
	}
	return m
}()

// relationAmbiguous are the relation words that are names as well (a
// family name: Ông, Bà; a given name: Anh, Em; "ch" without marks is
// Châu's and Chu's initials too): read before a colon or after a dash
// only, never as the first word of a name.
var relationAmbiguous = map[string]bool{"ông": true, "anh": true, "em": true, "ông nội": true, "ông ngoại": true}

// rankWords are the military and police ranks a roll writes before the
// name ("Hạ sĩ Nguyễn Văn An", "Thượng úy …"), as canonKey writes them.
var rankWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range []string{"binh nhì", "binh nhất", "hạ sĩ", "trung sĩ", "thượng sĩ",
		"chuẩn úy", "thiếu úy", "trung úy", "thượng úy", "đại úy",
		"thiếu tá", "trung tá", "thượng tá", "đại tá", "thiếu tướng", "trung tướng", "thượng tướng", "đại tướng"} {
		m[canonKey(w)] = true
	}
	return m
}()

// foldedOf maps the folded key (vn.Fold) of each word set above to true,
// for a cell written without marks ("CHU HO: NGUYEN VAN AN", "THUONG UY
// LE VAN BINH").
func foldedOf(m map[string]bool) map[string]bool {
	f := map[string]bool{}
	for k := range m {
		f[vn.Fold(k)] = true
	}
	return f
}

var relationFolded, rankFolded = foldedOf(relationWords), foldedOf(rankWords)

// relationKey is the key a word (or two) of a name's cell is looked up by
// in the sets above: with its marks when the cell has any, else folded
// (then looked up in the folded sets).
func relationKey(s string, marked bool) string {
	s = strings.Trim(s, ".:;,-–— ")
	if marked {
		return canonKey(s)
	}
	return vn.Fold(s)
}

func isRelation(key string, marked bool) bool {
	if marked {
		return relationWords[key]
	}
	return relationFolded[key]
}

func isRank(key string, marked bool) bool {
	if marked {
		return rankWords[key]
	}
	return rankFolded[key]
}

// surnamesFolded are the family names without marks (NGUYEN, TRAN), for a
// cell written without them.
var surnamesFolded = func() map[string]bool {
	m := map[string]bool{}
	if t, err := refdata.Load("names/surnames.csv"); err == nil {
		for _, r := range t.Rows {
			m[vn.Fold(r[0])] = true
		}
	}
	return m
}()

// startsName reports whether words (two or more) read as a full name: the
// first is a family name (with or without its marks, as the cell is).
func startsName(words []string, marked bool) bool {
	if len(words) < 2 {
		return false
	}
	if marked {
		return isSurname(words[0])
	}
	return surnamesFolded[vn.Fold(words[0])]
}

// nameRelation returns full without a relation to the household head or a
// rank written in the name's cell, and the words left out: before a colon
// ("Chủ hộ: Nguyễn Văn Thành", "Vợ: …"), after a dash or a comma at the
// end ("Nguyễn Văn Thành - CH", "…, vợ"), or before a name of two words or
// more starting with a family name ("CH Nguyễn Văn Thành", "Con Lê Văn
// An", "Hạ sĩ Nguyễn Văn An", "THUONG UY LE VAN BINH"). A word that is
// also a name (Ông, Anh, Em) is left out only before a colon or after a
// dash. rank says the words are a rank, not a relation.
func nameRelation(full string) (rest, words string, rank, ok bool) {
	marked := hasDiacritics(full)
	// Before a colon, within the first three words.
	if i := strings.IndexByte(full, ':'); i > 0 {
		head := full[:i]
		if strings.Count(strings.TrimSpace(head), " ") < 3 {
			k := relationKey(head, marked)
			after := strings.TrimSpace(full[i+1:])
			if (isRelation(k, marked) || isRank(k, marked)) && len(strings.Fields(after)) >= 2 {
				return after, strings.TrimSpace(head), isRank(k, marked), true
			}
		}
	}
	// After a dash or a comma, at the end.
	for _, sep := range separators(full) {
		if i := strings.LastIndex(full, sep); i > 0 {
			head, tail := strings.TrimSpace(full[:i]), strings.TrimSpace(full[i+len(sep):])
			if k := relationKey(tail, marked); tail != "" && isRelation(k, marked) && len(strings.Fields(head)) >= 2 {
				return head, tail, false, true
			}
		}
	}
	// Before a name: one or two words; nearly every name is answered by
	// its first word, without a split or a key.
	first, _, _ := strings.Cut(strings.TrimSpace(full), " ")
	if !mayRelation(first) {
		return full, "", false, false
	}
	fields := strings.Fields(full)
	for n := 2; n >= 1; n-- {
		if len(fields) < n+2 {
			continue
		}
		k := relationKey(strings.Join(fields[:n], " "), marked)
		rel, rk := isRelation(k, marked) && !relationAmbiguous[k], isRank(k, marked)
		if !marked && rel && !relationSafeFolded[k] {
			rel = false // VO, CHAU, BA without marks are Võ, Châu, Bá as well
		}
		if (rel || rk) && startsName(fields[n:], marked) {
			return strings.Join(fields[n:], " "), strings.Join(fields[:n], " "), rk, true
		}
	}
	return full, "", false, false
}

// relationSafeFolded are the folded relation words before a name that no
// family name folds to: in a cell without marks, only these are left out
// before a name without a colon.
var relationSafeFolded = map[string]bool{"ch": true, "chu ho": true, "con": true, "con trai": true, "con gai": true,
	"con dau": true, "con re": true, "chong": true, "me": true, "bo": true}

// relationFirstWords holds the first words of relationWords and
// rankWords, with and without their marks, each as written in lower case,
// in title case and in upper case: the cases a list writes.
var relationFirstWords = func() map[string]bool {
	out := map[string]bool{}
	for _, m := range []map[string]bool{relationWords, rankWords, relationFolded, rankFolded} {
		for k := range m {
			w, _, _ := strings.Cut(k, " ")
			r, n := utf8.DecodeRuneInString(w)
			out[w], out[strings.ToUpper(w)], out[string(unicode.ToUpper(r))+w[n:]] = true, true, true
		}
	}
	return out
}()

// mayRelation reports whether a name's first word can start a relation
// or a rank (relationFirstWords): false for nearly every name, with one
// map lookup and no allocation.
func mayRelation(first string) bool {
	return relationFirstWords[trimRelationMarks(first)]
}

// trimRelationMarks is strings.Trim(w, ".:;,-–— "), which decodes the
// word's first and last runes to look them up in a set outside ASCII; a
// word that starts with none of the set's first bytes and ends with none
// of their last (a letter: nearly every name's first word) is returned as
// it is.
func trimRelationMarks(w string) string {
	if w != "" && !relationMarkStart(w[0]) && !relationMarkEnd(w[len(w)-1]) {
		return w
	}
	return strings.Trim(w, ".:;,-–— ")
}

func relationMarkStart(c byte) bool {
	return c == '.' || c == ':' || c == ';' || c == ',' || c == '-' || c == ' ' || c == 0xE2 // – and — start with E2
}

func relationMarkEnd(c byte) bool {
	return c == '.' || c == ':' || c == ';' || c == ',' || c == '-' || c == ' ' || c == 0x93 || c == 0x94 // – and — end with 93, 94
}

// tailSeparators are what a clerk writes between a name and the relation
// after it.
var tailSeparators = []string{" - ", " – ", " — ", ", ", "- ", " -"}

// separators returns tailSeparators when full holds a dash (-, – or —)
// or a comma, else none (nearly every name). It reads the bytes:
// strings.ContainsAny with a set outside ASCII looked each of the name's
// runes up in the set, ~1,400 instructions a row (read27's callgrind).
// A – (U+2013) is E2 80 93 and a — (U+2014) E2 80 94 in UTF-8, and no
// other rune's encoding holds either sequence, valid or not: E2 starts a
// rune, and a byte that is no valid rune's start or end is read alone.
func separators(full string) []string {
	for i := 0; i < len(full); i++ {
		switch full[i] {
		case '-', ',':
			return tailSeparators
		case 0xE2:
			if i+2 < len(full) && full[i+1] == 0x80 && (full[i+2] == 0x93 || full[i+2] == 0x94) {
				return tailSeparators
			}
		}
	}
	return nil
}
