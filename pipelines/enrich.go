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
//
// An address whose five codes are all there already is not looked up:
// filling would keep them all. It reports whether it set a code: false
// for a record whose codes were all there already (filled at import:
// ImportConfig.Enrich, or codes left empty by the resolver both times),
// which the match stage then passes on as it came.
func ResolveAddresses(r *schemas.Record) (changed bool) {
	needPerm := r.PermAddress != "" && !complete(r.PermProvinceCode, r.PermDistrictCode, r.PermCommuneCode, r.PermNewProvinceCode, r.PermNewCommuneCode)
	needCur := r.CurAddress != "" && !complete(r.CurProvinceCode, r.CurDistrictCode, r.CurCommuneCode, r.CurNewProvinceCode, r.CurNewCommuneCode)
	same := r.CurAddress == r.PermAddress
	// The permanent address's codes serve the current address written
	// as it.
	lookPerm := needPerm || (needCur && same)
	var perm, cur address.Prepared
	if lookPerm {
		perm = address.Prepare(r.PermAddress, r.SourceDate)
	}
	if needCur && !same {
		cur = address.Prepare(r.CurAddress, r.SourceDate)
	}
	var pc address.Codes
	if lookPerm {
		pc = perm.Codes()
	}
	if needPerm {
		changed = fill(pc, &r.PermProvinceCode, &r.PermDistrictCode, &r.PermCommuneCode, &r.PermNewProvinceCode, &r.PermNewCommuneCode)
	}
	if needCur {
		cc := pc
		if !same {
			cc = cur.Codes()
		}
		if fill(cc, &r.CurProvinceCode, &r.CurDistrictCode, &r.CurCommuneCode, &r.CurNewProvinceCode, &r.CurNewCommuneCode) {
			changed = true
		}
	}
	return changed
}

// complete says whether none of an address's five codes is empty.
func complete(codes ...string) bool {
	for _, c := range codes {
		if c == "" {
			return false
		}
	}
	return true
}

// fill sets each of the five codes (province … new commune) that is
// empty to c's, and says whether it set one.
func fill(c address.Codes, province, district, commune, newProvince, newCommune *string) (changed bool) {
	codes := [5]string{c.Province, c.District, c.Commune, c.NewProvince, c.NewCommune}
	for i, dst := range [5]*string{province, district, commune, newProvince, newCommune} {
		if *dst == "" && codes[i] != "" {
			*dst = codes[i]
			changed = true
		}
	}
	return changed
}
