package vietnamese

import (
	"strconv"
	"testing"

	"github.com/dancu-vn/dancu/schemas"
)

// household returns a child of base()'s parents and address, with no
// number of any kind: the form of a child too young for a card.
func household(name, born string) schemas.Record {
	r := base()
	r.FullName, r.BirthDate, r.IDNumber, r.CMND = name, born, "", ""
	y, _ := strconv.Atoi(born[:4])
	r.BirthYear = uint16(y)
	return r
}

// A rank (Út, Bảy) on one side and a given name on the other is what a
// household's records give for two of its children as surely as for one
// child called by rank on one form: family name, middle name, parents and
// address are the household's, and twins share the date too. Only a
// number issued to one person tells the two apart (acc20; rv9 found these
// pairs linked after acc16's level).
func TestBirthOrderNameNeedsANumber(t *testing.T) {
	twins := [][2]string{{"Nguyễn Thị Út", "Nguyễn Thị Hoa"}, {"Nguyễn Thị Năm", "Nguyễn Thị Tuấn"},
		{"Nguyễn Thị Ba", "Nguyễn Thị Tuấn"}, {"Nguyễn Thị Bảy", "Nguyễn Thị Tuấn"}}
	for _, tw := range twins {
		a, b := household(tw[0], "2012-03-05"), household(tw[1], "2012-03-05")
		if got := vnLevels(t, a, b)["given_name"]; got != "a birth-order name on one side" {
			t.Fatalf("%s / %s: given_name level %q", tw[0], tw[1], got)
		}
		if of := linkRecords(t, []schemas.Record{a, b}); of[0] == of[1] {
			t.Errorf("twins %s / %s, born the same day, no number: linked", tw[0], tw[1])
		}
	}
	// Siblings two years apart.
	if of := linkRecords(t, []schemas.Record{household("Nguyễn Thị Bảy", "2010-03-05"),
		household("Nguyễn Thị Tuấn", "2012-03-05")}); of[0] == of[1] {
		t.Errorf("siblings Bảy 2010 / Tuấn 2012, no number: linked")
	}

	// The same woman called Út on one form and Hoa on another, her
	// 12-digit number on both: one person.
	ut, hoa := base(), base()
	ut.FullName, hoa.FullName, ut.CMND, hoa.CMND = "Nguyễn Thị Út", "Nguyễn Thị Hoa", "", ""
	if of := linkRecords(t, []schemas.Record{ut, hoa}); of[0] != of[1] {
		t.Errorf("Út / Hoa with one number %s: not linked", ut.IDNumber)
	}
	// With her number and a birth year misread by one: still one person
	// (the level is what the number lifts; the date is weighed as usual).
	hoa.BirthDate, hoa.BirthYear = "1991-03-05", 1991
	if of := linkRecords(t, []schemas.Record{ut, hoa}); of[0] != of[1] {
		t.Errorf("Út 1990 / Hoa 1991 with one number %s: not linked", ut.IDNumber)
	}
	// Her 9-digit CMND on both, no 12-digit number: one person too.
	ut, hoa = base(), base()
	ut.FullName, hoa.FullName, ut.IDNumber, hoa.IDNumber = "Nguyễn Thị Út", "Nguyễn Thị Hoa", "", ""
	if of := linkRecords(t, []schemas.Record{ut, hoa}); of[0] != of[1] {
		t.Errorf("Út / Hoa with one CMND %s: not linked", ut.CMND)
	}
}

// Nà and Ná are given names, not ranks, and their folded key "na" is not
// the "NA" of a blank cell: against Hoa they are two given names that
// differ. Before given_named kept its blanks only, the frame read its
// "na" as missing and the pair took the birth-order level. (Na without
// a mark: TestNaIsComparedAsAName.)
func TestNaIsAGivenName(t *testing.T) {
	for _, na := range []string{"Nguyễn Thị Nà", "NGUYỄN THỊ NÁ"} {
		a, b := base(), base()
		a.FullName, b.FullName = na, "Nguyễn Thị Hoa"
		if got := vnLevels(t, a, b)["given_name"]; got != "else" {
			t.Errorf("%s against Hoa: level %q, want else", na, got)
		}
	}
}
