package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"github.com/dancu-vn/dancu/schemas"
)

// Scope is what part of the country a caller may see.
type Scope struct {
	National  bool
	Provinces []string // today's codes
}

// ScopeOf is the scope of a user.
func ScopeOf(u User) Scope { return Scope{National: u.National(), Provinces: u.Provinces} }

// Contains reports whether any of provinces is in the scope.
func (sc Scope) Contains(provinces []string) bool {
	if sc.National {
		return true
	}
	for _, p := range provinces {
		for _, q := range sc.Provinces {
			if p == q {
				return true
			}
		}
	}
	return false
}

// ConflictRow is a conflict as the desk shows it: the matcher's row plus
// the provinces and districts its records name, its status derived from
// the decisions (else resolved_by_registry when the matcher no longer
// raises it, or decided when the matcher raises it decided because a
// ruling on another conflict answers it, else open), and who it is
// assigned to. A decided conflict the matcher raises open again naming a
// record its ruling in force was not about is open, Reopened (user34).
type ConflictRow struct {
	ConflictID   string    `ch:"conflict_id" json:"conflict_id"`
	Kind         string    `ch:"kind" json:"kind"`
	IDNumber     string    `ch:"id_number" json:"id_number"`
	PersonIDs    []string  `ch:"person_ids" json:"person_ids"`
	RecordIDs    []string  `ch:"record_ids" json:"record_ids"`
	Score        float64   `ch:"score" json:"score"`
	Explanation  string    `ch:"explanation" json:"explanation"`
	Provinces    []string  `ch:"province_codes" json:"province_codes"`
	Districts    []string  `ch:"district_codes" json:"district_codes"`
	Status       string    `ch:"status" json:"status"`
	Assignee     string    `ch:"assignee" json:"assignee"`
	CreatedAt    time.Time `ch:"created_at" json:"created_at"`
	DecisionsN   uint64    `ch:"decisions" json:"decisions"`
	LastDecision string    `ch:"last_decision" json:"last_decision"`
	// Reopened: the conflict was decided, and the matcher has since
	// raised it open again with a record the ruling in force was not
	// about (a record carrying the number joined it after a verified
	// ruling, say): its status is open, the ruling stays in its history,
	// and a ruling now is on the records it names now. The matcher raises
	// a conflict whose records the ruling covers decided
	// (registry.rulingsCover), and one raised again with the ruled records
	// (a redelivery, a restart, a batch before the ruling reached the
	// registry) names no new record: both stay decided. A tie's
	// same_person is not tested: a placement is on the tied record and
	// its person's records only, so the records it leaves out were seen;
	// applied, it changes the tie's persons, which key its id.
	Reopened bool `ch:"reopened" json:"reopened,omitempty"`
	// Total is how many conflicts passed the scope and the filter (every
	// page of the listing), for the queue's count.
	Total uint64 `ch:"total" json:"-"`
}

// KindOrder is the order of conflict kinds in the queue. The last,
// possible_match, is no mandatory item (schemas.MandatoryConflict): the
// queue lists it only when the kind filter asks for it (Conflicts).
var KindOrder = []string{schemas.ConflictSharedID, schemas.ConflictTwoIDs, schemas.ConflictIDContradicts, schemas.ConflictGreyZone, schemas.ConflictAmbiguousTie, schemas.ConflictPossibleMatch}

// Filter narrows a conflict listing. Empty fields do not filter.
type Filter struct {
	Status   string // open, awaiting_second, needs_verification, decided, resolved_by_registry
	Kind     string
	District string // old-era district code
	Province string // one of today's codes (within the scope)
	Assignee string // the user the conflicts are assigned to now (the queue's "assigned to me")
	Limit    int    // Default: 200, at most 5000
	Offset   int    // rows of the ordered listing to skip (paging)
}

