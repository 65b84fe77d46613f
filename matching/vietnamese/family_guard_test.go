package vietnamese

import (
	"testing"

	"github.com/dancu-vn/dancu/schemas"
)

// Two men of one Thái village, of two clans (Lường, Tòng), born the same
// year under the village's favourite given name, without numbers, on
// police lists that give the year alone. The given name (rare in the
// country, frozen term frequency), the year and the commune outweighed the
// two family names, and the two were one person (fourthpop: 48 of 307
// false pairs, acc43). A family name is kept for life, so the family_sure
// guard keeps them apart — while one person's family written by ear
// (Quàng for Hoàng, Dàng for Giàng) or in the South's spelling (Huỳnh)
// still joins.
func TestTwoClansOfOneVillageAreTwoPersons(t *testing.T) {
	rec := func(name, date string, year uint16) schemas.Record {
		r := base()
		r.FullName, r.Sex, r.IDNumber, r.CMND, r.Ethnicity = name, "M", "", "", ""
		r.FatherName, r.MotherName = "", ""
		r.BirthDate, r.BirthYear = date, year
		return r
	}
	of := linkRecords(t, []schemas.Record{rec("Lường Văn Bun", "", 1994), rec("Tòng Văn Bun", "", 1994)})
	if of[0] == of[1] {
		t.Errorf("clusters %v: Lường Văn Bun and Tòng Văn Bun of one year and commune are one person", of)
	}
	for _, p := range [][2]string{{"Quàng Văn Ún", "Hoàng Văn Ún"}, {"Giàng A Páo", "Dàng A Páo"}, {"Huỳnh Văn Tâm", "Hoàng Văn Tâm"}} {
		of := linkRecords(t, []schemas.Record{rec(p[0], "1994-04-29", 1994), rec(p[1], "1994-04-29", 1994)})
		if of[0] != of[1] {
			t.Errorf("clusters %v: %s and %s, one family written two ways, are two persons", of, p[0], p[1])
		}
	}
}

// The guard's column is the record's own family name: none for a newborn
// written by its parent ("Con bà …": the adapter gives it the father's
// family for the name comparisons, not for the guard), none for a name
// the guard cannot be sure of.
func TestFamilySureField(t *testing.T) {
	ad := NewAdapter()
	for _, c := range []struct{ name, father, want string }{
		{"Lường Văn Bun", "", "luong"},
		{"Con bà Lò Thị Ẻn", "Lường Văn Bun", ""},
		{"Trần Văn Hoàng", "", ""},
	} {
		r := base()
		r.FullName, r.FatherName = c.name, c.father
		get, _ := ad.Fields(&r)
		if got := get("vn.family_sure"); got != c.want {
			t.Errorf("%q: vn.family_sure %q, want %q", c.name, got, c.want)
		}
	}
}
