package schemas

import "time"

// CoverageDelta kinds: what a row of coverage_deltas (migration 0027)
// counts. A persons' row with a birth year is counted as children too.
const (
	CoverageRecords uint16 = 1 // a RecordDelta
	CoveragePersons uint16 = 2 // a PersonDeltaSum
)

// CoverageDelta is one row of the load stage's one insert of the
// registry's coverage deltas (coverage_deltas, migration 0027): a
// records' row (RecordDelta, legacy rows resolved) or a persons' row
// (PersonDeltaSum), so that a flush of both kinds writes two parts (the
// keys and coverage_sums) instead of five. (Kind, Batch, Seq) identifies
// the row. Month is the load month of a records' row, the change month of
// a persons' row; a persons' row has no district, source kind or source
// month (SourceMonth 1970-01-01), a records' row no birth year.
type CoverageDelta struct {
	Kind            uint16    `ch:"kind"`
	Batch           string    `ch:"batch"`
	Seq             uint32    `ch:"seq"`
	ProvinceCode    string    `ch:"province_code"`
	DistrictCode    string    `ch:"district_code"`
	CommuneCode     string    `ch:"commune_code"`
	NewProvinceCode string    `ch:"new_province_code"`
	NewCommuneCode  string    `ch:"new_commune_code"`
	SourceKind      string    `ch:"source_kind"`
	SourceMonth     time.Time `ch:"source_month"`
	BirthYear       uint16    `ch:"birth_year"`
	Month           time.Time `ch:"month"`

	Added           uint32 `ch:"added"`
	Removed         uint32 `ch:"removed"`
	AddedWithID     uint32 `ch:"added_with_id"`
	RemovedWithID   uint32 `ch:"removed_with_id"`
	AddedCMNDOnly   uint32 `ch:"added_cmnd_only"`
	RemovedCMNDOnly uint32 `ch:"removed_cmnd_only"`
}

// noSourceMonth is the source month of a persons' CoverageDelta.
var noSourceMonth = time.Unix(0, 0).UTC()

// CoverageDeltaOfRecords returns d as a CoverageDelta.
func CoverageDeltaOfRecords(d *RecordDelta) CoverageDelta {
	return CoverageDelta{Kind: CoverageRecords, Batch: d.Batch, Seq: d.Seq,
		ProvinceCode: d.ProvinceCode, DistrictCode: d.DistrictCode, CommuneCode: d.CommuneCode,
		NewProvinceCode: d.NewProvinceCode, NewCommuneCode: d.NewCommuneCode,
		SourceKind: d.SourceKind, SourceMonth: d.SourceMonth, Month: d.LoadMonth,
		Added: d.Added, Removed: d.Removed, AddedWithID: d.AddedWithID, RemovedWithID: d.RemovedWithID,
		AddedCMNDOnly: d.AddedCMNDOnly, RemovedCMNDOnly: d.RemovedCMNDOnly}
}

// CoverageDeltaOfPersons returns d as a CoverageDelta.
func CoverageDeltaOfPersons(d *PersonDeltaSum) CoverageDelta {
	return CoverageDelta{Kind: CoveragePersons, Batch: d.Batch, Seq: d.Seq,
		ProvinceCode: d.ProvinceCode, CommuneCode: d.CommuneCode,
		NewProvinceCode: d.NewProvinceCode, NewCommuneCode: d.NewCommuneCode,
		SourceMonth: noSourceMonth, BirthYear: d.BirthYear, Month: d.ChangeMonth,
		Added: d.Added, Removed: d.Removed, AddedWithID: d.AddedWithID, RemovedWithID: d.RemovedWithID,
		AddedCMNDOnly: d.AddedCMNDOnly, RemovedCMNDOnly: d.RemovedCMNDOnly}
}

// SplitCoverageDeltas returns the records' and the persons' rows of rows, as they were
// before CoverageDeltaOfRecords and CoverageDeltaOfPersons (a records'
// row's RecordID "" and OldKnown 1: legacy rows are resolved before).
func SplitCoverageDeltas(rows []CoverageDelta) ([]RecordDelta, []PersonDeltaSum) {
	var recs []RecordDelta
	var pers []PersonDeltaSum
	for _, d := range rows {
		if d.Kind == CoverageRecords {
			recs = append(recs, RecordDelta{Batch: d.Batch, Seq: d.Seq, OldKnown: 1,
				ProvinceCode: d.ProvinceCode, DistrictCode: d.DistrictCode, CommuneCode: d.CommuneCode,
				NewProvinceCode: d.NewProvinceCode, NewCommuneCode: d.NewCommuneCode,
				SourceKind: d.SourceKind, SourceMonth: d.SourceMonth, LoadMonth: d.Month,
				Added: d.Added, Removed: d.Removed, AddedWithID: d.AddedWithID, RemovedWithID: d.RemovedWithID,
				AddedCMNDOnly: d.AddedCMNDOnly, RemovedCMNDOnly: d.RemovedCMNDOnly})
			continue
		}
		pers = append(pers, PersonDeltaSum{Batch: d.Batch, Seq: d.Seq,
			ProvinceCode: d.ProvinceCode, CommuneCode: d.CommuneCode,
			NewProvinceCode: d.NewProvinceCode, NewCommuneCode: d.NewCommuneCode,
			BirthYear: d.BirthYear, ChangeMonth: d.Month,
			Added: d.Added, Removed: d.Removed, AddedWithID: d.AddedWithID, RemovedWithID: d.RemovedWithID,
			AddedCMNDOnly: d.AddedCMNDOnly, RemovedCMNDOnly: d.RemovedCMNDOnly})
	}
	return recs, pers
}
