package pipelines

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

// CoverageRow is one province of a coverage report.
type CoverageRow struct {
	ProvinceCode   string  `ch:"province_code"`
	ProvinceName   string  `ch:"province_name"`
	Records        uint64  `ch:"records"`
	Persons        uint64  `ch:"persons"`
	Population2019 uint64  `ch:"population_2019"`
	Population2024 uint64  `ch:"population_2024"`
	CoveragePct    float64 `ch:"coverage_pct"`
}

// CoverageReport is collection coverage by province, from ClickHouse.
type CoverageReport struct {
	Era        string // "old" (63 provinces) or "new" (34, since 1 July 2025)
	Rows       []CoverageRow
	Unresolved uint64 // records whose province could not be resolved
	Records    uint64 // all records (FINAL)
	Persons    uint64 // all persons not merged into another (FINAL)
	Rejects    uint64 // all rejected rows (FINAL)
}

// Coverage reads the coverage view of the given era ("old" or "new").
func Coverage(ctx context.Context, conn driver.Conn, era string) (*CoverageReport, error) {
	prov := "if(perm_province_code != '', perm_province_code, cur_province_code)"
	switch era {
	case "old", "":
		era = "old"
	case "new":
		prov = "if(perm_new_province_code != '', perm_new_province_code, cur_new_province_code)"
	default:
		return nil, fmt.Errorf("coverage: era %q: want old or new", era)
	}
	rep := &CoverageReport{Era: era}
	q := `SELECT province_code, province_name, records, persons, population_2019, population_2024, coverage_pct
		FROM coverage_by_province WHERE era = {era:String} ORDER BY province_code`
	if err := conn.Select(clickhouse.Context(ctx, clickhouse.WithParameters(clickhouse.Parameters{"era": era})), &rep.Rows, q); err != nil {
		return nil, fmt.Errorf("coverage: read coverage_by_province: %w", err)
	}
	q = `SELECT
	    (SELECT count() FROM records FINAL),
	    (SELECT countIf(` + prov + ` = '') FROM records FINAL),
	    (SELECT count() FROM persons FINAL WHERE merged_into = ''),
	    (SELECT count() FROM rejects FINAL)`
	if err := conn.QueryRow(ctx, q).Scan(&rep.Records, &rep.Unresolved, &rep.Persons, &rep.Rejects); err != nil {
		return nil, fmt.Errorf("coverage: totals: %w", err)
	}
	return rep, nil
}

// WriteTable prints the report as an aligned table. Provinces with no
// record are left out unless all is set.
func (r *CoverageReport) WriteTable(w io.Writer, all bool) error {
	var buf bytes.Buffer
	tw := tabwriter.NewWriter(&buf, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "code\tprovince\trecords\tpersons\tpopulation 2024\tcoverage %\t")
	for _, row := range r.Rows {
		if row.Records == 0 && row.Persons == 0 && !all {
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%.4f\t\n", row.ProvinceCode, row.ProvinceName, row.Records, row.Persons, row.Population2024, row.CoveragePct)
	}
	if r.Unresolved > 0 {
		fmt.Fprintf(tw, "—\t(address not resolved)\t%d\t\t\t\t\n", r.Unresolved)
	}
	fmt.Fprintf(tw, "\tTOTAL\t%d\t%d\t\t\t\n", r.Records, r.Persons)
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, line := range strings.Split(strings.TrimRight(buf.String(), "\n"), "\n") {
		if _, err := fmt.Fprintln(w, strings.TrimRight(line, " ")); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintf(w, "rejected rows: %d\n", r.Rejects)
	return err
}

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
