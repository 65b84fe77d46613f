package main

import (
	"log/slog"
	"net/http"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/dancu-vn/dancu/coverage"
)

// coverageHandler is the analysts' coverage pages mounted in `dancu serve`
// (/coverage, /coverage/…, /api/coverage), read from the materialised
// coverage aggregates on conn.
func coverageHandler(conn driver.Conn, log *slog.Logger) http.Handler {
	return coverage.NewHandler(conn, log)
}
