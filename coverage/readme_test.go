package coverage_test

import (
	"context"
	"fmt"
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
	query := readmeSQL(t, "-- which communes of Nghệ An")

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
	n, noMarch := 0, 0
	for rows.Next() {
		var code, name string
		var persons int64
		var pct float64
		var march, change *float64
		if err := rows.Scan(&code, &name, &persons, &pct, &march, &change); err != nil {
			t.Fatal(err)
		}
		if n >= len(want) {
			t.Fatalf("README query: more rows than the report (%d)", len(want))
		}
		w := want[n]
		if code != w.Code || name != w.Name || persons != w.Persons || math.Abs(pct-w.WithIDPct) > 0.011 || !near(change, w.WithIDPctChange) {
			t.Errorf("row %d: SQL %s %s %d %.2f%% change %s; report %s %s %d %.2f%% change %s", n, code, name, persons, pct, orNone(change),
				w.Code, w.Name, w.Persons, w.WithIDPct, orNone(w.WithIDPctChange))
		}
		if change == nil {
			noMarch++
		}
		n++
	}
	if n != len(want) || n == 0 {
		t.Errorf("README query gave %d rows, the report %d", n, len(want))
	}
	if noMarch == 0 || noMarch == n {
		t.Errorf("%d of %d communes had no person in March: the data should have both kinds", noMarch, n)
	}
}

// near reports whether two optional shares are both absent or within a
// hundredth of a point.
func near(a, b *float64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return math.Abs(*a-*b) <= 0.011
}

func orNone(v *float64) string {
	if v == nil {
		return "none"
	}
	return fmt.Sprintf("%+.2f", *v)
}

// README's SQL for the ministry's monthly report (provinces of the new era,
// the share with a number now and at the start of this month) answers what
// `dancu coverage --era new --since THIS-MONTH` answers, province by
// province, with persons loaded in earlier months and this month.
func TestReadmeMonthlyQuery(t *testing.T) {
	query := readmeSQL(t, "-- the ministry's monthly report")

	conn := openDB(t)
	units := benchUnits(t, conn)
	synthPersons(t, conn, 20_000, units, 11) // January to November 2026
	synthPersonsFrom(t, conn, 20_000, 2_000, units, 0)
	now := time.Now().UTC()
	rep, err := coverage.Compute(context.Background(), conn, coverage.Options{Era: coverage.New,
		Since: time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]coverage.Row{}
	for _, r := range rep.Rows {
		if r.Kind == coverage.KindUnit {
			want[r.Code] = r
		}
	}
	rows, err := conn.Query(context.Background(), query)
	if err != nil {
		t.Fatalf("README query: %v", err)
	}
	defer rows.Close()
	n, changed := 0, 0
	for rows.Next() {
		var code, name string
		var persons int64
		var pct, last, change *float64
		if err := rows.Scan(&code, &name, &persons, &pct, &last, &change); err != nil {
			t.Fatal(err)
		}
		w, ok := want[code]
		if !ok || name != w.Name || persons != w.Persons || pct == nil || math.Abs(*pct-w.WithIDPct) > 0.011 ||
			!near(last, w.WithIDPctSince) || !near(change, w.WithIDPctChange) {
			t.Errorf("province %s: SQL %s %d %v%% then %s change %s; report %s %d %.2f%% then %s change %s", code, name, persons, pct,
				orNone(last), orNone(change), w.Name, w.Persons, w.WithIDPct, orNone(w.WithIDPctSince), orNone(w.WithIDPctChange))
		}
		if change != nil && *change != 0 {
			changed++
		}
		n++
	}
	if n != 34 || len(want) != 34 || changed == 0 {
		t.Errorf("README query gave %d provinces (report %d), %d with a change this month", n, len(want), changed)
	}
}

// readmeSQL returns the SQL block of README.md whose first line starts
// with comment.
func readmeSQL(t *testing.T, comment string) string {
	t.Helper()
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, query, ok := strings.Cut(string(b), "```sql\n"+comment)
	if !ok {
		t.Fatalf("README.md has no SQL block starting %q", comment)
	}
	query, _, _ = strings.Cut(comment+query, "```")
	return query
}
