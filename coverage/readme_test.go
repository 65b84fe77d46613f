package coverage_test

import (
	"context"
	"math"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/coverage"
)

// The analysts' example SQL in README.md answers what `dancu coverage
// --era new --level commune --province 40 --since 2026-03 --sort
// with_id_pct` answers.
func TestReadmeQuery(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	const marker = "```sql\n-- which communes of Nghệ An"
	i := strings.Index(string(b), marker)
	if i < 0 {
		t.Fatal("README.md has no SQL block for the Nghệ An question")
	}
	query := string(b)[i+len("```sql\n"):]
	query = query[:strings.Index(query, "```")]

	conn := openDB(t)
	units := benchUnits(t, conn)
	synthRecords(t, conn, 0, 20_000, units)
	synthPersons(t, conn, 40_000, units, 11)

	rep, err := coverage.Compute(context.Background(), conn, coverage.Options{Era: coverage.New, Level: coverage.Commune, Province: "40",
		Since: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if err := rep.Sort("with_id_pct", false); err != nil {
		t.Fatal(err)
	}
	var want []coverage.Row
	for _, r := range rep.Rows {
		if r.Kind == coverage.KindUnit && r.Persons > 0 && len(want) < 10 {
			want = append(want, r)
		}
	}
	rows, err := conn.Query(context.Background(), query)
	if err != nil {
		t.Fatalf("README query: %v", err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var code, name string
		var persons int64
		var pct float64
		var march *float64
		var change float64
		if err := rows.Scan(&code, &name, &persons, &pct, &march, &change); err != nil {
			t.Fatal(err)
		}
		if n >= len(want) {
			t.Fatalf("README query: more rows than the report (%d)", len(want))
		}
		w := want[n]
		if code != w.Code || name != w.Name || persons != w.Persons || math.Abs(pct-w.WithIDPct) > 0.011 || math.Abs(change-w.WithIDPctChange) > 0.011 {
			t.Errorf("row %d: SQL %s %s %d %.2f%% change %.2f; report %s %s %d %.2f%% change %.2f", n, code, name, persons, pct, change,
				w.Code, w.Name, w.Persons, w.WithIDPct, w.WithIDPctChange)
		}
		n++
	}
	if n != len(want) || n == 0 {
		t.Errorf("README query gave %d rows, the report %d", n, len(want))
	}
}
