package vietnamese

import (
	"testing"

	"github.com/dancu-vn/dancu/schemas"
)

// Two men of one commune, born the same year under one full name: one
// known by his old CMND on a police list that gives the year alone, the
// other by his full date, his 12-digit number and his own CMND on the
// commune's list, and by the number again on a health register that gives
// the year alone. The police record fits the health record (one name, one
// year, one commune; a CMND on one side, a number on the other), and
// through it the commune's record: fourthpop's namesakes (acc45). A CMND
// is one person's, so the two CMNDs, both issued by one province (12…),
// keep the police record apart (the two share neither the 12-digit
// number nor a full date of birth); one
// CMND typed with a slip on each of two lists (two edits apart) is still
// one person's.
func TestNamesakesWithTwoCMNDsAreTwoPersons(t *testing.T) {
	rec := func(date string, id, cmnd string) schemas.Record {
		r := base()
		r.FullName, r.Sex, r.IDNumber, r.CMND, r.Ethnicity = "Chau Sà Rươne", "M", id, cmnd, ""
		r.FatherName, r.MotherName = "", ""
		r.BirthDate, r.BirthYear = date, 1977
		return r
	}
	police := rec("", "", "128513015")
	book := rec("1977-11-09", "089077510573", "121371569")
	health := rec("", "089077510573", "")
	of := linkRecords(t, []schemas.Record{police, book, health})
	if of[1] != of[2] {
		t.Fatalf("clusters %v: the book's record and the health record sharing the number are two persons", of)
	}
	if of[0] == of[1] {
		t.Errorf("clusters %v: the police record of CMND 128513015 is one person with the book's record of CMND 121371569", of)
	}
	// One CMND, a slip on each list: 121371569 typed 121317569 by the
	// police post and 121371560 in the book.
	police.CMND, book.CMND = "121317569", "121371560"
	of = linkRecords(t, []schemas.Record{police, book, health})
	if of[0] != of[1] || of[1] != of[2] {
		t.Errorf("clusters %v: one CMND typed with two slips split the person", of)
	}
}

// A woman who moved her permanent residence from Hà Nội to Bắc Giang
// before the 12-digit card was issued a new CMND there (121371569, Bắc
// Giang's police; her first, 012345678, Hà Nội's). Her records share
// neither a 12-digit number nor a full birthday in one province
// (name_birth: her address names two provinces), but one full name, full
// date of birth, sex and parents' names: one person. The CMND guard keeps
// apart only two CMNDs of one issuing province (same_prefix: 2; acc46):
// on acc45's guard, which read any two CMNDs, the records were two persons.
func TestMoverWithCMNDsOfTwoProvincesIsOnePerson(t *testing.T) {
	before, after := base(), base()
	before.IDNumber, after.IDNumber = "", ""
	after.CMND = "121371569"
	after.PermProvinceCode, after.PermDistrictCode, after.PermCommuneCode = "24", "213", "07201"
	after.PermNewProvinceCode, after.PermNewCommuneCode = "24", "07210"
	of := linkRecords(t, []schemas.Record{before, after})
	if of[0] != of[1] {
		t.Errorf("clusters %v: a mover's records with a CMND of each province (012345678, 121371569) are two persons", of)
	}
	// Two CMNDs of one province are still two persons.
	after.CMND = "018765432"
	of = linkRecords(t, []schemas.Record{before, after})
	if of[0] == of[1] {
		t.Errorf("clusters %v: two records with two CMNDs of Hà Nội (012345678, 018765432) are one person", of)
	}
}

// Two copies of one 12-digit number, each with a slip (a digit mistyped
// on one list, two digits swapped on another), are two edits apart: one
// person's records, with one name, date and commune, stay one person
// (acc45; before, the guard on valid numbers allowed one edit and kept
// them apart).
func TestTwoSlipsOfOneNumberAreOnePerson(t *testing.T) {
	a, b := base(), base()
	a.IDNumber, a.CMND = "001190012845", ""
	b.IDNumber, b.CMND = "001190021345", ""
	of := linkRecords(t, []schemas.Record{a, b})
	if of[0] != of[1] {
		t.Errorf("clusters %v: 001190012845 and 001190021345, one number with two slips, split the person", of)
	}
}

// A CMND that is not the person's own — a household head's copied onto a
// member's row, a placeholder — must not part the person from the records
// carrying their own: records of one full name, one full date of birth and
// one province (name_birth) are one person's whatever CMNDs they carry, as
// records sharing the 12-digit number are (acc45).
func TestCopiedCMNDDoesNotSplitThePerson(t *testing.T) {
	own, copied := base(), base()
	own.IDNumber, copied.IDNumber = "", ""
	copied.CMND = "098765432" // the head's
	of := linkRecords(t, []schemas.Record{own, copied})
	if of[0] != of[1] {
		t.Errorf("clusters %v: a row carrying the head's CMND beside the person's own (one name, birthday and province) is another person", of)
	}
}
