package coverage

import (
	"context"
	"fmt"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

// Rebuild recomputes the materialised aggregates from the records and
// persons tables (FINAL): it empties the state and aggregate tables,
// writes the states of the records of records FINAL not withdrawn (the
// view records_in_force of migration 0022; withdrawn_records: those of a
// file replaced by a corrected one) into record_state, which the load
// stage reads for records its registry knew before migration 0015,
// counts those states into coverage_sums (coverage_records), and feeds the persons once
// more as deltas from nothing through person_deltas. Use it if an insert
// ever failed, if rows reached records or persons by another way than
// the load stage, or to check the aggregates against a fresh
// computation. Loads must be stopped while it runs. Records are re-dated
// to the current load month, persons to each person's updated_at month.
// The keys of the registry's deltas stay, so a replayed delta is still
// refused.
func Rebuild(ctx context.Context, conn driver.Conn) error {
	for _, q := range []string{
		"TRUNCATE TABLE record_state",
		"TRUNCATE TABLE person_state",
		// The three aggregates (migration 0027: coverage_records,
		// coverage_persons and coverage_children are views over it).
		"TRUNCATE TABLE coverage_sums",
		// Records: their coverage is computed as the registry's
		// schemas.RecordCoverageOf computes it (migration 0015).
		`INSERT INTO record_state (file_key, record_id, version, province_code, district_code, commune_code, new_province_code,
			new_commune_code, source_kind, source_month, has_id, cmnd_only)
		SELECT cityHash64(file_hash), record_id, toUInt64(toUnixTimestamp64Nano(now64(9))), ` + recordUnits + `, source_kind,
			toStartOfMonth(source_date), match(id_number, '^[0-9]{12}$'), id_number = '' AND match(cmnd, '^[0-9]{9}$')
		FROM records_in_force`,
		// Counted from the states just written (one row a record in
		// force), not from records FINAL a second time.
		`INSERT INTO coverage_sums (kind, birth_year, province_code, district_code, commune_code, new_province_code, new_commune_code,
			source_kind, source_month, month, n, with_id, cmnd_only)
		SELECT 1, 0, province_code, district_code, commune_code, new_province_code, new_commune_code, source_kind, source_month,
			toStartOfMonth(now()), count(), sum(toInt64(has_id)), sum(toInt64(cmnd_only))
		FROM record_state
		GROUP BY province_code, district_code, commune_code, new_province_code, new_commune_code, source_kind, source_month`,
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
		"OPTIMIZE TABLE persons FINAL",
	} {
		if err := conn.Exec(ctx, q); err != nil {
			return fmt.Errorf("coverage: rebuild: %s: %w", q, err)
		}
	}
	return nil
}

// recordUnits are the units a records row counts in: those of the
// permanent address when its province is resolved, else of the current
// address.
const recordUnits = `if(perm_province_code != '', perm_province_code, cur_province_code) AS province_code,
	if(perm_province_code != '', perm_district_code, cur_district_code) AS district_code,
	if(perm_province_code != '', perm_commune_code, cur_commune_code) AS commune_code,
	if(perm_new_province_code != '', perm_new_province_code, cur_new_province_code) AS new_province_code,
	if(perm_new_province_code != '', perm_new_commune_code, cur_new_commune_code) AS new_commune_code`
