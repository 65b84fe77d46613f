package chdbtest_test

import (
	"context"
	"testing"

	"github.com/dancu-vn/dancu/internal/chdb/chdbtest"
)

func TestMain(m *testing.M) { chdbtest.Main(m) }

// Two tests' databases are separate: the same table name holds each
// test's own rows.
func TestDatabasesAreSeparate(t *testing.T) {
	ctx := context.Background()
	var counts []uint64
	var names []string
	for _, rows := range []int{3, 5} {
		t.Run("sub", func(t *testing.T) {
			conn, db := chdbtest.Open(t)
			names = append(names, db)
			if err := conn.Exec(ctx, "CREATE TABLE t (n UInt64) ENGINE = MergeTree ORDER BY n"); err != nil {
				t.Fatal(err)
			}
			if err := conn.Exec(ctx, "INSERT INTO t SELECT number FROM numbers({k:UInt64})", namedK(rows)); err != nil {
				t.Fatal(err)
			}
			var n uint64
			if err := conn.QueryRow(ctx, "SELECT count() FROM t").Scan(&n); err != nil {
				t.Fatal(err)
			}
			counts = append(counts, n)
		})
	}
	if len(counts) != 2 || counts[0] != 3 || counts[1] != 5 {
		t.Fatalf("counts %v, want [3 5]", counts)
	}
	if names[0] == names[1] {
		t.Fatalf("both tests got database %s", names[0])
	}
	// The databases are dropped when their tests end.
	e := chdbtest.Engine(t)
	for _, db := range names {
		res, err := e.Query(ctx, "SELECT count() FROM system.databases WHERE name = '"+db+"'", queryTSV)
		if err != nil {
			t.Fatal(err)
		}
		if string(res.Data) != "0\n" {
			t.Errorf("database %s still exists after its test", db)
		}
	}
}

func TestStartIsShared(t *testing.T) {
	if a, b := chdbtest.Start(t), chdbtest.Start(t); a != b {
		t.Fatalf("Start gave %s then %s; want one engine per test binary", a, b)
	}
}
