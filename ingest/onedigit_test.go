package ingest

import (
	"os"
	"path/filepath"
	"testing"
)

// TestOneDigitDate: an impossible date is read as far as every reading
// with one digit changed agrees — one date, a month, a year — and a date
// no one digit mends, or whose readings share no year, is not read.
func TestOneDigitDate(t *testing.T) {
	upTo2025 := func(y int) bool { return y >= minBirthYear && y <= 2025 }
	for _, c := range []struct{ in, want string }{
		{"12/05/2814", "2014-05-12"}, // OCR's 8 for 0: the one year in range
		{"2814", "2014"},
		{"12/05/7985", "1985-05-12"},
		{"38/05/1985", "1985-05"}, // 08, 18, 28, 30, 31 May
		{"25/18/1985", "1985"},    // month 08, 10, 11 or 12
		{"31/02/1990", "1990"},
		{"32/13/1985", ""}, // two digits off
		{"12/05/2085", ""}, // 2005, 2015, 2025, 1985: no one year
		{"1850", ""},       // 1880, 1890, 1950
		{"khoảng 1950", ""},
	} {
		d, ok := oneDigitDate(c.in, upTo2025)
		if got := map[bool]string{true: d.iso, false: ""}[ok]; got != c.want {
			t.Errorf("oneDigitDate(%q) = %q, want %q", c.in, got, c.want)
		}
		if ok && int(d.year) != atoiPrefix(c.want) {
			t.Errorf("oneDigitDate(%q): year %d for %q", c.in, d.year, d.iso)
		}
	}
}

func atoiPrefix(iso string) int {
	n := 0
	for i := 0; i < 4 && i < len(iso); i++ {
		n = n*10 + int(iso[i]-'0')
	}
	return n
}

// TestOneDigitDateInList: a list's impossible dates are kept as far as
// oneDigitDate reads them, each with a kept note; a year after the list's
// date is impossible too (2085 on a 2024 list has no one reading and is
// dropped, 2814 is 2014); --strict rejects them as before.
func TestOneDigitDateInList(t *testing.T) {
	path := filepath.Join(t.TempDir(), "danhsach_20240501.csv")
	rows := "Họ và tên,Ngày sinh\n" +
		"Nguyễn Văn An,12/05/2814\n" +
		"Trần Thị Thủy,38/05/1985\n" +
		"Lê Văn Hộ,32/13/1970\n" +
		"Phạm Thị Lan,13/05/1980\n" +
		"Hoàng Văn Nam,12/05/2085\n"
	if err := os.WriteFile(path, []byte(rows), 0o644); err != nil {
		t.Fatal(err)
	}
	items, _ := openAll(t, path, Options{})
	want := map[string]string{"Nguyễn Văn An": "2014-05-12", "Trần Thị Thủy": "1985-05", "Lê Văn Hộ": "", "Phạm Thị Lan": "1980-05-13", "Hoàng Văn Nam": ""}
	for _, it := range items {
		if it.Record == nil {
			t.Fatalf("reject %+v", it.Reject)
		}
		name := it.Record.FullName
		if it.Record.BirthDate != want[name] {
			t.Errorf("%s: birth date %q, want %q", name, it.Record.BirthDate, want[name])
		}
		kept := len(it.Notes) == 1 && it.Notes[0].Reason == NoteOneDigitDate && NoteKept(it.Notes[0].Reason)
		if wantKept := want[name] != "" && name != "Phạm Thị Lan"; kept != wantKept {
			t.Errorf("%s: notes %+v, one-digit kept note wanted: %v", name, it.Notes, wantKept)
		}
	}
	items, _ = openAll(t, path, Options{Strict: true})
	rejected := 0
	for _, it := range items {
		if it.Reject != nil {
			rejected++
		}
	}
	if rejected != 4 {
		t.Errorf("--strict rejected %d rows, want 4 (every impossible date)", rejected)
	}
}
