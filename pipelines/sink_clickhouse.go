package pipelines

import (
	"context"
	"fmt"
	"strings"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/dancu-vn/dancu/schemas"
)

// ClickHouseSink writes batches to the dancu tables with one batch insert
// per table. Every table is a ReplacingMergeTree keyed by a deterministic
// id, so writing a batch twice leaves one copy (at once with FINAL).
type ClickHouseSink struct {
	Conn driver.Conn
}

var _ Sink = (*ClickHouseSink)(nil)

// Write inserts the rows of b, table by table.
func (s *ClickHouseSink) Write(ctx context.Context, b *Batch) error {
	if err := insertRows(ctx, s.Conn, "records", b.Records); err != nil {
		return err
	}
	if err := insertRows(ctx, s.Conn, "persons", b.Persons); err != nil {
		return err
	}
	if err := insertRows(ctx, s.Conn, "links", b.Links); err != nil {
		return err
	}
	if err := insertRows(ctx, s.Conn, "conflicts", b.Conflicts); err != nil {
		return err
	}
	return insertRows(ctx, s.Conn, "rejects", b.Rejects)
}

func insertRows[T any](ctx context.Context, conn driver.Conn, table string, rows []T) error {
	if len(rows) == 0 {
		return nil
	}
	var zero T
	cols := schemas.Tags(zero)
	q := fmt.Sprintf("INSERT INTO %s (%s)", table, strings.Join(cols, ", "))
	batch, err := conn.PrepareBatch(ctx, q)
	if err != nil {
		return fmt.Errorf("prepare insert into %s: %w", table, err)
	}
	defer batch.Abort()
	for i := range rows {
		if err := batch.AppendStruct(&rows[i]); err != nil {
			return fmt.Errorf("append row %d to %s: %w", i, table, err)
		}
	}
	if err := batch.Send(); err != nil {
		return fmt.Errorf("insert %d rows into %s: %w", len(rows), table, err)
	}
	return nil
}
