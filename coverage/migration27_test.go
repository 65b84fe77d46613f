package coverage_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
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

// A database at 0026 with data loaded (records' and persons' deltas
// inserted into record_deltas and person_delta_sums, as the load stage
// of that release did) is migrated to 0027 by dancu migrate's code: the
// three aggregates and the two keys tables are copied into coverage_sums
// and coverage_delta_keys, coverage_records, coverage_persons and
// coverage_children become views over it, and the aggregates stay equal
// to FINAL — after the migration, after the rows loaded before it are
// written again (their keys came along: nothing counts twice), after a
// correction, a new number, a merge, a child and a move loaded through
// the one insert, after their replay, after an insert into the Null
// tables of 0015–0016 (an older load process's unfinished insert, sent
// again after the upgrade: it counts once, and its rows written again by
// the new sink count nothing more), and after coverage.Rebuild.
func TestAggregatesThroughMigration27(t *testing.T) {
	conn, _ := chdbtest.Open(t)
	ctx := context.Background()
	if _, err := chstore.MigrateTo(ctx, conn, 26); err != nil {
		t.Fatal(err)
	}
	tr, rtr := tracker(conn), recordTracker(conn)
	s := &pipelines.ClickHouseSink{Conn: conn}
	at := func(month int) time.Time { return time.Date(2026, time.Month(month), 10, 0, 0, 0, 0, time.UTC) }
	var recs []schemas.Record
	for i := 0; i < 12; i++ {
		cmnd := ""
		if i%4 == 1 {
			cmnd = fmt.Sprintf("1%08d", i)
		}
		recs = append(recs, record(fmt.Sprintf("r%02d", i), places[i%len(places)], []string{schemas.KindCSV, schemas.KindScan}[i%2], "", cmnd, 1+i%3))
	}
	var persons []schemas.Person
	for i := 0; i < 6; i++ {
		id := ""
		if i%2 == 0 {
			id = fmt.Sprintf("0010900%05d", i)
		}
		persons = append(persons, person(fmt.Sprintf("p%d", i), 1, places[i%len(places)], id, []int{1980, 2012, 2021, 1995, 2016, 2009}[i], "", 3))
	}
	// At 0026: the rows, then their deltas as that release's load stage
	// inserted them.
	if err := s.Write(ctx, &pipelines.Batch{Records: recs, Persons: persons}); err != nil {
		t.Fatal(err)
	}
	rdeltas := rtr.Deltas(recs, at(3))
	legacy, sums := registry.SumPersonDeltas(tr.Deltas(persons))
	if len(legacy) != 0 || len(sums) == 0 || len(rdeltas) == 0 {
		t.Fatalf("before 0027: %d per-person deltas, %d summed rows, %d records' rows; want none, some, some", len(legacy), len(sums), len(rdeltas))
	}
	replayRecords, replayPersons := slices.Clone(rdeltas), slices.Clone(sums)
	insertAsBefore(t, conn, "record_deltas", rdeltas)
	insertAsBefore(t, conn, "person_delta_sums", sums)
	check(t, conn, "at 0026")
	before, err := coverage.Compute(ctx, conn, coverage.Options{Era: coverage.New, Level: coverage.Commune})
	if err != nil {
		t.Fatal(err)
	}

	applied, err := chstore.Migrate(ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	if len(applied) == 0 || !strings.HasPrefix(applied[0], "0027_") {
		t.Fatalf("migrate from 0026 applied %v, want 0027 first", applied)
	}
	for _, name := range []string{"coverage_records", "coverage_persons", "coverage_children"} {
		var engine string
		if err := conn.QueryRow(ctx, "SELECT engine FROM system.tables WHERE database = currentDatabase() AND name = ?", name).Scan(&engine); err != nil {
			t.Fatal(err)
		}
		if engine != "View" {
			t.Errorf("%s is a %s after 0027, want a View over coverage_sums", name, engine)
		}
	}
	check(t, conn, "after migrating to 0027")
	after, err := coverage.Compute(ctx, conn, coverage.Options{Era: coverage.New, Level: coverage.Commune})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(after.Rows) != fmt.Sprint(before.Rows) || after.Total != before.Total {
		t.Errorf("the report changed through the migration:\n%+v\n%+v", before.Total, after.Total)
	}
	var kinds uint64
	if err := conn.QueryRow(ctx, "SELECT uniqExact(kind) FROM coverage_sums").Scan(&kinds); err != nil {
		t.Fatal(err)
	}
	if kinds != 3 {
		t.Errorf("coverage_sums holds %d kinds of rows after the copy, want 3 (records, persons, children)", kinds)
	}

	// The rows loaded before, written again through the one insert: their
	// keys were copied, so nothing more counts.
	if err := s.Write(ctx, &pipelines.Batch{RecordDeltas: replayRecords, PersonDeltaSums: replayPersons}); err != nil {
		t.Fatal(err)
	}
	check(t, conn, "rows loaded before 0027 written again")

	// After: a correction (r01 moves), a move (p1), a number (p3), a merge
	// (p2 into p0), a new child (p6), p4 as it was; both kinds in one
	// insert.
	p1, p3, p2, p0, p4 := persons[1], persons[3], persons[2], persons[0], persons[4]
	p1.Version, p1.ProvinceCode, p1.CommuneCode, p1.NewProvinceCode, p1.NewCommuneCode, p1.UpdatedAt = 2, "40", "17920", "40", "17920", at(5)
	p3.Version, p3.IDNumber, p3.UpdatedAt = 2, "001090012345", at(5)
	p2.Version, p2.MergedInto, p2.UpdatedAt = 2, "p0", at(5)
	p0.Version, p0.UpdatedAt = 2, at(5)
	p6 := person("p6", 1, places[1], "", 2022, "", 5)
	changed := []schemas.Person{p1, p3, p2, p0, p4, p6}
	legacy, sums = registry.SumPersonDeltas(tr.Deltas(changed))
	if len(legacy) != 0 || len(sums) == 0 {
		t.Fatalf("after 0027: %d per-person deltas and %d summed rows, want none and some", len(legacy), len(sums))
	}
	corrected := recs[1]
	corrected.PermProvinceCode, corrected.PermDistrictCode, corrected.PermCommuneCode, corrected.PermNewProvinceCode, corrected.PermNewCommuneCode = "40", "431", "17920", "40", "17920"
	r12 := record("r12", places[2], schemas.KindScan, "001090099999", "", 5)
	rdeltas = rtr.Deltas([]schemas.Record{corrected, r12}, at(5))
	replayRecords, replayPersons = slices.Clone(rdeltas), slices.Clone(sums)
	inserts := s.Inserts.Load()
	if err := s.Write(ctx, &pipelines.Batch{Records: []schemas.Record{corrected, r12}, Persons: changed, PersonDeltaSums: sums, RecordDeltas: rdeltas}); err != nil {
		t.Fatal(err)
	}
	if n := s.Inserts.Load() - inserts; n != 3 {
		t.Errorf("a flush of records, persons and both kinds of deltas sent %d inserts, want 3 (the deltas in one)", n)
	}
	check(t, conn, "correction, move, number, merge and a child after 0027")
	if err := s.Write(ctx, &pipelines.Batch{RecordDeltas: replayRecords, PersonDeltaSums: replayPersons}); err != nil {
		t.Fatal(err)
	}
	check(t, conn, "replay after 0027")

	// An insert an older load process left unfinished, sent again into
	// the Null tables of 0015–0016 after the upgrade: it counts once, and
	// the same rows loaded by the new sink are dropped by the keys.
	p5 := persons[5]
	p5.Version, p5.IDNumber, p5.UpdatedAt = 2, "001090054321", at(6)
	legacy, sums = registry.SumPersonDeltas(tr.Deltas([]schemas.Person{p5}))
	r13 := record("r13", places[0], schemas.KindCSV, "", "123456789", 6)
	rdeltas = rtr.Deltas([]schemas.Record{r13}, at(6))
	if len(legacy) != 0 || len(sums) == 0 || len(rdeltas) == 0 {
		t.Fatalf("the older process's rows: %d per-person deltas, %d summed rows, %d records' rows", len(legacy), len(sums), len(rdeltas))
	}
	if err := s.Write(ctx, &pipelines.Batch{Records: []schemas.Record{r13}, Persons: []schemas.Person{p5}}); err != nil {
		t.Fatal(err)
	}
	insertAsBefore(t, conn, "record_deltas", rdeltas)
	insertAsBefore(t, conn, "person_delta_sums", sums)
	check(t, conn, "an older load process's insert sent again after 0027")
	if err := s.Write(ctx, &pipelines.Batch{RecordDeltas: rdeltas, PersonDeltaSums: sums}); err != nil {
		t.Fatal(err)
	}
	check(t, conn, "its rows loaded again by the new sink")

	if err := coverage.Rebuild(ctx, conn); err != nil {
		t.Fatal(err)
	}
	check(t, conn, "rebuild after 0027")
}

// insertAsBefore inserts rows into table as they are (the Null tables of
// 0015–0016, as the load stage of releases up to 0026 sent them).
func insertAsBefore[T any](t *testing.T, conn driver.Conn, table string, rows []T) {
	t.Helper()
	b, err := conn.PrepareBatch(context.Background(), "INSERT INTO "+table)
	if err != nil {
		t.Fatal(err)
	}
	for i := range rows {
		if err := b.AppendStruct(&rows[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Send(); err != nil {
		t.Fatal(err)
	}
}
