package pipelines_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/dancu-vn/dancu/internal/chdb"
	"github.com/dancu-vn/dancu/internal/chdb/chdbtest"
	"github.com/dancu-vn/dancu/internal/chstore"
	"github.com/dancu-vn/dancu/pipelines"
	"github.com/dancu-vn/dancu/schemas"
)

func sinkRecords(n int) []schemas.Record {
	recs := make([]schemas.Record, n)
	for i := range recs {
		recs[i] = schemas.Record{
			RecordID: fmt.Sprintf("r%06d", i), FullName: fmt.Sprintf("Nguyễn Văn %d", i),
			BirthDate: fmt.Sprintf("19%02d-%02d-%02d", 30+i%70, 1+i%12, 1+i%28), BirthYear: uint16(1930 + i%70),
			ScanRef:    fmt.Sprintf("20%02d-%02d-%02d", 10+i%15, 1+i%12, 1+i%28),
			SourceDate: time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC),
		}
	}
	return recs
}

// refusingDB opens a migrated database whose records table refuses rows
// in both ways ClickHouse can: scan_ref is made a Date32 column (standing
// for any typed column: no view reads scan_ref), so a date that does not
// exist cannot be converted by the driver; and the engine refuses two
// names, one through a constraint (whose error names the row) and one
// through throwIf in a materialised column (whose error does not).
func refusingDB(t *testing.T) *pipelines.ClickHouseSink {
	t.Helper()
	return migratedSink(t, "ALTER TABLE records MODIFY COLUMN scan_ref Date32", refuseName, refuseBisect)
}

// The statements that make records refuse "Refused Name" (a constraint,
// whose error names the row) and "Bisect Me" (an error that does not).
const (
	refuseName   = "ALTER TABLE records ADD CONSTRAINT no_refused_name CHECK full_name != 'Refused Name'"
	refuseBisect = "ALTER TABLE records ADD COLUMN no_bisect_name UInt8 MATERIALIZED throwIf(full_name = 'Bisect Me', 'a name this table refuses')"
)

