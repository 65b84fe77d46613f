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
func ResolveAddresses(r *schemas.Record) {
	asOf := r.SourceDate
	if r.PermAddress != "" {
		res := address.Resolve(r.PermAddress, asOf)
		fill(&r.PermProvinceCode, res.Province)
		fill(&r.PermDistrictCode, res.District)
		fill(&r.PermCommuneCode, res.Commune)
		fill(&r.PermNewProvinceCode, res.NewProvince)
		fill(&r.PermNewCommuneCode, res.NewCommune)
	}
	if r.CurAddress != "" {
		res := address.Resolve(r.CurAddress, asOf)
		fill(&r.CurProvinceCode, res.Province)
		fill(&r.CurDistrictCode, res.District)
		fill(&r.CurCommuneCode, res.Commune)
		fill(&r.CurNewProvinceCode, res.NewProvince)
		fill(&r.CurNewCommuneCode, res.NewCommune)
	}
}

func fill(dst *string, u address.Unit) {
	if *dst == "" && !u.IsZero() {
		*dst = u.Code
	}
}
