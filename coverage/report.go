package coverage

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/dancu-vn/dancu/internal/olddistrict"
	"github.com/dancu-vn/dancu/schemas"
)

// Era is a period of the administrative map.
type Era string

// Eras: the 63 provinces (with districts) in force until 30 June 2025, and
// the 34 provinces (no districts) since 1 July 2025.
const (
	Old Era = "old"
	New Era = "new"
)

// Level is a tier of administrative units.
type Level string

// Levels. District exists only in the old era.
const (
	Province Level = "province"
	District Level = "district"
	Commune  Level = "commune"
)

// Row kinds beside ordinary units. Unresolved rows are reported, never
// dropped, so that the rows of a report always sum to its total.
const (
	KindUnit           = "unit"            // a unit of the reference list
	KindUnknownCode    = "unknown_code"    // a code the reference list does not have
	KindUnitUnresolved = "unit_unresolved" // province known, unit at this level not
	KindUnresolved     = "unresolved"      // address not resolved to a province at all
)

// ErrNoDistrictsInNewEra is returned for the district level in the new era:
// the district tier was abolished on 1 July 2025.
var ErrNoDistrictsInNewEra = errors.New("coverage: the district level exists only in the old era (abolished 1 July 2025)")

// Options select a report. The zero value is the old era by province.
type Options struct {
	Era      Era    // Default: Old.
	Level    Level  // Default: Province.
	Province string // only units inside this province of Era (2-digit code). Default: all.
	// Since adds to every row the persons and persons with an
	// identification number as they stood at the start of that month (by
	// load date), to show progress. Default: zero, none.
	Since time.Time
	// Months adds progress month by month (Report.Months): three more
	// scans of the aggregates. Default: false.
	Months bool
	// Today decides who is a child under 6 (born in the last six calendar
	// years, since birth dates may be year-only). Default: time.Now().
	Today time.Time
}

func (o Options) withDefaults() Options {
	if o.Era == "" {
		o.Era = Old
	}
	if o.Level == "" {
		o.Level = Province
	}
	if o.Today.IsZero() {
		o.Today = time.Now()
	}
	return o
}

