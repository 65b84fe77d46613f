package main

import (
	"context"
	"fmt"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/dancu-vn/dancu/internal/chstore"
)

// clickHouseConfig is the connection every command uses: the address
// --clickhouse names (the embedded engine, `dancu clickhouse`, when empty)
// and one database for all of them: --database if given, else the path of
// a clickhouse:// address, else "default" (the embedded engine's).
func clickHouseConfig(g *globals) (chstore.Config, error) {
	cfg, err := chstore.ParseAddr(g.clickhouse)
	if err != nil {
		return chstore.Config{}, fmt.Errorf("--clickhouse: %w", err)
	}
	if g.database != "" {
		cfg.Database = g.database
	}
	return cfg, nil
}

// openClickHouse connects to the ClickHouse and database of clickHouseConfig.
func openClickHouse(ctx context.Context, g *globals) (driver.Conn, error) {
	cfg, err := clickHouseConfig(g)
	if err != nil {
		return nil, err
	}
	return chstore.Open(ctx, cfg)
}
