package address

import (
	"strings"
	"time"
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
	return "", r, false
}
