package pipelines

import (
	"context"
	"fmt"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/dancu-vn/dancu/matching"
	"github.com/dancu-vn/dancu/schemas"
)

// EngineLinker links micro-batches with the matching engine (blocking,
// Fellegi–Sunter scoring, guarded clustering, stable person ids,
// conflicts) against the engine's registry.
type EngineLinker struct {
	Engine *matching.Engine
}

var _ Linker = EngineLinker{}

// Link implements Linker.
func (l EngineLinker) Link(ctx context.Context, recs []schemas.Record) (LinkResult, error) {
	p, lk, c, err := l.Engine.LinkBatch(ctx, recs)
	if err != nil {
		return LinkResult{}, err
	}
	return LinkResult{Persons: p, Links: lk, Conflicts: c}, nil
}

// RestoreRegistry loads the records and links already in ClickHouse into
// the engine, so that a matcher that starts (or restarts) links new
// records against the registry and keeps its person ids: the matcher's
// memory is a cache of ClickHouse. It returns the number of records
// restored.
func RestoreRegistry(ctx context.Context, conn driver.Conn, e *matching.Engine) (int, error) {
	var recs []schemas.Record
	if err := conn.Select(ctx, &recs, "SELECT * FROM records FINAL"); err != nil {
		return 0, fmt.Errorf("restore registry: read records: %w", err)
	}
	var links []schemas.Link
	if err := conn.Select(ctx, &links, "SELECT * FROM links FINAL"); err != nil {
		return 0, fmt.Errorf("restore registry: read links: %w", err)
	}
	if err := e.Restore(recs, links); err != nil {
		return 0, fmt.Errorf("restore registry: %w", err)
	}
	return len(recs), nil
}
