package vietnamese

import (
	"testing"

	"github.com/dancu-vn/dancu/schemas"
)

// A birth register's newborn written by its mother ("Con bà Trần Thị
// Bình") has no name of its own yet: the matcher reads its name as
// missing (the name comparisons null, not the family "Con" against the
// child's family), takes the mother's name from the cell when the row has
// no mother column, and the father's family name as the child's, as most
// children carry it. Its household-book record, with the child's name and
// no parents, links on date, address and that family name; two children
// of one mother born years apart, both written so, are not one name
// (acc41, issue 12: before, the family was "Con" and the given name the
// mother's, on every sibling).
func TestChildNamedByItsMother(t *testing.T) {
	birth := household("Con bà Trần Thị Bình", "2015-06-01")
	birth.Sex, birth.MotherName = "M", ""
	book := household("Nguyễn Văn Minh", "2015-06-01")
	book.Sex, book.FatherName, book.MotherName = "M", "", ""
	lv := vnLevels(t, birth, book)
	for _, c := range []string{"given_name", "middle_name"} {
		if lv[c] != "null" {
			t.Errorf("Con bà … against the child's named record: %s level %q, want null", c, lv[c])
		}
	}
	if lv["family_name"] != "exact" {
		t.Errorf("Con bà … (father Nguyễn Văn An) against Nguyễn Văn Minh: family_name level %q, want exact (the father's family)", lv["family_name"])
	}
	if of := linkRecords(t, []schemas.Record{birth, book}); of[0] != of[1] {
		t.Errorf("the child's birth record (Con bà …) and its book record, same date, address and family: not linked")
	}

	// The school roll gives the mother; the birth row gives her only in
	// the name cell.
	school := household("Nguyễn Văn Minh", "2015-06-01")
	school.Sex = "M"
	if got := vnLevels(t, birth, school)["parents"]; got != "both parents' names equal" {
		t.Errorf("Con bà Trần Thị Bình (no mother column) against a record of mother Trần Thị Bình: parents level %q", got)
	}

	// Two of her children, three years apart, both written by her name.
	older := household("Con bà Trần Thị Bình", "2012-02-10")
	older.Sex = "M"
	if of := linkRecords(t, []schemas.Record{birth, older}); of[0] == of[1] {
		t.Errorf("two children of one mother, born 2012 and 2015, both written Con bà …: linked")
	}
	if got := vnLevels(t, birth, older)["given_name"]; got != "null" {
		t.Errorf("two Con bà … records: given_name level %q, want null (no name of their own)", got)
	}
}
