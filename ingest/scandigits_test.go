package ingest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestScanDateLettersForDigits: a recognised date written in digits whose
// reader put a letter for a digit (O for 0, S for 5, l for 1, B for 8) is
// read as the digits, as an identification number's are; a date in words,
// an approximate one and one holding another letter are read as before.
func TestScanDateLettersForDigits(t *testing.T) {
	cases := []struct{ text, want string }{
		{"1O/S/1989", "1989-05-10"},
		{"l2/08/l975", "1975-08-12"},
		{"2B-3-196O", "1960-03-28"},
		{"17/5/1989", "1989-05-17"},
		{"ngày 5 tháng 3 năm 1987", "1987-03-05"},
		{"khoảng 1950", ""},
		{"1X/05/1989", ""},
	}
	var lines []string
	for i, c := range cases {
		lines = append(lines, fmt.Sprintf(`{"form_id":"DC01-%d","collected_on":"2024-04-01","fields":{"full_name":{"text":"NGUYỄN VĂN AN"},"birth_date":{"text":%q}}}`, i+1, c.text))
	}
	p := filepath.Join(t.TempDir(), "batch.jsonl")
	if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	items, _ := openAll(t, p, Options{})
	if len(items) != len(cases) {
		t.Fatalf("%d items, want %d", len(items), len(cases))
	}
	for i, c := range cases {
		rec := items[i].Record
		if rec == nil {
			t.Fatalf("%q: rejected: %+v", c.text, items[i].Reject)
		}
		if rec.BirthDate != c.want {
			t.Errorf("%q read %q, want %q", c.text, rec.BirthDate, c.want)
		}
	}
}

// TestScanNameDigitsForLetters: a recognised name whose reader put a digit
// for the letter it looks like (6 for G, 0 for O, 1 for I or L, 8 for B
// or Đ, 5 for S) is read as the letters when one reading alone makes a
// name word, in the case of the word's letters; a word two readings or
// none make a name, one of digits alone or holding another digit is read
// as written, as is a name in a list keyed by hand (acc55).
func TestScanNameDigitsForLetters(t *testing.T) {
	cases := []struct{ text, head, want, wantHead string }{
		{"N6UYỄN THỊ TRANG", "N6UYỄN VĂN HÙN6", "NGUYỄN THỊ TRANG", "NGUYỄN VĂN HÙNG"},
		{"NGUYỄN VĂN T0ÁN", "", "NGUYỄN VĂN TOÁN", ""},
		{"HUỲNH THỊ H1ỀN", "", "HUỲNH THỊ HIỀN", ""},
		{"PHẠM VĂN 5ƠN", "", "PHẠM VĂN SƠN", ""},
		// as read: two readings name someone (Bình, Đình; Bá, Đa), none
		// does, another digit, digits alone
		{"Trần Văn 8ình", "", "Trần Văn 8ình", ""},
		{"NGUYEN 8A CUONG", "", "NGUYEN 8A CUONG", ""},
		{"LÊ VĂN A18", "", "LÊ VĂN A18", ""},
		{"LÊ VĂN A7N", "", "LÊ VĂN A7N", ""},
		{"LÊ VĂN AN 2", "", "LÊ VĂN AN 2", ""},
	}
	var lines []string
	for i, c := range cases {
		head := ""
		if c.head != "" {
			head = fmt.Sprintf(`,"household_head":{"text":%q}`, c.head)
		}
		lines = append(lines, fmt.Sprintf(`{"form_id":"DC01-%d","collected_on":"2024-04-01","fields":{"full_name":{"text":%q}%s,"birth_date":{"text":"05/03/1987"}}}`, i+1, c.text, head))
	}
	p := filepath.Join(t.TempDir(), "batch.jsonl")
	if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	items, _ := openAll(t, p, Options{})
	if len(items) != len(cases) {
		t.Fatalf("%d items, want %d", len(items), len(cases))
	}
	for i, c := range cases {
		rec := items[i].Record
		if rec == nil {
			t.Fatalf("%q: rejected: %+v", c.text, items[i].Reject)
		}
		if rec.FullName != c.want || rec.HouseholdHead != c.wantHead {
			t.Errorf("%q, %q read %q, %q; want %q, %q", c.text, c.head, rec.FullName, rec.HouseholdHead, c.want, c.wantHead)
		}
	}

	// a list keyed by hand is read as written: a name holding a digit
	// is rejected there, with the cell as it was
	path := filepath.Join(t.TempDir(), "ds.csv")
	if err := os.WriteFile(path, []byte("STT,Họ và tên,Ngày sinh\n1,N6UYỄN THỊ TRANG,05/03/1987\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	items, _ = openAll(t, path, Options{})
	if len(items) != 1 || items[0].Reject == nil || items[0].Reject.Value != "N6UYỄN THỊ TRANG" {
		t.Errorf("CSV: %+v, want the row rejected with the name as written", items)
	}
}
