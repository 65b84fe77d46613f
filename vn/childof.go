package vn

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Parent says which parent a ChildOf cell names.
type Parent byte

// The parents a ChildOf cell may name.
const (
	ParentUnknown Parent = iota // "Con của Trần Văn Nam": the cell does not say
	Mother                      // "Con bà …", "Con chị …", "Con cô …", "Con mẹ …", "CB …"
	Father                      // "Con ông …", "Con anh …", "Con bố …", "Con cha …"
)

// childParentWords are the words after "Con" (and an optional "của") that
// say whose child is meant, folded (Fold), and the parent each names.
var childParentWords = map[string]Parent{
	"ba": Mother, "chi": Mother, "co": Mother, "me": Mother,
	"ong": Father, "anh": Father, "bo": Father, "cha": Father,
}

// ChildOf reports a name cell that names a child by a parent, as a
// hospital's or a commune's register of births writes a newborn not yet
// named: "Con bà Nguyễn Thị Lan", "Con chị Lan", "CON BA NGUYEN THI LAN",
// "Con ông Trần Văn Nam", "Con của Nguyễn Thị Lan", "Con trai bà …", "CB
// Nguyễn Thị Lan" (con bà). It returns the parent's name as written and
// which parent it is (from the word before the name; after "Con của"
// alone, from the name's middle name Thị or Văn, else ParentUnknown).
//
// Such a cell holds no name of the child's own: the register reads it as
// a child with no given name yet, whose parent's name is a value of its
// own (the matcher compares it as the mother's or the father's name, not
// as the child's). "Con: Lê Văn An" or "Con Lê Văn An" — the relation word
// of a household book before the person's own name — is not one: the word
// after Con is a name there, not a parent's title. "CB" counts only before
// a name of two words or more that starts with a family name's capital.
func ChildOf(cell string) (parent string, who Parent, ok bool) {
	// Every such cell starts with C or c (Con, CB): most names are
	// answered here, without a word split.
	// (the first byte looked at before strings.TrimLeft, which builds its
	// set of the two bytes at each of the three calls a record makes)
	if cell == "" || cell[0] != ' ' && cell[0] != '\t' && cell[0]|0x20 != 'c' {
		return "", 0, false
	}
	if t := strings.TrimLeft(cell, " \t"); t == "" || t[0]|0x20 != 'c' {
		return "", 0, false
	}
	words := strings.Fields(cell)
	if len(words) < 2 {
		return "", 0, false
	}
	rest := 0 // index of the first word of the parent's name
	switch w := Fold(strings.TrimRight(words[0], ":.")); w {
	case "cb", "c.b", "c/b":
		rest = 1
		who = Mother
	case "con":
		i := 1
		if i < len(words) && (Fold(words[i]) == "trai" || Fold(words[i]) == "gai") {
			i++ // "Con trai bà …", "Con gái ông …"
		}
		of := false
		if i < len(words) && Fold(strings.TrimRight(words[i], ":")) == "cua" {
			i++ // "Con của bà …", "Con của Nguyễn Thị Lan"
			of = true
		}
		if i >= len(words) {
			return "", 0, false
		}
		p, titled := childParentWords[Fold(strings.TrimRight(words[i], ":."))]
		switch {
		case titled && i+1 < len(words):
			// "Con bà Lan" names her by her given name alone: one word is
			// enough after a title.
			rest, who = i+1, p
		case of:
			rest, who = i, ParentUnknown
		default:
			return "", 0, false // "Con Lê Văn An": a relation word and a name
		}
	default:
		return "", 0, false
	}
	name := strings.TrimLeft(strings.Join(words[rest:], " "), ":-– ")
	if name == "" || !hasLetterRune(name) {
		return "", 0, false
	}
	if rest == 1 && Fold(words[0]) != "con" {
		// CB: only before a full name (two words or more, capitalised).
		if len(words) < 3 || !startsUpper(words[1]) {
			return "", 0, false
		}
	}
	if who == ParentUnknown {
		switch ParseName(name).SexHint() {
		case "F":
			who = Mother
		case "M":
			who = Father
		}
	}
	return name, who, true
}

func hasLetterRune(s string) bool {
	return strings.IndexFunc(s, unicode.IsLetter) >= 0
}

func startsUpper(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r)
}
