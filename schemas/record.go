package schemas

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"time"
)

// Version is the version of the canonical record schema. It travels in the
// Arrow schema metadata of every Kafka batch and in every ClickHouse row.
// Bump it (and add a migration) whenever a field is added or changes meaning.
// Version 2 (user28) added household_no and remark after ocr_confidence;
// batches of version 1 are read with those two empty. Version 3 (cov32)
// added record_province_codes and record_new_province_codes at the end of
// the conflicts; batches of version 2 and 1 are read with them empty.
const Version = 3

// Source kinds.
const (
	KindSpreadsheet = "spreadsheet" // xlsx/xls workbook
	KindCSV         = "csv"         // delimited text
	KindScan        = "scan"        // scanned census form (JSON lines from form recognition)
)

// Record is one row of one source, validated and in canonical form.
//
// Text fields hold the value as the source wrote it after legacy-encoding
// decoding and Unicode NFC normalisation; matching derives its keys from
// them. Codes are the official GSO codes of the unit, filled when the
// address could be resolved. "Old" units are those in force before
// 1 July 2025 (63 provinces, districts, ~10,000 communes); "new" units are
// those in force since (34 provinces, 3,321 communes, no districts).
//
// The ch tags are the ClickHouse column names; Fields lists the same
// columns with their ClickHouse and Arrow types.
type Record struct {
	// Provenance.
	RecordID       string    `ch:"record_id"`        // deterministic: see RecordID
	SchemaVersion  uint16    `ch:"schema_version"`   // Version when written
	SourceKind     string    `ch:"source_kind"`      // KindSpreadsheet, KindCSV or KindScan
	SourceFile     string    `ch:"source_file"`      // base name of the file as imported
	FileHash       string    `ch:"file_hash"`        // hex SHA-256 of the file's bytes
	Sheet          string    `ch:"sheet"`            // sheet name; "" for CSV and scans
	Row            uint32    `ch:"row"`              // 1-based row (line for scans) in the source
	SourceRecordID string    `ch:"source_record_id"` // the source's own id ("Mã bản ghi", form id), if any
	FormID         string    `ch:"form_id"`          // census form id (scans)
	ScanRef        string    `ch:"scan_ref"`         // scan image reference (scans)
	ImportBatch    string    `ch:"import_batch"`     // id of the import run
	CollectingUnit string    `ch:"collecting_unit"`  // commune code of the unit that collected the row, if known
	SourceDate     time.Time `ch:"source_date"`      // the date the source describes (decides the address era); zero = unknown, stored as 1970-01-01

	// Person.
	FullName      string `ch:"full_name"`       // họ, chữ đệm và tên as written
	FamilyName    string `ch:"family_name"`     // họ
	MiddleName    string `ch:"middle_name"`     // chữ đệm
	GivenName     string `ch:"given_name"`      // tên
	BirthDate     string `ch:"birth_date"`      // ISO 8601 with its precision: "1990-03-15", "1990-03" or "1990"; "" unknown
	BirthYear     uint16 `ch:"birth_year"`      // 0 when unknown
	Sex           string `ch:"sex"`             // "M", "F" or "" unknown
	IDNumber      string `ch:"id_number"`       // 12-digit personal identification number (số định danh cá nhân), cleaned
	CMND          string `ch:"cmnd"`            // old 9-digit ID card number
	BirthRegPlace string `ch:"birth_reg_place"` // nơi đăng ký khai sinh
	NativePlace   string `ch:"native_place"`    // quê quán
	Ethnicity     string `ch:"ethnicity"`       // dân tộc
	Religion      string `ch:"religion"`        // tôn giáo
	Nationality   string `ch:"nationality"`     // quốc tịch

	// Permanent address (nơi thường trú).
	PermAddress         string `ch:"perm_address"`
	PermProvinceCode    string `ch:"perm_province_code"`     // old era, 2 digits
	PermDistrictCode    string `ch:"perm_district_code"`     // old era, 3 digits
	PermCommuneCode     string `ch:"perm_commune_code"`      // old era, 5 digits
	PermNewProvinceCode string `ch:"perm_new_province_code"` // new era, 2 digits
	PermNewCommuneCode  string `ch:"perm_new_commune_code"`  // new era, 5 digits

	// Current address (nơi ở hiện tại).
	CurAddress         string `ch:"cur_address"`
	CurProvinceCode    string `ch:"cur_province_code"`
	CurDistrictCode    string `ch:"cur_district_code"`
	CurCommuneCode     string `ch:"cur_commune_code"`
	CurNewProvinceCode string `ch:"cur_new_province_code"`
	CurNewCommuneCode  string `ch:"cur_new_commune_code"`

	// Family.
	FatherName     string `ch:"father_name"`
	FatherID       string `ch:"father_id"`
	MotherName     string `ch:"mother_name"`
	MotherID       string `ch:"mother_id"`
	SpouseName     string `ch:"spouse_name"`
	SpouseID       string `ch:"spouse_id"`
	HouseholdHead  string `ch:"household_head"`   // name of the head of household (chủ hộ)
	RelationToHead string `ch:"relation_to_head"` // quan hệ với chủ hộ

	// OCRConfidence holds the recognition confidence (0..1) of each field of
	// a scanned form, keyed by the ch column name. Empty for typed sources.
	OCRConfidence map[string]float32 `ch:"ocr_confidence"`

	// HouseholdNo is the list's household number ("Số hộ", "Hộ số", "Mã
	// hộ", "Sổ hộ khẩu số") as written: what ties a household's members
	// together on the list. A local code of the list (two communes both
	// number their households from 1), kept for the reader; the shipped
	// model does not read it (schema version 2, migration 0025).
	HouseholdNo string `ch:"household_no"`
	// Remark is the list's "Ghi chú" as written, when it is kept with the
	// record: a remark that says neither a death nor a move away ("Tạm
	// vắng", "Chuyển đến năm 2021"; one that does rejects the row). Not
	// read by the matcher (schema version 2, migration 0025).
	Remark string `ch:"remark"`

	// LoadedAt is when the import loaded the record: its clock, or the
	// day `dancu import --loaded-on` gave. Not a column: it travels in
	// the header of the messages that carry the record (pipelines:
	// HeaderLoadedAt), into the registry's changelog, so that the
	// registry dates the record's coverage (load_month) and the persons
	// it changes by it, whenever it links or replays them. Zero for the
	// records of an older dancu: the registry's clock dates them.
	LoadedAt time.Time
}

