package chstore_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"github.com/dancu-vn/dancu/internal/chdb/chdbtest"
	"github.com/dancu-vn/dancu/internal/chstore"
	"github.com/dancu-vn/dancu/schemas"
)

func TestMain(m *testing.M) { chdbtest.Main(m) }

func TestMigrateIsIdempotent(t *testing.T) {
	conn, db := chdbtest.Open(t)
	ctx := context.Background()
	migs, err := schemas.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	applied, err := chstore.Migrate(ctx, conn)
	if err != nil {
		t.Fatalf("first Migrate: %v", err)
	}
	if len(applied) != len(migs) {
		t.Fatalf("first Migrate applied %v, want all %d migrations", applied, len(migs))
	}
	again, err := chstore.Migrate(ctx, conn)
	if err != nil {
		t.Fatalf("second Migrate: %v", err)
	}
	if len(again) != 0 {
		t.Fatalf("second Migrate applied %v, want nothing", again)
	}
	var tables []string
	rows, err := conn.Query(ctx, "SELECT name FROM system.tables WHERE database = {db:String} ORDER BY name",
		clickhouse.Named("db", db))
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, n)
	}
	for _, want := range []string{"conflicts", "links", "persons", "records", "rejects", "schema_migrations"} {
		found := false
		for _, got := range tables {
			found = found || got == want
		}
		if !found {
			t.Errorf("table %s missing after Migrate; have %v", want, tables)
		}
	}
	versions, err := chstore.Applied(ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	if len(versions) != len(migs) {
		t.Errorf("schema_migrations has %v, want %d versions", versions, len(migs))
	}
}

func sampleRecords(n int) []schemas.Record {
	out := make([]schemas.Record, n)
	for i := range out {
		out[i] = schemas.Record{
			RecordID:         schemas.RecordID("abc", "Sheet1", i+2),
			SchemaVersion:    schemas.Version,
			SourceKind:       schemas.KindScan,
			SourceFile:       "batch.jsonl",
			FileHash:         "abc",
			Sheet:            "Sheet1",
			Row:              uint32(i + 2),
			SourceDate:       time.Date(2019, 6, 1, 0, 0, 0, 0, time.UTC),
			FullName:         fmt.Sprintf("Nguyễn Văn An %d", i),
			FamilyName:       "Nguyễn",
			MiddleName:       "Văn",
			GivenName:        "An",
			BirthDate:        "1990-03-15",
			BirthYear:        1990,
			Sex:              "M",
			IDNumber:         fmt.Sprintf("001090%06d", i),
			Ethnicity:        "Kinh",
			Nationality:      "Việt Nam",
			PermProvinceCode: fmt.Sprintf("%02d", 1+i%3),
			OCRConfidence:    map[string]float32{"full_name": 0.5 + float32(i%5)/10},
		}
	}
	return out
}

func insertRecords(t *testing.T, conn clickhouseConn, recs []schemas.Record) {
	t.Helper()
	ctx := context.Background()
	batch, err := conn.PrepareBatch(ctx, "INSERT INTO records")
	if err != nil {
		t.Fatalf("PrepareBatch: %v", err)
	}
	for i := range recs {
		if err := batch.AppendStruct(&recs[i]); err != nil {
			t.Fatalf("AppendStruct row %d: %v", i, err)
		}
	}
	if err := batch.Send(); err != nil {
		t.Fatalf("Send: %v", err)
	}
}

func TestBatchInsertAndFinal(t *testing.T) {
	conn, _ := chdbtest.Open(t)
	ctx := context.Background()
	if _, err := chstore.Migrate(ctx, conn); err != nil {
		t.Fatal(err)
	}
	recs := sampleRecords(50)
	insertRecords(t, conn, recs)
	insertRecords(t, conn, recs) // a re-import

	var got []schemas.Record
	if err := conn.Select(ctx, &got, "SELECT * FROM records FINAL ORDER BY row"); err != nil {
		t.Fatalf("Select: %v", err)
	}
	if len(got) != len(recs) {
		t.Fatalf("FINAL returned %d rows, want %d (one copy of each)", len(got), len(recs))
	}
	for i := range recs {
		if !got[i].SourceDate.Equal(recs[i].SourceDate) {
			t.Fatalf("row %d: source_date %v, want %v", i, got[i].SourceDate, recs[i].SourceDate)
		}
		got[i].SourceDate = recs[i].SourceDate // same instant; the location differs (Etc/UTC)
		if !reflect.DeepEqual(got[i], recs[i]) {
			t.Fatalf("row %d read back as\n%+v\nwant\n%+v", i, got[i], recs[i])
		}
	}
}

func TestServerSideParametersAndException(t *testing.T) {
	conn, _ := chdbtest.Open(t)
	ctx := clickhouse.Context(context.Background(), clickhouse.WithParameters(clickhouse.Parameters{"name": "Trần Thị Bình's"}))
	var s string
	if err := conn.QueryRow(ctx, "SELECT upperUTF8({name:String})").Scan(&s); err != nil {
		t.Fatal(err)
	}
	if s != "TRẦN THỊ BÌNH'S" {
		t.Fatalf("got %q", s)
	}
	err := conn.Exec(context.Background(), "SELECT * FROM no_such_table")
	var ex *clickhouse.Exception
	if !errors.As(err, &ex) {
		t.Fatalf("error %v (%T) is not *clickhouse.Exception", err, err)
	}
	if ex.Code != 60 {
		t.Fatalf("code %d, want 60 (UNKNOWN_TABLE): %v", ex.Code, ex)
	}
}

// A command pointed at a database that was never migrated (a fresh
// --database, a typo in $DANCU_DATABASE) says how to create it, not only
// ClickHouse's UNKNOWN_DATABASE.
func TestOpenUnknownDatabaseSaysMigrate(t *testing.T) {
	name := fmt.Sprintf("never_migrated_%d", time.Now().UnixNano())
	_, err := chstore.Open(context.Background(), chstore.Config{Addr: chdbtest.Start(t), Database: name})
	if err == nil {
		t.Fatalf("open of database %s that does not exist: no error", name)
	}
	for _, want := range []string{"dancu migrate", name} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %q", err, want)
		}
	}
}

// TestRecordsInForceHasEveryRecordsColumn: the view of the records not
// withdrawn has the records' columns, in their order, on a fresh
// database (those SELECT * gives: not the MATERIALIZED birth_day and
// birth_date_precision): a view made with SELECT * keeps the columns of the day it
// was made, so a migration adding a column to records must make the view
// again (0026 did, after 0025).
func TestRecordsInForceHasEveryRecordsColumn(t *testing.T) {
	conn, _ := chdbtest.Open(t)
	ctx := context.Background()
	if _, err := chstore.Migrate(ctx, conn); err != nil {
		t.Fatal(err)
	}
	columns := func(table string) []string {
		rows, err := conn.Query(ctx, "SELECT name FROM system.columns WHERE database = currentDatabase() AND table = $1 AND default_kind NOT IN ('MATERIALIZED', 'ALIAS') ORDER BY position", table)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var names []string
		for rows.Next() {
			var n string
			if err := rows.Scan(&n); err != nil {
				t.Fatal(err)
			}
			names = append(names, n)
		}
		return names
	}
	recs, inForce := columns("records"), columns("records_in_force")
	if len(recs) == 0 || strings.Join(recs, ",") != strings.Join(inForce, ",") {
		t.Errorf("records_in_force has columns %v, want the records' %v", inForce, recs)
	}
}
