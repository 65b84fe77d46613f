package store

import (
	"context"
	"fmt"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

// Store reads and writes the desk's tables over one ClickHouse connection.
// The tables come from the embedded migrations (chstore.Migrate).
type Store struct {
	conn driver.Conn
	now  func() time.Time
}

// New returns a Store over conn. now gives the time of writes; nil means
// time.Now (tests pass a fake clock to expire sessions).
func New(conn driver.Conn, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{conn: conn, now: func() time.Time { return now().UTC().Truncate(time.Millisecond) }}
}

// Now is the store's clock.
func (s *Store) Now() time.Time { return s.now() }

// Conn is the underlying connection.
func (s *Store) Conn() driver.Conn { return s.conn }

// insert writes rows (pointers to ch-tagged structs) as one batch.
func (s *Store) insert(ctx context.Context, table string, rows ...any) error {
	b, err := s.conn.PrepareBatch(ctx, "INSERT INTO "+table)
	if err != nil {
		return fmt.Errorf("insert %s: %w", table, err)
	}
	for _, r := range rows {
		if err := b.AppendStruct(r); err != nil {
			b.Abort()
			return fmt.Errorf("insert %s: %w", table, err)
		}
	}
	if err := b.Send(); err != nil {
		return fmt.Errorf("insert %s: %w", table, err)
	}
	return nil
}
