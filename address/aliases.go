package address

import "fmt"

// oldName is a name a district or province went by since 2008 that the
// reference tables do not have (they begin in 2021), and the unit of the
// last pre-reform list that took its place. People keep writing the old
// name for years; it is read as an alias of the successor, so that the
// address resolves to the successor (and through it to today's units)
// while the text keeps the old name as written.
type oldName struct {
	province  string // GSO code of the (pre-reform) province
	name      string // the old proper name, without its type word
	successor string // official name of the successor in the 2025-03 list
	note      string // what happened, from public knowledge
}

// oldNames lists the renamings and mergers written down from public
// knowledge (the resolutions of the National Assembly Standing Committee
// as reported in the press and on Wikipedia), not from the reference
// tables: see address/README.md for what is and is not covered.
var oldNames = []oldName{
	{"38", "Tĩnh Gia", "Thị xã Nghi Sơn", "Huyện Tĩnh Gia became Thị xã Nghi Sơn (NQ 948/NQ-UBTVQH14, 2020)"},
	{"79", "9", "Thành phố Thủ Đức", "Quận 2, Quận 9 and Quận Thủ Đức merged into Thành phố Thủ Đức (NQ 1111/NQ-UBTVQH14, 2021)"},
	{"79", "2", "Thành phố Thủ Đức", "see Quận 9"},
	{"22", "Yên Hưng", "Thị xã Quảng Yên", "Huyện Yên Hưng became Thị xã Quảng Yên (NQ 100/NQ-CP, 2011)"},
	{"22", "Hoành Bồ", "Thành phố Hạ Long", "Huyện Hoành Bồ merged into Thành phố Hạ Long (NQ 837/NQ-UBTVQH14, 2019)"},
	{"77", "Tân Thành", "Thành phố Phú Mỹ", "Huyện Tân Thành became Thị xã Phú Mỹ (NQ 464/NQ-UBTVQH14, 2018), a city since 2025"},
	{"17", "Kỳ Sơn", "Thành phố Hòa Bình", "Huyện Kỳ Sơn (Hòa Bình) merged into Thành phố Hòa Bình (NQ 830/NQ-UBTVQH14, 2019)"},
	{"04", "Thông Nông", "Huyện Hà Quảng", "Huyện Thông Nông merged into Huyện Hà Quảng (NQ 897/NQ-UBTVQH14, 2020)"},
	{"04", "Trà Lĩnh", "Huyện Trùng Khánh", "Huyện Trà Lĩnh merged into Huyện Trùng Khánh (NQ 897/NQ-UBTVQH14, 2020)"},
	{"04", "Quảng Uyên", "Huyện Quảng Hòa", "Huyện Quảng Uyên and Huyện Phục Hòa merged into Huyện Quảng Hòa (NQ 897/NQ-UBTVQH14, 2020)"},
	{"04", "Phục Hòa", "Huyện Quảng Hòa", "see Quảng Uyên"},
	{"01", "Từ Liêm", "Quận Bắc Từ Liêm", "Huyện Từ Liêm split into Quận Bắc Từ Liêm and Quận Nam Từ Liêm (NQ 132/NQ-CP, 2013): both are readings"},
	{"01", "Từ Liêm", "Quận Nam Từ Liêm", "see above"},
}

// oldProvinceNames are provinces merged away since 2008.
var oldProvinceNames = []oldName{
	{"01", "Hà Tây", "Thành phố Hà Nội", "Tỉnh Hà Tây merged into Hà Nội (NQ 15/2008/QH12, 1 August 2008)"},
}

// oldWard is a ward merged away before the tables begin (2021), named
// in its district, and the ward of the last pre-reform list that took it
// in. Only mergers whose result the tables confirm are listed (the old
// names are gone from every list since 2021-02, the successor is there).
type oldWard struct {
	district  string // GSO code of the district (in the 2025-03 list)
	name      string // the old proper name, without its type word
	successor string // official name of the successor in the 2025-03 list
	note      string
}

var oldWards = []oldWard{
	{"770", "6", "Phường Võ Thị Sáu", "Phường 6, 7 and 8 of Quận 3 merged into Phường Võ Thị Sáu (NQ 1111/NQ-UBTVQH14, 2020)"},
	{"770", "7", "Phường Võ Thị Sáu", "see Phường 6"},
	{"770", "8", "Phường Võ Thị Sáu", "see Phường 6"},
	{"769", "Bình An", "Phường An Khánh", "Phường An Khánh, Bình An and Bình Khánh of Quận 2 merged into Phường An Khánh (NQ 1111/NQ-UBTVQH14, 2020)"},
	{"769", "Bình Khánh", "Phường An Khánh", "see Bình An"},
}

// aliasQ is the weight of an old name: a little under an official one,
// so that a unit that still has the name wins where both fit.
const aliasQ = 0.97

// addOldNames indexes the old names as aliases of their successors.
func (g *gazetteer) addOldNames() error {
	for _, o := range oldNames {
		p, ok := g.byCode[kProvince][o.province]
		if !ok {
			return fmt.Errorf("build gazetteer: old name %q: unknown province %s", o.name, o.province)
		}
		found := false
		for _, d := range g.children[p] {
			if u := &g.units[d]; u.kind == kDistrict && u.final && u.name == o.successor {
				g.addKey(o.name, d, aliasQ)
				found = true
			}
		}
		if !found {
			return fmt.Errorf("build gazetteer: old name %q: no district %q in province %s", o.name, o.successor, o.province)
		}
	}
	for _, o := range oldWards {
		d, ok := g.byCode[kDistrict][o.district]
		found := false
		for _, c := range g.children[d] {
			if u := &g.units[c]; ok && u.kind == kCommune && u.final && u.name == o.successor {
				g.addKey(o.name, c, aliasQ)
				found = true
			}
		}
		if !found {
			return fmt.Errorf("build gazetteer: old ward %q: no ward %q in district %s", o.name, o.successor, o.district)
		}
	}
	for _, o := range oldProvinceNames {
		p, ok := g.byCode[kProvince][o.province]
		if !ok || g.units[p].name != o.successor {
			return fmt.Errorf("build gazetteer: old name %q: province %s is not %q", o.name, o.province, o.successor)
		}
		g.addKey(o.name, p, aliasQ)
		for _, n := range g.units[p].to {
			g.addKey(o.name, n, aliasQ)
		}
	}
	return nil
}
