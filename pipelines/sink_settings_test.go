package pipelines

import (
	"context"
	"testing"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/dancu-vn/dancu/internal/chdb/chdbtest"
)

type keyedRow struct {
	K uint32 `ch:"k"`
	V string `ch:"v"`
}

// An insert's settings reach the engine on both of the sink's paths: the
// sink's own Native blocks (whose query carries them as a SETTINGS
// clause; every insert, the first of a statement included, since its
// columns are learned by a DESCRIBE) and clickhouse-go's batches (which
// take them from the context: a connection that takes no Native block,
// goConn). Observed through optimize_on_insert: a ReplacingMergeTree
// keeps a block's two rows of one key apart only without the pass on
// insert, and collapses them with it.
func TestInsertSettingsReachTheEngine(t *testing.T) {
	conn, _ := chdbtest.Open(t)
	ctx := context.Background()
	for _, path := range []struct {
		table  string
		conn   driver.Conn
		native bool
	}{{"kept", conn, true}, {"kept_go", goConn{conn}, false}} {
		if err := conn.Exec(ctx, "CREATE TABLE "+path.table+" (k UInt32, v String) ENGINE = ReplacingMergeTree ORDER BY k"); err != nil {
			t.Fatal(err)
		}
		if err := conn.Exec(ctx, "SYSTEM STOP MERGES "+path.table); err != nil {
			t.Fatal(err)
		}
		sink := &ClickHouseSink{Conn: path.conn}
		rowsIn := func() uint64 {
			var n uint64
			if err := conn.QueryRow(ctx, "SELECT count() FROM "+path.table).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		want := uint64(0)
		for i, pass := range []bool{false, false, true, false} {
			rows := []keyedRow{{uint32(10 * i), "a"}, {uint32(10 * i), "b"}, {uint32(10*i + 1), "c"}}
			settings := noInsertPass()
			want += 3
			if pass {
				settings = nil
				want-- // the two rows of key 10i collapse
			}
			if err := insertRowsAt(ctx, sink, path.table, "kept", rows, nil, settings, &refusals{max: 10}); err != nil {
				t.Fatal(err)
			}
			if got := rowsIn(); got != want {
				t.Errorf("%s: insert %d (pass on insert %v): %d rows in the table, want %d", path.table, i, pass, got, want)
			}
			nat := int64(0)
			if path.native {
				nat = int64(i + 1)
			}
			if got := sink.NativeInserts.Load(); got != nat {
				t.Errorf("%s: insert %d: %d Native inserts so far, want %d", path.table, i, got, nat)
			}
		}
		var v string
		if err := conn.QueryRow(ctx, "SELECT v FROM "+path.table+" FINAL WHERE k = 30").Scan(&v); err != nil || v != "b" {
			t.Errorf("%s: FINAL reads %q (%v) for the key inserted twice, want the last row, %q", path.table, v, err, "b")
		}
	}
}

// goConn is a connection without the sink's Native path: every insert
// goes through clickhouse-go's batches.
type goConn struct{ driver.Conn }

func TestSettingsClause(t *testing.T) {
	for _, c := range []struct {
		in   map[string]any
		want string
	}{
		{nil, ""},
		{map[string]any{"optimize_on_insert": 0}, " SETTINGS optimize_on_insert = 0"},
		{map[string]any{"b": 1, "a": 2}, " SETTINGS a = 2, b = 1"},
	} {
		if got := settingsClause(c.in); got != c.want {
			t.Errorf("settingsClause(%v) = %q, want %q", c.in, got, c.want)
		}
	}
}
