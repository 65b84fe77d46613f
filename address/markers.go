package address

import (
	"strings"

	"github.com/dancu-vn/dancu/internal/refdata"
)

// marker is what a word before a name says about it: a unit type word
// (Tỉnh, TP., Q., H., TX., P., F., X., TT.), a hamlet word (thôn, ấp, tổ,
// khu phố …) or a street word (số, đường, ngõ, hẻm …). One abbreviation
// can say several things ("H." is Huyện or Hẻm).
type marker uint16

const (
	mProvince marker = 1 << iota // Tỉnh
	mCity                        // Thành phố (province or district level)
	mUrban                       // Quận
	mRural                       // Huyện
	mTown                        // Thị xã
	mWard                        // Phường
	mCommune                     // Xã
	mTownship                    // Thị trấn
	mSpecial                     // Đặc khu
	mHamlet                      // below the commune
	mStreet                      // house number, street, lane

	mProvinceLevel = mProvince | mCity
	mDistrictLevel = mUrban | mRural | mTown | mCity
	mCommuneLevel  = mWard | mCommune | mTownship | mSpecial
	mAdmin         = mProvinceLevel | mDistrictLevel | mCommuneLevel
)

// markerOf is the marker that exactly fits each official type.
var markerOf = [...]marker{
	tNone: 0, tTinh: mProvince, tThanhPhoTW: mCity, tQuan: mUrban, tHuyen: mRural, tThiXa: mTown,
	tThanhPho: mCity, tPhuong: mWard, tXa: mCommune, tThiTran: mTownship, tDacKhu: mSpecial,
}

// levelMarkers is the set of markers of the level of each kind of unit.
var levelMarkers = [...]marker{
	kProvince: mProvinceLevel, kDistrict: mDistrictLevel, kCommune: mCommuneLevel,
	kNewProvince: mProvinceLevel, kNewCommune: mCommuneLevel,
}

// extraMarkers complete address_abbreviations.csv with full type words and
// spellings it does not list.
var extraMarkers = map[string]marker{
	"tinh": mProvince, "thanh pho": mCity, "thanhpho": mCity, "t p": mCity, "quan": mUrban, "huyen": mRural,
	"thi xa": mTown, "thixa": mTown, "phuong": mWard, "ph": mWard, "xa": mCommune, "thi tran": mTownship,
	"thitran": mTownship, "dac khu": mSpecial, "thon": mHamlet, "xom": mHamlet, "ap": mHamlet, "ban": mHamlet,
	"buon": mHamlet, "bon": mHamlet, "lang": mHamlet, "phum": mHamlet, "soc": mHamlet, "khom": mHamlet,
	"khoi": mHamlet, "to": mHamlet, "to dan pho": mHamlet, "khu pho": mHamlet, "khu": mHamlet,
	"tieu khu": mHamlet, "khu dan cu": mHamlet, "doi": mHamlet, "cum": mHamlet, "so": mStreet,
	"so nha": mStreet, "duong": mStreet, "ngo": mStreet, "ngach": mStreet, "hem": mStreet, "kiet": mStreet,
	"pho": mStreet, "quoc lo": mStreet, "tinh lo": mStreet, "hxh": mStreet,
}

// loadAbbreviations reads address_abbreviations.csv: type-word
// abbreviations become markers, province short forms (HN, TP.HCM, BRVT …)
// become aliases.
func (g *gazetteer) loadAbbreviations(t *refdata.Table) {
	g.markers = make(map[string]marker, 128)
	for k, m := range extraMarkers {
		g.markers[k] |= m
	}
	for k, m := range englishMarkers {
		g.markers[k] |= m
	}
	typeWord := map[string]marker{
		"tinh": mProvince, "thanh pho": mCity, "quan": mUrban, "huyen": mRural, "thi xa": mTown,
		"phuong": mWard, "xa": mCommune, "thi tran": mTownship,
	}
	for _, r := range t.Rows {
		forms := append([]string{t.Get(r, "abbreviation")}, strings.Split(t.Get(r, "variants"), "|")...)
		exp := t.Get(r, "expansion")
		level := t.Get(r, "level")
		var m marker
		switch {
		case typeWord[foldKey(exp)] != 0:
			m = typeWord[foldKey(exp)]
		case level == "sub-commune":
			m = mHamlet
			forms = append(forms, exp)
		case level == "street":
			m = mStreet
			forms = append(forms, exp)
		case level == "province":
			g.addProvinceAlias(exp, forms)
			continue
		default:
			continue
		}
		for _, f := range forms {
			if k := foldKey(f); k != "" {
				g.markers[k] |= m
			}
		}
	}
	for exp, forms := range extraProvinceForms {
		g.addProvinceAlias(exp, forms)
	}
}

// extraProvinceForms complete the province short forms of
// address_abbreviations.csv with what English pages write: "HCMC" and
// "Saigon" alone were read as nothing ("12 Le Loi, HCMC" resolved to no
// unit at all).
var extraProvinceForms = map[string][]string{
	"Thành phố Hồ Chí Minh": {"HCMC", "Saigon", "TPHCMC"},
}

// addProvinceAlias indexes short forms of the province (old and new era)
// whose proper name is exp. "DN" is Đà Nẵng, Đồng Nai or Đắk Nông: the
// other levels of the address decide.
func (g *gazetteer) addProvinceAlias(exp string, forms []string) {
	_, bare := splitType(exp)
	want := foldKey(bare)
	var ids []int32
	for _, e := range g.index[want].es {
		if k := g.units[e.unit].kind; (k == kProvince || k == kNewProvince) && e.q == 1 {
			ids = append(ids, e.unit)
		}
	}
	if want == "da nang" {
		for _, other := range []string{"dong nai", "dak nong"} {
			for _, e := range g.index[other].es {
				if k := g.units[e.unit].kind; k == kProvince || k == kNewProvince {
					g.addRaw("dn", e.unit, 0.9)
				}
			}
		}
	}
	for _, id := range ids {
		for _, f := range forms {
			if k := foldKey(f); k != "" {
				g.addRaw(k, id, 0.97)
			}
			// the initialism written with dots, as people write it
			// (T.T.H for TTH, B.R.V.T for BRVT)
			if d := dotted(f); d != "" {
				g.addRaw(foldKey(d), id, 0.97)
			}
		}
	}
}

// dotted returns an initialism of two to five ASCII letters written with
// a dot after each but the last ("TTH" → "T.T.H"), or "" for any other
// form.
func dotted(f string) string {
	if len(f) < 2 || len(f) > 5 {
		return ""
	}
	var b strings.Builder
	for i := 0; i < len(f); i++ {
		c := f[i]
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z') {
			return ""
		}
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteByte(c)
	}
	return b.String()
}
