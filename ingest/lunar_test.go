package ingest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLunarYearName(t *testing.T) {
	for v, year := range map[string]int{"Canh Tý": 1960, "Nhâm Thìn": 1952, "năm Giáp Tý": 1984, "CANH TI": 2020, "Kỷ Tỵ": 1989, "Quý Mẹo": 1963, "Tân Hợi": 1971} {
		k, ok := lunarYearName(v)
		if !ok || !lunarYearOf(k, year) || lunarYearOf(k, year+1) || !lunarYearOf(k, year-60) {
			t.Errorf("lunarYearName(%q) = %d, %v: want the place of %d in the cycle", v, k, ok, year)
		}
	}
	// Canh is a stem of the even branches: Tỵ (the snake) is odd.
	for _, v := range []string{"Canh Tỵ", "Canh", "Tý", "Canh Tý Sửu", "15/03/1990", "Nam"} {
		if k, ok := lunarYearName(v); ok {
			t.Errorf("lunarYearName(%q) = %d, want no name", v, k)
		}
	}
}

// TestLunarYearBirthDate: a year's lunar name as a date of birth is read as
// the year the row's 12-digit number encodes when that year has the name,
// with a note; otherwise it is dropped (strict: rejected), as before,
// saying why.
func TestLunarYearBirthDate(t *testing.T) {
	rows := []struct{ date, id, want, reason string }{
		{"Canh Tý", "001060012345", "1960", NoteLunarYear},
		{"Nhâm Thìn", "001152012345", "1952", NoteLunarYear},
		{"năm Giáp Tý", "079084012345", "1984", NoteLunarYear},
		{"CANH TI", "001160012345", "1960", NoteLunarYear},
		{"Canh Tý", "001061012345", "", "not that of the year the identification number encodes"}, // born before Tết 1961?
		{"Canh Tý", "", "", "no 12-digit identification number"},
		{"Canh Tý", "012345678", "", "no 12-digit identification number"}, // a CMND tells no year
		{"Canh Tỵ", "001060012345", "", "impossible date of birth"},       // no year's name
	}
	var b strings.Builder
	b.WriteString("STT,Họ và tên,Ngày sinh,Số CMND/CCCD\n")
	for i, r := range rows {
		b.WriteString(strings.Join([]string{string(rune('1' + i)), "Nguyễn Văn An", r.date, r.id}, ",") + "\n")
	}
	p := filepath.Join(t.TempDir(), "ds.csv")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	items, d := openAll(t, p, Options{})
	checkAccount(t, items, d)
	if len(items) != len(rows) {
		t.Fatalf("%d items, want %d", len(items), len(rows))
	}
	for i, r := range rows {
		it := items[i]
		if it.Record == nil {
			t.Errorf("%q, %q: rejected %+v", r.date, r.id, it.Reject)
			continue
		}
		if it.Record.BirthDate != r.want || len(it.Notes) != 1 || !strings.Contains(it.Notes[0].Reason, r.reason) || it.Notes[0].Value != r.date {
			t.Errorf("%q, %q: birth date %q, notes %+v; want %q and a note saying %q", r.date, r.id, it.Record.BirthDate, it.Notes, r.want, r.reason)
		}
	}
	items, _ = openAll(t, p, Options{Strict: true})
	for i, r := range rows {
		if rejected := items[i].Reject != nil; rejected != (r.want == "") {
			t.Errorf("strict: %q, %q: rejected %v", r.date, r.id, rejected)
		}
	}
}
