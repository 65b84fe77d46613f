package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/creack/pty"
	"github.com/xuri/excelize/v2"

	"github.com/dancu-vn/dancu/internal/chdb/chdbtest"
	"github.com/dancu-vn/dancu/internal/chstore"
)

// dancu coverage against the embedded engine: JSON with snake_case keys
// whose rows sum to the total, the unresolved row carrying both records
// and persons, CSV, the SVG map, and a clear error for districts in the
// new era.
func TestCoverageCommand(t *testing.T) {
	addr := chdbtest.Start(t)
	conn, db := chdbtest.Open(t)
	ctx := context.Background()
	if _, err := chstore.Migrate(ctx, conn); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO records (record_id, source_kind, perm_province_code, perm_district_code, perm_commune_code, perm_new_province_code, perm_new_commune_code, id_number)
		 VALUES ('r1', 'scan', '40', '412', '16681', '40', '16681', '040190000001'), ('r2', 'csv', '40', '412', '16684', '40', '16681', ''), ('r3', 'csv', '', '', '', '', '', '')`,
		`INSERT INTO persons (person_id, version, province_code, commune_code, new_province_code, new_commune_code, id_number)
		 VALUES ('p1', 1, '40', '16681', '40', '16681', '040190000001'), ('p2', 1, '', '', '', '', '')`,
		// Their coverage deltas, as the registry emits them beside new
		// persons (migration 0013).
		`INSERT INTO person_deltas (batch, seq, person_id, version, living, province_code, commune_code, new_province_code, new_commune_code, has_id, old_known)
		 VALUES ('b1', 0, 'p1', 1, 1, '40', '16681', '40', '16681', 1, 1), ('b1', 1, 'p2', 1, 1, '', '', '', '', 0, 1)`,
		// And the records' deltas, summed by unit (migration 0015).
		`INSERT INTO record_deltas (batch, seq, province_code, district_code, commune_code, new_province_code, new_commune_code, source_kind,
			load_month, added, added_with_id, old_known)
		 VALUES ('b1', 0, '40', '412', '16681', '40', '16681', 'scan', toStartOfMonth(today()), 1, 1, 1),
			('b1', 1, '40', '412', '16684', '40', '16681', 'csv', toStartOfMonth(today()), 1, 0, 1),
			('b1', 2, '', '', '', '', '', 'csv', toStartOfMonth(today()), 1, 0, 1)`,
	} {
		if err := conn.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	cov := func(args ...string) (string, error) {
		var out, errOut bytes.Buffer
		err := run(ctx, append([]string{"--home", t.TempDir(), "--clickhouse", "http://" + addr + "/" + db, "coverage"}, args...), strings.NewReader(""), &out, &errOut)
		return out.String(), err
	}
	out, err := cov("--format", "json", "--era", "new", "--level", "commune", "--province", "40")
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Rows  []map[string]any `json:"rows"`
		Total map[string]any   `json:"total"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("json: %v\n%s", err, out)
	}
	if rep.Total["records"] != 2.0 || rep.Total["persons"] != 1.0 || rep.Total["persons_with_id"] != 1.0 {
		t.Errorf("Nghệ An total %v, want 2 records, 1 person with an ID", rep.Total)
	}
	out, err = cov("--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	rep.Rows, rep.Total = nil, nil
	json.Unmarshal([]byte(out), &rep)
	var records, persons float64
	var unresolved map[string]any
	for _, r := range rep.Rows {
		for k := range r {
			if strings.ToLower(k) != k || strings.Contains(k, " ") {
				t.Errorf("JSON key %q is not snake_case", k)
			}
		}
		records += r["records"].(float64)
		persons += r["persons"].(float64)
		if r["kind"] == "unresolved" {
			unresolved = r
		}
	}
	if records != rep.Total["records"] || persons != rep.Total["persons"] || records != 3 || persons != 2 {
		t.Errorf("rows sum to %v records %v persons, total %v", records, persons, rep.Total)
	}
	if unresolved == nil || unresolved["records"] != 1.0 || unresolved["persons"] != 1.0 {
		t.Errorf("unresolved row %v, want 1 record and 1 person", unresolved)
	}
	out, err = cov("--format", "csv", "--level", "district", "--province", "40")
	if err != nil || !strings.HasPrefix(out, "kind,code,name,province_code,records,") || !strings.Contains(out, "unit,412,") {
		t.Errorf("csv by district: %v\n%.300s", err, out)
	}
	// For Excel: a workbook whose codes keep their leading zeros (a CSV's
	// would not) and whose counts are numbers.
	xlsx := filepath.Join(t.TempDir(), "coverage.xlsx")
	if _, err := cov("--format", "xlsx", "--out", xlsx); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	sheet := x.GetSheetName(0)
	rows, err := x.GetRows(sheet)
	if err != nil || len(rows) != 1+63+1+1 { // header, 63 provinces, unresolved, total
		t.Fatalf("xlsx: %v, %d rows, want 66", err, len(rows))
	}
	code, _ := x.GetCellType(sheet, "B2")
	recordsType, _ := x.GetCellType(sheet, "E66")
	if rows[1][1] != "01" || rows[1][2] != "Thành phố Hà Nội" || code != excelize.CellTypeSharedString || rows[65][0] != "total" || rows[65][4] != "3" || recordsType == excelize.CellTypeSharedString {
		t.Errorf("xlsx: first row %q (code a %v), total row %q (records a %v); want code 01 as text, Hà Nội, 3 records as a number", rows[1], code, rows[65], recordsType)
	}
	svg := filepath.Join(t.TempDir(), "map.svg")
	if _, err := cov("--format", "svg", "--era", "new", "--metric", "with_id_pct", "--out", svg); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(svg)
	if strings.Count(string(b), "<path ") != 34 || !strings.Contains(string(b), `id="p-40" data-code="40" data-name="Tỉnh Nghệ An" data-value="100.00"`) {
		t.Errorf("svg map: %d paths, Nghệ An at 100%%: %v", strings.Count(string(b), "<path "), strings.Contains(string(b), `data-value="100.00"`))
	}
	if _, err := cov("--format", "svg", "--province", "40", "--level", "commune", "--out", svg); err == nil || !strings.Contains(err.Error(), "drop --province") {
		t.Errorf("svg of one province's communes: %v, want an error (the map is of provinces only)", err)
	}
	if _, err := cov("--level", "district", "--era", "new"); err == nil || !strings.Contains(err.Error(), "only in the old era") {
		t.Errorf("district level in the new era: %v, want an error saying it exists only in the old era", err)
	}
	if _, err := cov("--era", "new", "--province", "02", "--level", "commune"); err == nil || !strings.Contains(err.Error(), "Tỉnh Hà Giang is part of 08 Tỉnh Tuyên Quang") {
		t.Errorf("an old province asked of the new era: %v, want where it went", err)
	}
	if _, err := cov("--province", "99"); err == nil || !strings.Contains(err.Error(), `province "99"`) {
		t.Errorf("unknown province: %v", err)
	}
}

