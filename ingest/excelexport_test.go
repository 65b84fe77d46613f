package ingest

import (
	"os"
	"path/filepath"
	"testing"
)

// TestOldSystemExcelExport: a list exported from an older commune system
// and passed through an English-locale Excel (seventhpop's "old" and
// "province" lists, acc47): field names as headers, a date in each of
// Excel's and the system's forms — "5-Mar-87" (d-mmm-yy), a serial, a
// timestamp —, a CMND that lost its leading zero in a numeric cell, a
// 12-digit number in scientific notation, a name written family name
// last and one with "Ng." for Nguyễn. Every row is accepted, every date
// read; the number that lost digits is dropped with a note, not the row.
// Before acc47, "5-Mar-87" was dropped as an impossible date and the two
// names kept Văn and Ng as family names.
func TestOldSystemExcelExport(t *testing.T) {
	path := filepath.Join(t.TempDir(), "xuatdulieu_20160630.csv")
	csv := "STT,MA_NK,HO_TEN,NGAY_SINH,GIOI_TINH,SO_CMND\n" +
		"1,A1,Văn An Nguyễn,5-Mar-87,NAM,24537634\n" +
		"2,A2,NG. THI LAN,31841,NU,\n" +
		"3,A3,Trần Thị Hoa,1987-03-05 00:00:00,NU,3.30673E+10\n" +
		"4,A4,Lê Văn Ba,16-Dec-86,NAM,\n"
	if err := os.WriteFile(path, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	items, _ := openAll(t, path, Options{})
	if len(items) != 4 {
		t.Fatalf("%d items, want 4", len(items))
	}
	want := []struct{ date, family, given, cmnd, id string }{
		{"1987-03-05", "Nguyễn", "An", "024537634", ""},
		{"1987-03-05", "Nguyen", "Lan", "", ""},
		{"1987-03-05", "Trần", "Hoa", "", ""},
		{"1986-12-16", "Lê", "Ba", "", ""},
	}
	for i, w := range want {
		r := items[i].Record
		if r == nil {
			t.Fatalf("row %d rejected: %+v", i+2, items[i].Reject)
		}
		if r.BirthDate != w.date || r.FamilyName != w.family || r.GivenName != w.given || r.CMND != w.cmnd || r.IDNumber != w.id {
			t.Errorf("row %d: %q %q %q cmnd %q id %q; want %+v", i+2, r.BirthDate, r.FamilyName, r.GivenName, r.CMND, r.IDNumber, w)
		}
	}
	if n := items[2].Notes; len(n) != 1 || n[0].Column != "SO_CMND" {
		t.Errorf("row 4 notes %+v, want one on SO_CMND (digits lost to scientific notation)", n)
	}
}
