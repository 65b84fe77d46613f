package main

import (
	"log/slog"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/dancu-vn/dancu/coverage"
	"github.com/dancu-vn/dancu/web"
)

// coverageHandler is the analysts' coverage pages mounted in `dancu serve`
// (coverage.Handler.Routes: /coverage, /coverage/map.svg,
// /coverage/static/…, /api/coverage), read from the materialised
// coverage aggregates on conn. A user added with --province reads
// districts and communes of those provinces only (web.CallerScope). The
// page has the desk's top bar, with the sign-out (web.AccountBar).
func coverageHandler(conn driver.Conn, log *slog.Logger) *coverage.Handler {
	h := coverage.NewHandler(conn, log)
	h.Scope = web.CallerScope
	h.Account = web.AccountBar
	return h
}
