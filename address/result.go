package address

import (
	"strings"
	"time"
)

// ReformDate is the day the 2025 reform of administrative units took
// effect: addresses describing this day or later are written in the new
// units (34 provinces, communes, no district).
var ReformDate = time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)

// Unit is an administrative unit: its official code and its official
// name with the type word ("Phường Trúc Bạch", "Quận Ba Đình", "Thành phố
// Hà Nội"). The zero Unit means "not known".
type Unit struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// IsZero reports whether u is unknown.
func (u Unit) IsZero() bool { return u.Code == "" }

// Candidate is one complete reading of an ambiguous address, in both eras.
type Candidate struct {
	Province    Unit `json:"province"`
	District    Unit `json:"district"`
	Commune     Unit `json:"commune"`
	NewProvince Unit `json:"new_province"`
	NewCommune  Unit `json:"new_commune"`
}

// Result is what Resolve found in an address. The pre-reform units
// (Province, District, Commune) and the units since 1 July 2025
// (NewProvince, NewCommune) are both given when the text decides them. A
// field the text does not decide is left zero and Candidates lists the
// readings that remain: an old commune split between several new ones, a
// new commune made of several old ones, namesake communes in one province.
// Candidates is empty when the result is unique. Candidates and OldNames
// may be shared with other results of the same text (Resolve remembers
// recent results): read them, do not change them.
//
// The JSON form is the output of `dancu normalize address`; its field
// names are a public interface.
type Result struct {
	Input       string `json:"input"`
	Province    Unit   `json:"province"`
	District    Unit   `json:"district"`
	Commune     Unit   `json:"commune"`
	NewProvince Unit   `json:"new_province"`
	NewCommune  Unit   `json:"new_commune"`
	// Street is the house number and street ("Số 12 ngõ 34 Hoàng Hoa
	// Thám") as written.
	Street string `json:"street"`
	// Hamlet is the unit below the commune (thôn, xóm, ấp, bản, tổ, khu
	// phố …) as written.
	Hamlet string `json:"hamlet"`
	// Confidence is in [0, 1]: 0 when nothing was recognised, lower for
	// missing levels, typos, and ambiguity.
	Confidence float64     `json:"confidence"`
	Candidates []Candidate `json:"candidates"`
	// OldNames are the units the text names by a name they had before
	// being renamed or merged ("Huyện Tĩnh Gia" for Thị xã Nghi Sơn,
	// "Quận 9" for Thành phố Thủ Đức), as written: the units above are
	// their successors.
	OldNames []string `json:"old_names,omitempty"`
	// ids are the gazetteer's ids + 1 of Province … NewCommune (0: none),
	// what the cache of recent results keeps of them.
	ids [5]int32
}

// Codes are the codes of the units an address names, as Resolve's
// Result gives them (Province.Code … NewCommune.Code; "" when not
// decided).
type Codes struct {
	Province, District, Commune, NewProvince, NewCommune string
}

// Normalized writes the result back as an address in official form:
// street, hamlet, then the units with their type words, smallest first —
// in the pre-reform units when the old commune is known (or no new
// commune is), otherwise in the new ones.
//
// Only a confident result (a commune found, no Candidates, Confidence at
// least 0.7) is rewritten: an address in which no unit was recognised
// normalises to "", any other to its input as written, since which
// reading it means is not known well enough to rewrite it — rewriting it
// would drop the words that made it doubtful and make a guess look sure.
func (r Result) Normalized() string {
	if r.Province.IsZero() && r.District.IsZero() && r.Commune.IsZero() && r.NewProvince.IsZero() && r.NewCommune.IsZero() {
		return ""
	}
	if len(r.Candidates) > 0 || r.Confidence < 0.7 {
		return strings.TrimSpace(strings.ToValidUTF8(r.Input, "\uFFFD"))
	}
	parts := make([]string, 0, 5)
	if r.Street != "" {
		parts = append(parts, r.Street)
	}
	if r.Hamlet != "" {
		parts = append(parts, r.Hamlet)
	}
	if !r.Commune.IsZero() || r.NewCommune.IsZero() && (!r.District.IsZero() || !r.Province.IsZero()) {
		for _, u := range []Unit{r.Commune, r.District, r.Province} {
			if !u.IsZero() {
				parts = append(parts, u.Name)
			}
		}
	} else {
		for _, u := range []Unit{r.NewCommune, r.NewProvince} {
			if !u.IsZero() {
				parts = append(parts, u.Name)
			}
		}
	}
	return strings.Join(parts, ", ")
}