// dancu coverage --format xlsx with no --out on a terminal refuses, saying
// to give --out, instead of pouring the workbook's zip onto the screen;
// into a file (not a terminal) it still writes the workbook (user24).
func TestCoverageXLSXNotOntoATerminal(t *testing.T) {
	addr := chdbtest.Start(t)
	conn, db := chdbtest.Open(t)
	ctx := context.Background()
	if _, err := chstore.Migrate(ctx, conn); err != nil {
		t.Fatal(err)
	}
	args := []string{"--home", t.TempDir(), "--clickhouse", "http://" + addr + "/" + db, "coverage", "--format", "xlsx"}
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Fatalf("open a pseudo-terminal: %v", err)
	}
	defer ptmx.Close()
	var screen bytes.Buffer
	done := make(chan struct{})
	go func() { defer close(done); _, _ = io.Copy(&screen, ptmx) }()
	var errOut bytes.Buffer
	err = run(ctx, args, strings.NewReader(""), tty, &errOut)
	tty.Close()
	<-done
	if err == nil || !strings.Contains(err.Error(), "--out") {
		t.Errorf("coverage --format xlsx onto a terminal: error %v, want one saying --out", err)
	}
	if bytes.Contains(screen.Bytes(), []byte("PK")) {
		t.Errorf("the workbook went to the terminal: %q…", screen.Bytes()[:min(40, screen.Len())])
	}
	f, err := os.Create(filepath.Join(t.TempDir(), "report.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := run(ctx, args, strings.NewReader(""), f, &errOut); err != nil {
		t.Fatalf("coverage --format xlsx > file: %v", err)
	}
	if _, err := excelize.OpenFile(f.Name()); err != nil {
		t.Errorf("coverage --format xlsx > file wrote no workbook: %v", err)
	}
}
