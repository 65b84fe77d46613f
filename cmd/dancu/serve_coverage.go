package main

import (
	"net/http"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

// coverageHandler is the analysts' coverage pages mounted in `dancu serve`
// (/coverage, /coverage/…, /api/coverage). nil until the coverage package
// provides one: the web application answers 404 there meanwhile.
func coverageHandler(conn driver.Conn) http.Handler {
	_ = conn
	return nil
}