// migratedSink is a sink on a fresh migrated database, altered by alter.
func migratedSink(t *testing.T, alter ...string) *pipelines.ClickHouseSink {
	t.Helper()
	conn, _ := chdbtest.Open(t)
	ctx := context.Background()
	if _, err := chstore.Migrate(ctx, conn); err != nil {
		t.Fatal(err)
	}
	for _, q := range alter {
		if err := conn.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	return &pipelines.ClickHouseSink{Conn: conn}
}

// A batch with rows refused client-side (a date the driver cannot convert)
// and by the engine (a violated constraint) loads every other row and
// names exactly the refused ones.
func TestClickHouseSinkRefusedRows(t *testing.T) {
	sink := refusingDB(t)
	recs := sinkRecords(2000)
	badDate, badName, badBisect := []int{777}, []int{5, 1500, 1501}, []int{42, 1999}
	for _, i := range badBisect {
		recs[i].FullName = "Bisect Me"
	}
	for _, i := range badDate {
		recs[i].ScanRef = "2019-02-30"
	}
	for _, i := range badName {
		recs[i].FullName = "Refused Name"
	}
	err := sink.Write(context.Background(), &pipelines.Batch{Records: recs})
	var rr *pipelines.RefusedRows
	if !errors.As(err, &rr) {
		t.Fatalf("write: %v, want *RefusedRows", err)
	}
	var got []int
	for _, r := range rr.Rows {
		got = append(got, r.Index)
		if r.Kind != pipelines.KindRecords || r.Table != "records" || r.Err == nil {
			t.Errorf("refused row %+v: want kind records, table records and an error", r)
		}
		if (slices.Contains(badName, r.Index) || slices.Contains(badBisect, r.Index)) && !pipelines.IsRefusal(r.Err) {
			t.Errorf("row %d refused with %v, want the engine's error", r.Index, r.Err)
		}
	}
	sort.Ints(got)
	want := append(append(append([]int(nil), badDate...), badName...), badBisect...)
	sort.Ints(want)
	if !slices.Equal(got, want) {
		t.Fatalf("refused rows %v, want %v", got, want)
	}
	var n uint64
	if err := sink.Conn.QueryRow(context.Background(), "SELECT count() FROM records FINAL").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != uint64(len(recs)-len(want)) {
		t.Errorf("records in ClickHouse %d, want %d (all but the refused)", n, len(recs)-len(want))
	}
	t.Logf("%d rows, %d refused: %d insert statements", len(recs), len(want), sink.Inserts.Load())
	// A row the engine names costs two inserts; bisection about
	// 2·log2(n) per refused row; never one insert per row.
	if ins := sink.Inserts.Load(); ins > int64(2*len(badName)+2*11*len(badBisect)+len(badDate)+4) {
		t.Errorf("%d inserts for %d+%d engine-refused rows of %d", ins, len(badName), len(badBisect), len(recs))
	}
}

// Rows the engine refuses in an insert whose Native block the sink wrote
// itself (the table's columns known from an earlier insert) are isolated
// as before: every other row loads and exactly the refused ones are named.
func TestClickHouseSinkNativeRefusedRows(t *testing.T) {
	sink := migratedSink(t, refuseName, refuseBisect)
	conn, ctx := sink.Conn, context.Background()
	recs := sinkRecords(2010)
	if err := sink.Write(ctx, &pipelines.Batch{Records: recs[:10]}); err != nil {
		t.Fatal(err)
	}
	recs = recs[10:]
	bad := []int{5, 42, 1500, 1501, 1999}
	for _, i := range bad {
		recs[i].FullName = "Refused Name"
		if i%2 == 0 {
			recs[i].FullName = "Bisect Me"
		}
	}
	native := sink.NativeInserts.Load()
	err := sink.Write(ctx, &pipelines.Batch{Records: recs})
	if sink.NativeInserts.Load() == native {
		t.Fatal("the second write made no insert of the sink's own Native blocks")
	}
	var rr *pipelines.RefusedRows
	if !errors.As(err, &rr) {
		t.Fatalf("write: %v, want *RefusedRows", err)
	}
	var got []int
	for _, r := range rr.Rows {
		got = append(got, r.Index)
		if !pipelines.IsRefusal(r.Err) {
			t.Errorf("row %d refused with %v, want the engine's error", r.Index, r.Err)
		}
	}
	sort.Ints(got)
	if !slices.Equal(got, bad) {
		t.Fatalf("refused rows %v, want %v", got, bad)
	}
	var n uint64
	if err := conn.QueryRow(ctx, "SELECT count() FROM records FINAL").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if want := uint64(10 + len(recs) - len(bad)); n != want {
		t.Errorf("records in ClickHouse %d, want %d (all but the refused)", n, want)
	}
}

// An insert of the sink's own Native block that fails for a reason of
// ClickHouse's own (the table gone) refuses no row: the batch fails whole,
// and the next insert asks the table for its columns again.
func TestClickHouseSinkNativeFailureIsNotRefusal(t *testing.T) {
	sink := migratedSink(t)
	conn, ctx := sink.Conn, context.Background()
	recs := sinkRecords(20)
	if err := sink.Write(ctx, &pipelines.Batch{Records: recs[:10]}); err != nil {
		t.Fatal(err)
	}
	if err := conn.Exec(ctx, "RENAME TABLE records TO records_away"); err != nil {
		t.Fatal(err)
	}
	err := sink.Write(ctx, &pipelines.Batch{Records: recs[10:]})
	var rr *pipelines.RefusedRows
	if err == nil || errors.As(err, &rr) || pipelines.IsRefusal(err) {
		t.Fatalf("write to a missing table: %v, want a plain error", err)
	}
	if sink.NativeInserts.Load() != 2 {
		t.Fatalf("%d inserts of the sink's own blocks, want two: the first write's and the one that failed", sink.NativeInserts.Load())
	}
	if err := conn.Exec(ctx, "RENAME TABLE records_away TO records"); err != nil {
		t.Fatal(err)
	}
	if err := sink.Write(ctx, &pipelines.Batch{Records: recs[10:]}); err != nil {
		t.Fatal(err)
	}
	if sink.NativeInserts.Load() != 3 {
		t.Errorf("%d inserts of the sink's own blocks; want the next insert after the failure in one too, its columns learned again", sink.NativeInserts.Load())
	}
	var n uint64
	if err := conn.QueryRow(ctx, "SELECT count() FROM records FINAL").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 20 {
		t.Errorf("%d records in ClickHouse, want 20", n)
	}
}

// A failure of ClickHouse itself refuses no row: the batch fails whole.
func TestClickHouseSinkFailureIsNotRefusal(t *testing.T) {
	sink := refusingDB(t)
	if err := sink.Conn.Exec(context.Background(), "DROP TABLE conflicts"); err != nil {
		t.Fatal(err)
	}
	err := sink.Write(context.Background(), &pipelines.Batch{
		Records:   sinkRecords(10),
		Conflicts: []schemas.Conflict{{ConflictID: "c1", Kind: "shared_id", CreatedAt: time.Unix(0, 0).UTC()}},
	})
	var rr *pipelines.RefusedRows
	if err == nil || errors.As(err, &rr) {
		t.Fatalf("write to a missing table: %v, want a plain error", err)
	}
	// MaxRefused: a batch refused wholesale is a schema problem, not bad rows.
	sink = refusingDB(t)
	sink.MaxRefused = 3
	recs := sinkRecords(50)
	for i := range recs {
		recs[i].FullName = "Refused Name"
	}
	if err := sink.Write(context.Background(), &pipelines.Batch{Records: recs}); err == nil || errors.As(err, &rr) {
		t.Fatalf("50 of 50 rows refused with MaxRefused 3: %v, want a plain error", err)
	}
}

// Rows ClickHouse refuses in the running pipeline reach dancu.dead with
// their error while every other row loads; once the cause is removed, a
// replay loads them, and a second replay sends nothing.
func TestRefusedRowsDeadLetteredAndReplayed(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	// The engine refuses about one record in 40, chosen by a hash of its id.
	if err := e.conn.Exec(ctx, "ALTER TABLE records ADD CONSTRAINT one_in_40 CHECK cityHash64(record_id) % 40 != 0"); err != nil {
		t.Fatal(err)
	}
	dir, m := generate(t, 400, "csv")
	path := sourceFiles(t, dir, m)[0]
	st := new(pipelines.StageStats)
	sctx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- pipelines.RunStages(sctx, e.cfg, st) }()
	t.Cleanup(func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("stages: %v", err)
		}
	})
	imp := e.importFile(t, path, time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC))
	e.drain(t)

	refused := e.count(t, "SELECT count() FROM (SELECT record_id FROM links FINAL) WHERE cityHash64(record_id) % 40 = 0")
	if refused == 0 {
		t.Fatal("no record falls under the constraint: the test checks nothing")
	}
	if got := e.count(t, "SELECT count() FROM records FINAL"); got != uint64(imp.Accepted)-refused {
		t.Errorf("records in ClickHouse %d, want accepted %d − refused %d", got, imp.Accepted, refused)
	}
	dead, err := pipelines.ReadDeadLetters(ctx, e.brokers)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, d := range dead {
		if d.Stage != "load" || d.Kind != pipelines.KindRecords || d.Table != "records" || d.Rows != 1 || d.Replayed {
			t.Errorf("dead letter %+v: want one unreplayed record refused by the load stage", d)
		}
		if !strings.Contains(d.Error, "469") || !strings.HasPrefix(d.Source, pipelines.TopicMatched+"/") {
			t.Errorf("dead letter error %q source %q: want code 469 from %s", d.Error, d.Source, pipelines.TopicMatched)
		}
		ids[d.Key] = true
	}
	if uint64(len(ids)) != refused {
		t.Errorf("%d records in the dead letters, %d refused", len(ids), refused)
	}
	if got := st.LoadMatched.Refused.Load(); got < int64(refused) {
		t.Errorf("stage counted %d refused rows, want at least %d", got, refused)
	}

	// Remove the cause and re-drive the dead letters.
	if err := e.conn.Exec(ctx, "ALTER TABLE records DROP CONSTRAINT one_in_40"); err != nil {
		t.Fatal(err)
	}
	rs, err := pipelines.ReplayDeadLetters(ctx, e.brokers, false)
	if err != nil {
		t.Fatal(err)
	}
	if rs.Replayed[pipelines.TopicMatched] != len(dead) {
		t.Errorf("replayed %v, want %d to %s", rs.Replayed, len(dead), pipelines.TopicMatched)
	}
	e.drain(t)
	if got := e.count(t, "SELECT count() FROM records FINAL"); got != uint64(imp.Accepted) {
		t.Errorf("after replay: records %d, want %d", got, imp.Accepted)
	}
	rs, err = pipelines.ReplayDeadLetters(ctx, e.brokers, false)
	if err != nil || len(rs.Replayed) != 0 {
		t.Errorf("second replay: %v %v, want nothing replayed", rs.Replayed, err)
	}
	dead, _ = pipelines.ReadDeadLetters(ctx, e.brokers)
	for _, d := range dead {
		if !d.Replayed {
			t.Errorf("dead letter %d@%d not marked replayed", d.Partition, d.Offset)
		}
	}
}

