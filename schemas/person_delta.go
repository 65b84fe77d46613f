package schemas

import "time"

// PersonDelta is one change of a person as coverage counts it, emitted by
// the identity registry beside the person row (registry.Output.Deltas)
// and inserted by the load stage into person_deltas (migration 0013), so
// that no view has to look up a person's previous state on insert: the
// registry knows it. It holds the person's coverage state after the
// change (Living …) and the state last counted before it (Old…); the
// aggregates add +1 for the first and −1 for the second.
//
// (Batch, Seq) identifies the delta: Batch is derived from the registry
// batch that emitted it, Seq is its position there. The load stage
// inserts a (Batch, Seq) once (person_delta_keys), so a replayed message
// or a re-flushed registry batch does not count twice.
//
// Flags are 0/1 in uint16 fields (the Arrow codec has no 8-bit type).
type PersonDelta struct {
	Batch     string    `ch:"batch"`
	Seq       uint32    `ch:"seq"`
	PersonID  string    `ch:"person_id"`
	Version   uint64    `ch:"version"`
	ChangedAt time.Time `ch:"changed_at"` // the person row's updated_at: the month the change counts in

	Living          uint16 `ch:"living"` // not merged into another person
	ProvinceCode    string `ch:"province_code"`
	CommuneCode     string `ch:"commune_code"`
	NewProvinceCode string `ch:"new_province_code"`
	NewCommuneCode  string `ch:"new_commune_code"`
	HasID           uint16 `ch:"has_id"`     // a valid 12-digit number
	CMNDOnly        uint16 `ch:"cmnd_only"`  // no 12-digit number, a 9-digit CMND
	BirthYear       uint16 `ch:"birth_year"` // from 2010 on; 0 before (children under 6)

	// OldKnown is 0 when the emitter did not know the state last counted
	// (a person loaded before the registry kept coverage state): the load
	// stage then reads it from person_state before inserting.
	OldKnown           uint16 `ch:"old_known"`
	OldLiving          uint16 `ch:"old_living"` // 0: nothing counted before (a new person)
	OldProvinceCode    string `ch:"old_province_code"`
	OldCommuneCode     string `ch:"old_commune_code"`
	OldNewProvinceCode string `ch:"old_new_province_code"`
	OldNewCommuneCode  string `ch:"old_new_commune_code"`
	OldHasID           uint16 `ch:"old_has_id"`
	OldCMNDOnly        uint16 `ch:"old_cmnd_only"`
	OldBirthYear       uint16 `ch:"old_birth_year"`
}

// PersonCoverage is the part of a person row coverage counts.
type PersonCoverage struct {
	Living                                                     bool
	ProvinceCode, CommuneCode, NewProvinceCode, NewCommuneCode string
	HasID, CMNDOnly                                            bool
	BirthYear                                                  uint16
}

// CoverageOf returns what coverage counts of p, as the views of
// migrations 0005–0012 computed it from a persons row: living unless
// merged, a valid 12-digit number, only a 9-digit CMND, and the birth
// year when it is 2010 or later.
func CoverageOf(p Person) PersonCoverage {
	hasID := digits(p.IDNumber, 12)
	c := PersonCoverage{
		Living:       p.MergedInto == "",
		ProvinceCode: p.ProvinceCode, CommuneCode: p.CommuneCode,
		NewProvinceCode: p.NewProvinceCode, NewCommuneCode: p.NewCommuneCode,
		HasID: hasID, CMNDOnly: !hasID && digits(p.CMND, 9),
	}
	if p.BirthYear >= 2010 {
		c.BirthYear = p.BirthYear
	}
	return c
}

// digits reports whether s is exactly n ASCII digits.
func digits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < n; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Delta returns the delta from old (counted before; nil: nothing
// counted) to c, stamped with the person's id, version and update time.
// Batch and Seq are left to the emitter.
func (c PersonCoverage) Delta(old *PersonCoverage, p Person) PersonDelta {
	d := PersonDelta{PersonID: p.PersonID, Version: p.Version, ChangedAt: p.UpdatedAt,
		Living: b16(c.Living), ProvinceCode: c.ProvinceCode, CommuneCode: c.CommuneCode,
		NewProvinceCode: c.NewProvinceCode, NewCommuneCode: c.NewCommuneCode,
		HasID: b16(c.HasID), CMNDOnly: b16(c.CMNDOnly), BirthYear: c.BirthYear, OldKnown: 1}
	if old != nil {
		d.OldLiving, d.OldProvinceCode, d.OldCommuneCode = b16(old.Living), old.ProvinceCode, old.CommuneCode
		d.OldNewProvinceCode, d.OldNewCommuneCode = old.NewProvinceCode, old.NewCommuneCode
		d.OldHasID, d.OldCMNDOnly, d.OldBirthYear = b16(old.HasID), b16(old.CMNDOnly), old.BirthYear
	}
	return d
}

func b16(b bool) uint16 {
	if b {
		return 1
	}
	return 0
}

// PersonDeltaSum is one row of the persons' coverage deltas of a registry
// batch summed by unit (registry.Output.PersonDeltaSums), which the load
// stage inserts into person_delta_sums (migration 0016) and views add to
// coverage_persons and coverage_children: the persons a batch counted in
// (Added: living now, in this unit, born in BirthYear) and out (Removed:
// the state last counted before, or a person merged into another), with
// as many of those with a 12-digit number and with only a CMND. Counts are
// two unsigned fields each (the Arrow codec has no signed type).
//
// (Batch, Seq) identifies the row; the load stage inserts it once
// (person_delta_sum_keys).
type PersonDeltaSum struct {
	Batch           string    `ch:"batch"`
	Seq             uint32    `ch:"seq"`
	ProvinceCode    string    `ch:"province_code"`
	CommuneCode     string    `ch:"commune_code"`
	NewProvinceCode string    `ch:"new_province_code"`
	NewCommuneCode  string    `ch:"new_commune_code"`
	BirthYear       uint16    `ch:"birth_year"`   // from 2010 on; 0 before
	ChangeMonth     time.Time `ch:"change_month"` // first day of the month of the person rows' updated_at

	Added           uint32 `ch:"added"`
	Removed         uint32 `ch:"removed"`
	AddedWithID     uint32 `ch:"added_with_id"`
	RemovedWithID   uint32 `ch:"removed_with_id"`
	AddedCMNDOnly   uint32 `ch:"added_cmnd_only"`
	RemovedCMNDOnly uint32 `ch:"removed_cmnd_only"`
}
