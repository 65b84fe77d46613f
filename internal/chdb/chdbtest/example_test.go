package chdbtest_test

import (
	"context"
	"testing"

	"github.com/dancu-vn/dancu/internal/chdb/chdbtest"
	"github.com/dancu-vn/dancu/internal/chstore"
)

// An integration test that needs ClickHouse: a clickhouse-go connection to
// a database of its own on the embedded engine, with dancu's schema.
// The package's TestMain is chdbtest.Main(m).
func ExampleOpen() {
	var t *testing.T // the test's *testing.T
	conn, _ := chdbtest.Open(t)
	ctx := context.Background()
	if _, err := chstore.Migrate(ctx, conn); err != nil {
		t.Fatal(err)
	}
	// ... load rows, query them with conn.Select / conn.QueryRow ...
}
