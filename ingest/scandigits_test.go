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