// conflictsSQL reads every conflict's provinces (today's codes, from
// the permanent and current addresses of its records in either era, kept
// in conflict_places by refreshPlaces, and the matcher's own province)
// and computes its status (the latest decision's
// status_after, else the matcher's resolved_by_registry or decided, else open;
// open, reopened, when the latest decision left it decided and the
// matcher raises it open naming a record that decision was not about:
// ConflictRow.Reopened), then
// applies the scope and filters. The scope
// is part of the query: a conflict outside it is never read.
func conflictsSQL(where string) string {
	return `
WITH
st AS (SELECT conflict_id, argMax(status_after, decided_at) AS status, count() AS n, argMax(decision, decided_at) AS last,
              argMax(record_ids, decided_at) AS ruled
       FROM decisions GROUP BY conflict_id),
asg AS (SELECT conflict_id, argMax(assignee, assigned_at) AS assignee FROM assignments GROUP BY conflict_id),
cp AS (SELECT conflict_id, argMax(province_codes, version) AS provinces, argMax(district_codes, version) AS districts
       FROM conflict_places GROUP BY conflict_id),
rows AS (
    SELECT c.conflict_id AS conflict_id, c.kind AS kind, c.id_number AS id_number, c.person_ids AS person_ids,
           c.record_ids AS record_ids, c.score AS score, c.explanation AS explanation,
           arraySort(arrayFilter(x -> x != '', arrayDistinct(arrayConcat(cp.provinces, [` + transformSQL("c.province_code") + `])))) AS province_codes,
           arraySort(arrayFilter(x -> x != '', cp.districts)) AS district_codes,
           toBool(st.status = 'decided' AND c.status = 'open' AND NOT hasAll(st.ruled, c.record_ids)
                  AND NOT (c.kind = '` + schemas.ConflictAmbiguousTie + `' AND st.last = '` + schemas.DecisionSamePerson + `')) AS reopened,
           multiIf(reopened, 'open', st.status != '', st.status, c.status IN ('resolved_by_registry', 'decided'), c.status, 'open') AS status, asg.assignee AS assignee, c.created_at AS created_at,
           st.n AS decisions, st.last AS last_decision
    FROM conflicts AS c FINAL
    LEFT JOIN cp ON cp.conflict_id = c.conflict_id
    LEFT JOIN st ON st.conflict_id = c.conflict_id
    LEFT JOIN asg ON asg.conflict_id = c.conflict_id)
SELECT *, count() OVER () AS total FROM rows
WHERE ({national:UInt8} = 1 OR hasAny(province_codes, {scope:Array(String)})) ` + where
}

// placesSQL fills conflict_places for the conflict versions it lacks:
// the provinces (today's codes) and old-era districts of the permanent
// and current addresses of each conflict's records (a commune's district
// as coverage counts it: districtSQL), read by their key
// (record_id IN …) rather than by a scan of all records. A conflict whose
// records are not all loaded yet is left for the next call.
//
// The records are read without FINAL: record ids are spread over the
// whole table, so even a few hundred new conflicts' ids touch most of its
// granules, and FINAL then merges nearly all of them (10M records, 500 new
// conflicts: see TestQueueLatency). The rows of one record id are the
// same record written again (a replayed batch), and the codes are
// gathered into sets (groupUniqArrayArray), so a row read twice adds
// nothing and a record missing still leaves its conflict for later.
func placesSQL() string {
	return `
INSERT INTO conflict_places (conflict_id, version, province_codes, district_codes, computed_at)
WITH fresh AS (
    SELECT conflict_id, version, record_ids FROM conflicts FINAL
    WHERE (conflict_id, version) NOT IN (SELECT conflict_id, version FROM conflict_places))
SELECT f.conflict_id, f.version,
       arraySort(arrayFilter(x -> x != '', groupUniqArrayArray([r.perm_new_province_code, r.cur_new_province_code, ` + transformSQL("r.perm_province_code") + `, ` + transformSQL("r.cur_province_code") + `]))),
       arraySort(arrayFilter(x -> x != '', groupUniqArrayArray([` + districtSQL("r.perm_commune_code", "r.perm_district_code") + `, ` + districtSQL("r.cur_commune_code", "r.cur_district_code") + `]))),
       now64(3)
FROM (SELECT conflict_id, version, arrayJoin(record_ids) AS record_id FROM fresh) AS f
LEFT JOIN (SELECT record_id, perm_new_province_code, cur_new_province_code, perm_province_code, cur_province_code,
                  perm_district_code, cur_district_code, perm_commune_code, cur_commune_code
           FROM records WHERE record_id IN (SELECT arrayJoin(record_ids) FROM fresh)) AS r ON r.record_id = f.record_id
GROUP BY f.conflict_id, f.version
HAVING countIf(r.record_id = '') = 0`
}

// refreshPlaces brings conflict_places up to the conflicts table; each
// listing and conflict read calls it first (cheap when nothing is new).
func (s *Store) refreshPlaces(ctx context.Context) error {
	if err := s.conn.Exec(ctx, placesSQL()); err != nil {
		return fmt.Errorf("conflict places: %w", err)
	}
	return nil
}

// scopeArgs are the query parameters of a scope plus extra ones.
func scopeArgs(sc Scope, extra map[string]any) []any {
	nat := uint8(0)
	if sc.National {
		nat = 1
	}
	scope := []string{}
	for _, p := range sc.Provinces {
		if ValidProvince(p) {
			scope = append(scope, p)
		}
	}
	args := []any{clickhouse.Named("national", nat), clickhouse.Named("scope", scope)}
	for k, v := range extra {
		args = append(args, clickhouse.Named(k, v))
	}
	return args
}

