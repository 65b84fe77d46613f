package pipelines

import (
	"context"
	"fmt"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

// SourceClusters returns, for every loaded record that carries a source
// record id ("Mã bản ghi", form id), the person it is linked to — the
// prediction to score against a truth file keyed by source record id.
func SourceClusters(ctx context.Context, conn driver.Conn) (map[string]string, error) {
	rows, err := conn.Query(ctx, `SELECT r.source_record_id, l.person_id
		FROM records AS r FINAL
		INNER JOIN (SELECT record_id, person_id FROM links FINAL) AS l ON l.record_id = r.record_id
		WHERE r.source_record_id != ''`)
	if err != nil {
		return nil, fmt.Errorf("read clusters: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var src, pid string
		if err := rows.Scan(&src, &pid); err != nil {
			return nil, fmt.Errorf("read clusters: %w", err)
		}
		out[src] = pid
	}
	return out, rows.Err()
}
