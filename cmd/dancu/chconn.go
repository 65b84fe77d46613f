package main

import (
	"context"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/dancu-vn/dancu/internal/chstore"
)

// openClickHouse connects to the ClickHouse that --clickhouse names: the
// embedded engine (`dancu clickhouse`) when empty, else a real server.
func openClickHouse(ctx context.Context, g *globals) (driver.Conn, error) {
	cfg, err := chstore.ParseAddr(g.clickhouse)
	if err != nil {
		return nil, err
	}
	return chstore.Open(ctx, cfg)
}
