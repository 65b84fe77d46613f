package vietnamese

import (
	"testing"

	"github.com/dancu-vn/dancu/schemas"
)

// Twins Lê Văn Hà and Lê Văn Thắng, each with a household-book and a
// school-roll record, and one birth-register row written by their mother
// ("Con bà Chung Thị Nhu", no name of its own): the row matches either
// twin on date, sex, parents and address, and every pair of the twins'
// named records is vetoed (given names that differ, no number shared).
// The row may join one twin, never make the two one person (acc44, issue
// 12: sixthpop's twins joined so since acc41 read "Con bà" as no name;
// before this, all five records were one person).
func TestTwinsNotJoinedThroughTheirMothersRow(t *testing.T) {
	rec := func(name string) schemas.Record {
		r := household(name, "2015-12-04")
		r.Sex, r.FatherName, r.MotherName = "M", "Lê Trần Huân", "Chung Thị Nhu"
		return r
	}
	haBook, thangBook := rec("Lê Văn Hà"), rec("Lê Văn Thắng")
	// A household book gives no parents (its head is the father).
	haBook.FatherName, haBook.MotherName = "", ""
	thangBook.FatherName, thangBook.MotherName = "", ""
	thangBook.IDNumber = "089215525481"
	haSchool, thangSchool := rec("Lê Văn Hà"), rec("Lê Văn Thắng")
	thangSchool.IDNumber = "089215525481"
	birth := rec("Con bà Chung Thị Nhu")
	birth.MotherName = ""
	of := linkRecords(t, []schemas.Record{haBook, thangBook, haSchool, thangSchool, birth})
	if of[0] != of[2] || of[1] != of[3] {
		t.Fatalf("clusters %v: each twin's two records should be one person", of)
	}
	if of[0] == of[1] {
		t.Errorf("clusters %v: the twins Hà and Thắng are one person, joined through their mother's row", of)
	}
}