// RecordID is the deterministic id of a source row: the same file content,
// sheet and row always give the same id, so re-imports add nothing twice.
func RecordID(fileHash, sheet string, row int) string {
	// sha256 of fileHash NUL sheet NUL row in decimal, hashed from one
	// buffer on the stack (a file's every row passes here: one allocation,
	// the id, instead of six)
	var buf [256]byte
	sum := sha256.Sum256(appendRowKey(append(buf[:0], fileHash...), sheet, row))
	return idOfSum(&sum)
}

// ProvinceCode returns the old-era province the record belongs to for
// coverage: the permanent address, else the current address, else the
// collecting unit's province (first two digits are not enough for a
// commune code, so callers resolve CollectingUnit themselves).
func (r *Record) ProvinceCode() string {
	if r.PermProvinceCode != "" {
		return r.PermProvinceCode
	}
	return r.CurProvinceCode
}

// Reject is an input row that could not be accepted, with where and why.
type Reject struct {
	RejectID    string    `ch:"reject_id"` // deterministic: file hash + sheet + row + column
	SourceFile  string    `ch:"source_file"`
	FileHash    string    `ch:"file_hash"`
	Sheet       string    `ch:"sheet"`
	Row         uint32    `ch:"row"`
	Column      string    `ch:"column"` // header of the offending column as written in the source
	Value       string    `ch:"value"`  // the offending value (masked when it is an identification number)
	Reason      string    `ch:"reason"`
	ImportBatch string    `ch:"import_batch"`
	RejectedAt  time.Time `ch:"rejected_at"`
}

// RejectID is the deterministic id of a rejected row.
func RejectID(fileHash, sheet string, row int, column string) string {
	h := sha256.New()
	for _, s := range []string{fileHash, sheet, strconv.Itoa(row), column} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return "x" + hex.EncodeToString(h.Sum(nil)[:12])
}

// ID number status of a person.
const (
	IDConfirmed   = "confirmed"   // supported by two or more records
	IDInferred    = "inferred"    // from a single record
	IDConflicting = "conflicting" // records disagree, or the number contradicts the person
	IDMissing     = "missing"     // no record carries a number
	// IDVerified: the number contradicts the person's records, and a
	// police field check answered it (a verified ruling in force on its
	// id_contradicts conflict, every record carrying it among the
	// ruling's): the registry's word instead of conflicting, until a
	// record the check did not see carries the number.
	IDVerified = "verified"
)

// Person is one resolved individual of the registry.
type Person struct {
	PersonID        string    `ch:"person_id"`
	IDNumber        string    `ch:"id_number"`
	IDStatus        string    `ch:"id_status"`
	FullName        string    `ch:"full_name"`
	BirthDate       string    `ch:"birth_date"`
	BirthYear       uint16    `ch:"birth_year"`
	Sex             string    `ch:"sex"`
	ProvinceCode    string    `ch:"province_code"`     // old era
	NewProvinceCode string    `ch:"new_province_code"` // new era
	CommuneCode     string    `ch:"commune_code"`      // old era
	NewCommuneCode  string    `ch:"new_commune_code"`  // new era
	RecordCount     uint32    `ch:"record_count"`
	MergedInto      string    `ch:"merged_into"` // set when this person was merged into another
	Version         uint64    `ch:"version"`     // ReplacingMergeTree version: higher wins
	UpdatedAt       time.Time `ch:"updated_at"`
	// CMND is the old 9-digit number the person's records carry (the most
	// frequent), "" when none does: with no 12-digit IDNumber it makes the
	// person one "with only a CMND" in coverage (migration 0011 adds the
	// column).
	CMND string `ch:"cmnd"`
}

