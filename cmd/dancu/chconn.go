package main

import (
	"context"
	"strings"

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

// brokerList splits the --kafka value.
func brokerList(g *globals) []string {
	var out []string
	for _, b := range strings.Split(g.kafka, ",") {
		if b = strings.TrimSpace(b); b != "" {
			out = append(out, b)
		}
	}
	return out
}
