package coverage_test

import (
	"context"
	"fmt"
	"math/rand"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/dancu-vn/dancu/coverage"
	"github.com/dancu-vn/dancu/internal/chdb/chdbtest"
	"github.com/dancu-vn/dancu/internal/chstore"
	"github.com/dancu-vn/dancu/pipelines"
	"github.com/dancu-vn/dancu/registry"
	"github.com/dancu-vn/dancu/schemas"
)

func TestMain(m *testing.M) { chdbtest.Main(m) }

// openDB returns a fresh migrated database.
func openDB(t *testing.T) driver.Conn {
	t.Helper()
	conn, _ := chdbtestOpen(t)
	return conn
}

func chdbtestOpen(t testing.TB) (driver.Conn, string) {
	t.Helper()
	conn, db := chdbtest.Open(t)
	if _, err := chstore.Migrate(context.Background(), conn); err != nil {
		t.Fatal(err)
	}
	return conn, db
}

// addr is one resolved address of both eras, from the reference lists.
type addr struct{ p, d, c, np, nc string }

// places are real units (Nghệ An, Hà Nội, Hà Giang → Tuyên Quang) plus a
// province-only address and an unresolved one.
var places = []addr{
	{"40", "412", "16681", "40", "16681"},
	{"40", "412", "16684", "40", "16681"},
	{"40", "431", "17920", "40", "17920"},
	{"01", "001", "00001", "01", "00097"},
	{"01", "001", "00004", "01", "00004"},
	{"02", "024", "00688", "08", "00688"},
	{"40", "", "", "40", ""},
	{"", "", "", "", ""},
}

func record(id string, a addr, kind, idNumber, cmnd string, month int) schemas.Record {
	return schemas.Record{RecordID: id, SchemaVersion: schemas.Version, SourceKind: kind, FullName: "x",
		PermProvinceCode: a.p, PermDistrictCode: a.d, PermCommuneCode: a.c, PermNewProvinceCode: a.np, PermNewCommuneCode: a.nc,
		IDNumber: idNumber, CMND: cmnd, SourceDate: time.Date(2026, time.Month(month), 1, 0, 0, 0, 0, time.UTC)}
}

func person(id string, ver uint64, a addr, idNumber string, birthYear int, mergedInto string, month int) schemas.Person {
	return schemas.Person{PersonID: id, Version: ver, ProvinceCode: a.p, CommuneCode: a.c, NewProvinceCode: a.np, NewCommuneCode: a.nc,
		IDNumber: idNumber, BirthYear: uint16(birthYear), MergedInto: mergedInto, UpdatedAt: time.Date(2026, time.Month(month), 10, 0, 0, 0, 0, time.UTC)}
}

// bruteForce computes the report's counts straight from records FINAL
// (less those withdrawn) and persons FINAL, keyed by province|unit.
func bruteForce(t *testing.T, conn driver.Conn, era coverage.Era, level coverage.Level, today int) map[string][7]int64 {
	t.Helper()
	old := era == coverage.Old
	pr, unit := "if(perm_province_code != '', perm_province_code, cur_province_code)", ""
	ppr, punit := "province_code", ""
	if !old {
		pr, ppr = "if(perm_new_province_code != '', perm_new_province_code, cur_new_province_code)", "new_province_code"
	}
	switch {
	case level == coverage.Province:
		unit, punit = pr, ppr
	case level == coverage.Commune && old:
		unit, punit = "if(perm_province_code != '', perm_commune_code, cur_commune_code)", "commune_code"
	case level == coverage.Commune:
		unit, punit = "if(perm_new_province_code != '', perm_new_commune_code, cur_new_commune_code)", "new_commune_code"
	}
	out := map[string][7]int64{}
	rows, err := conn.Query(context.Background(), fmt.Sprintf(`SELECT toString(%s), toString(%s), count(), countIf(source_kind = 'scan'), countIf(match(id_number, '^[0-9]{12}$'))
		FROM records FINAL %s GROUP BY 1, 2`, pr, unit, notWithdrawn(t, conn)))
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var p, u string
		var n, s, id uint64
		if err := rows.Scan(&p, &u, &n, &s, &id); err != nil {
			t.Fatal(err)
		}
		v := out[p+"|"+u]
		v[0], v[1], v[2] = int64(n), int64(s), int64(id)
		out[p+"|"+u] = v
	}
	rows.Close()
	rows, err = conn.Query(context.Background(), fmt.Sprintf(`SELECT toString(%s), toString(%s), count(), countIf(match(id_number, '^[0-9]{12}$')), countIf(birth_year >= %d),
		countIf(NOT match(id_number, '^[0-9]{12}$') AND match(cmnd, '^[0-9]{9}$'))
		FROM persons FINAL WHERE merged_into = '' GROUP BY 1, 2`, ppr, punit, today-5))
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var p, u string
		var n, id, kids, cmnd uint64
		if err := rows.Scan(&p, &u, &n, &id, &kids, &cmnd); err != nil {
			t.Fatal(err)
		}
		v := out[p+"|"+u]
		v[3], v[4], v[5], v[6] = int64(n), int64(id), int64(kids), int64(cmnd)
		out[p+"|"+u] = v
	}
	rows.Close()
	return out
}

// notWithdrawn is the condition that leaves withdrawn records out, on a
// database migrated to 0022 (TestAggregatesThroughMigration16 checks one
// at 0015 too).
func notWithdrawn(t *testing.T, conn driver.Conn) string {
	t.Helper()
	var n uint64
	if err := conn.QueryRow(context.Background(), "SELECT count() FROM system.tables WHERE database = currentDatabase() AND name = 'withdrawn_records'").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		return ""
	}
	return "WHERE record_id NOT IN (SELECT record_id FROM withdrawn_records)"
}

