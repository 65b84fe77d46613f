package coveragetest

import (
	"context"
	"fmt"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/dancu-vn/dancu/coverage"
)

// ByProvince is the records and persons of each province of rep (a
// report of the old era at province level), its empty rows left out.
func ByProvince(rep *coverage.Report) map[string][2]int64 {
	got := map[string][2]int64{}
	for _, r := range rep.Rows {
		if r.Records != 0 || r.Persons != 0 {
			got[r.Code] = [2]int64{r.Records, r.Persons}
		}
	}
	return got
}

// BruteForce counts, by province of the old era, the records in force
// (records_in_force: records FINAL less those withdrawn) and the living
// persons (persons FINAL): what ByProvince of a report computed from the
// aggregates must be.
func BruteForce(ctx context.Context, conn driver.Conn) (map[string][2]int64, error) {
	rows, err := conn.Query(ctx, `SELECT p, sum(r), sum(q) FROM (
		SELECT if(perm_province_code != '', perm_province_code, cur_province_code) AS p, toInt64(count()) AS r, toInt64(0) AS q FROM records_in_force GROUP BY p
		UNION ALL SELECT province_code AS p, 0, toInt64(count()) FROM persons FINAL WHERE merged_into = '' GROUP BY p) GROUP BY p`)
	if err != nil {
		return nil, fmt.Errorf("coverage by brute force: %w", err)
	}
	defer rows.Close()
	want := map[string][2]int64{}
	for rows.Next() {
		var p string
		var r, q int64
		if err := rows.Scan(&p, &r, &q); err != nil {
			return nil, fmt.Errorf("coverage by brute force: %w", err)
		}
		want[p] = [2]int64{r, q}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("coverage by brute force: %w", err)
	}
	return want, nil
}