// Refused-row isolation measured on a full 50,000-row load batch:
// DANCU_BENCH_REFUSED=0,1,10 go test ./pipelines -run RefusalCost -v
//
// Measured 3 Dec 2026 on the shared 2-core machine at load ~20 (wall
// times mostly waiting for a CPU: the whole run used 37 s of CPU in 5 min
// 56 s), records table with the coverage materialised views:
//
//	refused rows               0            1            10
//	engine, row named      9.8 s, 1    10.9 s, 15   10.7 s, 33 inserts
//	engine, bisected       9.3 s, 1    24.9 s, 38    134 s, 248 inserts
//	driver conversion     11.6 s, 1    16.0 s, 13   20.6 s, 13 inserts
//
// A good batch costs one insert, as before. Each insert statement costs
// about half a second here, so bisection (errors that name no row) is the
// expensive case; a violated constraint names its row and a driver
// conversion error is caught at append, so the common refusals cost a
// second pass in 4,096-row pieces.
func TestRefusalCost(t *testing.T) {
	spec := os.Getenv("DANCU_BENCH_REFUSED")
	if spec == "" {
		t.Skip("measurement: set DANCU_BENCH_REFUSED=0,1,10,100")
	}
	for _, f := range strings.Split(spec, ",") {
		k, err := strconv.Atoi(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, how := range []string{"engine (row named)", "engine (bisected)", "driver"} {
			sink := refusingDB(t)
			recs := sinkRecords(50000)
			for j := 0; j < k; j++ {
				i := (j*7919 + 13) % len(recs)
				switch how {
				case "engine (row named)":
					recs[i].FullName = "Refused Name"
				case "engine (bisected)":
					recs[i].FullName = "Bisect Me"
				default:
					recs[i].ScanRef = "2019-02-30"
				}
			}
			start := time.Now()
			err := sink.Write(context.Background(), &pipelines.Batch{Records: recs})
			var rr *pipelines.RefusedRows
			if k > 0 && !errors.As(err, &rr) || k == 0 && err != nil {
				t.Fatalf("%d refused: %v", k, err)
			}
			t.Logf("50,000 rows, %3d refused by the %s: %6.2f s, %4d inserts", k, how, time.Since(start).Seconds(), sink.Inserts.Load())
		}
	}
}

// The sink's column-wise inserts store what a row-by-row AppendStruct
// insert of the same rows stores: every table's rows, read back as text,
// are those of a copy of the table filled a row at a time.
func TestClickHouseSinkColumnsAsRows(t *testing.T) {
	conn, _ := chdbtest.Open(t)
	ctx := context.Background()
	if _, err := chstore.Migrate(ctx, conn); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 4, 22, 30, 15, 123e6, time.UTC)
	recs := sinkRecords(300)
	for i := range recs {
		// More than 256 values in a LowCardinality column (two-byte
		// keys), and strings longer than 127 bytes (two-byte lengths).
		recs[i].Religion = fmt.Sprintf("tôn giáo %d", i)
		recs[i].CurAddress = strings.Repeat("Thôn Đoài, ", i%30)
		switch i % 3 {
		case 0:
			recs[i].OCRConfidence = map[string]float32{"full_name": 0.75, "birth_date": 0.5}
		case 1:
			recs[i].SourceDate = time.Time{} // stored as 1970-01-01
			recs[i].PermProvinceCode, recs[i].Sex, recs[i].IDNumber = "01", "F", fmt.Sprintf("001%09d", i)
		}
	}
	b := &pipelines.Batch{
		Records: recs,
		Persons: []schemas.Person{
			{PersonID: "P1", IDNumber: "001190012345", IDStatus: schemas.IDConfirmed, FullName: "Đặng Thị Hoà", BirthYear: 1990, RecordCount: 3, Version: 7, UpdatedAt: at},
			{PersonID: "P2", IDStatus: schemas.IDMissing, MergedInto: "P1", Version: 8, UpdatedAt: at, CMND: "012345678"},
		},
		Links: []schemas.Link{
			{RecordID: recs[0].RecordID, PersonID: "P1", MatchProbability: 0.999999, MatchRule: "id", Version: 2, LinkedAt: at},
			{RecordID: recs[1].RecordID, PersonID: "P2", Version: 3, LinkedAt: at},
		},
		Conflicts: []schemas.Conflict{
			{ConflictID: "c1", Kind: schemas.ConflictSharedID, ProvinceCode: "01", PersonIDs: []string{"P1", "P2"}, RecordIDs: []string{recs[0].RecordID, recs[1].RecordID},
				Score: 0.5, Explanation: "cùng số định danh", Status: "open", Version: 1, CreatedAt: at},
			{ConflictID: "c2", Kind: schemas.ConflictGreyZone, PersonIDs: []string{}, Version: 1, CreatedAt: at},
		},
	}
	byRow := func(table string, rows []any, cols []string) {
		if err := conn.Exec(ctx, "CREATE TABLE "+table+"_rows AS "+table); err != nil {
			t.Fatal(err)
		}
		batch, err := conn.PrepareBatch(ctx, "INSERT INTO "+table+"_rows ("+strings.Join(cols, ", ")+")")
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if err := batch.AppendStruct(r); err != nil {
				t.Fatalf("%s: %v", table, err)
			}
		}
		if err := batch.Send(); err != nil {
			t.Fatal(err)
		}
	}
	byRow("records", pointers(b.Records), schemas.Tags(schemas.Record{}))
	byRow("persons", pointers(b.Persons), schemas.Tags(schemas.Person{}))
	byRow("links", pointers(b.Links), schemas.Tags(schemas.Link{}))
	byRow("conflicts", pointers(b.Conflicts), schemas.Tags(schemas.Conflict{}))
	// Once through clickhouse-go's columns (a connection that takes no
	// Native block), then through the Native blocks the sink writes
	// itself (insertNative, every insert since the columns are learned by
	// a DESCRIBE): both store the rows AppendStruct stores.
	for _, path := range []struct {
		name   string
		conn   driver.Conn
		native int64
	}{{"clickhouse-go's columns", goConn{conn}, 0}, {"the sink's Native blocks", conn, 4}} {
		for _, table := range []string{"records", "persons", "links", "conflicts"} {
			if err := conn.Exec(ctx, "TRUNCATE TABLE "+table); err != nil {
				t.Fatal(err)
			}
		}
		sink := &pipelines.ClickHouseSink{Conn: path.conn}
		if err := sink.Write(ctx, b); err != nil {
			t.Fatal(err)
		}
		if n := sink.Inserts.Load(); n != 4 {
			t.Errorf("%s: %d inserts for four tables, want 4", path.name, n)
		}
		if n := sink.NativeInserts.Load(); n != path.native {
			t.Errorf("%s: %d inserts in Native blocks of the sink's own, want %d", path.name, n, path.native)
		}
		for table, cols := range map[string][]string{
			"records": schemas.Tags(schemas.Record{}), "persons": schemas.Tags(schemas.Person{}),
			"links": schemas.Tags(schemas.Link{}), "conflicts": schemas.Tags(schemas.Conflict{}),
		} {
			exprs := slices.Clone(cols)
			for i, c := range exprs {
				if c == "ocr_confidence" {
					// A Map keeps its entries in the order they came, and
					// both paths take them from a Go map, in no fixed order.
					exprs[i] = "mapSort(" + c + ")"
				}
			}
			read := func(tab string) []string {
				rows, err := conn.Query(ctx, "SELECT formatRow('TabSeparated', "+strings.Join(exprs, ", ")+") FROM "+tab)
				if err != nil {
					t.Fatal(err)
				}
				defer rows.Close()
				var out []string
				for rows.Next() {
					var s string
					if err := rows.Scan(&s); err != nil {
						t.Fatal(err)
					}
					out = append(out, s)
				}
				sort.Strings(out)
				return out
			}
			got, want := read(table), read(table+"_rows")
			if len(want) == 0 || !slices.Equal(got, want) {
				t.Errorf("%s: %s: %d rows written column-wise, %d row by row; first difference:\n%s", path.name, table, len(got), len(want), firstDiff(got, want))
			}
		}
	}
}