// Validate reports what is wrong with o, field by field.
func (o Options) Validate() error {
	o = o.withDefaults()
	var errs []error
	if o.Era != Old && o.Era != New {
		errs = append(errs, fmt.Errorf("era %q: want old or new", o.Era))
	}
	switch o.Level {
	case Province, Commune:
	case District:
		if o.Era == New {
			errs = append(errs, ErrNoDistrictsInNewEra)
		}
	default:
		errs = append(errs, fmt.Errorf("level %q: want province, district or commune", o.Level))
	}
	// A month that has not begun has no start to compare with: the share
	// "at 2027-01" was today's, every change +0.00 (a year mistyped). Load
	// months are UTC's (schemas.MonthOf of the import's stamp), so this
	// month is too, whatever the server's zone.
	if today := o.Today.UTC(); o.Since.After(time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, time.UTC)) {
		errs = append(errs, fmt.Errorf("since %s: after this month (%s, UTC); nothing is loaded then yet", o.Since.Format("2006-01"), today.Format("2006-01")))
	}
	if o.Province != "" {
		u, err := loadUnits()
		if err != nil {
			return err
		}
		if u.byKey[key(o.Era, Province, o.Province)] == nil {
			err := fmt.Errorf("province %q: not a province code of the %s era", o.Province, o.Era)
			// An old province asked of the new era: say where it went.
			if old, now := u.byKey[key(Old, Province, o.Province)], u.byKey[key(New, Province, u.oldToNew[o.Province])]; o.Era == New && old != nil && now != nil {
				err = fmt.Errorf("%w: %s is part of %s %s since 1 July 2025", err, old.Name, now.Code, now.Name)
			} else if x := u.provinceNamed(o.Era, o.Province); x != nil {
				// A name given for the code (user26: --province "Hà Tĩnh").
				err = fmt.Errorf("%w: %s is --province %s", err, x.Name, x.Code)
			}
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Row is one unit of a report with its indicators. JSON keys are
// snake_case and stable: other tools rely on them.
type Row struct {
	Kind               string `json:"kind"` // KindUnit, KindUnknownCode, KindUnitUnresolved, KindUnresolved
	Code               string `json:"code"`
	Name               string `json:"name"`
	ProvinceCode       string `json:"province_code"`
	Records            int64  `json:"records"`
	RecordsScanned     int64  `json:"records_scanned"`     // from scanned census forms
	RecordsSpreadsheet int64  `json:"records_spreadsheet"` // from spreadsheets and CSV lists
	RecordsWithID      int64  `json:"records_with_id"`     // carrying a 12-digit identification number
	RecordsCMNDOnly    int64  `json:"records_cmnd_only"`   // carrying only a 9-digit CMND
	Persons            int64  `json:"persons"`             // distinct living persons (not merged into another)
	PersonsWithID      int64  `json:"persons_with_id"`     // with a valid 12-digit number
	PersonsCMNDOnly    int64  `json:"persons_cmnd_only"`   // no valid 12-digit number, a 9-digit CMND
	ChildrenUnder6     int64  `json:"children_under_6"`
	ChildrenUnder6ID   int64  `json:"children_under_6_with_id"`
	// ConflictsOpen are the conflicts not settled: the desk's open queue
	// (no decision, not resolved by the registry), awaiting a second
	// decision or needing field verification; ConflictsDecided those whose
	// latest decision on the desk is final (a ruling once: not again where
	// the registry raises its conflict again decided). A conflict counts
	// in each province its records name, as the desk lists it there (the
	// total: once); below the province in the unit of its first living
	// person there.
	ConflictsOpen    int64  `json:"conflicts_open"`
	ConflictsDecided int64  `json:"conflicts_decided"`
	Population2019   uint64 `json:"population_2019"` // 2019 census; 0 = not known at this level
	Population2024   uint64 `json:"population_2024"` // 2024 estimate; 0 = not known at this level
	// PersonsPct is persons as a share of the expected population (the
	// 2024 estimate, else the 2019 census); 0 when neither is known, and
	// then left out of the JSON (Row.MarshalJSON).
	PersonsPct float64 `json:"persons_pct"`
	// WithIDPct is persons with a number as a share of persons; 0 when
	// the unit has no person, and then left out of the JSON.
	WithIDPct float64 `json:"with_id_pct"`
	// With Options.Since: the same at the start of that month. The share
	// then and its change are nil (left out of the JSON, empty in CSV)
	// where the unit had no person at that date: a share of nothing is no
	// 0%, and a change from it is none either.
	PersonsSince    int64    `json:"persons_since,omitempty"`
	WithIDSince     int64    `json:"persons_with_id_since,omitempty"`
	WithIDPctSince  *float64 `json:"with_id_pct_since,omitempty"`
	WithIDPctChange *float64 `json:"with_id_pct_change,omitempty"` // WithIDPct - WithIDPctSince, in points
}

// Month is one month of progress in a report's scope.
type Month struct {
	Month string `json:"month"` // YYYY-MM
	// By load date: the state at the end of the month.
	Records       int64 `json:"records"`
	Persons       int64 `json:"persons"`
	PersonsWithID int64 `json:"persons_with_id"`
	// By source date: records whose source describes this month (current state).
	RecordsBySourceDate int64 `json:"records_by_source_date"`
	// Loaded is true for months in which something was loaded or changed.
	Loaded bool `json:"loaded"`
}

// Report is coverage at one level of one era.
type Report struct {
	Era      Era     `json:"era"`
	Level    Level   `json:"level"`
	Province string  `json:"province,omitempty"`
	Since    string  `json:"since,omitempty"` // YYYY-MM
	Rows     []Row   `json:"rows"`
	Total    Row     `json:"total"`            // the sum of Rows, but conflicts once each (a row counts those its province's records name)
	Rejects  uint64  `json:"rejects"`          // rejected input rows of the files in force (whole register; they have no address)
	Months   []Month `json:"months,omitempty"` // with Options.Months
}

// columns names the aggregate columns that hold an era's codes.
type columns struct{ province, district, commune string }

func eraColumns(era Era) columns {
	if era == New {
		return columns{"new_province_code", "", "new_commune_code"}
	}
	return columns{"province_code", "district_code", "commune_code"}
}

type cell struct {
	province, unit string
}

// Compute reads the materialised aggregates (never FINAL over records or
// persons) and returns the report: every unit of the level in scope, rows
// for codes outside the reference list and for unresolved addresses, and
// their total.
func Compute(ctx context.Context, conn driver.Conn, opt Options) (*Report, error) {
	if err := opt.Validate(); err != nil {
		return nil, err
	}
	opt = opt.withDefaults()
	u, err := loadUnits()
	if err != nil {
		return nil, err
	}
	cols := eraColumns(opt.Era)
	unitCol := cols.province
	switch opt.Level {
	case District:
		unitCol = cols.district
	case Commune:
		unitCol = cols.commune
	}
	params := clickhouse.Parameters{"p": opt.Province}
	qctx := clickhouse.Context(ctx, clickhouse.WithParameters(params))
	where := ""
	if opt.Province != "" {
		where = " WHERE " + cols.province + " = {p:String}"
	}

	rows := map[cell]*Row{}
	get := func(c cell) *Row {
		r := rows[c]
		if r == nil {
			r = &Row{ProvinceCode: c.province, Code: c.unit}
			rows[c] = r
		}
		return r
	}
	// Records. By district, a record with an old commune counts in that
	// commune's district of the reference list (admin_units_2024, the
	// 2019 census's districts), as its person does below: the resolver
	// gives a record the district of the last list before the reform,
	// where the districts merged in 2025 are gone (Xã Tân Lộc: Huyện
	// Thạch Hà, 445, not Huyện Lộc Hà, 448), and the records of 148
	// communes counted in another district than their persons (user26:
	// Lộc Hà 0 records and 111 persons, Thạch Hà 116 records and 9).
	recUnit := "''"
	if opt.Level == District {
		recUnit = cols.commune
	}
	q := `SELECT toString(` + cols.province + `), toString(` + unitCol + `), toString(` + recUnit + `), sum(records), sumIf(records, source_kind = 'scan'),
		sum(with_id), sum(cmnd_only) FROM coverage_records` + where + ` GROUP BY 1, 2, 3`
	if err := scanRows(qctx, conn, q, func(s scanner) error {
		var p, c, commune string
		var rec, scan, id, cmnd int64
		if err := s.Scan(&p, &c, &commune, &rec, &scan, &id, &cmnd); err != nil {
			return err
		}
		if d, ok := olddistrict.OfCommune(commune); ok && opt.Level == District {
			c = d
		}
		r := get(cell{p, c})
		r.Records += rec
		r.RecordsScanned += scan
		r.RecordsSpreadsheet += rec - scan
		r.RecordsWithID += id
		r.RecordsCMNDOnly += cmnd
		return nil
	}); err != nil {
		return nil, fmt.Errorf("coverage: records: %w", err)
	}
	// Persons. Person rows carry no district: it comes from the commune,
	// else (a person whose address was written in the new era's units has
	// no old commune) from the new commune, where all its predecessors lay
	// in one district, as the resolver gives its records that district.
	personUnit, personNew := unitCol, "''"
	if opt.Level == District {
		personUnit, personNew = cols.commune, "new_commune_code"
	}

	since := "toDate('1970-01-01')"
	if !opt.Since.IsZero() {
		since = "toDate('" + opt.Since.Format("2006-01") + "-01')"
	}
	q = fmt.Sprintf(`SELECT toString(%s), toString(%s), toString(%s), sum(persons), sum(with_id), sum(cmnd_only),
		sumIf(persons, change_month < %s), sumIf(with_id, change_month < %s)
		FROM coverage_persons%s GROUP BY 1, 2, 3`, cols.province, personUnit, personNew, since, since, where)
	if err := scanRows(qctx, conn, q, func(s scanner) error {
		var p, c, nc string
		var n, id, cmnd, nSince, idSince int64
		if err := s.Scan(&p, &c, &nc, &n, &id, &cmnd, &nSince, &idSince); err != nil {
			return err
		}
		if opt.Level == District {
			c = u.oldDistrict(p, c, nc)
		}
		r := get(cell{p, c})
		r.Persons += n
		r.PersonsWithID += id
		r.PersonsCMNDOnly += cmnd
		r.PersonsSince += nSince
		r.WithIDSince += idSince
		return nil
	}); err != nil {
		return nil, fmt.Errorf("coverage: persons: %w", err)
	}
	// Children under 6: born in the last six calendar years (birth dates
	// may be year-only).
	young := opt.Today.Year() - 5
	cwhere := fmt.Sprintf(" WHERE birth_year >= %d", young)
	if opt.Province != "" {
		cwhere += " AND " + cols.province + " = {p:String}"
	}
	q = fmt.Sprintf(`SELECT toString(%s), toString(%s), toString(%s), sum(persons), sum(with_id) FROM coverage_children%s GROUP BY 1, 2, 3`,
		cols.province, personUnit, personNew, cwhere)
	if err := scanRows(qctx, conn, q, func(s scanner) error {
		var p, c, nc string
		var n, id int64
		if err := s.Scan(&p, &c, &nc, &n, &id); err != nil {
			return err
		}
		if opt.Level == District {
			c = u.oldDistrict(p, c, nc)
		}
		r := get(cell{p, c})
		r.ChildrenUnder6 += n
		r.ChildrenUnder6ID += id
		return nil
	}); err != nil {
		return nil, fmt.Errorf("coverage: children: %w", err)
	}
	// Conflicts: once in each province their records name (and below the
	// province, in the unit of their first living person there); the
	// total counts each once (countConflicts).
	conflictsOpen, conflictsDecided, err := countConflicts(qctx, conn, opt, u, get)
	if err != nil {
		return nil, err
	}

	rep := &Report{Era: opt.Era, Level: opt.Level, Province: opt.Province}
	if !opt.Since.IsZero() {
		rep.Since = opt.Since.Format("2006-01")
	}
	// Every reference unit in scope gets a row, with or without data.
	ref, err := Units(opt.Era, opt.Level, opt.Province)
	if err != nil {
		return nil, err
	}
	for _, x := range ref {
		c := cell{x.ProvinceCode, x.Code}
		r := get(c)
		r.Kind, r.Name, r.Population2019, r.Population2024 = KindUnit, x.Name, x.Population2019, x.Population2024
	}
	for c, r := range rows {
		if r.Kind != "" {
			continue
		}
		switch {
		case c.province == "":
			r.Kind, r.Name = KindUnresolved, "(address not resolved)"
		case c.unit == "":
			r.Kind, r.Name = KindUnitUnresolved, "(province known, "+string(opt.Level)+" not resolved)"
		default:
			r.Kind, r.Name = KindUnknownCode, "(code not in the reference list)"
		}
	}
	// Unit-unresolved rows of all provinces are one row unless the report is of one province.
	var unitUnresolved *Row
	for c, r := range rows {
		if r.Kind == KindUnitUnresolved && opt.Province == "" && opt.Level != Province {
			if unitUnresolved == nil {
				unitUnresolved = &Row{Kind: KindUnitUnresolved, Name: r.Name}
			}
			unitUnresolved.add(r)
			delete(rows, c)
		}
	}
	if unitUnresolved != nil {
		rows[cell{"", "~"}] = unitUnresolved
	}
	for _, r := range rows {
		rep.Rows = append(rep.Rows, *r)
	}
	sort.Slice(rep.Rows, func(i, j int) bool {
		a, b := rep.Rows[i], rep.Rows[j]
		if ra, rb := kindRank(a.Kind), kindRank(b.Kind); ra != rb {
			return ra < rb
		}
		if a.ProvinceCode != b.ProvinceCode {
			return a.ProvinceCode < b.ProvinceCode
		}
		return a.Code < b.Code
	})
	rep.Total = Row{Kind: "total", Name: "TOTAL", ProvinceCode: opt.Province}
	for i := range rep.Rows {
		rep.Rows[i].finish()
		rep.Total.add(&rep.Rows[i])
	}
	if opt.Province != "" {
		p := u.byKey[key(opt.Era, Province, opt.Province)]
		rep.Total.Code, rep.Total.Name = p.Code, p.Name
		rep.Total.Population2019, rep.Total.Population2024 = p.Population2019, p.Population2024
	} else {
		rep.Total.Population2019, rep.Total.Population2024 = 0, 0
		for _, x := range u.list {
			if x.Era == opt.Era && x.Level == Province {
				rep.Total.Population2019 += x.Population2019
				rep.Total.Population2024 += x.Population2024
			}
		}
		// A file replaced by a corrected one (dancu import --replaces) is
		// no longer in force: its rejected rows are the corrected file's
		// business now, which has rejects of its own. A database migrated
		// only up to 0021 has no withdrawals (nor their table).
		q := "SELECT count() FROM rejects FINAL WHERE import_batch NOT IN (SELECT replaces FROM withdrawn_records)"
		var withdrawals uint64
		if err := conn.QueryRow(ctx, "SELECT count() FROM system.tables WHERE database = currentDatabase() AND name = 'withdrawn_records'").Scan(&withdrawals); err != nil {
			return nil, fmt.Errorf("coverage: rejects: %w", err)
		}
		if withdrawals == 0 {
			q = "SELECT count() FROM rejects FINAL"
		}
		if err := conn.QueryRow(ctx, q).Scan(&rep.Rejects); err != nil {
			return nil, fmt.Errorf("coverage: rejects: %w", err)
		}
	}
	rep.Total.ConflictsOpen, rep.Total.ConflictsDecided = conflictsOpen, conflictsDecided
	rep.Total.finish()
	if !opt.Since.IsZero() {
		for i := range rep.Rows {
			rep.Rows[i].since()
		}
		rep.Total.since()
	}
	if opt.Months {
		months, err := progress(qctx, conn, cols, where)
		if err != nil {
			return nil, err
		}
		rep.Months = months
	}
	return rep, nil
}

func kindRank(k string) int {
	switch k {
	case KindUnit:
		return 0
	case KindUnknownCode:
		return 1
	case KindUnitUnresolved:
		return 2
	}
	return 3
}

// conflictStatuses is a subquery of the conflicts with each one's class
// for the counts: "open" or "decided", else "" (not counted). A
// conflict's status is the review desk's (web/store: the latest
// decision's status_after, else the matcher's): the matcher's row stays
// "open" after a reviewer's decision that changes no person
// (needs_verification, awaiting_second), and says
// "resolved_by_registry" after one that merged or split the persons.
//
//   - open: not settled — the desk's open queue (no decision, not
//     resolved by the registry), and those awaiting a second decision or
//     needing field verification: work is left on each of them, and an
//     analyst asking "how many conflicts are still to settle here" counts
//     them (user31: before, they were in neither column);
//   - decided: the latest decision on the desk is final — unless the
//     registry has since raised the conflict open again naming a record
//     that decision was not about: open, reopened, as the desk lists it
//     (web/store ConflictRow.Reopened; user34);
//   - neither: resolved by the registry without a decision (the question
//     is gone), and a conflict the registry raised again "decided"
//     because a ruling on another conflict already answers it
//     (registry/conflicts.go, rulingsCover): that ruling counts once, on
//     the conflict it was taken on, which keeps its decision (user31: it
//     counted twice). A ruling is kept only from a decision on the desk
//     (rememberRuling), so such a conflict always has one elsewhere.
//
// Possible matches (schemas.MandatoryConflict), which the queue lists
// only on demand, are in none.
//
// With places false (a database before migration 0028) the conflicts'
// records' provinces are read as none.
func conflictStatuses(places bool) string {
	cols := "record_province_codes, record_new_province_codes"
	if !places {
		cols = "CAST([], 'Array(String)') AS record_province_codes, CAST([], 'Array(String)') AS record_new_province_codes"
	}
	return `(SELECT c.conflict_id AS conflict_id, c.province_code AS province_code, c.person_ids AS person_ids,
		c.record_province_codes AS record_province_codes, c.record_new_province_codes AS record_new_province_codes,
		multiIf(d.status = 'decided' AND c.status = 'open' AND NOT hasAll(d.ruled, c.record_ids)
			AND NOT (c.kind = '` + schemas.ConflictAmbiguousTie + `' AND d.last = '` + schemas.DecisionSamePerson + `'), 'open',
			d.status = 'decided', 'decided', d.status != '', if(d.status IN ('open', 'awaiting_second', 'needs_verification'), 'open', ''),
			c.status = 'open', 'open', '') AS class
	FROM (SELECT conflict_id, province_code, person_ids, ` + cols + `, status, record_ids, kind FROM conflicts FINAL WHERE kind != '` + schemas.ConflictPossibleMatch + `') AS c
	LEFT JOIN (SELECT conflict_id, argMax(status_after, decided_at) AS status, argMax(record_ids, decided_at) AS ruled, argMax(decision, decided_at) AS last FROM decisions GROUP BY conflict_id) AS d
	ON d.conflict_id = c.conflict_id
	WHERE class != '')`
}

// countConflicts adds the open and decided conflicts to the rows and
// returns the report's total of them. A conflict counts once in each
// province (of the report's era) its records name — the permanent and
// current addresses of its records, which the matcher wrote with it
// (conflictsScoped), and the matcher's own province — so that a
// province's row counts what its reviewers see on the desk (user31: a
// shared_id of two provinces counted in one); the total counts each
// conflict once, so provinces' rows may sum to more than the total.
// Below the province, a conflict counts in each of its provinces in the
// unit of its first living person who lives in that province (persons'
// latest rows: a person merged into another, as a same-person decision on
// the conflict merges its first person, is passed over), else in that
// province's row of unresolved units; so a province's rows sum to its
// conflicts.
//
// Each conflict's provinces are computed and grouped in ClickHouse, so
// only per-province (or per-unit) counts come back (cov30: bringing the
// 29,345 conflicts of the 10M records into Go took 179–554 ms a report;
// cov31). No record is read (cov32: the places are the conflict's own
// columns); below the province the persons are read by key, without
// FINAL: ids are spread over the whole table, so the key set of even a
// few thousand conflicts touches most granules, and FINAL then merges all
// of them (docs/coverage-speed.md, stop 32).
func countConflicts(ctx context.Context, conn driver.Conn, opt Options, u *units, get func(cell) *Row) (open, decided int64, err error) {
	// A database not yet migrated to 0028 has no provinces on its
	// conflicts: each counts in its matcher's province, as one written
	// before cov32 does.
	var n uint64
	if err := conn.QueryRow(ctx, `SELECT count() FROM system.columns WHERE database = currentDatabase() AND table = 'conflicts' AND name = 'record_province_codes'`).Scan(&n); err != nil {
		return 0, 0, fmt.Errorf("coverage: conflicts: %w", err)
	}
	places := n > 0
	scoped := conflictsScoped(opt, u, places)
	if opt.Province == "" {
		// The total: each conflict once.
		if err := scanRows(ctx, conn, `SELECT countIf(class = 'open'), countIf(class = 'decided') FROM `+conflictStatuses(places), func(s scanner) error {
			var o, d uint64
			if err := s.Scan(&o, &d); err != nil {
				return err
			}
			open, decided = int64(o), int64(d)
			return nil
		}); err != nil {
			return 0, 0, fmt.Errorf("coverage: conflicts: %w", err)
		}
	}
	var q string
	if opt.Level == Province {
		q = `SELECT prov, '', '', '', '', countIf(class = 'open'), countIf(class = 'decided')
		FROM ` + scoped + ` ARRAY JOIN provs AS prov` + provinceFilter(opt) + `
		GROUP BY prov`
	} else {
		// Each (conflict, province) with its first person living in that
		// province (argMin over the persons' order, those living there
		// first); when none does, another is returned with its province
		// as "-", and the conflict goes to the unresolved row below.
		inProv := "s.province_code"
		if opt.Era == New {
			inProv = "s.new_province_code"
		}
		q = `SELECT prov, if(place.5, place.1, '-'), if(place.5, place.2, '-'), place.3, place.4, countIf(class = 'open'), countIf(class = 'decided')
		FROM
		(
			SELECT c.conflict_id, prov, any(c.class) AS class,
				argMin((s.province_code, s.new_province_code, s.commune_code, s.new_commune_code, s.living), (NOT (s.living AND ` + inProv + ` = prov), i)) AS place
			FROM (SELECT conflict_id, class, person_ids, prov FROM ` + scoped + ` ARRAY JOIN provs AS prov` + provinceFilter(opt) + `) AS c
			ARRAY JOIN c.person_ids AS pid, arrayEnumerate(c.person_ids) AS i
			LEFT JOIN
			(
				SELECT person_id, toString(argMax(province_code, version)) AS province_code, toString(argMax(new_province_code, version)) AS new_province_code,
					toString(argMax(commune_code, version)) AS commune_code, toString(argMax(new_commune_code, version)) AS new_commune_code,
					person_id != '' AND argMax(merged_into, version) = '' AS living
				FROM persons WHERE person_id IN (SELECT arrayJoin(person_ids) FROM ` + scoped + `)
				GROUP BY person_id
			) AS s ON s.person_id = pid
			GROUP BY c.conflict_id, prov
		)
		GROUP BY 1, 2, 3, 4, 5`
	}
	if err := scanRows(ctx, conn, q, func(s scanner) error {
		var prov, pOld, pNew, c, nc string
		var o, d uint64
		if err := s.Scan(&prov, &pOld, &pNew, &c, &nc, &o, &d); err != nil {
			return err
		}
		unit := prov
		if opt.Level != Province {
			switch {
			case opt.Era == New && pNew == prov:
				unit = nc
			case opt.Era == Old && pOld == prov && opt.Level == District:
				unit = u.oldDistrict(pOld, c, nc)
			case opt.Era == Old && pOld == prov:
				unit = c
			default:
				unit = ""
			}
		}
		r := get(cell{prov, unit})
		r.ConflictsOpen += int64(o)
		r.ConflictsDecided += int64(d)
		if opt.Province != "" {
			open, decided = open+int64(o), decided+int64(d)
		}
		return nil
	}); err != nil {
		return 0, 0, fmt.Errorf("coverage: conflicts: %w", err)
	}
	return open, decided, nil
}

// provinceFilter is the WHERE clause keeping one province's (conflict,
// province) pairs, for a one-province report.
func provinceFilter(opt Options) string {
	if opt.Province == "" {
		return ""
	}
	return " WHERE prov = " + stringLit(opt.Province)
}

// conflictsScoped is a subquery of the counted conflicts (conflictStatuses)
// with provs, the provinces of opt's era each counts in: the matcher's
// (old-era) province and those of its records' addresses, which the
// matcher wrote with the conflict (record_province_codes,
// record_new_province_codes: migration 0028), distinct; the empty code (unresolved)
// when none is known. In the new era an old code counts as the province
// it became; in the old era an address written only in the new era's
// units names no old province. For a one-province report, only the
// conflicts counted in it. Nothing is read but the conflicts and the
// decisions (cov31 read the desk's conflict_places and, for a conflict
// the desk had not placed, its records by key).
func conflictsScoped(opt Options, u *units, places bool) string {
	var provs string
	if opt.Era == New {
		olds, news := make([]string, 0, len(u.oldToNew)), make([]string, 0, len(u.oldToNew))
		for o, n := range u.oldToNew {
			olds, news = append(olds, o), append(news, n)
		}
		provs = `arrayDistinct(arrayFilter(x -> x != '', arrayConcat(
			arrayMap(o -> transform(o, ` + stringArray(olds) + `, ` + stringArray(news) + `, ''), arrayConcat([toString(c.province_code)], arrayMap(x -> toString(x), c.record_province_codes))),
			arrayMap(x -> toString(x), c.record_new_province_codes))))`
	} else {
		provs = `arrayDistinct(arrayFilter(x -> x != '', arrayConcat([toString(c.province_code)], arrayMap(x -> toString(x), c.record_province_codes))))`
	}
	where := ""
	if opt.Province != "" {
		where = " WHERE has(provs, " + stringLit(opt.Province) + ")"
	}
	return `(SELECT conflict_id, class, person_ids, if(empty(ps), [''], ps) AS provs FROM
	(
		SELECT c.conflict_id AS conflict_id, c.class AS class, c.person_ids AS person_ids, ` + provs + ` AS ps
		FROM ` + conflictStatuses(places) + ` AS c
	)` + where + `)`
}

// stringLit is s as a ClickHouse string literal.
func stringLit(s string) string {
	return `'` + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + `'`
}

// stringArray is ss as a ClickHouse array of string literals.
func stringArray(ss []string) string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = stringLit(s)
	}
	return "[" + strings.Join(out, ",") + "]"
}

