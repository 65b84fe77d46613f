package ingest

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestTwoDigitYearCentury: "5-3-19" was read 2019 whatever the row said,
// so a man born in 1919 whose number says so was a child of five. The
// two-digit year is read in the century the row gives: the year its
// 12-digit number encodes, the 1900s when it carries a 9-digit CMND (no
// one born after 2007 has one), and the 1900s when the 2000s' year is
// after the list's date; with nothing to say otherwise, the 2000s up to
// vn.TwoDigitYearPivot, as before.
func TestTwoDigitYearCentury(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "dieutra.csv")
	csv := "Họ và tên,Ngày sinh,Số CCCD,Số CMND\n" +
		"Lê Văn An,5-3-19,001019012345,\n" + // the number: 1919
		"Lê Văn Bình,5-3-19,,012345678\n" + // a CMND: 1919
		"Lê Văn Cường,5-3-19,,\n" + // nothing: 2019
		"Lê Văn Dũng,5-3-19,001219012345,\n" + // the number: 2019
		"Lê Văn Đức,5-3-25,,\n" + // after the list (2024): 1925
		"Lê Văn Em,05/03/1919,001219012345,\n" + // four digits: as written
		"Lê Văn Giang,5-3-87,,\n" + // 1987, as before
		"Lê Văn Hải,30-11-20,001018012345,\n" + // the number: 1918, the year one off (lunar age): 1920
		"Lê Văn Khoa,5-3-19,001060012345,\n" // another's number (1960): 2019
	if err := os.WriteFile(path, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	items, d := openAll(t, path, Options{SourceDate: time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC)})
	checkAccount(t, items, d)
	want := []struct {
		date  string
		noted bool
	}{{"1919-03-05", true}, {"1919-03-05", true}, {"2019-03-05", false}, {"2019-03-05", false}, {"1925-03-05", true}, {"1919-03-05", false}, {"1987-03-05", false}, {"1920-11-30", true}, {"2019-03-05", false}}
	if len(items) != len(want) {
		t.Fatalf("%d items, want %d", len(items), len(want))
	}
	for i, it := range items {
		if it.Record == nil {
			t.Fatalf("row %d rejected: %+v", i+2, it.Reject)
		}
		noted := false
		for _, n := range it.Notes {
			noted = noted || n.Reason == NoteTwoDigitYear
		}
		if it.Record.BirthDate != want[i].date || noted != want[i].noted {
			t.Errorf("row %d (%s): born %s, noted %v (%+v); want %s, %v", i+2, it.Record.FullName, it.Record.BirthDate, noted, it.Notes, want[i].date, want[i].noted)
		}
	}
}
