package chdb_test

import (
	"context"
	"testing"

	"github.com/dancu-vn/dancu/internal/chdb"
	"github.com/dancu-vn/dancu/internal/chdb/chdbtest"
)

// libchdb installs handlers for SIGSEGV and friends; without the guard in
// Open a nil dereference in Go code kills the whole process instead of
// panicking. This test would then crash the test binary.
func TestGoSignalHandlersSurvive(t *testing.T) {
	e := chdbtest.Engine(t)
	for _, q := range []string{"SELECT 1", "SELECT * FROM no_such_table", "SELECT count() FROM numbers(100000)"} {
		e.Query(context.Background(), q, chdb.QueryOptions{})
	}
	var p *int
	recovered := func() (r any) {
		defer func() { r = recover() }()
		_ = *p
		return nil
	}()
	if recovered == nil {
		t.Fatal("nil dereference did not panic")
	}
}
