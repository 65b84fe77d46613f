package pipelines

import (
	"github.com/dancu-vn/dancu/address"
	"github.com/dancu-vn/dancu/schemas"
)

var _ Enricher = ResolveAddresses

// ResolveAddresses fills the unit codes of both addresses of r from their
// text, reading each in the era of r.SourceDate. An undated record (zero
// SourceDate: no --source-date, no date in the file's name, no
// collected_on) is read as address.Resolve reads the zero date, before the
// reform — as dancu link's Vietnamese adapter reads it, so that the
// pipeline and the offline link give the same units for the same rows.
// Units the resolver does not decide (an ambiguous split commune, say) are
// left empty rather than guessed; codes already present (from a source
// that had them) are kept.
//
// Only the codes are asked for (address.ResolveCodes' search, which stops
// at the units: no street, hamlet, candidates or old names, which nothing
// here reads — the codes are Resolve's, address.TestResolveCodesAsSearch),
// both addresses prepared first so that the cache lines of the second are
// fetched while the first is looked up, and a current address written as
// the permanent one is looked up once.
func ResolveAddresses(r *schemas.Record) {
	var perm, cur address.Prepared
	if r.PermAddress != "" {
		perm = address.Prepare(r.PermAddress, r.SourceDate)
	}
	same := r.CurAddress == r.PermAddress
	if r.CurAddress != "" && !same {
		cur = address.Prepare(r.CurAddress, r.SourceDate)
	}
	var pc address.Codes
	if r.PermAddress != "" {
		pc = perm.Codes()
		fill(pc, &r.PermProvinceCode, &r.PermDistrictCode, &r.PermCommuneCode, &r.PermNewProvinceCode, &r.PermNewCommuneCode)
	}
	if r.CurAddress != "" {
		cc := pc
		if !same {
			cc = cur.Codes()
		}
		fill(cc, &r.CurProvinceCode, &r.CurDistrictCode, &r.CurCommuneCode, &r.CurNewProvinceCode, &r.CurNewCommuneCode)
	}
}

// fill sets each of the five codes (province … new commune) that is
// empty to c's.
func fill(c address.Codes, province, district, commune, newProvince, newCommune *string) {
	codes := [5]string{c.Province, c.District, c.Commune, c.NewProvince, c.NewCommune}
	for i, dst := range [5]*string{province, district, commune, newProvince, newCommune} {
		if *dst == "" && codes[i] != "" {
			*dst = codes[i]
		}
	}
}