// goConn is a connection without the sink's Native path: every insert
// goes through clickhouse-go's batches.
type goConn struct{ driver.Conn }

// pointers returns a pointer to each element of s (AppendStruct takes
// one struct pointer a row).
func pointers[T any](s []T) []any {
	out := make([]any, len(s))
	for i := range s {
		out[i] = &s[i]
	}
	return out
}

func firstDiff(a, b []string) string {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return fmt.Sprintf("columns: %q\nrows:    %q", a[i], b[i])
		}
	}
	return "(one is a prefix of the other)"
}

// The records table merges lazily (migration 0018): its merge selector's
// base is 25, not ClickHouse's 5.
func TestRecordsMergeLazily(t *testing.T) {
	conn, _ := chdbtest.Open(t)
	ctx := context.Background()
	if _, err := chstore.Migrate(ctx, conn); err != nil {
		t.Fatal(err)
	}
	for table, want := range map[string]bool{"records": true, "persons": false, "links": false} {
		var engine string
		if err := conn.QueryRow(ctx, "SELECT engine_full FROM system.tables WHERE database = currentDatabase() AND name = ?", table).Scan(&engine); err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(engine, "merge_selector_base = 25"); got != want {
			t.Errorf("%s: %s; merge_selector_base = 25 there: %v, want %v", table, engine, got, want)
		}
	}
}

