package chstore_test

import (
	"context"
	"testing"

	"github.com/ClickHouse/clickhouse-go/v2"

	"github.com/dancu-vn/dancu/internal/chdb/chdbtest"
)

// The database/sql face of clickhouse-go works against the embedded
// engine too: client-side bound ? arguments, Exec, a transaction-wrapped
// batch insert.
func TestDatabaseSQL(t *testing.T) {
	cfg := chdbtest.Config(t)
	db := clickhouse.OpenDB(&clickhouse.Options{
		Addr:        []string{cfg.Addr},
		Protocol:    clickhouse.HTTP,
		Compression: &clickhouse.Compression{Method: clickhouse.CompressionNone},
		Auth:        clickhouse.Auth{Database: cfg.Database},
	})
	defer db.Close()
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, "CREATE TABLE units (code String, name String) ENGINE = MergeTree ORDER BY code"); err != nil {
		t.Fatal(err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	stmt, err := tx.PrepareContext(ctx, "INSERT INTO units")
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range [][2]string{{"00004", "Phường Trúc Bạch"}, {"00001", "Phường Phúc Xá"}} {
		if _, err := stmt.ExecContext(ctx, u[0], u[1]); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	var name string
	if err := db.QueryRowContext(ctx, "SELECT name FROM units WHERE code = ?", "00004").Scan(&name); err != nil {
		t.Fatal(err)
	}
	if name != "Phường Trúc Bạch" {
		t.Fatalf("got %q", name)
	}
}