// Conflicts lists the conflicts within sc that pass f, ordered by kind
// (shared ID number, two ID numbers, ID contradicts demographics, grey
// zone), then by probability, highest first: f.Limit of them from
// f.Offset on, and how many pass in all. Possible matches (a link resting
// on a common name and a birthday alone, not made) are reviewed on
// demand: listed only when f.Kind names them, never in the queue of
// every kind.
func (s *Store) Conflicts(ctx context.Context, sc Scope, f Filter) ([]ConflictRow, int, error) {
	if f.Limit <= 0 {
		f.Limit = 200
	}
	f.Limit = min(f.Limit, 5000)
	where := ""
	params := map[string]any{"limit": uint32(f.Limit), "offset": uint64(max(f.Offset, 0))}
	if f.Status != "" {
		where += " AND status = {status:String}"
		params["status"] = f.Status
	}
	if f.Kind != "" {
		where += " AND kind = {kind:String}"
		params["kind"] = f.Kind
	} else {
		where += " AND kind != '" + schemas.ConflictPossibleMatch + "'"
	}
	if f.District != "" {
		where += " AND has(district_codes, {district:String})"
		params["district"] = f.District
	}
	if f.Province != "" {
		where += " AND has(province_codes, {province:String})"
		params["province"] = f.Province
	}
	if f.Assignee != "" {
		where += " AND assignee = {assignee:String}"
		params["assignee"] = f.Assignee
	}
	where += " ORDER BY indexOf(['" + strings.Join(KindOrder, "','") + "'], kind), score DESC, conflict_id LIMIT {limit:UInt32} OFFSET {offset:UInt64}"
	if err := s.refreshPlaces(ctx); err != nil {
		return nil, 0, err
	}
	var out []ConflictRow
	if err := s.conn.Select(ctx, &out, conflictsSQL(where), scopeArgs(sc, params)...); err != nil {
		return nil, 0, fmt.Errorf("read conflicts: %w", err)
	}
	if len(out) == 0 && f.Offset > 0 {
		// Past the last page: the count still says how many there are.
		var n []struct {
			N uint64 `ch:"n"`
		}
		if err := s.conn.Select(ctx, &n, "SELECT count() AS n FROM ("+conflictsSQL(where[:strings.Index(where, " ORDER BY")])+")",
			scopeArgs(sc, params)...); err != nil {
			return nil, 0, fmt.Errorf("count conflicts: %w", err)
		}
		return out, int(n[0].N), nil
	}
	total := 0
	if len(out) > 0 {
		total = int(out[0].Total)
	}
	return out, total, nil
}

// Conflict returns one conflict within sc, or ErrNotFound — also when it
// exists outside the scope.
func (s *Store) Conflict(ctx context.Context, sc Scope, id string) (ConflictRow, error) {
	if err := s.refreshPlaces(ctx); err != nil {
		return ConflictRow{}, err
	}
	var out []ConflictRow
	if err := s.conn.Select(ctx, &out, conflictsSQL(" AND conflict_id = {id:String}"),
		scopeArgs(sc, map[string]any{"id": id})...); err != nil {
		return ConflictRow{}, fmt.Errorf("read conflict: %w", err)
	}
	if len(out) == 0 {
		return ConflictRow{}, ErrNotFound
	}
	return out[0], nil
}

// Record is the part of a record a reviewer compares.
type Record struct {
	RecordID        string    `ch:"record_id" json:"record_id"`
	SourceKind      string    `ch:"source_kind" json:"source_kind"`
	SourceFile      string    `ch:"source_file" json:"source_file"`
	Sheet           string    `ch:"sheet" json:"sheet"`
	Row             uint32    `ch:"row" json:"row"`
	SourceDate      time.Time `ch:"source_date" json:"source_date"`
	FullName        string    `ch:"full_name" json:"full_name"`
	BirthDate       string    `ch:"birth_date" json:"birth_date"`
	BirthYear       uint16    `ch:"birth_year" json:"birth_year"`
	Sex             string    `ch:"sex" json:"sex"`
	IDNumber        string    `ch:"id_number" json:"id_number"`
	CMND            string    `ch:"cmnd" json:"cmnd"`
	BirthRegPlace   string    `ch:"birth_reg_place" json:"birth_reg_place"`
	NativePlace     string    `ch:"native_place" json:"native_place"`
	Ethnicity       string    `ch:"ethnicity" json:"ethnicity"`
	PermAddress     string    `ch:"perm_address" json:"perm_address"`
	PermProvince    string    `ch:"perm_province_code" json:"perm_province_code"`
	PermNewProvince string    `ch:"perm_new_province_code" json:"perm_new_province_code"`
	CurAddress      string    `ch:"cur_address" json:"cur_address"`
	FatherName      string    `ch:"father_name" json:"father_name"`
	MotherName      string    `ch:"mother_name" json:"mother_name"`
	SpouseName      string    `ch:"spouse_name" json:"spouse_name"`
	PersonID        string    `ch:"person_id" json:"person_id"`
}

