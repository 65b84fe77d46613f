package ingest

import "testing"

// TestChildNamedByItsParent: a birth register's newborn written by its
// mother ("Con bà Trần Thị Bình") was read as a person of family "Con"
// and given name "Bình". The cell is kept as written, with no name parts
// and a note; the mother's name fills the mother's column when the row
// leaves it blank, the father's ("Con ông …") the father's; a mother
// the row gives is kept. "Con: Lê Văn An", a household book's relation
// word before the person's own name, is not a child named by a parent.
func TestChildNamedByItsParent(t *testing.T) {
	got := importRows(t, [][]string{
		{"Họ và tên", "Ngày sinh", "Họ tên mẹ", "Họ tên cha"},
		{"Con bà Trần Thị Bình", "01/06/2015", "", "Nguyễn Văn An"},
		{"Con ông Lê Văn Hòa", "02/06/2015", "Phạm Thị Cúc", ""},
		{"Con chị Hoa", "03/06/2015", "Đỗ Thị Hoa", ""},
		{"Nguyễn Văn Minh", "04/06/2015", "", ""},
	})
	type want struct{ mother, father string }
	wants := []want{{"Trần Thị Bình", "Nguyễn Văn An"}, {"Phạm Thị Cúc", "Lê Văn Hòa"}, {"Đỗ Thị Hoa", ""}, {"", ""}}
	for ext, g := range got {
		if len(g.items) != len(wants) {
			t.Fatalf("%s: %d items, want %d", ext, len(g.items), len(wants))
		}
		for i, it := range g.items {
			r := it.Record
			if r == nil {
				t.Fatalf("%s row %d: rejected %+v", ext, i+2, it.Reject)
			}
			child := i < 3
			if r.MotherName != wants[i].mother || r.FatherName != wants[i].father {
				t.Errorf("%s row %d (%s): mother %q father %q, want %q %q", ext, i+2, r.FullName, r.MotherName, r.FatherName, wants[i].mother, wants[i].father)
			}
			if child && (r.FamilyName != "" || r.GivenName != "" || r.MiddleName != "") {
				t.Errorf("%s row %d (%s): name parts %q %q %q, want none", ext, i+2, r.FullName, r.FamilyName, r.MiddleName, r.GivenName)
			}
			if !child && r.GivenName != "Minh" {
				t.Errorf("%s row %d: given %q", ext, i+2, r.GivenName)
			}
			noted := len(it.Notes) == 1 && it.Notes[0].Reason == NoteChildOf
			if noted != child {
				t.Errorf("%s row %d: notes %+v", ext, i+2, it.Notes)
			}
		}
	}
}
