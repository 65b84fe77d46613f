package pipelines

import (
	"context"
	"testing"

	"github.com/dancu-vn/dancu/internal/chdb/chdbtest"
)

type keyedRow struct {
	K uint32 `ch:"k"`
	V string `ch:"v"`
}

// An insert's settings reach the engine on both of the sink's paths: the
// first insert of a statement (through clickhouse-go, which learns its
// columns) and the later ones (the sink's own Native blocks, whose query
// carries them as a SETTINGS clause). Observed through optimize_on_insert:
// a ReplacingMergeTree keeps a block's two rows of one key apart only
// without the pass on insert, and collapses them with it.
func TestInsertSettingsReachTheEngine(t *testing.T) {
	conn, _ := chdbtest.Open(t)
	ctx := context.Background()
	if err := conn.Exec(ctx, "CREATE TABLE kept (k UInt32, v String) ENGINE = ReplacingMergeTree ORDER BY k"); err != nil {
		t.Fatal(err)
	}
	if err := conn.Exec(ctx, "SYSTEM STOP MERGES kept"); err != nil {
		t.Fatal(err)
	}
	sink := &ClickHouseSink{Conn: conn}
	rowsIn := func() uint64 {
		var n uint64
		if err := conn.QueryRow(ctx, "SELECT count() FROM kept").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	want := uint64(0)
	for i, c := range []struct {
		pass   bool
		native int64 // the sink's Native inserts after this one
	}{{false, 0}, {false, 1}, {true, 2}, {false, 3}} {
		rows := []keyedRow{{uint32(10 * i), "a"}, {uint32(10 * i), "b"}, {uint32(10*i + 1), "c"}}
		settings := noInsertPass()
		want += 3
		if c.pass {
			settings = nil
			want-- // the two rows of key 10i collapse
		}
		if err := insertRowsAt(ctx, sink, "kept", "kept", rows, nil, settings, &refusals{max: 10}); err != nil {
			t.Fatal(err)
		}
		if got := rowsIn(); got != want {
			t.Errorf("insert %d (pass on insert %v): %d rows in the table, want %d", i, c.pass, got, want)
		}
		if got := sink.NativeInserts.Load(); got != c.native {
			t.Errorf("insert %d: %d Native inserts so far, want %d", i, got, c.native)
		}
	}
	var v string
	if err := conn.QueryRow(ctx, "SELECT v FROM kept FINAL WHERE k = 30").Scan(&v); err != nil || v != "b" {
		t.Errorf("FINAL reads %q (%v) for the key inserted twice, want the last row, %q", v, err, "b")
	}
}

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
