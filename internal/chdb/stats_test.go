package chdb_test

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/internal/chdb"
	"github.com/dancu-vn/dancu/internal/chdb/chdbtest"
)

func TestStats(t *testing.T) {
	e := chdbtest.Engine(t)
	db := chdbtest.Database(t)
	h := chdb.NewHandler(e, chdb.HandlerConfig{TempDir: t.TempDir()})
	srv := httptest.NewServer(h)
	defer srv.Close()
	addr := strings.TrimPrefix(srv.URL, "http://")
	before := e.Stats()

	post(t, addr, url.Values{"database": {db}}, strings.NewReader("CREATE TABLE s (n UInt64) ENGINE = MergeTree ORDER BY n"), nil)
	post(t, addr, url.Values{"database": {db}, "query": {"INSERT INTO s FORMAT CSV"}}, strings.NewReader("1\n2\n3\n"), nil)
	post(t, addr, url.Values{}, strings.NewReader("SELECT * FROM no_such_table"), nil)

	after := e.Stats()
	if got := after.Queries - before.Queries; got != 3 {
		t.Errorf("engine counted %d queries, want 3", got)
	}
	if got := after.Errors - before.Errors; got != 1 {
		t.Errorf("engine counted %d errors, want 1", got)
	}
	if got := after.RowsWritten - before.RowsWritten; got != 3 {
		t.Errorf("engine counted %d rows written, want 3", got)
	}
	want := chdb.HandlerStats{Requests: 3, Exceptions: 1, Inserts: 1, InsertBytes: 6}
	if got := h.Stats(); got != want {
		t.Errorf("handler stats %+v, want %+v", got, want)
	}
}
