package coverage_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/dancu-vn/dancu/coverage"
	"github.com/dancu-vn/dancu/schemas"
)

// An analyst's monthly report on Nghệ An's communes: commune 16681 had
// persons before March (all with a number, as now: no change), 17920 only
// since (no share in March, so no change), every other commune none. The
// ten worst communes by share are those with persons, in every format; a
// share of nobody is an empty cell, never 0.00 (which sorts first and
// averages in); a change of 0 is said, a change from nothing is not.
func TestMonthlyReportShares(t *testing.T) {
	conn := openDB(t)
	writeMonthly(t, conn)
	since := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	rep, err := coverage.Compute(context.Background(), conn, coverage.Options{Era: coverage.New, Level: coverage.Commune, Province: "40", Since: since})
	if err != nil {
		t.Fatal(err)
	}

	// Sorted by share, ascending and descending: the units with persons first.
	for _, desc := range []bool{false, true} {
		if err := rep.Sort("with_id_pct", desc); err != nil {
			t.Fatal(err)
		}
		if a, b := rep.Rows[0], rep.Rows[1]; a.Persons == 0 || b.Persons == 0 {
			t.Errorf("sorted by with_id_pct (desc %v): first %s (%d persons), %s (%d persons); want the two communes with persons", desc, a.Code, a.Persons, b.Code, b.Persons)
		}
	}
	// By change, descending: 16681 (0 points) before 17920 (no figure in March).
	if err := rep.Sort("with_id_pct_change", true); err != nil {
		t.Fatal(err)
	}
	if rep.Rows[0].Code != "16681" {
		t.Errorf("sorted by with_id_pct_change, descending: %s first (change %v), want 16681 (0 points; 17920 had nobody in March)", rep.Rows[0].Code, rep.Rows[0].WithIDPctChange)
	}

	var buf bytes.Buffer
	if err := rep.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	lines, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range lines[0] {
		col[h] = i
	}
	byCode := map[string][]string{}
	for _, l := range lines[1:] {
		byCode[l[col["code"]]] = l
	}
	for code, want := range map[string][4]string{
		"16681": {"100.00", "1", "100.00", "0.00"},
		"17920": {"33.33", "0", "", ""},
		"16732": {"", "0", "", ""}, // no person
	} {
		l := byCode[code]
		if l == nil {
			t.Errorf("CSV: no row %s", code)
			continue
		}
		got := [4]string{l[col["with_id_pct"]], l[col["persons_since"]], l[col["with_id_pct_since"]], l[col["with_id_pct_change"]]}
		if got != want {
			t.Errorf("CSV %s: with_id_pct, persons_since, with_id_pct_since, with_id_pct_change = %q, want %q", code, got, want)
		}
	}

	buf.Reset()
	if err := rep.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	var js struct{ Rows []map[string]any }
	if err := json.Unmarshal(buf.Bytes(), &js); err != nil {
		t.Fatal(err)
	}
	for _, r := range js.Rows {
		change, has := r["with_id_pct_change"]
		switch r["code"] {
		case "16681":
			if !has || change != 0.0 {
				t.Errorf("JSON 16681: with_id_pct_change %v (present %v), want 0", change, has)
			}
		case "17920":
			if has {
				t.Errorf("JSON 17920: with_id_pct_change %v, want none (nobody in March)", change)
			}
		case "16732":
			// No person: no share with a number, as CSV's empty cell (a
			// tool sorting the JSON by it read 0 and put every empty
			// commune first; user20).
			if v, has := r["with_id_pct"]; has {
				t.Errorf("JSON 16732 (no person): with_id_pct %v, want none", v)
			}
		}
		// A commune has no expected population: no share of it either.
		if v, has := r["persons_pct"]; has {
			t.Errorf("JSON %v (a commune, no expected population): persons_pct %v, want none", r["code"], v)
		}
		if _, has := r["with_id_pct"]; !has && r["persons"] != 0.0 {
			t.Errorf("JSON %v: %v persons and no with_id_pct", r["code"], r["persons"])
		}
	}

	buf.Reset()
	if err := rep.WriteTable(&buf, false); err != nil {
		t.Fatal(err)
	}
	head, rest, _ := strings.Cut(buf.String(), "\n")
	if !strings.Contains(head, "decided") {
		t.Errorf("table: no column of decided conflicts in %q", head)
	}
	for _, l := range strings.Split(rest, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "17920") && strings.HasSuffix(l, "+33.33") {
			t.Errorf("table: 17920 shows a change from nothing: %q", l)
		}
	}
}

