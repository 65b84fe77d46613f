package ingest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestScientificIDs: an identification number shown by Excel in its
// General format ("7.91234E+10") and saved as text — in a CSV saved from
// Excel, or typed over — has lost its last digits. It used to be read as
// 79123400000, padded to 079123400000 and kept as a well-formed CCCD
// that belongs to nobody; it is now unusable, with the reason. A
// scientific value that still holds every digit is read as before.
func TestScientificIDs(t *testing.T) {
	for _, c := range []struct {
		in, num, kind string
	}{
		{"7.91234E+10", "", ""},
		{"7.91234e+10", "", ""},
		{"3.6012E+11", "", ""},
		{"7.9123456789E+10", "079123456789", "id"},
		{"1.172029276E+9", "001172029276", "id"},
		{"7.91234E+10 ", "", ""},
		{"001172029276", "001172029276", "id"},
		{"1172029276", "001172029276", "id"},
		// a decimal comma (Excel in a Vietnamese locale, acc55): read as
		// the point — "7,91234E+10" was the CMND 079123410 of somebody else
		{"7,91234E+10", "", ""},
		{"3,6012E+11", "", ""},
		{"7,9123456789E+10", "079123456789", "id"},
		{"1,172029276E+9", "001172029276", "id"},
	} {
		num, kind, reason := cleanNumber(c.in)
		if num != c.num || kind != c.kind {
			t.Errorf("cleanNumber(%q) = %q, %q (%s); want %q, %q", c.in, num, kind, reason, c.num, c.kind)
		}
		if c.kind == "" && !strings.Contains(reason, "scientific notation") {
			t.Errorf("cleanNumber(%q): reason %q does not say the digits were lost to scientific notation", c.in, reason)
		}
	}

	// The same through a CSV saved from Excel: the row is accepted, its
	// number dropped with a note naming the column.
	path := filepath.Join(t.TempDir(), "thon_dong.csv")
	csv := "STT,Họ và tên,Ngày sinh,Số CCCD\n1,Nguyễn Văn Hùng,02/12/1973,7.91234E+10\n2,Trần Thị Thủy,05/03/1978,1.172029276E+9\n3,Lê Văn Tám,01/01/1980,\"7,91234E+10\"\n"
	if err := os.WriteFile(path, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	items, _ := openAll(t, path, Options{})
	if len(items) != 3 || items[0].Record == nil || items[1].Record == nil || items[2].Record == nil {
		t.Fatalf("items %+v, want three records", items)
	}
	if r := items[2].Record; r.IDNumber != "" || r.CMND != "" || len(items[2].Notes) != 1 {
		t.Errorf("row 4: id %q, CMND %q, notes %+v; want neither and one note", r.IDNumber, r.CMND, items[2].Notes)
	}
	if r := items[0].Record; r.IDNumber != "" || len(items[0].Notes) != 1 || items[0].Notes[0].Column != "Số CCCD" {
		t.Errorf("row 2: id %q, notes %+v; want no id and one note on Số CCCD", r.IDNumber, items[0].Notes)
	}
	if r := items[1].Record; r.IDNumber != "001172029276" {
		t.Errorf("row 3: id %q, want 001172029276", r.IDNumber)
	}
}

// TestFloatWrittenIDs: a number column written as floats — by pandas, by
// a CSV export of a column with blanks, "1073004567.0" — keeps its digits
// before ".0". The point used to be read as a separator, so "12345678.0"
// became the CMND 123456780 of somebody else and "001073004567.0" a
// 13-digit number.
func TestFloatWrittenIDs(t *testing.T) {
	for _, c := range []struct{ in, num, kind string }{
		{"001073004567.0", "001073004567", "id"},
		{"1073004567.0", "001073004567", "id"},
		{"1073004567.00", "001073004567", "id"},
		{"12345678.0", "012345678", "cmnd"},
		{"012345678.0", "012345678", "cmnd"},
		{"001.073.004.567", "001073004567", "id"},
		{"012.345.678", "012345678", "cmnd"},
	} {
		if num, kind, reason := cleanNumber(c.in); num != c.num || kind != c.kind {
			t.Errorf("cleanNumber(%q) = %q, %q (%s); want %q, %q", c.in, num, kind, reason, c.num, c.kind)
		}
	}
}
