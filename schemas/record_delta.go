package schemas

import "time"

// RecordDelta is one row of the records' coverage deltas the identity
// registry emits for a batch (registry.Output.RecordDeltas), which the
// load stage inserts into record_deltas (migration 0015) and a view adds
// to coverage_records: no view compares each inserted record with its
// previous state any more, the registry knows it.
//
// A summed row (RecordID "") holds, for one unit of both eras, source
// kind, source month and load month, how many records the batch added
// there and how many it took away (an address corrected from one unit to
// another is −1 in the old row, +1 in the new one; a record loaded again
// unchanged is nothing), and as many of those with a 12-digit number and
// with only a CMND. Counts are two unsigned fields each (the Arrow codec
// has no signed type); the aggregate adds Added − Removed.
//
// A legacy row (RecordID set, OldKnown = 0) is a record the registry
// knew before it kept records' coverage states (counted by the views of
// migrations 0005–0014): it holds the record's state now (Added = 1) and
// the load stage compares it with record_state, which those views kept,
// and inserts only the difference.
//
// (Batch, Seq) identifies the row: the load stage inserts it once
// (record_delta_keys), so a replayed message, a re-flushed batch or a
// batch's rows emitted again by the registry (after an output that may
// have been lost) count once.
type RecordDelta struct {
	Batch    string `ch:"batch"`
	Seq      uint32 `ch:"seq"`
	RecordID string `ch:"record_id"` // "" except on a legacy row
	OldKnown uint16 `ch:"old_known"` // 0 on a legacy row

	ProvinceCode    string    `ch:"province_code"`
	DistrictCode    string    `ch:"district_code"`
	CommuneCode     string    `ch:"commune_code"`
	NewProvinceCode string    `ch:"new_province_code"`
	NewCommuneCode  string    `ch:"new_commune_code"`
	SourceKind      string    `ch:"source_kind"`
	SourceMonth     time.Time `ch:"source_month"` // first day of the month the source describes
	LoadMonth       time.Time `ch:"load_month"`   // first day of the month of the batch's import (Record.LoadedAt; the registry's clock for a batch without one)

	Added           uint32 `ch:"added"` // records counted in, out
	Removed         uint32 `ch:"removed"`
	AddedWithID     uint32 `ch:"added_with_id"` // of those, with a valid 12-digit number
	RemovedWithID   uint32 `ch:"removed_with_id"`
	AddedCMNDOnly   uint32 `ch:"added_cmnd_only"` // of those, no 12-digit number but a 9-digit CMND
	RemovedCMNDOnly uint32 `ch:"removed_cmnd_only"`
}

// RecordCoverage is the part of a record coverage counts, as the views of
// migrations 0005–0014 computed it from a records row: the units of the
// permanent address when its province is resolved, else of the current
// address ("" = not resolved), the source kind, the month the source
// describes, a valid 12-digit number, only a 9-digit CMND.
type RecordCoverage struct {
	ProvinceCode, DistrictCode, CommuneCode string
	NewProvinceCode, NewCommuneCode         string
	SourceKind                              string
	SourceMonth                             time.Time
	HasID, CMNDOnly                         bool
}

// RecordCoverageOf returns what coverage counts of r.
func RecordCoverageOf(r *Record) RecordCoverage {
	c := RecordCoverage{SourceKind: r.SourceKind}
	c.HasID, c.CMNDOnly = NumbersCoverage(r.IDNumber, r.CMND)
	if r.PermProvinceCode != "" {
		c.ProvinceCode, c.DistrictCode, c.CommuneCode = r.PermProvinceCode, r.PermDistrictCode, r.PermCommuneCode
	} else {
		c.ProvinceCode, c.DistrictCode, c.CommuneCode = r.CurProvinceCode, r.CurDistrictCode, r.CurCommuneCode
	}
	if r.PermNewProvinceCode != "" {
		c.NewProvinceCode, c.NewCommuneCode = r.PermNewProvinceCode, r.PermNewCommuneCode
	} else {
		c.NewProvinceCode, c.NewCommuneCode = r.CurNewProvinceCode, r.CurNewCommuneCode
	}
	c.SourceMonth = MonthOf(r.SourceDate)
	return c
}

// NumbersCoverage returns what coverage counts of a record's numbers: a
// valid 12-digit identification number, or no number and a 9-digit CMND.
func NumbersCoverage(idNumber, cmnd string) (hasID, cmndOnly bool) {
	return digits(idNumber, 12), idNumber == "" && digits(cmnd, 9)
}

// MonthOf returns the first day of t's month, UTC (a zero time, as
// ClickHouse stores it: 1970-01-01).
func MonthOf(t time.Time) time.Time {
	if t.IsZero() {
		return time.Unix(0, 0).UTC()
	}
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
}