// Link ties a record to the person it belongs to.
type Link struct {
	RecordID         string    `ch:"record_id"`
	PersonID         string    `ch:"person_id"`
	MatchProbability float64   `ch:"match_probability"`
	MatchRule        string    `ch:"match_rule"`
	Version          uint64    `ch:"version"`
	LinkedAt         time.Time `ch:"linked_at"`
}

// Conflict kinds.
const (
	ConflictSharedID      = "shared_id"      // one number on records of different people
	ConflictTwoIDs        = "two_ids"        // one person with two valid numbers
	ConflictIDContradicts = "id_contradicts" // number contradicts date of birth, sex or birth province
	ConflictGreyZone      = "grey_zone"      // a pair between the review and match thresholds
	ConflictAmbiguousTie  = "ambiguous_tie"  // records matching two persons kept apart exactly alike, joined to neither
	// ConflictPossibleMatch is a link resting on a common name and a
	// birthday alone, not made (matching's possible matches): the two
	// persons stay apart and the pair is kept for review on demand, not
	// among the mandatory kinds above (MandatoryConflict).
	ConflictPossibleMatch = "possible_match"
)

// MandatoryConflict reports whether a conflict of kind must be reviewed:
// every kind but a possible match, which a reviewer opens on demand.
func MandatoryConflict(kind string) bool { return kind != ConflictPossibleMatch }

// Conflict is a case for police review.
type Conflict struct {
	ConflictID   string    `ch:"conflict_id"` // deterministic from kind, numbers and persons (ConflictKey), not records
	Kind         string    `ch:"kind"`
	ProvinceCode string    `ch:"province_code"` // old-era province, for access control
	IDNumber     string    `ch:"id_number"`
	PersonIDs    []string  `ch:"person_ids"`
	RecordIDs    []string  `ch:"record_ids"`
	Score        float64   `ch:"score"`
	Explanation  string    `ch:"explanation"`
	Status       string    `ch:"status"` // StatusOpen, StatusResolvedByRegistry, or StatusDecided when a police ruling already answers it (registry/conflicts.go)
	Version      uint64    `ch:"version"`
	CreatedAt    time.Time `ch:"created_at"`
	// RecordProvinces and RecordNewProvinces are the provinces (old era;
	// new era as the records' addresses give them) of the permanent and
	// current addresses of the conflict's records, sorted, as the matcher
	// read them when it raised the conflict (schema version 3, migration
	// 0028): the coverage counts a conflict in each, as the desk lists it
	// there, without reading its records again (issue 11, cov32). Empty
	// for a conflict of an earlier version the migration did not fill.
	RecordProvinces    []string `ch:"record_province_codes"`
	RecordNewProvinces []string `ch:"record_new_province_codes"`
}

// addedIn is the schema version that added each column of Record after
// version 1 (fields are only added at the end: readableVersions).
var addedIn = map[string]int{"household_no": 2, "remark": 2}

// conflictAddedIn is the schema version that added each column of
// Conflict after version 1 (at the end, as addedIn's).
var conflictAddedIn = map[string]int{"record_province_codes": 3, "record_new_province_codes": 3}

// fieldAddedIn is the schema version that added column col to the rows
// of rowType (MetaRowType): 1 for the columns of the first version.
func fieldAddedIn(rowType, col string) int {
	var m map[string]int
	switch rowType {
	case "record":
		m = addedIn
	case "conflict":
		m = conflictAddedIn
	}
	if v, ok := m[col]; ok {
		return v
	}
	return 1
}

// AddedIn is the record schema version that added column col (its ch
// tag): 1 for the columns of the first version. A record written at an
// earlier version holds the column empty because that version did not
// read it, not because its source left it blank: a comparison of two
// records (dancu import --replaces' dry run) compares only the columns
// both versions read.
func AddedIn(col string) int {
	if v, ok := addedIn[col]; ok {
		return v
	}
	return 1
}

// ColumnsAfter are the record's columns that schema version v lacked,
// in order: none for the current version.
func ColumnsAfter(v int) []string {
	var out []string
	for _, c := range Tags(Record{}) {
		if AddedIn(c) > v {
			out = append(out, c)
		}
	}
	return out
}
