package synth

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// reformDate is the day the 2025 administrative reform took effect.
var reformDate = time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)

// place is a resolved address: a pre-reform commune, the new commune it
// now belongs to, and the part below the commune (house number, village).
type place struct {
	c      *commune
	newIdx int    // index into c.New
	detail string // "Số 12, Thôn 3"; "" when only the commune is known
}

func (p place) newUnit() newUnit { return p.c.New[p.newIdx] }

// LabelledAddress is a noisy address string with the units it truly names,
// for testing address normalisation.
type LabelledAddress struct {
	Text string
	// AsOf is the date the address describes (YYYY-MM-DD). On or after
	// 2025-07-01 the text is written in the new units (no district).
	AsOf string
	// Old-era units (always filled: they are the truth of the place).
	ProvinceCode, DistrictCode, CommuneCode string
	// New-era units.
	NewProvinceCode, NewCommuneCode string
}

// AddressSample returns n noisy address strings with their true units,
// made by the same renderer and noise the generator uses; about half are
// dated before the 2025 reform and half after. Deterministic for a seed.
// It returns nil only if the embedded reference tables are unreadable.
func AddressSample(seed int64, n int) []LabelledAddress {
	t, err := loadTables()
	if err != nil {
		return nil
	}
	r := rand.New(rand.NewPCG(uint64(seed), 0xadd7e55))
	nr := defaultRates().scale(1)
	out := make([]LabelledAddress, 0, n)
	for i := 0; i < n; i++ {
		p := t.randomPlace(r, "")
		p.detail = randomDetail(r, p.c)
		asOf := time.Date(2019+r.IntN(4), time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC)
		if r.IntN(2) == 0 {
			asOf = time.Date(2025, time.Month(7+r.IntN(6)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC)
		}
		post := !asOf.Before(reformDate)
		text := t.noisyAddress(p, post, r, &nr)
		nu := p.newUnit()
		out = append(out, LabelledAddress{
			Text: text, AsOf: asOf.Format("2006-01-02"),
			ProvinceCode: p.c.ProvinceCode, DistrictCode: p.c.DistrictCode, CommuneCode: p.c.Code,
			NewProvinceCode: nu.ProvinceCode, NewCommuneCode: nu.CommuneCode,
		})
	}
	return out
}

// randomPlace picks a commune: in province pc when given, else a province
// weighted by population, then a commune uniformly within it.
func (t *tables) randomPlace(r *rand.Rand, pc string) place {
	if pc == "" {
		pc = t.provinces[t.provinceW.pick(r)]
	}
	idx := t.byProvince[pc]
	c := &t.communes[idx[r.IntN(len(idx))]]
	return place{c: c, newIdx: r.IntN(len(c.New))}
}

var villageNames = []string{"Đông", "Tây", "Nam", "Bắc", "Trung", "Thượng", "Hạ", "Đoài", "Tân Lập", "Hòa Bình", "Phú Mỹ", "An Lạc", "Thống Nhất", "Quyết Tiến", "Đồng Tâm", "Thành Công"}

// randomDetail makes the part of an address below the commune.
func randomDetail(r *rand.Rand, c *commune) string {
	south := c.ProvinceCode >= "70"
	highland := c.ProvinceCode >= "62" && c.ProvinceCode <= "68"
	mountain := c.ProvinceCode >= "02" && c.ProvinceCode <= "20"
	var unit string
	if c.Type == "Phường" || c.Type == "Thị trấn" {
		switch r.IntN(3) {
		case 0:
			unit = "Tổ dân phố " + strconv.Itoa(1+r.IntN(20))
		case 1:
			unit = "Khu phố " + strconv.Itoa(1+r.IntN(12))
		default:
			unit = "Tổ " + strconv.Itoa(1+r.IntN(30))
		}
		if r.IntN(2) == 0 {
			return "Số " + strconv.Itoa(1+r.IntN(300)) + ", " + unit
		}
		return unit
	}
	kind := "Thôn"
	switch {
	case south:
		kind = "Ấp"
	case highland && r.IntN(3) == 0:
		kind = "Buôn"
	case mountain && r.IntN(2) == 0:
		kind = "Bản"
	case r.IntN(5) == 0:
		kind = "Xóm"
	}
	if r.IntN(2) == 0 {
		unit = kind + " " + strconv.Itoa(1+r.IntN(15))
	} else {
		unit = kind + " " + villageNames[r.IntN(len(villageNames))]
	}
	if r.IntN(4) == 0 {
		return "Số " + strconv.Itoa(1+r.IntN(200)) + ", " + unit
	}
	return unit
}

// addrPart is one administrative level of an address: its type word
// ("Phường", "Huyện", "Tỉnh", …) and its proper name.
type addrPart struct{ typ, name string }

func splitType(full, typ string) addrPart {
	if typ != "" && strings.HasPrefix(full, typ+" ") {
		return addrPart{typ, full[len(typ)+1:]}
	}
	return addrPart{"", full}
}

// parts returns the levels of p in the era asked for, smallest first.
func (p place) parts(post bool) []addrPart {
	if post {
		return p.c.New[p.newIdx].parts
	}
	return p.c.parts
}

func splitNewCommune(n string) addrPart {
	for _, t := range []string{"Phường", "Xã", "Đặc khu"} {
		if strings.HasPrefix(n, t+" ") {
			return addrPart{t, n[len(t)+1:]}
		}
	}
	return addrPart{"", n}
}

func splitProvince(n string) addrPart {
	for _, t := range []string{"Thành phố", "Tỉnh"} {
		if strings.HasPrefix(n, t+" ") {
			return addrPart{t, n[len(t)+1:]}
		}
	}
	return addrPart{"", n}
}

// renderAddress writes p cleanly in the era asked for.
func renderAddress(p place, post bool) string {
	var b strings.Builder
	b.Grow(96)
	if p.detail != "" {
		b.WriteString(p.detail)
	}
	for _, a := range p.parts(post) {
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		if a.typ != "" {
			b.WriteString(a.typ)
			b.WriteByte(' ')
		}
		b.WriteString(a.name)
	}
	return b.String()
}

var typeAbbrev = map[string][]string{
	"Thành phố": {"TP.", "TP ", "Tp.", "T.P "},
	"Tỉnh":      {"T.", "", "Tỉnh "},
	"Quận":      {"Q.", "Q ", "Q."},
	"Huyện":     {"H.", "H. ", "huyện "},
	"Thị xã":    {"TX.", "TX ", "Tx."},
	"Phường":    {"P.", "P ", "F."},
	"Xã":        {"X.", "X ", "xã "},
	"Thị trấn":  {"TT.", "TT ", "Tt."},
	"Đặc khu":   {"Đặc khu "},
}

var detailAbbrev = strings.NewReplacer("Tổ dân phố ", "TDP ", "Khu phố ", "KP ", "Số ", "SN ", "Thôn ", "Th. ")

// noisyAddress writes p in the era asked for with the noise of n:
// abbreviated unit types (TP., Q.3, P.1, H., X., TX., TT.), missing
// levels, lost diacritics, the other tone-mark style, upper case.
func (t *tables) noisyAddress(p place, post bool, r *rand.Rand, n *rates) string {
	if n.zero {
		return renderAddress(p, post)
	}
	parts := p.parts(post)
	detail := p.detail
	if detail != "" && r.Float64() < n.addrDropDetail {
		detail = ""
	}
	if detail != "" && r.Float64() < n.addrAbbrev/2 {
		detail = detailAbbrev.Replace(detail)
	}
	drop := -1
	if r.Float64() < n.addrDropLevel && len(parts) > 1 {
		drop = 1 + r.IntN(len(parts)-1) // never the commune
	}
	abbrev := r.Float64() < n.addrAbbrev
	var b strings.Builder
	b.Grow(96)
	b.WriteString(detail)
	sep := ", "
	if r.Float64() < n.addrAbbrev/4 {
		sep = " - "
	}
	for i, a := range parts {
		if i == drop {
			continue
		}
		if b.Len() > 0 {
			b.WriteString(sep)
		}
		typ := a.typ
		if typ != "" {
			typ += " "
		}
		if abbrev {
			if alts, ok := typeAbbrev[a.typ]; ok {
				typ = alts[r.IntN(len(alts))]
				if _, err := strconv.Atoi(a.name); err == nil && (a.typ == "Quận" || a.typ == "Phường") {
					typ = strings.TrimSpace(typ) // Q.3, P.1, F.12
				}
			}
		}
		b.WriteString(typ)
		b.WriteString(a.name)
	}
	s := b.String()
	if r.Float64() < n.toneFlip {
		s = toneStyle(s, t.tonePairs, r.IntN(2) == 0)
	}
	if r.Float64() < n.addrNoDiacritics {
		s = stripDiacritics(s)
	}
	if r.Float64() < n.upper/2 {
		s = strings.ToUpper(s)
	}
	return s
}
