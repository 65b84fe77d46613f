package matching

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/dancu-vn/dancu/matching/settings"
)

// TestCleanMissing checks that a column reads its missing values in any
// case (as strings.ToLower would), and keeps everything else.
func TestCleanMissing(t *testing.T) {
	c := column{missing: map[string]bool{}}
	for _, m := range settings.DefaultMissing {
		m = strings.ToLower(strings.TrimSpace(m))
		c.missing[m] = true
		c.missingMax = max(c.missingMax, len(m))
	}
	for _, v := range []string{"N/A", " null ", "NONE", "Không Rõ", "KHÔNG CÓ", "-", "chưa rõ"} {
		if got := c.clean(v); got != "" {
			t.Errorf("clean(%q) = %q, want missing", v, got)
		}
	}
	for _, v := range []string{"Nguyễn", "NAM", "0010", "Không Rõ Ràng", "KHÔNGG", "a very long value that no missing value can be"} {
		if got := c.clean(v); got != strings.TrimSpace(v) {
			t.Errorf("clean(%q) = %q, want it kept", v, got)
		}
	}
}

// TestReadTableRefusesOtherSheets: a mapped table is read from the first
// sheet only, so a workbook whose other sheets hold rows is refused
// rather than read in part.
func TestReadTableRefusesOtherSheets(t *testing.T) {
	dir := t.TempDir()
	f := excelize.NewFile()
	_ = f.SetSheetRow("Sheet1", "A1", &[]any{"rec_id", "given_name"})
	_ = f.SetSheetRow("Sheet1", "A2", &[]any{"rec-1", "An"})
	_, _ = f.NewSheet("Empty")
	p := filepath.Join(dir, "one.xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	if tb, err := ReadTable(p); err != nil || len(tb.Rows) != 1 {
		t.Fatalf("one sheet with rows and an empty one: %v", err)
	}
	_, _ = f.NewSheet("Thôn 2")
	_ = f.SetSheetRow("Thôn 2", "A1", &[]any{"rec_id", "given_name"})
	p2 := filepath.Join(dir, "two.xlsx")
	if err := f.SaveAs(p2); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if _, err := ReadTable(p2); err == nil || !strings.Contains(err.Error(), "Thôn 2") {
		t.Errorf("a second sheet with rows: %v", err)
	}
}

// TestCleanFilters checks clean against its definition — trimmed, and
// "" when its lower case (strings.ToLower) is one of the column's missing
// values — on every value of one or two ASCII bytes, every missing value
// in lower, upper and mixed case, with a byte added or changed, and
// ASCII letters beside non-ASCII ones: the filters on length, first and
// second byte must turn none away.
func TestCleanFilters(t *testing.T) {
	c := column{missing: map[string]bool{}}
	for _, m := range append(settings.DefaultMissing, "Đ/K", "x") {
		m = strings.ToLower(strings.TrimSpace(m))
		c.missing[m] = true
		c.missingMax = max(c.missingMax, len(m))
	}
	want := func(v string) string {
		v = strings.TrimSpace(v)
		if c.missing[strings.ToLower(v)] {
			return ""
		}
		return v
	}
	var vals []string
	for a := 0; a < 128; a++ {
		vals = append(vals, string(rune(a)))
		for b := 0; b < 128; b++ {
			vals = append(vals, string([]byte{byte(a), byte(b)}))
		}
	}
	for m := range c.missing {
		mixed := []byte(m) // every other ASCII letter upper case
		for i := 0; i < len(mixed); i += 2 {
			if 'a' <= mixed[i] && mixed[i] <= 'z' {
				mixed[i] -= 'a' - 'A'
			}
		}
		for _, v := range []string{m, strings.ToUpper(m), string(mixed), " " + m + " "} {
			vals = append(vals, v, v+"a", "a"+v, v[:len(v)-1])
			for i := range len(v) {
				vals = append(vals, v[:i]+"Z"+v[i+1:])
			}
		}
	}
	vals = append(vals, "N\u212a", "nĐ", "KHÔNG", "Ngô", "Nguyễn", "NA\u00a0")
	missing := 0
	for _, v := range vals {
		if got := c.clean(v); got != want(v) {
			t.Errorf("clean(%q) = %q, want %q", v, got, want(v))
		} else if got == "" && strings.TrimSpace(v) != "" {
			missing++
		}
	}
	if missing < len(c.missing) {
		t.Errorf("%d values read as missing, fewer than the %d missing values", missing, len(c.missing))
	}
}
