package ingest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// readCSV imports body as a CSV file and returns its items and the
// layout of its one sheet.
func readCSV(t *testing.T, body string) ([]Item, Layout) {
	t.Helper()
	p := filepath.Join(t.TempDir(), "list.csv")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	items, d := openAll(t, p, Options{})
	if len(d.Sheets) != 1 {
		t.Fatalf("%d sheets, want 1", len(d.Sheets))
	}
	return items, d.Sheets[0]
}

// fieldOf is the field the layout gives the column headed header.
func fieldOf(t *testing.T, l Layout, header string) string {
	t.Helper()
	for _, c := range l.Columns {
		if c.Header == header {
			return c.Field
		}
	}
	t.Fatalf("no column %q in %+v", header, l.Columns)
	return ""
}

// TestAmbiguousIDHeaderReadByCells: a column headed "ID", "Mã", "Mã số" or
// "Số" is read by what its cells hold — identification numbers (12 digits,
// or 9 for a CMND) are the person's number, anything else (codes, a
// running count) the source's record id; a header that says which is
// taken at its word. Before, "ID" was always the record id, and a list's
// identification numbers were lost (user24's english.csv).
func TestAmbiguousIDHeaderReadByCells(t *testing.T) {
	for _, tc := range []struct {
		name, body, header, field, id, cmnd, srcID, note string
	}{
		{"user24's list", "Name,DOB,Gender,ID\nNguyen Van An,01/02/1980,Nam,001080012345\n",
			"ID", FieldIDAny, "001080012345", "", "", `column D ("ID"): its cells are 12-digit identification numbers, read as the identification number, not as the source's record id`},
		{"Mã, 9-digit CMNDs", "Họ và tên,Ngày sinh,Mã\nNguyễn Văn An,01/02/1980,012345678\nTrần Thị Bình,03/04/1985,187654321\n",
			"Mã", FieldIDAny, "", "012345678", "", "9-digit CMND numbers"},
		{"Số, mixed", "Họ và tên,Ngày sinh,Số\nNguyễn Văn An,01/02/1980,001080012345\nTrần Thị Bình,03/04/1985,187654321\n",
			"Số", FieldIDAny, "001080012345", "", "", "identification numbers (12 digits, or 9 for a CMND)"},
		{"ID, codes", "Name,DOB,ID\nNguyen Van An,01/02/1980,HS-0001\n",
			"ID", FieldSourceRecordID, "", "", "HS-0001", ""},
		{"Mã số, a running count of nine digits", "Họ và tên,Ngày sinh,Mã số\nNguyễn Văn An,01/02/1980,100000001\nTrần Thị Bình,03/04/1985,100000002\nLê Văn Cường,05/06/1990,100000003\n",
			"Mã số", FieldSourceRecordID, "", "", "100000001", ""},
		{"Số, not numbers", "Họ và tên,Ngày sinh,Số\nNguyễn Văn An,01/02/1980,12\n",
			"Số", "", "", "", "", ""},
		{"Mã bản ghi says which", "Họ và tên,Ngày sinh,Mã bản ghi\nNguyễn Văn An,01/02/1980,001080012345\n",
			"Mã bản ghi", FieldSourceRecordID, "", "", "001080012345", ""},
		{"another column has the number", "Họ và tên,Ngày sinh,ID,Số định danh\nNguyễn Văn An,01/02/1980,001080012345,079190001234\n",
			"ID", FieldSourceRecordID, "079190001234", "", "001080012345", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			items, l := readCSV(t, tc.body)
			if got := fieldOf(t, l, tc.header); got != tc.field {
				t.Errorf("column %q → %q, want %q", tc.header, got, tc.field)
			}
			if tc.note == "" && strings.Contains(l.Note, "identification number") || !strings.Contains(l.Note, tc.note) {
				t.Errorf("note %q, want one with %q", l.Note, tc.note)
			}
			r := items[0].Record
			if r == nil {
				t.Fatalf("first row not accepted: %+v", items[0])
			}
			if r.IDNumber != tc.id || r.CMND != tc.cmnd || r.SourceRecordID != tc.srcID {
				t.Errorf("id %q, cmnd %q, source record id %q; want %q, %q, %q", r.IDNumber, r.CMND, r.SourceRecordID, tc.id, tc.cmnd, tc.srcID)
			}
		})
	}
}

// TestFamilyNameThatIsANumber: a 12-digit number in "Họ tên cha" (or any
// family member's name) is no name: dropped from the record with a note
// saying so, its value masked; a name, and a dash left for none, are kept
// as they were. Before, the number was kept as the father's name.
func TestFamilyNameThatIsANumber(t *testing.T) {
	items, _ := readCSV(t, "Họ và tên,Ngày sinh,Họ tên cha,Họ tên mẹ,Chủ hộ\n"+
		"Nguyễn Văn An,01/02/1980,001080012345,Lê Thị Hoa,079 190 001 234\n"+
		"Trần Thị Bình,03/04/1985,Trần Văn Cường,-,Trần Văn Cường\n")
	if len(items) != 2 || items[0].Record == nil || items[1].Record == nil {
		t.Fatalf("items %+v, want two records", items)
	}
	r := items[0].Record
	if r.FatherName != "" || r.HouseholdHead != "" || r.MotherName != "Lê Thị Hoa" {
		t.Errorf("father %q, mother %q, head %q; want the numbers dropped, the name kept", r.FatherName, r.MotherName, r.HouseholdHead)
	}
	got := map[string]Note{}
	for _, n := range items[0].Notes {
		got[n.Field] = n
	}
	for _, f := range []string{FieldFatherName, FieldHouseholdHead} {
		n, ok := got[f]
		if !ok || n.Reason != NoteNumberNotName || NoteKept(n.Reason) {
			t.Errorf("%s: note %+v, want %q", f, n, NoteNumberNotName)
		}
		if strings.Contains(n.Value, "012345") || strings.Contains(n.Value, "001234") {
			t.Errorf("%s: note's value %q is not masked", f, n.Value)
		}
	}
	if len(items[0].Notes) != 2 {
		t.Errorf("notes %+v, want two", items[0].Notes)
	}
	r = items[1].Record
	if r.FatherName != "Trần Văn Cường" || r.MotherName != "-" || len(items[1].Notes) != 0 {
		t.Errorf("second row: father %q, mother %q, notes %+v", r.FatherName, r.MotherName, items[1].Notes)
	}
}

// TestAmbiguousIDHeaderMapped: a mapping that names the column the
// source's record id keeps it so, and the note of its reading by cells
// is not shown.
func TestAmbiguousIDHeaderMapped(t *testing.T) {
	p := filepath.Join(t.TempDir(), "list.csv")
	if err := os.WriteFile(p, []byte("Name,DOB,Gender,ID\nNguyen Van An,01/02/1980,Nam,001080012345\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	items, d := openAll(t, p, Options{Mapping: &Mapping{Columns: map[string]string{FieldSourceRecordID: "D"}}})
	l := d.Sheets[0]
	if got := fieldOf(t, l, "ID"); got != FieldSourceRecordID {
		t.Errorf("column ID → %q under the mapping, want %q", got, FieldSourceRecordID)
	}
	if strings.Contains(l.Note, "identification number") {
		t.Errorf("note %q under the mapping", l.Note)
	}
	if r := items[0].Record; r == nil || r.SourceRecordID != "001080012345" || r.IDNumber != "" {
		t.Errorf("record %+v, want the number as the source record id", r)
	}
}
