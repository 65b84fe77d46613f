package vietnamese

import (
	"testing"

	"github.com/dancu-vn/dancu/schemas"
)

// The native place the guard compares is read only where its text names
// its province: a commune's or ward's name alone, which several provinces
// hold, resolves to a guessed province, and one person's records would
// then name two (gen's harsh lists write "X Bình Xuyên" on one row and
// "Xã Bình Xuyên, Tỉnh Phú Thọ" on the next: acc56).
func TestNativeNamedField(t *testing.T) {
	ad := NewAdapter()
	for _, c := range []struct{ native, want string }{
		{"Thành phố Hà Nội", "01"},
		{"Tỉnh Hà Nam", "37"}, // merged into Ninh Bình in 2025: the new province
		{"Xã Văn Hội, Huyện Ninh Giang, Tỉnh Hải Dương", "31"},
		{"TT Trường Sơn, T.P Hải Phòng", "31"},
		{"Tỉnh Bà Rịa - Vũng Tàu", "79"},
		{"Xã An Lão", ""},
		{"X Bình Xuyên", ""},
		{"Phường Ba Đình", ""},
		{"", ""},
	} {
		r := base()
		r.NativePlace = c.native
		get, _ := ad.Fields(&r)
		if got := get("vn.native_named"); got != c.want {
			t.Errorf("%q: vn.native_named %q, want %q", c.native, got, c.want)
		}
	}
}

// Two women of one full name and birthday, in one commune, without
// numbers, whose native places (quê quán) name two provinces: two persons
// (eighthpop's namesakes, whose national review lists each with her quê
// quán: acc56). One woman's records naming her native place once with
// its province and once without, or naming two provinces but sharing the
// 12-digit number, are one person.
func TestNamesakesOfTwoNativePlacesAreTwoPersons(t *testing.T) {
	rec := func(native, id string) schemas.Record {
		r := base()
		r.FullName, r.BirthDate, r.BirthYear, r.Sex = "Trần Thị Na", "1961-03-29", 1961, "F"
		r.IDNumber, r.CMND, r.FatherName, r.MotherName = id, "", "", ""
		r.NativePlace = native
		return r
	}
	of := linkRecords(t, []schemas.Record{rec("Tỉnh Hà Nam", ""), rec("Tỉnh Bắc Giang", "")})
	if of[0] == of[1] {
		t.Errorf("clusters %v: namesakes native of Hà Nam and Bắc Giang are one person", of)
	}
	for _, p := range [][2]schemas.Record{
		{rec("Tỉnh Hà Nam", ""), rec("Xã Bình Nghĩa, Huyện Bình Lục, Tỉnh Hà Nam", "")},
		{rec("Tỉnh Hà Nam", ""), rec("Xã An Lão", "")},
		{rec("Tỉnh Hà Nam", "035161093093"), rec("Tỉnh Bắc Giang", "035161093093")},
	} {
		of := linkRecords(t, []schemas.Record{p[0], p[1]})
		if of[0] != of[1] {
			t.Errorf("clusters %v: %q (%s) and %q (%s), one person, are two", of, p[0].NativePlace, p[0].IDNumber, p[1].NativePlace, p[1].IDNumber)
		}
	}
}