// add adds the counts of o to r (populations are not summed: a unit's own).
func (r *Row) add(o *Row) {
	r.Records += o.Records
	r.RecordsScanned += o.RecordsScanned
	r.RecordsSpreadsheet += o.RecordsSpreadsheet
	r.RecordsWithID += o.RecordsWithID
	r.RecordsCMNDOnly += o.RecordsCMNDOnly
	r.Persons += o.Persons
	r.PersonsWithID += o.PersonsWithID
	r.PersonsCMNDOnly += o.PersonsCMNDOnly
	r.ChildrenUnder6 += o.ChildrenUnder6
	r.ChildrenUnder6ID += o.ChildrenUnder6ID
	r.ConflictsOpen += o.ConflictsOpen
	r.ConflictsDecided += o.ConflictsDecided
	r.PersonsSince += o.PersonsSince
	r.WithIDSince += o.WithIDSince
}

func pct(a int64, b uint64) float64 {
	if b == 0 {
		return 0
	}
	return float64(int64(10000*float64(a)/float64(b)+0.5)) / 100
}

func (r *Row) finish() {
	pop := r.Population2024
	if pop == 0 {
		pop = r.Population2019
	}
	r.PersonsPct = pct(r.Persons, pop)
	if r.Persons > 0 {
		r.WithIDPct = pct(r.PersonsWithID, uint64(r.Persons))
	}
}

