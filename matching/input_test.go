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
