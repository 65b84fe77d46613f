package address

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// communeTypeWords start a commune's name in an address, folded: "Xã",
// "Phường", "Thị trấn" and their abbreviations ("X.", "P.", "TT.").
var communeTypeWords = []string{"xa ", "phuong ", "thi tran ", "x.", "p.", "tt.", "tt "}

// UnknownCommune reports the commune an address names by its type word
// ("Xã Thạch Bằng, Huyện Lộc Hà, Tỉnh Hà Tĩnh") that is in none of the
// gazetteer's lists — the communes of 2021–2025 (their earlier names
// included) and those since the 2025 reform: Resolve leaves such a part
// as the street. It is most often a commune merged before February 2021,
// the earliest list the reference data holds (internal/refdata/data/
// SOURCES.md: admin_units_history_2021_2025.csv), which no list maps to
// its successor; else a misspelling. name is the part as written, r the
// address's result (the district and province it was read in, when the
// text gives them); ok is false for an address whose communes are all
// known or that names none by its type word.
func UnknownCommune(text string, asOf time.Time) (name string, r Result, ok bool) {
	r = Resolve(text, asOf)
	if r.Street == "" {
		return "", r, false
	}
	for _, part := range strings.FieldsFunc(r.Street, func(c rune) bool { return c == ',' || c == ';' }) {
		part = strings.TrimSpace(part)
		f := fold(part)
		for _, w := range communeTypeWords {
			rest, found := strings.CutPrefix(f, w)
			if !found || strings.TrimSpace(rest) == "" {
				continue
			}
			// A name, not a number: "Phường 3" unresolved is a ward of a
			// district the text does not give, not a lost commune.
			if strings.Trim(strings.TrimSpace(rest), "0123456789 ") == "" {
				continue
			}
			return part, r, true
		}
	}
	if part, ok := bareCommune(r); ok {
		return part, r, true
	}
	return "", r, false
}

// streetWords start a part of an address that is below the commune (a
// street, a hamlet, a group), folded: such a part is no commune's name.
var streetWords = []string{"so ", "duong ", "pho ", "ngo ", "ngach ", "hem ", "kiet ", "to ", "khu ", "khoi ", "thon ", "xom ", "ap ", "ban ",
	"lang ", "buon ", "doi ", "cum ", "tdp ", "kp ", "quoc lo ", "ql", "tinh lo ", "km", "tieu khu ", "cho ", "cong ty ", "truong ", "benh vien "}

// bareCommune reports the part of an address that names its commune
// without a type word ("Thạch Bằng, Lộc Hà": a clerk writes "Xã" no more
// than "Huyện") when no list holds it: the address was read down to a
// rural district (a Huyện or a Thị xã, whose communes are Xã) and no
// commune of it, and the part written just before the district, left as
// the street, reads as a name — two to four words, each capitalised, no
// digit, none of a street's or a hamlet's words. A city's district
// (Quận, Thành phố) is left out: there the part before it is a street
// ("Trần Phú, Quận Hà Đông"), and its communes are Phường, written with
// their type word or their number.
func bareCommune(r Result) (string, bool) {
	if r.District.IsZero() || !r.Commune.IsZero() || r.Street == "" {
		return "", false
	}
	if d := fold(r.District.Name); !strings.HasPrefix(d, "huyen ") && !strings.HasPrefix(d, "thi xa ") {
		return "", false
	}
	parts := strings.FieldsFunc(r.Street, func(c rune) bool { return c == ',' || c == ';' || c == '-' })
	if len(parts) == 0 {
		return "", false
	}
	part := strings.TrimSpace(parts[len(parts)-1])
	words := strings.Fields(part)
	if len(words) < 2 || len(words) > 4 || strings.ContainsAny(part, "0123456789/.") {
		return "", false
	}
	for _, w := range words {
		if c, _ := utf8.DecodeRuneInString(w); !unicode.IsUpper(c) {
			return "", false
		}
	}
	f := fold(part) + " "
	for _, w := range streetWords {
		if strings.HasPrefix(f, w) {
			return "", false
		}
	}
	return part, true
}
