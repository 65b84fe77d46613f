package ingest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/internal/synth"
)

// messyDir returns the generator's messy sheets: testdata/sheets when
// committed, else a fresh set written by synth.WriteMessy.
func messyDir(t *testing.T) string {
	dir := filepath.Join("..", "testdata", "sheets")
	if _, err := os.Stat(filepath.Join(dir, "expected.json")); err == nil {
		return dir
	}
	dir = t.TempDir()
	if _, err := synth.WriteMessy(dir, 1); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestMessySheets imports each messy sheet the generator writes (TCVN3 and
// VNI fonts, a merged two-row header under title rows, a workbook of
// village sheets with blank rows and footers, Excel serial dates, a
// Windows-1258 CSV) and checks the mapping, the decoded names and dates,
// and the accepted and rejected counts of expected.json, in both
// validation modes, with both worksheet readers.
func TestMessySheets(t *testing.T) {
	dir := messyDir(t)
	b, err := os.ReadFile(filepath.Join(dir, "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	var exp synth.MessyExpected
	if err := json.Unmarshal(b, &exp); err != nil {
		t.Fatal(err)
	}
	if len(exp.Files) < 5 {
		t.Fatalf("expected.json lists %d files", len(exp.Files))
	}
	for _, f := range exp.Files {
		for _, mode := range []struct {
			name           string
			strict, excels bool
		}{{"lenient", false, false}, {"strict", true, false}, {"excelize", false, true}} {
			if mode.excels && f.Format != "xlsx" {
				continue
			}
			t.Run(f.File+"/"+mode.name, func(t *testing.T) {
				items, d := openAll(t, filepath.Join(dir, f.File), Options{Strict: mode.strict, ExcelizeRows: mode.excels})
				if f.TextEncoding != "" && d.Encoding != f.TextEncoding {
					t.Errorf("file encoding %q, want %q", d.Encoding, f.TextEncoding)
				}
				if len(d.Sheets) != len(f.Sheets) {
					t.Fatalf("%d sheets, want %d", len(d.Sheets), len(f.Sheets))
				}
				for si, want := range f.Sheets {
					got := d.Sheets[si]
					if got.Sheet != want.Sheet {
						t.Errorf("sheet %d is %q, want %q", si, got.Sheet, want.Sheet)
					}
					if len(got.HeaderRows) != want.HeaderRows || got.HeaderRows[0] != want.HeaderRow {
						t.Errorf("sheet %q: header rows %v, want %d from row %d", want.Sheet, got.HeaderRows, want.HeaderRows, want.HeaderRow)
					}
					byLetter := map[string]ColumnMap{}
					for _, c := range got.Columns {
						byLetter[c.Letter] = c
					}
					for _, wc := range want.Columns {
						gc := byLetter[wc.Column]
						if gc.Field != wc.Field {
							t.Errorf("sheet %q column %s (%s): field %q, want %q", want.Sheet, wc.Column, wc.Header, gc.Field, wc.Field)
						}
						if wc.Field != "" && textField(wc.Field) && gc.Encoding != wc.Encoding {
							t.Errorf("sheet %q column %s (%s): encoding %q, want %q", want.Sheet, wc.Column, wc.Header, gc.Encoding, wc.Encoding)
						}
						// The generator's "Ghi chú" (remark) column is empty: no
						// data cell tells its font.
						if wc.Field != "" && wc.Field != FieldRemark && textField(wc.Field) && wc.Font != "" && gc.Font != wc.Font {
							t.Errorf("sheet %q column %s: font %q, want %q", want.Sheet, wc.Column, gc.Font, wc.Font)
						}
					}

					recs := map[int]*Item{}
					var acc, rej int
					for i := range items {
						it := &items[i]
						if it.Record != nil && it.Record.Sheet == want.Sheet {
							acc++
							recs[int(it.Record.Row)] = it
						}
						if it.Reject != nil && it.Reject.Sheet == want.Sheet {
							rej++
							recs[int(it.Reject.Row)] = it
						}
					}
					wantAcc, wantRej := want.DataRows-want.RejectedMissingName, want.RejectedMissingName
					if mode.strict {
						wantAcc, wantRej = want.Accepted, want.Rejected
					}
					if acc != wantAcc || rej != wantRej {
						t.Errorf("sheet %q: accepted %d rejected %d, want %d %d", want.Sheet, acc, rej, wantAcc, wantRej)
					}
					for _, n := range want.Names {
						it := recs[n.Row]
						if it == nil || it.Record == nil {
							t.Errorf("sheet %q row %d: no record, want %q", want.Sheet, n.Row, n.FullName)
							continue
						}
						if it.Record.FullName != n.FullName {
							t.Errorf("sheet %q row %d: name %q, want %q", want.Sheet, n.Row, it.Record.FullName, n.FullName)
						}
						if n.BirthDate != "" && it.Record.BirthDate != n.BirthDate {
							t.Errorf("sheet %q row %d: birth date %q, want %q", want.Sheet, n.Row, it.Record.BirthDate, n.BirthDate)
						}
					}
					for _, bad := range want.BadRows {
						it := recs[bad.Row]
						switch {
						case it == nil:
							t.Errorf("sheet %q row %d (%s): row lost", want.Sheet, bad.Row, bad.Problem)
						case mode.strict || bad.Problem == synth.ProblemMissingName:
							if it.Reject == nil || it.Reject.Column != bad.Column {
								t.Errorf("sheet %q row %d (%s): %+v, want a reject naming column %q", want.Sheet, bad.Row, bad.Problem, it, bad.Column)
							} else if strings.HasPrefix(bad.Problem, "id_") && strings.Contains(it.Reject.Value, bad.Value) {
								t.Errorf("sheet %q row %d: reject value %q shows the full number", want.Sheet, bad.Row, it.Reject.Value)
							}
						default:
							if it.Record == nil || len(it.Notes) == 0 {
								t.Errorf("sheet %q row %d (%s): %+v, want an accepted record with a note", want.Sheet, bad.Row, bad.Problem, it)
							}
						}
					}
					for _, ft := range want.Footer {
						if recs[ft.Row] != nil {
							t.Errorf("sheet %q footer row %d (%q) read as data", want.Sheet, ft.Row, ft.Text)
						}
					}
				}
			})
		}
	}
}
