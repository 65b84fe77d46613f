package vietnamese

import (
	"testing"

	"github.com/dancu-vn/dancu/schemas"
)

// A census row ticked Nam for Lê Tuyết Ánh, who is a woman (her household
// book's number says so), with a CMND and no 12-digit number: nothing on
// the row contradicts the tick, so the sex guard kept it from her book's
// record though both give one full name, one birthday and one commune
// (+20 bits; sixthpop's DT-000261 / HK-000315). The guard lifts for
// records sharing the full name, the full date of birth and the province,
// as it does for a shared CMND; a namesake of the other sex born the
// same day in another province is still kept apart (acc44, issue 12).
func TestWrongSexTickWithoutACMNDToShare(t *testing.T) {
	book := household("Lê Tuyết Ánh", "1983-06-13")
	book.Sex, book.IDNumber, book.FatherName, book.MotherName = "F", "008183560428", "", ""
	census := household("LE TUYET ANH", "1983-06-13")
	census.Sex, census.CMND, census.FatherName, census.MotherName = "M", "184646960", "", ""
	if of := linkRecords(t, []schemas.Record{book, census}); of[0] != of[1] {
		t.Errorf("Lê Tuyết Ánh's book record (F, her number) and census row (ticked M, a CMND), one name, birthday and commune: not linked")
	}

	other := census
	other.PermCommuneCode, other.PermDistrictCode, other.PermProvinceCode = "26734", "760", "79"
	other.PermNewCommuneCode, other.PermNewProvinceCode = "26734", "79"
	if of := linkRecords(t, []schemas.Record{book, other}); of[0] == of[1] {
		t.Errorf("a man Lê Tuyết Ánh born the same day in another province, another CMND: linked to the woman's record")
	}
}