// check compares the report computed from the aggregates with the brute
// force, for both eras at province and commune level.
func check(t *testing.T, conn driver.Conn, step string) {
	t.Helper()
	for _, era := range []coverage.Era{coverage.Old, coverage.New} {
		for _, level := range []coverage.Level{coverage.Province, coverage.Commune} {
			rep, err := coverage.Compute(context.Background(), conn, coverage.Options{Era: era, Level: level, Today: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)})
			if err != nil {
				t.Fatalf("%s: %v", step, err)
			}
			want := bruteForce(t, conn, era, level, 2026)
			got := map[string][7]int64{}
			var sum coverage.Row
			for _, r := range rep.Rows {
				if r.Records < 0 || r.Persons < 0 {
					t.Errorf("%s %s/%s: negative row %+v", step, era, level, r)
				}
				sum.Records += r.Records
				sum.Persons += r.Persons
				if r.Records == 0 && r.Persons == 0 {
					continue
				}
				k := r.ProvinceCode + "|" + r.Code
				if r.Kind == coverage.KindUnitUnresolved && level != coverage.Province {
					continue // merged over provinces; checked by the totals below
				}
				got[k] = [7]int64{r.Records, r.RecordsScanned, r.RecordsWithID, r.Persons, r.PersonsWithID, r.ChildrenUnder6, r.PersonsCMNDOnly}
			}
			var wantRecords, wantPersons int64
			for k, v := range want {
				wantRecords += v[0]
				wantPersons += v[3]
				var p, u string
				fmt.Sscanf(k, "%s", &p)
				p, u, _ = cut(k)
				if level != coverage.Province && p != "" && u == "" {
					continue
				}
				if got[k] != v {
					t.Errorf("%s %s/%s %q: aggregates %v, brute force FINAL %v", step, era, level, k, got[k], v)
				}
			}
			for k, v := range got {
				if _, ok := want[k]; !ok {
					t.Errorf("%s %s/%s %q: aggregates %v, brute force has none", step, era, level, k, v)
				}
			}
			if sum.Records != wantRecords || rep.Total.Records != wantRecords || sum.Persons != wantPersons || rep.Total.Persons != wantPersons {
				t.Errorf("%s %s/%s: rows sum to %d records %d persons, total %d/%d, FINAL %d/%d", step, era, level,
					sum.Records, sum.Persons, rep.Total.Records, rep.Total.Persons, wantRecords, wantPersons)
			}
		}
	}
}

func cut(k string) (string, string, bool) {
	for i := 0; i < len(k); i++ {
		if k[i] == '|' {
			return k[:i], k[i+1:], true
		}
	}
	return k, "", false
}

// trackers hold, per database, the coverage state of the persons written
// (driver.Conn → *registry.CoverageTracker): the persons' deltas are
// computed with the registry's rule, as the registry emits them beside
// its person rows (migration 0013).
var trackers sync.Map

func tracker(conn driver.Conn) *registry.CoverageTracker {
	tr, _ := trackers.LoadOrStore(conn, &registry.CoverageTracker{})
	return tr.(*registry.CoverageTracker)
}

// recordTrackers hold, per database, the coverage state of the records
// written (driver.Conn → *registry.RecordCoverageTracker): the records'
// deltas are computed with the registry's rule, as the registry emits
// them (migration 0015).
var recordTrackers sync.Map

func recordTracker(conn driver.Conn) *registry.RecordCoverageTracker {
	tr, _ := recordTrackers.LoadOrStore(conn, &registry.RecordCoverageTracker{})
	return tr.(*registry.RecordCoverageTracker)
}

// write loads records and persons, with the persons' and the records'
// coverage deltas, as the load stage does; then writes the deltas once
// more, as a replay of their message after a crash would (which must
// change nothing).
func write(t *testing.T, conn driver.Conn, recs []schemas.Record, persons []schemas.Person) {
	t.Helper()
	s := &pipelines.ClickHouseSink{Conn: conn}
	deltas, sums := registry.SumPersonDeltas(tracker(conn).Deltas(persons))
	rdeltas := recordTracker(conn).Deltas(recs, time.Now())
	replay, sreplay, rreplay := slices.Clone(deltas), slices.Clone(sums), slices.Clone(rdeltas)
	if err := s.Write(context.Background(), &pipelines.Batch{Records: recs, Persons: persons, PersonDeltas: deltas, PersonDeltaSums: sums, RecordDeltas: rdeltas}); err != nil {
		t.Fatal(err)
	}
	if len(replay) > 0 || len(sreplay) > 0 || len(rreplay) > 0 {
		if err := s.Write(context.Background(), &pipelines.Batch{PersonDeltas: replay, PersonDeltaSums: sreplay, RecordDeltas: rreplay}); err != nil {
			t.Fatal(err)
		}
	}
}