// since sets the share at the start of the Since month and its change,
// where the unit had persons then and has now (each share needs persons).
func (r *Row) since() {
	r.WithIDPctSince, r.WithIDPctChange = nil, nil
	if r.PersonsSince <= 0 {
		return
	}
	then := pct(r.WithIDSince, uint64(r.PersonsSince))
	r.WithIDPctSince = &then
	if r.Persons <= 0 {
		return
	}
	d := r.WithIDPct - then
	change := float64(int64(d*100+sign(d)*0.5)) / 100
	r.WithIDPctChange = &change
}

func sign(f float64) float64 {
	if f < 0 {
		return -1
	}
	return 1
}

// progress returns month by month figures in the report's scope: the state
// at the end of each load month (running sums of the deltas) and records
// by the month their source describes.
func progress(ctx context.Context, conn driver.Conn, cols columns, where string) ([]Month, error) {
	by := map[string]*Month{}
	get := func(m string) *Month {
		x := by[m]
		if x == nil {
			x = &Month{Month: m}
			by[m] = x
		}
		return x
	}
	type delta struct{ records, persons, withID int64 }
	deltas := map[string]*delta{}
	dget := func(m string) *delta {
		d := deltas[m]
		if d == nil {
			d = &delta{}
			deltas[m] = d
		}
		return d
	}
	if err := scanRows(ctx, conn, `SELECT formatDateTime(load_month, '%Y-%m'), sum(records) FROM coverage_records`+where+` GROUP BY 1`, func(s scanner) error {
		var m string
		var n int64
		if err := s.Scan(&m, &n); err != nil {
			return err
		}
		dget(m).records += n
		return nil
	}); err != nil {
		return nil, fmt.Errorf("coverage: progress by load month: %w", err)
	}
	if err := scanRows(ctx, conn, `SELECT formatDateTime(change_month, '%Y-%m'), sum(persons), sum(with_id) FROM coverage_persons`+where+` GROUP BY 1`, func(s scanner) error {
		var m string
		var n, id int64
		if err := s.Scan(&m, &n, &id); err != nil {
			return err
		}
		d := dget(m)
		d.persons += n
		d.withID += id
		return nil
	}); err != nil {
		return nil, fmt.Errorf("coverage: progress of persons: %w", err)
	}
	if err := scanRows(ctx, conn, `SELECT formatDateTime(source_month, '%Y-%m'), sum(records) FROM coverage_records`+where+` GROUP BY 1 HAVING sum(records) != 0`, func(s scanner) error {
		var m string
		var n int64
		if err := s.Scan(&m, &n); err != nil {
			return err
		}
		if m == "1970-01" {
			m = "unknown"
		}
		get(m).RecordsBySourceDate += n
		return nil
	}); err != nil {
		return nil, fmt.Errorf("coverage: progress by source month: %w", err)
	}
	var ms []string
	for m := range deltas {
		ms = append(ms, m)
	}
	sort.Strings(ms)
	var run delta
	for _, m := range ms {
		d := deltas[m]
		run.records += d.records
		run.persons += d.persons
		run.withID += d.withID
		x := get(m)
		x.Records, x.Persons, x.PersonsWithID = run.records, run.persons, run.withID
		x.Loaded = true
	}
	var out []Month
	for _, x := range by {
		out = append(out, *x)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Month < out[j].Month })
	// Months with source records but no load keep the running state of the
	// load months before them.
	var last Month
	for i := range out {
		if _, loaded := deltas[out[i].Month]; loaded {
			last = out[i]
		} else if out[i].Month != "unknown" {
			out[i].Records, out[i].Persons, out[i].PersonsWithID = last.Records, last.Persons, last.PersonsWithID
		}
	}
	return out, nil
}

type scanner interface{ Scan(dest ...any) error }

func scanRows(ctx context.Context, conn driver.Conn, q string, f func(scanner) error) error {
	rows, err := conn.Query(ctx, q)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := f(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
