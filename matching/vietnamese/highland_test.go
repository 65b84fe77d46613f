package vietnamese

import (
	"testing"

	"github.com/dancu-vn/dancu/schemas"
)

// A Jrai woman's records as three lists write her name — "H'Blơi Rơ Mah",
// "H-Blơi Rơ Mah", "HBlơi Rơmah" (vn.ParseName's highland order) — with no
// number, her birthday and her village, are one person; her sister of the
// same clan, parents and village, born two years later, is another.
// Before the highland order, "H-Blơi Rơ Mah" had the family name H and
// every name comparison of the three disagreed.
func TestHighlandNameWritingsLinkAndSistersStayApart(t *testing.T) {
	rec := func(name, birth string) schemas.Record {
		r := base()
		r.FullName, r.BirthDate, r.Ethnicity = name, birth, "Gia Rai"
		r.IDNumber, r.CMND = "", ""
		r.FatherName, r.MotherName = "Y Đoan Ksor", "H'Nhi Rơ Mah"
		return r
	}
	of := linkRecords(t, []schemas.Record{
		rec("H'Blơi Rơ Mah", "1990-03-05"), rec("H-Blơi Rơ Mah", "1990-03-05"), rec("HBlơi Rơmah", "1990-03-05"),
		rec("H'Hen Rơ Mah", "1992-07-11"), rec("H Hen Rơ Mah", "1992-07-11"),
	})
	if of[0] != of[1] || of[0] != of[2] {
		t.Errorf("clusters %v: one woman's three writings are not one person", of)
	}
	if of[3] != of[4] {
		t.Errorf("clusters %v: her sister's two writings are not one person", of)
	}
	if of[0] == of[3] {
		t.Errorf("clusters %v: two sisters of one clan joined", of)
	}
}