// Records returns the records of ids with the person each is linked to,
// in the order of ids. Each record's row and its link's latest version
// are read by key without FINAL, as in placesSQL: a record id's rows are
// one record written again (LIMIT 1 BY), a link's latest row is the one
// of the highest version (argMax, as FINAL keeps).
func (s *Store) Records(ctx context.Context, ids []string) ([]Record, error) {
	var rs []Record
	err := s.conn.Select(ctx, &rs, `
SELECT r.record_id AS record_id, source_kind, source_file, sheet, row, source_date, full_name, birth_date, birth_year, sex,
       id_number, cmnd, birth_reg_place, native_place, ethnicity, perm_address, perm_province_code, perm_new_province_code,
       cur_address, father_name, mother_name, spouse_name, l.person_id AS person_id
FROM (SELECT * FROM records WHERE record_id IN {ids:Array(String)} LIMIT 1 BY record_id) AS r
LEFT JOIN (SELECT record_id, argMax(person_id, version) AS person_id FROM links WHERE record_id IN {ids:Array(String)} GROUP BY record_id) AS l
     ON l.record_id = r.record_id`,
		clickhouse.Named("ids", ids))
	if err != nil {
		return nil, fmt.Errorf("read records: %w", err)
	}
	pos := map[string]int{}
	for i, id := range ids {
		pos[id] = i
	}
	out := make([]Record, 0, len(rs))
	byID := map[string]Record{}
	for _, r := range rs {
		byID[r.RecordID] = r
	}
	for _, id := range ids {
		if r, ok := byID[id]; ok {
			out = append(out, r)
		}
	}
	return out, nil
}

// PersonHistory returns every stored version of the persons ids, oldest
// first: how each person came to be what it is.
func (s *Store) PersonHistory(ctx context.Context, ids []string) ([]schemas.Person, error) {
	var ps []schemas.Person
	if err := s.conn.Select(ctx, &ps, "SELECT * FROM persons WHERE person_id IN {ids:Array(String)} ORDER BY person_id, version",
		clickhouse.Named("ids", ids)); err != nil {
		return nil, fmt.Errorf("read persons: %w", err)
	}
	return ps, nil
}

// PersonEvents returns the merges and splits that name any of the persons
// ids (as the continuing person or among the others), oldest first.
func (s *Store) PersonEvents(ctx context.Context, ids []string) ([]schemas.PersonEvent, error) {
	var es []schemas.PersonEvent
	if err := s.conn.Select(ctx, &es, `SELECT * FROM person_events FINAL
WHERE person_id IN {ids:Array(String)} OR hasAny(others, {ids:Array(String)}) ORDER BY at, event_id`,
		clickhouse.Named("ids", ids)); err != nil {
		return nil, fmt.Errorf("read person events: %w", err)
	}
	return es, nil
}

// Withdrawal is a withdrawal of records from the register: their file
// was replaced by a corrected one (dancu import --replaces;
// withdrawn_records, migration 0022). The records' rows stay, readable.
type Withdrawal struct {
	Batch     string    `ch:"batch" json:"batch"`       // the corrected import (b…) or file that replaced them
	Replaces  string    `ch:"replaces" json:"replaces"` // the batch (b…) or file replaced
	User      string    `ch:"user" json:"user"`         // who ran the import
	At        time.Time `ch:"withdrawn_at" json:"withdrawn_at"`
	RecordIDs []string  `ch:"record_ids" json:"record_ids"` // those of the ids asked for
}

// Withdrawals returns the withdrawals of any of the records ids (none
// when all are in force) or named by batch (a person retired
// "withdrawn:<batch>"), oldest first, each with the records of ids it
// took out.
func (s *Store) Withdrawals(ctx context.Context, ids, batches []string) ([]Withdrawal, error) {
	var ws []Withdrawal
	if err := s.conn.Select(ctx, &ws, `SELECT batch, replaces, user, min(withdrawn_at) AS withdrawn_at,
	arraySort(groupArrayIf(record_id, record_id IN {ids:Array(String)})) AS record_ids
FROM withdrawn_records FINAL
WHERE record_id IN {ids:Array(String)} OR batch IN {batches:Array(String)}
GROUP BY batch, replaces, user ORDER BY withdrawn_at, batch`,
		clickhouse.Named("ids", ids), clickhouse.Named("batches", batches)); err != nil {
		return nil, fmt.Errorf("read withdrawals: %w", err)
	}
	return ws, nil
}
