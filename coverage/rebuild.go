package coverage

import (
	"context"
	"fmt"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

// Rebuild recomputes the materialised aggregates from the records and
// persons tables (FINAL): it empties the state and delta tables and feeds
// the current rows once more through the views. Use it if an insert ever
// failed between the views, or to check the aggregates against a fresh
// computation. Loads must be stopped while it runs. Deltas are re-dated to
// the current month for records and to each person's updated_at month.
func Rebuild(ctx context.Context, conn driver.Conn) error {
	for _, q := range []string{
		"TRUNCATE TABLE record_state",
		"TRUNCATE TABLE coverage_records",
		"TRUNCATE TABLE person_state",
		"TRUNCATE TABLE coverage_persons",
		"TRUNCATE TABLE coverage_children",
		"INSERT INTO records SELECT * FROM records FINAL",
		"INSERT INTO persons SELECT * FROM persons FINAL",
		"OPTIMIZE TABLE records FINAL",
		"OPTIMIZE TABLE persons FINAL",
	} {
		if err := conn.Exec(ctx, q); err != nil {
			return fmt.Errorf("coverage: rebuild: %s: %w", q, err)
		}
	}
	return nil
}