// The page answers "since March" too: ?since=YYYY-MM adds the share then
// and the change to the table (none where nobody was loaded by then),
// every link keeps it, and a form asks for it.
func TestPageSince(t *testing.T) {
	conn := openDB(t)
	writeMonthly(t, conn)
	srv := httptest.NewServer(coverage.NewHandler(conn, nil))
	defer srv.Close()
	code, _, body := get(t, srv, "/coverage?era=new&metric=with_id_pct&since=2026-03")
	if code != 200 || !strings.Contains(body, `href="/coverage?era=new&amp;metric=with_id_pct&amp;province=40&amp;since=2026-03"`) {
		t.Errorf("/coverage?since=2026-03: %d; the drill-down into Nghệ An keeps since: %v", code, strings.Contains(body, "since=2026-03&"))
	}
	if !strings.Contains(body, `<input type="month" id="since" name="since" value="2026-03"`) {
		t.Errorf("/coverage?since=2026-03: no form field for the month compared with")
	}
	if !strings.Contains(body, `<a href="/coverage?era=new&amp;metric=with_id_pct">no comparison</a>`) {
		t.Errorf("/coverage?since=2026-03: no link to the page without the comparison (the only link without since)")
	}
	code, _, body = get(t, srv, "/coverage?era=new&metric=with_id_pct&province=40&level=commune&since=2026-03")
	if code != 200 || !strings.Contains(body, `<th rowspan="2">with ID % at 2026-03</th><th rowspan="2">change (points)</th>`) {
		t.Fatalf("Nghệ An by commune since 2026-03: %d, columns of the share then and the change: %v", code, strings.Contains(body, "with ID % at 2026-03"))
	}
	row := func(code string) string {
		_, r, _ := strings.Cut(body, `<tr class="unit" data-code="`+code+`">`)
		r, _, _ = strings.Cut(r, "</tr>")
		return r
	}
	if r := row("16681"); !strings.HasSuffix(strings.TrimSpace(r), "<td>100.00</td><td>&#43;0.00</td>") {
		t.Errorf("16681 (100%% then and now): row %q, want it to end with 100.00 and +0.00", r)
	}
	if r := row("17920"); !strings.HasSuffix(strings.TrimSpace(r), "<td></td><td></td>") {
		t.Errorf("17920 (nobody loaded by March): row %q, want no share then and no change", r)
	}
	if code, _, body = get(t, srv, "/coverage?era=new&province=40&level=commune"); code != 200 || strings.Contains(body, "change (points)") {
		t.Errorf("Nghệ An by commune without since: %d, a change column: %v", code, strings.Contains(body, "change (points)"))
	}
}

// writeMonthly loads the persons of TestMonthlyReportShares.
func writeMonthly(t *testing.T, conn driver.Conn) {
	var recs []schemas.Record
	var persons []schemas.Person
	for i, p := range []struct {
		place       int
		id          string
		month       int
		idNumbering string
	}{
		{0, "a", 2, "040190000001"}, {0, "b", 4, "040190000002"},
		{2, "c", 4, "040190000003"}, {2, "d", 4, ""}, {2, "e", 5, ""},
	} {
		recs = append(recs, record("r"+p.id, places[p.place], schemas.KindScan, p.idNumbering, "", p.month))
		persons = append(persons, person("p"+p.id, uint64(i+1), places[p.place], p.idNumbering, 1990, "", p.month))
	}
	write(t, conn, recs, persons)
}
