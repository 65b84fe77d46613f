package vietnamese

import (
	"testing"

	"github.com/dancu-vn/dancu/schemas"
)

// A police list's record (year of birth only, no parents) sharing the
// person's valid number, with the given name written so that it agrees
// with nothing (a minority name transliterated, a misread): the number is
// one person's and the year is one reading of her birthday, so the given
// name's veto yields (the 12-digit number linked such a pair before acc37
// too; the CMND case did not: its veto lifted on the number and an exact
// date only). Two records whose shared number comes with a year that is
// not hers, or with no date, stay apart.
func TestGivenNameVetoYieldsToTheNumberAndOneBirthday(t *testing.T) {
	list := func(mod func(r *schemas.Record)) schemas.Record {
		r := base()
		r.FullName = "Nguyễn Thị Thu Xuân"
		r.BirthDate, r.BirthYear = "", 1990
		r.FatherName, r.MotherName = "", ""
		mod(&r)
		return r
	}
	if of := linkRecords(t, []schemas.Record{base(), list(func(*schemas.Record) {})}); of[0] != of[1] {
		t.Errorf("clusters %v: one number and a year-only record of her year are not linked", of)
	}
	cmnd := list(func(r *schemas.Record) { r.IDNumber = "" })
	own := base()
	own.IDNumber = ""
	if of := linkRecords(t, []schemas.Record{own, cmnd}); of[0] != of[1] {
		t.Errorf("clusters %v: one CMND and a year-only record of her year are not linked", of)
	}
	other := list(func(r *schemas.Record) { r.BirthYear = 1984 })
	if of := linkRecords(t, []schemas.Record{base(), other}); of[0] == of[1] {
		t.Errorf("clusters %v: another year and another given name linked on the number alone", of)
	}
	noDate := list(func(r *schemas.Record) { r.BirthYear = 0 })
	if of := linkRecords(t, []schemas.Record{base(), noDate}); of[0] == of[1] {
		t.Errorf("clusters %v: no date and another given name linked on the number alone", of)
	}
}