// The aggregates stay equal to a brute-force FINAL query through loads,
// identical re-loads, address corrections, person merges and splits, and a
// late-arriving older person version.
func TestAggregatesMatchFinal(t *testing.T) {
	conn := openDB(t)
	var recs []schemas.Record
	var persons []schemas.Person
	for i := 0; i < 40; i++ {
		a := places[i%len(places)]
		kind := schemas.KindSpreadsheet
		if i%3 == 0 {
			kind = schemas.KindScan
		}
		id := ""
		if i%2 == 0 {
			id = fmt.Sprintf("0401900%05d", i)
		}
		recs = append(recs, record(fmt.Sprintf("r%02d", i), a, kind, id, "", 1+i%4))
		if i%2 == 0 {
			p := person(fmt.Sprintf("p%02d", i), 1, a, id, 2018+i%8, "", 3)
			// Some persons carry an old CMND: with no number (i%8 ==
			// 0) they count as persons with only a CMND.
			if i%4 == 0 {
				p.CMND = fmt.Sprintf("1%08d", i)
			}
			if i%8 == 0 {
				p.IDNumber = ""
			}
			persons = append(persons, p)
		}
	}
	write(t, conn, recs, persons)
	if rep, err := coverage.Compute(context.Background(), conn, coverage.Options{}); err != nil || rep.Total.PersonsCMNDOnly != 5 {
		t.Fatalf("persons with only a CMND: %+v (%v), want 5 (p00, p08, p16, p24, p32)", rep.Total, err)
	}
	check(t, conn, "first load")

	write(t, conn, recs, persons) // identical re-load
	write(t, conn, recs[:10], nil)
	check(t, conn, "re-load")
	rep, err := coverage.Compute(context.Background(), conn, coverage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Total.Records != 40 || rep.Total.Persons != 20 {
		t.Fatalf("after re-loads: %d records %d persons, want 40 and 20", rep.Total.Records, rep.Total.Persons)
	}

	// Address corrections: r00 moves province, r01 moves commune, r07 gets
	// resolved, r06 loses its commune.
	c := []schemas.Record{recs[0], recs[1], recs[7], recs[6]}
	c[0].PermProvinceCode, c[0].PermDistrictCode, c[0].PermCommuneCode, c[0].PermNewProvinceCode, c[0].PermNewCommuneCode = "01", "001", "00004", "01", "00004"
	c[1].PermCommuneCode = "16684"
	a := places[2]
	c[2].PermProvinceCode, c[2].PermDistrictCode, c[2].PermCommuneCode, c[2].PermNewProvinceCode, c[2].PermNewCommuneCode = a.p, a.d, a.c, a.np, a.nc
	c[3].PermCommuneCode, c[3].PermNewCommuneCode = "", ""
	write(t, conn, c, nil)
	check(t, conn, "address correction")

	// Merge: p02 and p04 into p00 (higher version); split: p06 loses a
	// part to the new p99 and moves commune.
	merged := []schemas.Person{
		person("p02", 2, addr{}, "", 0, "p00", 4),
		person("p04", 2, addr{}, "", 0, "p00", 4),
	}
	write(t, conn, nil, merged)
	check(t, conn, "merge")
	split := []schemas.Person{person("p99", 3, places[1], "", 2024, "", 5), person("p06", 3, places[4], "040190000006", 2021, "", 5)}
	write(t, conn, nil, split)
	check(t, conn, "split")
	write(t, conn, nil, []schemas.Person{persons[3]}) // p06 version 1 arrives late
	check(t, conn, "late older version")
	p00 := persons[0]
	p00.Version, p00.IDNumber = 4, "040190000099" // a CMND-only person gets a number
	write(t, conn, nil, []schemas.Person{p00})
	check(t, conn, "CMND-only person gets a number")
	if rep, err := coverage.Compute(context.Background(), conn, coverage.Options{}); err != nil || rep.Total.PersonsCMNDOnly != 4 {
		t.Errorf("after p00 got a number: %d persons with only a CMND (%v), want 4", rep.Total.PersonsCMNDOnly, err)
	}

	rep, err = coverage.Compute(context.Background(), conn, coverage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Total.Persons != 19 {
		t.Errorf("after merging two and splitting one: %d persons, want 20-2+1", rep.Total.Persons)
	}
	checkViews(t, conn)

	// Rebuild recomputes the same aggregates from FINAL, less the
	// records withdrawn (marked here without their deltas, which only
	// Rebuild then takes into account).
	if err := conn.Exec(context.Background(), "INSERT INTO withdrawn_records (record_id, withdrawal_id) VALUES ('r03', 'w1'), ('r12', 'w1')"); err != nil {
		t.Fatal(err)
	}
	if err := coverage.Rebuild(context.Background(), conn); err != nil {
		t.Fatal(err)
	}
	check(t, conn, "rebuild")
	checkViews(t, conn)
	if rep, err := coverage.Compute(context.Background(), conn, coverage.Options{}); err != nil || rep.Total.Records != 38 || rep.Total.Persons != 19 {
		t.Errorf("after rebuild: %+v (%v), want 40-2 records and 19 persons", rep.Total, err)
	}
}

// The analyst views agree with the report, unit by unit.
func checkViews(t *testing.T, conn driver.Conn) {
	t.Helper()
	for _, v := range []struct {
		view, code string
		level      coverage.Level
	}{{"coverage_by_province", "province_code", coverage.Province}, {"coverage_by_commune", "commune_code", coverage.Commune}} {
		for _, era := range []coverage.Era{coverage.Old, coverage.New} {
			rep, err := coverage.Compute(context.Background(), conn, coverage.Options{Era: era, Level: v.level})
			if err != nil {
				t.Fatal(err)
			}
			want := map[string][3]int64{}
			for _, r := range rep.Rows {
				if r.Kind == coverage.KindUnit && (r.Records != 0 || r.Persons != 0) {
					want[r.Code] = [3]int64{r.Records, r.Persons, r.PersonsWithID}
				}
			}
			rows, err := conn.Query(context.Background(), "SELECT toString("+v.code+"), records, persons, persons_with_id FROM "+v.view+
				" WHERE era = '"+string(era)+"' AND (records != 0 OR persons != 0)")
			if err != nil {
				t.Fatal(err)
			}
			got := map[string][3]int64{}
			for rows.Next() {
				var c string
				var a, b, d int64
				if err := rows.Scan(&c, &a, &b, &d); err != nil {
					t.Fatal(err)
				}
				got[c] = [3]int64{a, b, d}
			}
			rows.Close()
			if len(got) == 0 || fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("%s %s: view %v, report %v", v.view, era, got, want)
			}
		}
	}
}

// Random loads, re-loads, corrections, merges and splits, checked against
// FINAL after every round.
func TestAggregatesRandomHistory(t *testing.T) {
	conn := openDB(t)
	rng := rand.New(rand.NewSource(7))
	recs := map[string]schemas.Record{}
	pers := map[string]schemas.Person{}
	ver := uint64(1)
	for round := 0; round < 6; round++ {
		var rb []schemas.Record
		var pb []schemas.Person
		for i := 0; i < 60; i++ {
			switch op := rng.Intn(5); {
			case op <= 1 || len(recs) == 0: // new or re-loaded record
				id := fmt.Sprintf("r%03d", rng.Intn(150))
				r, ok := recs[id]
				if !ok {
					idn := ""
					if rng.Intn(2) == 0 {
						idn = fmt.Sprintf("0012%08d", rng.Intn(1e8))
					}
					r = record(id, places[rng.Intn(len(places))], []string{schemas.KindScan, schemas.KindCSV, schemas.KindSpreadsheet}[rng.Intn(3)], idn, "", 1+rng.Intn(6))
				}
				recs[id] = r
				rb = append(rb, r)
			case op == 2: // correction
				for id, r := range recs {
					a := places[rng.Intn(len(places))]
					r.PermProvinceCode, r.PermDistrictCode, r.PermCommuneCode, r.PermNewProvinceCode, r.PermNewCommuneCode = a.p, a.d, a.c, a.np, a.nc
					recs[id] = r
					rb = append(rb, r)
					break
				}
			default: // person new, moved, merged, or a stale version
				id := fmt.Sprintf("p%03d", rng.Intn(80))
				ver++
				p, ok := pers[id]
				switch {
				case !ok || rng.Intn(3) == 0:
					idn := ""
					if rng.Intn(2) == 0 {
						idn = fmt.Sprintf("0012%08d", rng.Intn(1e8))
					}
					p = person(id, ver, places[rng.Intn(len(places))], idn, 2000+rng.Intn(26), "", 1+rng.Intn(6))
					if rng.Intn(2) == 0 {
						p.CMND = fmt.Sprintf("%09d", rng.Intn(1e9))
					}
				case rng.Intn(2) == 0:
					p = person(id, ver, addr{}, "", 0, "p000", 1+rng.Intn(6))
				default:
					stale := p
					stale.Version = 0
					pb = append(pb, stale)
					continue
				}
				pers[id] = p
				pb = append(pb, p)
			}
		}
		write(t, conn, rb, pb)
		if round%2 == 1 {
			write(t, conn, rb, pb) // the same batch again
		}
		check(t, conn, fmt.Sprintf("round %d", round))
	}
}

// Below the province a conflict counts in the district or commune of its
// first living person in the province, or in its province's row of
// unresolved units when none of its persons lives there or they are
// unknown; rows sum to the conflicts.
func TestConflictsByUnit(t *testing.T) {
	conn := openDB(t)
	ps := []schemas.Person{person("pA", 1, places[0], "", 1990, "", 3), person("pB", 1, places[3], "", 1990, "", 3)}
	conflict := func(id, prov, status string, persons ...string) schemas.Conflict {
		return schemas.Conflict{ConflictID: id, Kind: schemas.ConflictSharedID, ProvinceCode: prov, PersonIDs: persons, Status: status, Version: 1}
	}
	cs := []schemas.Conflict{
		conflict("c1", "40", "open", "pA", "pB"), // Nghệ An, commune of pA
		conflict("c2", "40", "open", "pB", "pA"), // decided (below); first person in Hà Nội: Nghệ An, commune of pA
		conflict("c3", "01", "open", "pB"),       // Hà Nội, commune of pB
		conflict("c4", "40", "open", "pX"),       // person unknown: Nghệ An, unit unresolved
	}
	legacy, sums := registry.SumPersonDeltas(tracker(conn).Deltas(ps))
	if err := (&pipelines.ClickHouseSink{Conn: conn}).Write(context.Background(), &pipelines.Batch{Persons: ps, Conflicts: cs, PersonDeltas: legacy, PersonDeltaSums: sums}); err != nil {
		t.Fatal(err)
	}
	decide(t, conn, "c2", schemas.DecisionDifferentPersons, schemas.StatusDecided)
	type want struct {
		kind, code  string
		open, decid int64
	}
	for _, tc := range []struct {
		opt  coverage.Options
		rows []want
	}{
		{coverage.Options{Era: coverage.Old, Level: coverage.Commune, Province: "40"},
			[]want{{coverage.KindUnit, places[0].c, 1, 1}, {coverage.KindUnitUnresolved, "", 1, 0}}},
		{coverage.Options{Era: coverage.Old, Level: coverage.District, Province: "40"},
			[]want{{coverage.KindUnit, places[0].d, 1, 1}, {coverage.KindUnitUnresolved, "", 1, 0}}},
		{coverage.Options{Era: coverage.New, Level: coverage.Commune, Province: "40"},
			[]want{{coverage.KindUnit, places[0].nc, 1, 1}, {coverage.KindUnitUnresolved, "", 1, 0}}},
		{coverage.Options{Era: coverage.New, Level: coverage.Commune, Province: "01"},
			[]want{{coverage.KindUnit, places[3].nc, 1, 0}}},
		{coverage.Options{Era: coverage.Old, Level: coverage.Commune},
			[]want{{coverage.KindUnit, places[3].c, 1, 0}, {coverage.KindUnit, places[0].c, 1, 1}, {coverage.KindUnitUnresolved, "", 1, 0}}}, // sorted by province: Hà Nội first
	} {
		rep, err := coverage.Compute(context.Background(), conn, tc.opt)
		if err != nil {
			t.Fatal(err)
		}
		var got []want
		var open, decided int64
		for _, r := range rep.Rows {
			open, decided = open+r.ConflictsOpen, decided+r.ConflictsDecided
			if r.ConflictsOpen != 0 || r.ConflictsDecided != 0 {
				got = append(got, want{r.Kind, r.Code, r.ConflictsOpen, r.ConflictsDecided})
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(tc.rows) {
			t.Errorf("%+v: conflicts in rows %v, want %v", tc.opt, got, tc.rows)
		}
		if open != rep.Total.ConflictsOpen || decided != rep.Total.ConflictsDecided {
			t.Errorf("%+v: rows sum to %d open %d decided, total %d/%d", tc.opt, open, decided, rep.Total.ConflictsOpen, rep.Total.ConflictsDecided)
		}
	}
}

// A database loaded before migrations 0009 (record_state re-keyed by
// file) and 0011 (persons with only a CMND) keeps right aggregates
// through them: its records are fed once more through the new views, and
// later re-loads and corrections still match FINAL.
func TestAggregatesThroughLaterMigrations(t *testing.T) {
	conn, _ := chdbtest.Open(t)
	ctx := context.Background()
	migs, err := schemas.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	apply := func(from, to int) {
		for _, m := range migs {
			if m.Version < from || m.Version > to {
				continue
			}
			for _, st := range m.Statements {
				if err := conn.Exec(ctx, st); err != nil {
					t.Fatalf("%s: %v", m.Name, err)
				}
			}
		}
	}
	apply(0, 8)
	recordsV2Columns(t, conn)
	// Persons written before 0013 were counted by the views on persons:
	// the tracker does not know them (as a registry created before it kept
	// coverage state would not).
	trackers.Store(conn, &registry.CoverageTracker{Legacy: true})
	var recs []schemas.Record
	var persons []schemas.Person
	for i := 0; i < 30; i++ {
		r := record(fmt.Sprintf("r%02d", i), places[i%len(places)], schemas.KindCSV, "", fmt.Sprintf("1%08d", i), 1+i%4)
		r.FileHash = fmt.Sprintf("f%d", i%3)
		recs = append(recs, r)
	}
	// Before 0011 the persons table has no cmnd column: write the rows the
	// way the sink of that time did.
	for i := 0; i < 10; i++ {
		persons = append(persons, person(fmt.Sprintf("p%02d", i), 1, places[i%len(places)], "", 2020, "", 3))
	}
	// Before 0015 the records' views count the records: written
	// without deltas; the tracker (as a registry that did not keep
	// records' states) does not know them.
	recordTrackers.Store(conn, &registry.RecordCoverageTracker{Legacy: true})
	if err := (&pipelines.ClickHouseSink{Conn: conn}).Write(ctx, &pipelines.Batch{Records: recs}); err != nil {
		t.Fatal(err)
	}
	for _, p := range persons {
		if err := conn.Exec(ctx, "INSERT INTO persons (person_id, version, province_code, commune_code, new_province_code, new_commune_code, birth_year, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
			p.PersonID, p.Version, p.ProvinceCode, p.CommuneCode, p.NewProvinceCode, p.NewCommuneCode, p.BirthYear, p.UpdatedAt); err != nil {
			t.Fatal(err)
		}
	}
	apply(9, 1<<30)
	check(t, conn, "after migrations 0009–")
	write(t, conn, recs, nil) // re-load: nothing changes
	c := recs[0]
	c.PermProvinceCode, c.PermDistrictCode, c.PermCommuneCode, c.PermNewProvinceCode, c.PermNewCommuneCode = "01", "001", "00004", "01", "00004"
	p := persons[1]
	p.Version, p.CMND = 2, "123456789"
	write(t, conn, []schemas.Record{c}, []schemas.Person{p})
	check(t, conn, "re-load, correction and a CMND after the migrations")
	rep, err := coverage.Compute(ctx, conn, coverage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Total.Records != 30 || rep.Total.RecordsCMNDOnly != 30 || rep.Total.Persons != 10 || rep.Total.PersonsCMNDOnly != 1 {
		t.Errorf("after the migrations: %d records (%d CMND only), %d persons (%d CMND only); want 30 (30), 10 (1)",
			rep.Total.Records, rep.Total.RecordsCMNDOnly, rep.Total.Persons, rep.Total.PersonsCMNDOnly)
	}
}

// One insert may hold several rows of one id (a batch re-delivered into
// the same flush, a record corrected twice, a person written at several
// versions, out of order): the views count the row FINAL keeps — the last
// record, the person's highest version — once, and a second insert of the
// same rows changes nothing.
func TestAggregatesDuplicatesInOneInsert(t *testing.T) {
	conn := openDB(t)
	var recs []schemas.Record
	for copy := 0; copy < 3; copy++ {
		for i := 0; i < 10; i++ {
			a := places[(i+copy)%len(places)]
			recs = append(recs, record(fmt.Sprintf("r%02d", i), a, schemas.KindScan, fmt.Sprintf("0010%08d", i*copy), "", 1+copy))
		}
	}
	var persons []schemas.Person
	for i := 0; i < 5; i++ {
		for _, v := range []uint64{3, 1, 2} {
			persons = append(persons, person(fmt.Sprintf("p%d", i), v, places[(i+int(v))%len(places)], "", 2021, "", int(v)))
		}
	}
	// p9: merged at version 2, arriving before its living version 1.
	persons = append(persons, person("p9", 2, addr{}, "", 0, "p0", 4), person("p9", 1, places[0], "001234567890", 2022, "", 3))
	write(t, conn, recs, persons)
	check(t, conn, "one insert with three rows per id")
	write(t, conn, recs, persons)
	check(t, conn, "the same insert again")
	rep, err := coverage.Compute(context.Background(), conn, coverage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Total.Records != 10 || rep.Total.Persons != 5 {
		t.Errorf("%d records and %d persons counted, want 10 and 5", rep.Total.Records, rep.Total.Persons)
	}
}

// Conflicts count as open or decided by the review desk's status: open
// until settled (no decision, awaiting a second decision, needing field
// verification), decided where the latest decision is final, neither
// where the registry resolved it without anyone deciding it or raised it
// again decided because a ruling on another conflict answers it (that
// ruling counts on its own conflict: TestConflictCountsPerProvince).
// A same-person decision merges the conflict's persons: when its first
// person is the one merged away (its row has no address any more), the
// conflict counts in the unit of its next person, the one it was merged
// into, not in the province's row of unresolved units.
func TestConflictOfAMergedPerson(t *testing.T) {
	conn := openDB(t)
	write(t, conn, nil, []schemas.Person{person("pA", 1, places[0], "", 1990, "", 3), person("pC", 1, places[2], "", 1990, "", 3)})
	write(t, conn, nil, []schemas.Person{person("pA", 2, addr{}, "", 0, "pC", 4), person("pC", 2, places[2], "", 1990, "", 4)})
	cs := []schemas.Conflict{{ConflictID: "c1", Kind: schemas.ConflictSharedID, ProvinceCode: "40", PersonIDs: []string{"pA", "pC"}, Status: "resolved_by_registry", Version: 1}}
	if err := (&pipelines.ClickHouseSink{Conn: conn}).Write(context.Background(), &pipelines.Batch{Conflicts: cs}); err != nil {
		t.Fatal(err)
	}
	decide(t, conn, "c1", schemas.DecisionSamePerson, schemas.StatusDecided)
	for _, opt := range []coverage.Options{{Era: coverage.Old, Level: coverage.Commune, Province: "40"}, {Era: coverage.New, Level: coverage.Commune, Province: "40"}} {
		rep, err := coverage.Compute(context.Background(), conn, opt)
		if err != nil {
			t.Fatal(err)
		}
		want := places[2].c
		if opt.Era == coverage.New {
			want = places[2].nc
		}
		for _, r := range rep.Rows {
			if r.ConflictsDecided != 0 && (r.Kind != coverage.KindUnit || r.Code != want) {
				t.Errorf("%+v: the decided conflict counts in %s %q, want %s (of pC, which pA was merged into)", opt, r.Kind, r.Code, want)
			}
		}
		if rep.Total.ConflictsDecided != 1 {
			t.Errorf("%+v: %d decided, want 1", opt, rep.Total.ConflictsDecided)
		}
	}
}

func TestConflictStatusAsTheDesk(t *testing.T) {
	conn := openDB(t)
	ctx := context.Background()
	ps := []schemas.Person{person("pA", 1, places[0], "", 1990, "", 3)}
	var cs []schemas.Conflict
	for _, c := range []struct {
		id, status string
		records    []string
	}{{"c1", "open", nil}, {"c2", "open", nil}, {"c3", "open", nil}, {"c4", "resolved_by_registry", nil}, {"c5", "resolved_by_registry", nil}, {"c6", "open", nil}, {"c7", "decided", nil},
		{"c8", "open", []string{"r1", "r2"}}, {"c9", "open", []string{"r1"}}} {
		cs = append(cs, schemas.Conflict{ConflictID: c.id, Kind: schemas.ConflictSharedID, ProvinceCode: "40", PersonIDs: []string{"pA"}, RecordIDs: c.records, Status: c.status, Version: 1})
	}
	legacy, sums := registry.SumPersonDeltas(tracker(conn).Deltas(ps))
	if err := (&pipelines.ClickHouseSink{Conn: conn}).Write(ctx, &pipelines.Batch{Persons: ps, Conflicts: cs, PersonDeltas: legacy, PersonDeltaSums: sums}); err != nil {
		t.Fatal(err)
	}
	b, err := conn.PrepareBatch(ctx, "INSERT INTO decisions (decision_id, conflict_id, decision, status_before, status_after, decided_at, record_ids)")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	for _, d := range [][4]string{
		{"d1", "c1", schemas.DecisionNeedsVerification, schemas.StatusNeedsVerification},
		{"d2", "c2", schemas.DecisionSamePerson, schemas.StatusAwaitingSecond},
		{"d3", "c3", schemas.DecisionDifferentPersons, schemas.StatusDecided},
		{"d5", "c5", schemas.DecisionSamePerson, schemas.StatusDecided}, // decided, then resolved by the registry
		{"d8", "c8", schemas.DecisionVerified, schemas.StatusDecided},   // on r1; the registry raised it open again with r2: reopened
		{"d9", "c9", schemas.DecisionVerified, schemas.StatusDecided},   // on r1; raised open again with r1 alone: still decided
	} {
		var records []string
		if d[1] == "c8" || d[1] == "c9" {
			records = []string{"r1"}
		}
		if err := b.Append(d[0], d[1], d[2], "open", d[3], at, records); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Send(); err != nil {
		t.Fatal(err)
	}
	for _, opt := range []coverage.Options{{Era: coverage.Old}, {Era: coverage.New}, {Era: coverage.Old, Level: coverage.Commune, Province: "40"}, {Era: coverage.New, Level: coverage.Commune}} {
		rep, err := coverage.Compute(ctx, conn, opt)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Total.ConflictsOpen != 4 || rep.Total.ConflictsDecided != 3 {
			t.Errorf("%+v: %d open, %d decided; want 4 open (c1 needing verification, c2 awaiting a second decision, c6, c8 reopened by a record its ruling did not see) and 3 decided (c3, c5, c9; not c7, raised again decided by the registry)", opt, rep.Total.ConflictsOpen, rep.Total.ConflictsDecided)
		}
	}
}

// TestRejectsOfAReplacedFile: the rejected rows of a file that a corrected
// one replaced (dancu import --replaces) are not counted; the corrected
// file's are (user14: a TCVN3 workbook and its Unicode copy, one row
// without a name in each, counted 2).
func TestRejectsOfAReplacedFile(t *testing.T) {
	conn := openDB(t)
	ctx := context.Background()
	for _, q := range []string{
		`INSERT INTO rejects (reject_id, source_file, file_hash, row, column, value, reason, import_batch) VALUES
			('j1', 'old.xlsx', 'h1', 7, 'full_name', '', 'no name', 'bOLD'),
			('j2', 'old.xlsx', 'h1', 9, 'birth_date', 'x', 'bad date', 'bOLD'),
			('j3', 'new.xlsx', 'h2', 7, 'full_name', '', 'no name', 'bNEW'),
			('j4', 'other.csv', 'h3', 2, 'sex', '?', 'bad sex', 'bOTHER')`,
		`INSERT INTO withdrawn_records (record_id, withdrawal_id, batch, replaces, user) VALUES ('r1', 'w1', 'bNEW', 'bOLD', 'u'), ('r2', 'w1', 'bNEW', 'bOLD', 'u')`,
	} {
		if err := conn.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	rep, err := coverage.Compute(ctx, conn, coverage.Options{Era: coverage.New})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Rejects != 2 {
		t.Errorf("rejects %d, want 2 (the corrected file's and another file's; not the replaced file's two)", rep.Rejects)
	}
}

// recordsV2Columns gives an older database the columns of the records'
// schema version 2 (migration 0025) ahead of its turn, so that today's
// sink, which writes them, can stand in for the sink of that release;
// 0025's ADD COLUMN IF NOT EXISTS then finds them there.
func recordsV2Columns(t *testing.T, conn driver.Conn) {
	t.Helper()
	migs, err := schemas.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range migs {
		if m.Version != 25 {
			continue
		}
		for _, st := range m.Statements {
			if err := conn.Exec(context.Background(), st); err != nil {
				t.Fatalf("%s: %v", m.Name, err)
			}
		}
		return
	}
	t.Fatal("no migration 0025")
}

// decide stores a decision on conflict as the desk does (the decisions
// table; the status the desk derives is its status_after).
func decide(t *testing.T, conn driver.Conn, conflict, decision, after string) {
	t.Helper()
	if err := conn.Exec(context.Background(), "INSERT INTO decisions (decision_id, conflict_id, decision, status_before, status_after, decided_at) VALUES (?, ?, ?, 'open', ?, ?)",
		"d-"+conflict, conflict, decision, after, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
}

// TestConflictCountsPerProvince plants conflicts among records and persons
// of three provinces (user31's three faults): a shared_id whose records
// lie in Nghệ An and Hà Nội counts open in both provinces, as both
// provinces' reviewers see it on the desk (once in the total); a ruling
// counts decided once, on the conflict it was taken on, not again on the
// conflict the registry raises again "decided" on the same records; a
// conflict needing field verification counts open.
func TestConflictCountsPerProvince(t *testing.T) {
	conn := openDB(t)
	ctx := context.Background()
	recs := []schemas.Record{
		record("r1", places[0], schemas.KindCSV, "001090000001", "", 3), // Nghệ An
		record("r2", places[3], schemas.KindCSV, "001090000001", "", 3), // Hà Nội, the same number
		record("r3", places[2], schemas.KindCSV, "040090000003", "", 3), // Nghệ An, two numbers of one person
		record("r4", places[2], schemas.KindCSV, "040090000004", "", 3),
		record("r5", places[4], schemas.KindCSV, "", "", 3), // Hà Nội, grey zone
		record("r6", places[4], schemas.KindCSV, "", "", 3),
		record("r7", places[5], schemas.KindCSV, "", "", 3), // Hà Giang (Tuyên Quang today), grey zone
		record("r8", places[5], schemas.KindCSV, "", "", 3),
	}
	ps := []schemas.Person{
		person("pA", 1, places[0], "001090000001", 1990, "", 3), person("pB", 1, places[3], "001090000001", 1991, "", 3),
		person("pC", 2, places[2], "040090000003", 1980, "", 4), person("pD", 2, addr{}, "", 0, "pC", 4), // pD merged into pC by the ruling
		person("pE", 1, places[4], "", 1970, "", 3), person("pF", 1, places[4], "", 1970, "", 3),
		person("pG", 1, places[5], "", 1960, "", 3), person("pH", 1, places[5], "", 1960, "", 3),
	}
	write(t, conn, recs, ps)
	cs := []schemas.Conflict{
		{ConflictID: "cS", Kind: schemas.ConflictSharedID, ProvinceCode: "40", PersonIDs: []string{"pA", "pB"}, RecordIDs: []string{"r1", "r2"}, Status: schemas.StatusOpen, Version: 1},
		// Decided same_person, so the registry resolved it and raised the
		// two_ids of the merged person again, decided by that ruling.
		{ConflictID: "cR", Kind: schemas.ConflictTwoIDs, ProvinceCode: "40", PersonIDs: []string{"pC", "pD"}, RecordIDs: []string{"r3", "r4"}, Status: schemas.StatusResolvedByRegistry, Version: 2},
		{ConflictID: "cR2", Kind: schemas.ConflictTwoIDs, ProvinceCode: "40", PersonIDs: []string{"pC"}, RecordIDs: []string{"r3", "r4"}, Status: schemas.StatusDecided, Version: 2},
		{ConflictID: "cN", Kind: schemas.ConflictGreyZone, ProvinceCode: "01", PersonIDs: []string{"pE", "pF"}, RecordIDs: []string{"r5", "r6"}, Status: schemas.StatusOpen, Version: 1},
		{ConflictID: "cO", Kind: schemas.ConflictGreyZone, ProvinceCode: "02", PersonIDs: []string{"pG", "pH"}, RecordIDs: []string{"r7", "r8"}, Status: schemas.StatusOpen, Version: 1},
	}
	if err := (&pipelines.ClickHouseSink{Conn: conn}).Write(ctx, &pipelines.Batch{Conflicts: cs}); err != nil {
		t.Fatal(err)
	}
	decide(t, conn, "cR", schemas.DecisionSamePerson, schemas.StatusDecided)
	decide(t, conn, "cN", schemas.DecisionNeedsVerification, schemas.StatusNeedsVerification)

	type counts struct{ open, decided int64 }
	type tcase struct {
		opt   coverage.Options
		rows  map[string]counts // by row code; rows not named count none
		total counts
	}
	check := func(when string, tc tcase) {
		t.Helper()
		rep, err := coverage.Compute(ctx, conn, tc.opt)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]counts{}
		for _, r := range rep.Rows {
			if r.ConflictsOpen != 0 || r.ConflictsDecided != 0 {
				got[r.Code] = counts{r.ConflictsOpen, r.ConflictsDecided}
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(tc.rows) {
			t.Errorf("%s, %s %s %s: conflicts (open, decided) by row %v, want %v", when, tc.opt.Era, tc.opt.Level, tc.opt.Province, got, tc.rows)
		}
		if tot := (counts{rep.Total.ConflictsOpen, rep.Total.ConflictsDecided}); tot != tc.total {
			t.Errorf("%s, %s %s %s: total %v, want %v", when, tc.opt.Era, tc.opt.Level, tc.opt.Province, tot, tc.total)
		}
	}
	cases := []tcase{
		{coverage.Options{Era: coverage.Old}, map[string]counts{"40": {1, 1}, "01": {2, 0}, "02": {1, 0}}, counts{3, 1}},
		{coverage.Options{Era: coverage.New}, map[string]counts{"40": {1, 1}, "01": {2, 0}, "08": {1, 0}}, counts{3, 1}},
		{coverage.Options{Era: coverage.New, Level: coverage.Commune, Province: "01"}, map[string]counts{places[3].nc: {1, 0}, places[4].nc: {1, 0}}, counts{2, 0}},
		{coverage.Options{Era: coverage.Old, Level: coverage.Commune, Province: "40"}, map[string]counts{places[0].c: {1, 0}, places[2].c: {0, 1}}, counts{1, 1}},
		// Xã 17920 lies in Huyện 412 of the reference list, as pA's commune.
		{coverage.Options{Era: coverage.Old, Level: coverage.District}, map[string]counts{"412": {1, 1}, places[3].d: {2, 0}, places[5].d: {1, 0}}, counts{3, 1}},
	}
	// Written by a dancu before cov32 (schema version 2: no provinces of
	// their records on the conflicts), each counts in its matcher's
	// province only: cS not in Hà Nội, where its record r2 lies.
	check("written before cov32", tcase{coverage.Options{Era: coverage.Old}, map[string]counts{"40": {1, 1}, "01": {1, 0}, "02": {1, 0}}, counts{3, 1}})
	// Migration 0028 writes each such conflict's latest row again with
	// its records' provinces (read once, by key), and the report counts
	// every province they name; the desk's conflict_places is not read.
	migrateConflictPlaces(t, conn)
	var filled uint64
	if err := conn.QueryRow(ctx, "SELECT countIf(notEmpty(record_province_codes) AND notEmpty(record_new_province_codes)) FROM conflicts FINAL").Scan(&filled); err != nil || filled != uint64(len(cs)) {
		t.Fatalf("%d conflicts given their records' provinces by migration 0028 (%v), want %d", filled, err, len(cs))
	}
	for _, tc := range cases {
		check("after migration 0028", tc)
	}
	// The report reads the provinces the conflict carries, as the matcher
	// writes them (matching.TestConflictCarriesItsRecordsProvinces): cO
	// written again naming Hà Nội too counts there, though no record it
	// names lies there.
	cO := cs[4]
	cO.Version, cO.RecordProvinces, cO.RecordNewProvinces = 2, []string{"01", "02"}, []string{"01", "08"}
	if err := (&pipelines.ClickHouseSink{Conn: conn}).Write(ctx, &pipelines.Batch{Conflicts: []schemas.Conflict{cO}}); err != nil {
		t.Fatal(err)
	}
	check("cO in Hà Nội", tcase{coverage.Options{Era: coverage.Old}, map[string]counts{"40": {1, 1}, "01": {3, 0}, "02": {1, 0}}, counts{3, 1}})
	check("cO in Hà Nội", tcase{coverage.Options{Era: coverage.New}, map[string]counts{"40": {1, 1}, "01": {3, 0}, "08": {1, 0}}, counts{3, 1}})
}

// migrateConflictPlaces runs migration 0028's statements again on conn
// (its columns exist already; its INSERT fills the conflicts written
// without their records' provinces).
func migrateConflictPlaces(t testing.TB, conn driver.Conn) {
	t.Helper()
	migs, err := schemas.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range migs {
		if m.Version != 28 {
			continue
		}
		for _, st := range m.Statements {
			if err := conn.Exec(context.Background(), st); err != nil {
				t.Fatalf("%s: %v", m.Name, err)
			}
		}
		return
	}
	t.Fatal("no migration 0028")
}
