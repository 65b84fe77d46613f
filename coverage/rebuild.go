package coverage

import (
	"context"
	"fmt"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

// Rebuild recomputes the materialised aggregates from the records and
// persons tables (FINAL): it empties the state and delta tables and feeds
// the current rows once more through the views (records through those on
// records, persons as deltas from nothing through person_deltas). Use it if an insert ever
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
		// Persons go through person_deltas (migration 0013), as the
		// registry's deltas do, each counted from nothing; merged persons
		// too, so that person_state knows they are merged. The keys of the
		// registry's deltas stay, so a replayed delta is still refused.
		`INSERT INTO person_deltas (batch, seq, person_id, version, changed_at, living, province_code, commune_code,
			new_province_code, new_commune_code, has_id, cmnd_only, birth_year, old_known)
		SELECT concat('rebuild-', toString(now64(9))), toUInt32(rowNumberInAllBlocks()), person_id, version, updated_at,
			merged_into = '', province_code, commune_code, new_province_code, new_commune_code,
			match(id_number, '^[0-9]{12}$'), NOT match(id_number, '^[0-9]{12}$') AND match(cmnd, '^[0-9]{9}$'),
			if(birth_year >= 2010, birth_year, 0), 1
		FROM persons FINAL`,
		"OPTIMIZE TABLE records FINAL",
		"OPTIMIZE TABLE persons FINAL",
	} {
		if err := conn.Exec(ctx, q); err != nil {
			return fmt.Errorf("coverage: rebuild: %s: %w", q, err)
		}
	}
	return nil
}
