package ingest

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/dancu-vn/dancu/internal/synth"
)

// checkAccount checks the account of every sheet of a read file: rows =
// accepted + rejected + skipped; the items of a sheet are its accepted
// and rejected rows; and every physical row 1..rows is exactly one item
// or lies in exactly one listed skipped run. It returns, per sheet, the
// kind of each skipped row ("" for data rows).
func checkAccount(t *testing.T, items []Item, d Description) map[string]map[int]SkipKind {
	t.Helper()
	out := map[string]map[int]SkipKind{}
	for _, l := range d.Sheets {
		if l.Rows != l.Accepted+l.Rejected+l.SkippedRows {
			t.Errorf("%s sheet %q: rows %d != accepted %d + rejected %d + skipped %d", d.File, l.Sheet, l.Rows, l.Accepted, l.Rejected, l.SkippedRows)
		}
		sum := 0
		for _, n := range l.ByKind {
			sum += n
		}
		if sum != l.SkippedRows || l.Unlisted != 0 {
			t.Errorf("%s sheet %q: skipped %d, by kind %v, unlisted %d", d.File, l.Sheet, l.SkippedRows, l.ByKind, l.Unlisted)
		}
		seen := map[int]int{}
		kind := map[int]SkipKind{}
		for _, s := range l.Skips {
			for r := s.Row; r <= max(s.To, s.Row); r++ {
				seen[r]++
				kind[r] = s.Kind
			}
		}
		acc, rej := 0, 0
		for _, it := range items {
			switch {
			case it.Record != nil && it.Record.Sheet == l.Sheet:
				acc++
				seen[int(it.Record.Row)]++
			case it.Reject != nil && it.Reject.Sheet == l.Sheet:
				rej++
				seen[int(it.Reject.Row)]++
			}
		}
		if acc != l.Accepted || rej != l.Rejected {
			t.Errorf("%s sheet %q: %d records and %d rejects read, the layout counts %d and %d", d.File, l.Sheet, acc, rej, l.Accepted, l.Rejected)
		}
		for r := 1; r <= l.Rows; r++ {
			if seen[r] != 1 {
				t.Errorf("%s sheet %q row %d: accounted %d times, want once", d.File, l.Sheet, r, seen[r])
			}
		}
		if len(seen) != l.Rows {
			t.Errorf("%s sheet %q: %d rows accounted, %d read", d.File, l.Sheet, len(seen), l.Rows)
		}
		out[l.Sheet] = kind
	}
	return out
}

// physicalRows counts the rows of each sheet as another reader sees
// them: excelize's rows (up to the last with content) for a workbook,
// the lines of a CSV file (the fixtures have no field spanning lines).
func physicalRows(t *testing.T, path string) map[string]int {
	t.Helper()
	out := map[string]int{}
	if strings.HasSuffix(path, ".csv") {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		b = bytes.TrimRight(b, "\r\n")
		out[""] = bytes.Count(b, []byte("\n")) + 1
		return out
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, sh := range f.GetSheetList() {
		rows, err := f.GetRows(sh)
		if err != nil {
			t.Fatal(err)
		}
		out[sh] = len(rows)
	}
	return out
}

// TestEveryRowAccountedOnFixtures reads every fixture sheet (the messy
// provincial sheets and ingest's own) with both worksheet readers and
// checks that every physical row is accepted, rejected or skipped with a
// kind, exactly once; that the row counts agree with another reader's;
// and, where expected.json says what a row is, that header and footer
// rows are skipped as such and data rows are not skipped.
func TestEveryRowAccountedOnFixtures(t *testing.T) {
	dir := messyDir(t)
	var exp synth.MessyExpected
	b, err := os.ReadFile(filepath.Join(dir, "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &exp); err != nil {
		t.Fatal(err)
	}
	expected := map[string]map[string]synth.MessySheet{}
	for _, f := range exp.Files {
		expected[f.File] = map[string]synth.MessySheet{}
		for _, s := range f.Sheets {
			expected[f.File][s.Sheet] = s
		}
	}
	var files []string
	for _, pat := range []string{filepath.Join(dir, "*.xlsx"), filepath.Join(dir, "*.csv"), filepath.Join("testdata", "*", "*.xlsx")} {
		m, _ := filepath.Glob(pat)
		files = append(files, m...)
	}
	if len(files) < 6 {
		t.Fatalf("only %d fixtures found: %v", len(files), files)
	}
	for _, path := range files {
		for _, excelizeRows := range []bool{false, true} {
			if excelizeRows && !strings.HasSuffix(path, ".xlsx") {
				continue
			}
			items, d := openAll(t, path, Options{ExcelizeRows: excelizeRows})
			kinds := checkAccount(t, items, d)
			phys := physicalRows(t, path)
			read := 0
			for _, l := range d.Sheets {
				n := phys[l.Sheet]
				if l.Rows < n {
					t.Errorf("%s sheet %q: %d rows read, another reader sees %d", path, l.Sheet, l.Rows, n)
				}
				for r := n + 1; r <= l.Rows; r++ {
					if kinds[l.Sheet][r] != SkipBlank {
						t.Errorf("%s sheet %q row %d, past the last row with content (%d): %q", path, l.Sheet, r, n, kinds[l.Sheet][r])
					}
				}
				// A cover or a summary sheet (testdata/user17) has no
				// header and no person: not a list, its rows all skipped
				// as such or blank.
				notList := strings.HasPrefix(l.Skipped, NotAList)
				if notList && (l.Problem != "" || l.ByKind[SkipNotList]+l.ByKind[SkipBlank] != l.Rows) {
					t.Errorf("%s sheet %q: %s, problem %q, rows by kind %v", path, l.Sheet, l.Skipped, l.Problem, l.ByKind)
				}
				if l.Accepted+l.Rejected == 0 && l.Problem == "" && !notList {
					t.Errorf("%s sheet %q: no data row", path, l.Sheet)
				}
				if l.Problem == "" && !notList {
					read++
				}
				want, ok := expected[filepath.Base(path)][l.Sheet]
				if !ok || filepath.Dir(path) != dir {
					continue
				}
				for i := 0; i < want.HeaderRows; i++ {
					if k := kinds[l.Sheet][want.HeaderRow+i]; k != SkipHeader {
						t.Errorf("%s sheet %q header row %d skipped as %q", path, l.Sheet, want.HeaderRow+i, k)
					}
				}
				for _, f := range want.Footer {
					if k := kinds[l.Sheet][f.Row]; k != SkipFooter && k != SkipBlank {
						t.Errorf("%s sheet %q footer row %d (%q) skipped as %q", path, l.Sheet, f.Row, f.Text, k)
					}
				}
				for _, p := range want.Persons {
					if k, skipped := kinds[l.Sheet][p.Row]; skipped {
						t.Errorf("%s sheet %q row %d, a person's, skipped as %q", path, l.Sheet, p.Row, k)
					}
				}
				if got := l.ByKind[SkipBlank]; got < want.BlankRows {
					t.Errorf("%s sheet %q: %d blank rows skipped, the data alone has %d", path, l.Sheet, got, want.BlankRows)
				}
			}
			if read == 0 {
				t.Errorf("%s: no sheet read", path)
			}
		}
	}
}