// A flush of 20,000 records (about 12 MB, past ClickHouse's default
// 10 MiB for a wide part) is one compact part (migration 0017): a few
// files, not two per column.
func TestRecordsFlushIsOneCompactPart(t *testing.T) {
	conn, _ := chdbtest.Open(t)
	ctx := context.Background()
	if _, err := chstore.Migrate(ctx, conn); err != nil {
		t.Fatal(err)
	}
	sink := &pipelines.ClickHouseSink{Conn: conn}
	if err := sink.Write(ctx, &pipelines.Batch{Records: benchRecords(20000)}); err != nil {
		t.Fatal(err)
	}
	rows, err := conn.Query(ctx, "SELECT part_type, data_uncompressed_bytes FROM system.parts WHERE database = currentDatabase() AND table = 'records' AND active")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var typ string
		var size uint64
		if err := rows.Scan(&typ, &size); err != nil {
			t.Fatal(err)
		}
		n++
		if typ != "Compact" || size < 10<<20 {
			t.Errorf("records part: %s, %d bytes uncompressed; want a compact part past 10 MiB", typ, size)
		}
	}
	if n != 1 {
		t.Errorf("%d active parts of records, want 1", n)
	}
}

// The sink asks a table for its columns (clickhouse-go's DESCRIBE TABLE
// over HTTP) at its first insert only: a second write of the same tables
// sends one request an insert, and the one read of withdrawn_records
// (which finds none: nothing more).
func TestClickHouseSinkDescribesOnce(t *testing.T) {
	srv, err := chdb.Listen(chdbtest.Engine(t), "127.0.0.1:0", chdb.HandlerConfig{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close(context.Background())
	ctx := context.Background()
	conn, err := chstore.Open(ctx, chstore.Config{Addr: srv.Addr(), Database: chdbtest.Database(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := chstore.Migrate(ctx, conn); err != nil {
		t.Fatal(err)
	}
	sink := &pipelines.ClickHouseSink{Conn: conn}
	write := func(from int) (requests, inserts int64) {
		recs := sinkRecords(from + 100)[from:]
		b := &pipelines.Batch{Records: recs}
		for i := range recs {
			pid := fmt.Sprintf("P%d", from+i)
			b.Persons = append(b.Persons, schemas.Person{PersonID: pid, FullName: recs[i].FullName, Version: 1})
			b.Links = append(b.Links, schemas.Link{RecordID: recs[i].RecordID, PersonID: pid, Version: 1})
		}
		r0, i0 := srv.Stats().Requests, sink.Inserts.Load()
		if err := sink.Write(ctx, b); err != nil {
			t.Fatal(err)
		}
		return srv.Stats().Requests - r0, sink.Inserts.Load() - i0
	}
	r1, i1 := write(0)
	r2, i2 := write(100)
	if i1 != 3 || i2 != 3 {
		t.Fatalf("%d and %d inserts, want 3 each (records, persons, links)", i1, i2)
	}
	// And one read of withdrawn_records a write (closeWithdrawn).
	if r1 != r2+i1 || r2 != i2+1 {
		t.Errorf("requests: %d for the first write, %d for the second; want one a table more the first time, one an insert and one read of withdrawn_records the second", r1, r2)
	}
	var n uint64
	if err := conn.QueryRow(ctx, "SELECT count() FROM records").Scan(&n); err != nil || n != 200 {
		t.Errorf("records: %d (%v), want 200", n, err)
	}
}

// The records' coverage deltas are inserted without the summing pass on
// insert (optimize_on_insert = 0): two rows of one unit in one write stay
// two rows of coverage_records' new part (merges sum them), and the sum is
// right. Since migration 0027 that part is coverage_sums' (coverage_records
// is a view over it).
func TestRecordDeltasNotSummedOnInsert(t *testing.T) {
	conn, _ := chdbtest.Open(t)
	ctx := context.Background()
	if _, err := chstore.Migrate(ctx, conn); err != nil {
		t.Fatal(err)
	}
	month := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	row := func(batch string, added, withID uint32) schemas.RecordDelta {
		return schemas.RecordDelta{Batch: batch, OldKnown: 1, ProvinceCode: "40", DistrictCode: "412", CommuneCode: "16681",
			NewProvinceCode: "40", NewCommuneCode: "16681", SourceKind: schemas.KindCSV, SourceMonth: month, LoadMonth: month,
			Added: added, AddedWithID: withID}
	}
	sink := &pipelines.ClickHouseSink{Conn: conn}
	if err := sink.Write(ctx, &pipelines.Batch{RecordDeltas: []schemas.RecordDelta{row("a", 3, 2), row("b", 4, 1)}}); err != nil {
		t.Fatal(err)
	}
	var parts, rows uint64
	if err := conn.QueryRow(ctx, "SELECT count(), sum(rows) FROM system.parts WHERE database = currentDatabase() AND table = 'coverage_sums' AND active").Scan(&parts, &rows); err != nil {
		t.Fatal(err)
	}
	if parts != 1 || rows != 2 {
		t.Errorf("coverage_sums: %d parts of %d rows in all, want one part of 2 rows (not summed on insert)", parts, rows)
	}
	var records, withID int64
	if err := conn.QueryRow(ctx, "SELECT sum(records), sum(with_id) FROM coverage_records").Scan(&records, &withID); err != nil {
		t.Fatal(err)
	}
	if records != 7 || withID != 3 {
		t.Errorf("coverage_records sums %d records, %d with an ID; want 7, 3", records, withID)
	}
}

// The persons' coverage deltas are inserted without the summing pass on
// insert too: three rows of one unit and month (an adult's and two birth
// years') in one write stay three rows of coverage_persons' new part,
// which drops the birth year (merges sum them), the children's two rows
// stay two of coverage_children's, and the sums are right. Since
// migration 0027 both are one part of coverage_sums (five rows), and the
// keys one part of coverage_delta_keys.
func TestPersonDeltaSumsNotSummedOnInsert(t *testing.T) {
	conn, _ := chdbtest.Open(t)
	ctx := context.Background()
	if _, err := chstore.Migrate(ctx, conn); err != nil {
		t.Fatal(err)
	}
	month := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	row := func(seq uint32, year uint16, added, withID uint32) schemas.PersonDeltaSum {
		return schemas.PersonDeltaSum{Batch: "a", Seq: seq, ProvinceCode: "40", CommuneCode: "16681", NewProvinceCode: "40",
			NewCommuneCode: "16681", BirthYear: year, ChangeMonth: month, Added: added, AddedWithID: withID}
	}
	sink := &pipelines.ClickHouseSink{Conn: conn}
	if err := sink.Write(ctx, &pipelines.Batch{PersonDeltaSums: []schemas.PersonDeltaSum{row(1, 0, 5, 4), row(2, 2020, 3, 2), row(3, 2021, 2, 0)}}); err != nil {
		t.Fatal(err)
	}
	for table, want := range map[string]uint64{"coverage_sums": 5, "coverage_delta_keys": 3} {
		var parts, rows uint64
		if err := conn.QueryRow(ctx, "SELECT count(), sum(rows) FROM system.parts WHERE database = currentDatabase() AND table = ? AND active", table).Scan(&parts, &rows); err != nil {
			t.Fatal(err)
		}
		if parts != 1 || rows != want {
			t.Errorf("%s: %d parts of %d rows in all, want one part of %d rows (not summed on insert)", table, parts, rows, want)
		}
	}
	var persons, withID, children int64
	if err := conn.QueryRow(ctx, "SELECT sum(persons), sum(with_id) FROM coverage_persons").Scan(&persons, &withID); err != nil {
		t.Fatal(err)
	}
	if err := conn.QueryRow(ctx, "SELECT sum(persons) FROM coverage_children").Scan(&children); err != nil {
		t.Fatal(err)
	}
	if persons != 10 || withID != 6 || children != 5 {
		t.Errorf("coverage_persons sums %d persons, %d with an ID, coverage_children %d; want 10, 6, 5", persons, withID, children)
	}
}

// The registry's deltas written again after the engine died between an
// insert's views (migration 0024) count once: the aggregates committed
// their parts, the keys did not, so the rows pass the keys' filter again
// and are sent with the same token, which the aggregates drop. Rows of the
// same values under other keys are not taken for the same block.
func TestClickHouseSinkDeltasSentAgainCountOnce(t *testing.T) {
	sink := migratedSink(t)
	ctx := context.Background()
	month := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	rows := func(batch string) *pipelines.Batch {
		b := &pipelines.Batch{}
		for seq := range uint32(3) {
			b.PersonDeltaSums = append(b.PersonDeltaSums, schemas.PersonDeltaSum{Batch: batch, Seq: seq, ProvinceCode: "40",
				CommuneCode: "16681", NewProvinceCode: "40", NewCommuneCode: "16681", BirthYear: 2015, ChangeMonth: month, Added: 1})
		}
		for seq := range uint32(2) {
			b.RecordDeltas = append(b.RecordDeltas, schemas.RecordDelta{Batch: batch, Seq: seq, OldKnown: 1, ProvinceCode: "40",
				DistrictCode: "412", CommuneCode: "16681", NewProvinceCode: "40", NewCommuneCode: "16681", SourceKind: schemas.KindCSV,
				SourceMonth: month, LoadMonth: month, Added: 1})
		}
		return b
	}
	counts := func() (persons, children, records, keys int64) {
		t.Helper()
		if err := sink.Conn.QueryRow(ctx, `SELECT (SELECT toInt64(sum(persons)) FROM coverage_persons), (SELECT toInt64(sum(persons)) FROM coverage_children),
			(SELECT toInt64(sum(records)) FROM coverage_records),
			(SELECT toInt64(count()) FROM coverage_delta_keys FINAL)`).Scan(&persons, &children, &records, &keys); err != nil {
			t.Fatal(err)
		}
		return
	}
	want := func(step string, persons, records int64) {
		t.Helper()
		p, c, r, k := counts()
		if p != persons || c != persons || r != records || k != persons+records {
			t.Errorf("%s: coverage_persons %d, coverage_children %d, coverage_records %d, keys %d; want %d, %d, %d, %d",
				step, p, c, r, k, persons, persons, records, persons+records)
		}
	}
	if err := sink.Write(ctx, rows("b1")); err != nil {
		t.Fatal(err)
	}
	want("written", 3, 2)
	for _, q := range []string{"TRUNCATE TABLE coverage_delta_keys"} {
		if err := sink.Conn.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if err := sink.Write(ctx, rows("b1")); err != nil {
		t.Fatal(err)
	}
	want("written again without its keys", 3, 2)
	if err := sink.Write(ctx, rows("b2")); err != nil {
		t.Fatal(err)
	}
	want("the same values under other keys", 6, 4)
}

// The persons' deltas of person_deltas (migration 0013: persons known
// before the registry kept their coverage state, republishes) written
// again after the engine died between the insert's views count once, as
// person_delta_sums' do: the aggregates committed their parts, the keys
// did not, so the rows pass the keys' filter again and are sent with the
// same token, which the aggregates drop. Rows of the same values under
// other keys are not taken for the same block. (This passed before the
// token too: the same block sent again without one has the same data
// hash; TestClickHouseSinkPersonDeltasOutageSentAgain is the one the
// sink's resend mends.)
func TestClickHouseSinkPersonDeltasSentAgainCountOnce(t *testing.T) {
	sink := migratedSink(t)
	ctx := context.Background()
	changed := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	rows := func(batch string) *pipelines.Batch {
		b := &pipelines.Batch{}
		for seq := range uint32(3) {
			b.PersonDeltas = append(b.PersonDeltas, schemas.PersonDelta{Batch: batch, Seq: seq, PersonID: fmt.Sprintf("%s-p%d", batch, seq),
				Version: 1, ChangedAt: changed, Living: 1, ProvinceCode: "40", CommuneCode: "16681", NewProvinceCode: "40",
				NewCommuneCode: "16681", BirthYear: 2015, OldKnown: 1})
		}
		return b
	}
	want := func(step string, persons int64) {
		t.Helper()
		var p, c, k int64
		if err := sink.Conn.QueryRow(ctx, `SELECT (SELECT toInt64(sum(persons)) FROM coverage_persons), (SELECT toInt64(sum(persons)) FROM coverage_children),
			(SELECT toInt64(count()) FROM person_delta_keys FINAL)`).Scan(&p, &c, &k); err != nil {
			t.Fatal(err)
		}
		if p != persons || c != persons || k != persons {
			t.Errorf("%s: coverage_persons %d, coverage_children %d, keys %d; want %d each", step, p, c, k, persons)
		}
	}
	if err := sink.Write(ctx, rows("b1")); err != nil {
		t.Fatal(err)
	}
	want("written", 3)
	if err := sink.Conn.Exec(ctx, "TRUNCATE TABLE person_delta_keys"); err != nil {
		t.Fatal(err)
	}
	if err := sink.Write(ctx, rows("b1")); err != nil {
		t.Fatal(err)
	}
	want("written again without its keys", 3)
	if err := sink.Write(ctx, rows("b2")); err != nil {
		t.Fatal(err)
	}
	want("the same values under other keys", 6)
}

// A joint insert of both kinds of deltas (coverage_deltas, migration
// 0027) the engine refuses for its data is sent again by kind, into
// record_deltas and person_delta_sums, whose views write the same tables:
// the refused rows are named by their kind and position in the Batch,
// every other row counts once, and a replay counts nothing more.
func TestCoverageDeltasRefusedByKind(t *testing.T) {
	conn, _ := chdbtest.Open(t)
	ctx := context.Background()
	if _, err := chstore.Migrate(ctx, conn); err != nil {
		t.Fatal(err)
	}
	// The aggregate refuses province 99: the joint insert's view fails.
	if err := conn.Exec(ctx, "ALTER TABLE coverage_sums ADD CONSTRAINT no_99 CHECK province_code != '99'"); err != nil {
		t.Fatal(err)
	}
	month := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	batch := func() *pipelines.Batch {
		b := &pipelines.Batch{}
		for seq := range uint32(4) {
			p := "40"
			if seq == 2 {
				p = "99"
			}
			b.RecordDeltas = append(b.RecordDeltas, schemas.RecordDelta{Batch: "a", Seq: seq, OldKnown: 1, ProvinceCode: p, DistrictCode: "412",
				CommuneCode: "16681", NewProvinceCode: "40", NewCommuneCode: "16681", SourceKind: schemas.KindCSV, SourceMonth: month,
				LoadMonth: month, Added: 1})
		}
		for seq := range uint32(3) {
			p := "40"
			if seq == 0 {
				p = "99"
			}
			b.PersonDeltaSums = append(b.PersonDeltaSums, schemas.PersonDeltaSum{Batch: "a", Seq: seq, ProvinceCode: p, CommuneCode: "16681",
				NewProvinceCode: "40", NewCommuneCode: "16681", BirthYear: 2020, ChangeMonth: month, Added: 1})
		}
		return b
	}
	sink := &pipelines.ClickHouseSink{Conn: conn}
	err := sink.Write(ctx, batch())
	var rr *pipelines.RefusedRows
	if !errors.As(err, &rr) {
		t.Fatalf("write: %v, want *RefusedRows", err)
	}
	var got []string
	for _, r := range rr.Rows {
		got = append(got, fmt.Sprintf("%s/%d", r.Kind, r.Index))
	}
	slices.Sort(got)
	if want := []string{pipelines.KindPersonDeltaSums + "/0", pipelines.KindRecordDeltas + "/2"}; !slices.Equal(got, want) {
		t.Errorf("refused %v, want %v", got, want)
	}
	counts := func() (records, persons, children int64) {
		t.Helper()
		if err := conn.QueryRow(ctx, `SELECT (SELECT toInt64(sum(records)) FROM coverage_records), (SELECT toInt64(sum(persons)) FROM coverage_persons),
			(SELECT toInt64(sum(persons)) FROM coverage_children)`).Scan(&records, &persons, &children); err != nil {
			t.Fatal(err)
		}
		return
	}
	if r, p, c := counts(); r != 3 || p != 2 || c != 2 {
		t.Errorf("after the refusal: %d records, %d persons, %d children; want 3, 2, 2", r, p, c)
	}
	// The same rows again count nothing more. (Whether the refused ones
	// are refused again depends on whether the keys' view committed their
	// keys before the aggregate's view failed, in an order the engine
	// draws: as with the views of 0015–0016.)
	if err := sink.Write(ctx, batch()); err != nil && !errors.As(err, &rr) {
		t.Fatalf("write again: %v", err)
	}
	if r, p, c := counts(); r != 3 || p != 2 || c != 2 {
		t.Errorf("after the replay: %d records, %d persons, %d children; want 3, 2, 2", r, p, c)
	}
}

// TestCoverageDeltasNotCompiled checks that the views of an insert of
// coverage deltas run without compiled expressions (deltaPass; cov28): a
// view added on coverage_deltas, and one on record_deltas for the
// inserts the engine refused, write the value of compile_expressions
// their query sees. The engine's default is 1, so a view run with the
// caller's settings writes 1.
func TestCoverageDeltasNotCompiled(t *testing.T) {
	conn, _ := chdbtest.Open(t)
	ctx := context.Background()
	if _, err := chstore.Migrate(ctx, conn); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"CREATE TABLE seen_settings (tbl String, compiled UInt8, summed UInt8) ENGINE = Memory",
		`CREATE MATERIALIZED VIEW seen_joint_mv TO seen_settings AS SELECT 'coverage_deltas' AS tbl,
			toUInt8(getSetting('compile_expressions')) AS compiled, toUInt8(getSetting('optimize_on_insert')) AS summed FROM coverage_deltas`,
		`CREATE MATERIALIZED VIEW seen_records_mv TO seen_settings AS SELECT 'record_deltas' AS tbl,
			toUInt8(getSetting('compile_expressions')) AS compiled, toUInt8(getSetting('optimize_on_insert')) AS summed FROM record_deltas`,
	} {
		if err := conn.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	month := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	b := &pipelines.Batch{}
	for seq := range uint32(3) {
		b.RecordDeltas = append(b.RecordDeltas, schemas.RecordDelta{Batch: "a", Seq: seq, OldKnown: 1, ProvinceCode: "40", DistrictCode: "412",
			CommuneCode: "16681", NewProvinceCode: "40", NewCommuneCode: "16681", SourceKind: schemas.KindCSV, SourceMonth: month,
			LoadMonth: month, Added: 1})
		b.PersonDeltaSums = append(b.PersonDeltaSums, schemas.PersonDeltaSum{Batch: "a", Seq: seq, ProvinceCode: "40", CommuneCode: "16681",
			NewProvinceCode: "40", NewCommuneCode: "16681", BirthYear: 2020, ChangeMonth: month, Added: 1})
	}
	sink := &pipelines.ClickHouseSink{Conn: conn, PendingDir: t.TempDir()}
	if err := sink.Write(ctx, b); err != nil {
		t.Fatal(err)
	}
	// A joint insert the engine refuses goes by kind to record_deltas
	// and person_delta_sums (TestCoverageDeltasRefusedByKind).
	if err := conn.Exec(ctx, "ALTER TABLE coverage_sums ADD CONSTRAINT no_99 CHECK province_code != '99'"); err != nil {
		t.Fatal(err)
	}
	refused := &pipelines.Batch{RecordDeltas: []schemas.RecordDelta{{Batch: "b", Seq: 0, OldKnown: 1, ProvinceCode: "40",
		SourceKind: schemas.KindCSV, SourceMonth: month, LoadMonth: month, Added: 1}, {Batch: "b", Seq: 1, OldKnown: 1,
		ProvinceCode: "99", SourceKind: schemas.KindCSV, SourceMonth: month, LoadMonth: month, Added: 1}}}
	var rr *pipelines.RefusedRows
	if err := sink.Write(ctx, refused); !errors.As(err, &rr) {
		t.Fatalf("write: %v, want *RefusedRows", err)
	}
	rows, err := conn.Query(ctx, "SELECT tbl, compiled, summed, count() FROM seen_settings GROUP BY ALL ORDER BY ALL")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var tbl string
		var compiled, summed uint8
		var n uint64
		if err := rows.Scan(&tbl, &compiled, &summed, &n); err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("%s compile_expressions=%d optimize_on_insert=%d", tbl, compiled, summed))
	}
	// The joint insert of both writes (the second refused), and the
	// refused write's records sent by kind, whole. (The rows of that
	// block then sent again in pieces, to find the refused one, go
	// through insertRows without the deltas' settings, and may show as
	// "record_deltas compile_expressions=1 optimize_on_insert=1": as
	// before cov28, not checked here.)
	for _, want := range []string{"coverage_deltas compile_expressions=0 optimize_on_insert=0", "record_deltas compile_expressions=0 optimize_on_insert=0"} {
		if !slices.Contains(got, want) {
			t.Errorf("the views of the deltas' inserts saw %q, want %q among them", got, want)
		}
	}
	for _, g := range got {
		if strings.HasPrefix(g, "coverage_deltas ") && g != "coverage_deltas compile_expressions=0 optimize_on_insert=0" {
			t.Errorf("the views of the joint insert saw %q", g)
		}
	}
}
