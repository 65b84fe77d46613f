package ingest

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/schemas"
	"github.com/dancu-vn/dancu/vn"
)

// anotherCommune is one row of testdata/user17/truth.json: what the clerk
// wrote in a row of quynhhung_tcvn3.xlsx or quynhhung_vni.xlsx, in Unicode
// (gen.go beside it writes both and the .xls copies LibreOffice saved).
type anotherCommune struct {
	File     string `json:"file"`
	Sheet    string `json:"sheet"`
	Row      int    `json:"row"`
	Outcome  string `json:"outcome"`
	Name     string `json:"full_name"`
	Birth    string `json:"birth_date"`
	Sex      string `json:"sex"`
	ID       string `json:"id_number"`
	CMND     string `json:"cmnd"`
	Relation string `json:"relation_to_head"`
	Address  string `json:"perm_address"`
	Why      string `json:"why"`
	Text     string `json:"text"`
}

// TestAnotherCommunesWorkbooks reads two workbooks of one commune made
// outside this project's fixtures (user17: TCVN3 and VNI, each as .xlsx
// and as LibreOffice's .xls) and checks every row against what was written:
// each person's row accepted with the name decoded, the birth date, sex,
// identification numbers and relation right; every other row skipped; the
// sheets with no list (a cover, a summary) reported as not lists, not read
// as people, and the workbook imports.
func TestAnotherCommunesWorkbooks(t *testing.T) {
	dir := filepath.Join("testdata", "user17")
	raw, err := os.ReadFile(filepath.Join(dir, "truth.json"))
	if err != nil {
		t.Fatal(err)
	}
	var truth []anotherCommune
	if err := json.Unmarshal(raw, &truth); err != nil {
		t.Fatal(err)
	}
	for _, file := range []string{"quynhhung_tcvn3.xlsx", "quynhhung_vni.xlsx", "quynhhung_tcvn3.xls", "quynhhung_vni.xls"} {
		t.Run(file, func(t *testing.T) {
			if strings.HasSuffix(file, ".xls") {
				needSoffice(t)
			}
			want := map[string]anotherCommune{}
			for _, e := range truth {
				if e.File == file || e.File == file+"x" { // the .xls is the .xlsx saved by LibreOffice
					want[rowKey(e.Sheet, e.Row)] = e
				}
			}
			items, desc := openAll(t, filepath.Join(dir, file), Options{})
			// The workbook as the commune sent it imports: its cover and
			// summary are not lists, not failures.
			if err := desc.Check(); err != nil {
				t.Errorf("the workbook does not import: %v", err)
			}
			for _, l := range desc.Sheets {
				if l.Accepted == 0 && !strings.HasPrefix(l.Skipped, NotAList) {
					t.Errorf("sheet %q: no row accepted, and not reported as no list (skipped %q, problem %q)", l.Sheet, l.Skipped, l.Problem)
				}
			}
			got := map[string]*schemas.Record{}
			for _, it := range items {
				if it.Reject != nil {
					r := it.Reject
					t.Errorf("sheet %q row %d rejected (%s: %q): %s", r.Sheet, r.Row, r.Column, r.Value, r.Reason)
					continue
				}
				got[rowKey(it.Record.Sheet, int(it.Record.Row))] = it.Record
			}
			skipped := map[string]SkipKind{}
			previews := map[string]string{}
			for _, l := range desc.Sheets {
				if l.Rows != l.Accepted+l.Rejected+l.SkippedRows {
					t.Errorf("sheet %q: rows %d != %d + %d + %d", l.Sheet, l.Rows, l.Accepted, l.Rejected, l.SkippedRows)
				}
				for _, s := range l.Skips {
					for r := s.Row; r <= max(s.Row, s.To); r++ {
						skipped[rowKey(l.Sheet, r)] = s.Kind
					}
					previews[rowKey(l.Sheet, s.Row)] = s.Preview
				}
			}
			for key, e := range want {
				rec := got[key]
				switch e.Outcome {
				case "no header":
					// A cover or a summary: not a list, reported, its text
					// decoded.
					if k := skipped[key]; k != SkipNotList {
						t.Errorf("sheet %q row %d skipped as %q, want %q", e.Sheet, e.Row, k, SkipNotList)
					}
					if p := previews[key]; p != e.Text {
						t.Errorf("sheet %q row %d previewed %q, want %q", e.Sheet, e.Row, p, e.Text)
					}
				case "skipped":
					if rec != nil {
						t.Errorf("sheet %q row %d (%s) accepted as a person %q; want skipped", e.Sheet, e.Row, e.Why, rec.FullName)
					}
				case "accepted":
					if rec == nil {
						t.Errorf("sheet %q row %d (%s) not accepted (skipped as %q)", e.Sheet, e.Row, e.Why, skipped[key])
						continue
					}
					for _, f := range []struct{ field, got, want string }{
						{"full_name", rec.FullName, e.Name},
						{"birth_date", rec.BirthDate, e.Birth},
						{"sex", rec.Sex, e.Sex},
						{"id_number", rec.IDNumber, e.ID},
						{"cmnd", rec.CMND, e.CMND},
						{"relation_to_head", rec.RelationToHead, e.Relation},
						{"perm_address", rec.PermAddress, e.Address},
					} {
						if f.got != f.want {
							t.Errorf("sheet %q row %d (%s): %s = %q, want %q", e.Sheet, e.Row, e.Why, f.field, f.got, f.want)
						}
					}
				}
			}
			for key, rec := range got {
				if _, ok := want[key]; !ok {
					t.Errorf("sheet %q row %d accepted as %q (%q %q), a row holding no person", rec.Sheet, rec.Row, rec.FullName, rec.BirthDate, rec.IDNumber)
				}
			}
		})
	}
}

func rowKey(sheet string, row int) string { return fmt.Sprintf("%s\x00%d", sheet, row) }

// TestTCVN3Capitals: a toned capital typed in .VnTime is the lower-case
// letter's code, so a name's word beginning with one reads in lower case;
// it is given its capital when the name's other words have theirs, and
// left alone otherwise.
func TestTCVN3Capitals(t *testing.T) {
	for _, tc := range []struct{ raw, want string }{
		{"¤ng V¨n æn", "Ông Văn Ổn"},         // Ô has a code of its own, Ổ has not
		{"NguyÔn ThÞ ¸nh", "Nguyễn Thị Ánh"}, // Á
		{"Hµ ý", "Hà Ý"},
		{"NguyÔn V¨n An", "Nguyễn Văn An"},   // nothing to restore
		{"nguyÔn v¨n ¸nh", "nguyễn văn ánh"}, // typed in lower case: left so
		{"NguyÔn thÞ ¸nh", "Nguyễn thị ánh"}, // another word in lower case: left so
		{"¸nh", "ánh"},                       // one word: nothing tells
		{"¸nh ¬n", "ánh ơn"},                 // no word with a capital
	} {
		if got := tcvn3Capitals(cellText(tc.raw, vn.TCVN3)); got != tc.want {
			t.Errorf("tcvn3Capitals(%q) = %q, want %q", tc.raw, got, tc.want)
		}
	}
}
