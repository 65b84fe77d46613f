package ingest

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/schemas"
)

// TestDuplicateSourceIDs: a source record id ("Mã bản ghi", a form's
// form_id) used by two rows of one file is accepted twice — the id is the
// source's code, not the record's identity — and each repeat is a warning
// naming its row, the id's column, the id (masked) and the row that used
// it first, saying whether the rows hold the same person's data (a row
// entered twice) or not (an id typed wrong). In CSV read on one goroutine
// or several, in a workbook across sheets, and in a batch of scanned forms.
func TestDuplicateSourceIDs(t *testing.T) {
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "ds.csv")
	if err := os.WriteFile(csvPath, []byte("STT,Mã bản ghi,Họ và tên,Ngày sinh\n"+
		"1,HN001,Nguyễn Văn An,05/03/1978\n"+
		"2,HN002,Trần Thị Bình,13/03/1980\n"+
		"3,HN002,Trần Thị Bình,13/03/1980\n"+ // the row above, pasted again
		"4,HN004,Lê Văn Cường,25/12/1990\n"+
		"5,HN001,Phạm Thị Dung,31/01/2001\n"+ // HN001 again, another person
		"6,001090012345,Hoàng Văn Em,17/08/1972\n"+
		"7,001090012345,Vũ Văn Phong,20/02/1999\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, workers := range []int{0, 4} {
		items, d := openAll(t, csvPath, Options{Workers: workers})
		checkAccount(t, items, d)
		l := d.Sheets[0]
		if l.Accepted != 7 || len(items) != 7 {
			t.Fatalf("workers %d: %d accepted of %d items, want every row accepted", workers, l.Accepted, len(items))
		}
		if l.WarningCounts[WarnDuplicateID] != 3 || len(l.Warnings) != 3 {
			t.Fatalf("workers %d: warnings %+v (counts %v), want 3 repeated ids", workers, l.Warnings, l.WarningCounts)
		}
		for i, want := range []struct {
			row         int
			value, text string
		}{{4, "HN002", "row 3, the same person"}, {6, "HN001", "row 2, another name"}, {8, "0010******45", "row 7, another name"}} {
			w := l.Warnings[i]
			if w.Kind != WarnDuplicateID || w.Row != want.row || w.Column != "Mã bản ghi" || w.Value != want.value || !strings.Contains(w.Message, want.text) {
				t.Errorf("workers %d: warning %d = %+v, want row %d, column Mã bản ghi, value %q, saying %q", workers, i, w, want.row, want.value, want.text)
			}
		}
	}

	// Two sheets of one workbook: the id is the file's.
	path := writeXLSX(t, dir, "ds.xlsx", map[string][][]any{
		"Thôn 1": {{"STT", "Mã bản ghi", "Họ và tên"}, {1, "A1", "Nguyễn Văn An"}, {2, "A2", "Trần Thị Bình"}},
		"Thôn 2": {{"STT", "Mã bản ghi", "Họ và tên"}, {1, "A2", "Lê Văn Cường"}},
	}, "Thôn 1", "Thôn 2")
	items, d := openAll(t, path, Options{})
	checkAccount(t, items, d)
	if w := d.Sheets[1].Warnings; len(items) != 3 || len(w) != 1 || w[0].Row != 2 || !strings.Contains(w[0].Message, `row 3 of sheet "Thôn 1"`) {
		t.Errorf("workbook: %d items, sheet 2's warnings %+v", len(items), w)
	}

	// A batch of scanned forms with one form twice.
	other := strings.Replace(formLine, "DC01-03826-000000001", "DC01-03826-000000002", 1)
	jsonl := filepath.Join(dir, "phieu.jsonl")
	if err := os.WriteFile(jsonl, []byte(formLine+"\n"+other+"\n"+formLine+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	items, d = openAll(t, jsonl, Options{})
	checkAccount(t, items, d)
	if w := d.Sheets[0].Warnings; len(items) != 3 || d.Sheets[0].Accepted != 3 || len(w) != 1 || w[0].Row != 3 || w[0].Column != "form_id" ||
		!strings.Contains(w[0].Message, "line 1, the same person") {
		t.Errorf("scanned forms: %d items, warnings %+v", len(items), w)
	}
}

// TestSourceIDsChunks: the ids kept in chunks — rows past the first chunk
// of uses, ids across chunks of bytes, ids longer than the warning shows
// (cut to their first idKept runes, Vietnamese letters of 2 and 3 bytes)
// — are reported with the rows and values of one kept whole.
func TestSourceIDsChunks(t *testing.T) {
	long := "1-" + strings.Repeat("Mã-ố", 30) // 152 runes, a digit: MaskValue shows it as written
	idOf := func(i int) string {
		if i%3 == 0 {
			return long + strconv.Itoa(i)
		}
		return "HN" + strconv.Itoa(i)
	}
	dups := map[int]int{9000: 7, 9001: 8, 12000: 4500, 12001: 4501, 20000: 19999} // row → the row whose id it repeats
	var s sourceIDs
	const rows = 20001
	for i := 1; i <= rows; i++ {
		id := idOf(i)
		if f, ok := dups[i]; ok {
			id = idOf(f)
		}
		s.see(&schemas.Record{SourceRecordID: id, FullName: "Nguyễn Văn An", Row: uint32(i)})
	}
	if len(s.uses) < 2 || len(s.ids) < 2 {
		t.Fatalf("%d chunks of uses, %d of ids: the test does not cross a chunk", len(s.uses), len(s.ids))
	}
	l := &Layout{}
	s.report(func(string) *Layout { return l })
	if l.WarningCounts[WarnDuplicateID] != len(dups) {
		t.Fatalf("warnings %+v, want %d", l.Warnings, len(dups))
	}
	for _, w := range l.Warnings {
		f, ok := dups[w.Row]
		if !ok || w.Value != MaskValue(truncate(idOf(f), 64)) || !strings.Contains(w.Message, "row "+strconv.Itoa(f)+",") {
			t.Errorf("warning %+v: want a row of %v, its first use and value %q", w, dups, MaskValue(truncate(idOf(f), 64)))
		}
	}
	if s.n != 0 || s.uses != nil || s.ids != nil {
		t.Errorf("report kept %d uses", s.n)
	}
}
