package matching

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/dancu-vn/dancu/schemas"
)

// TestRecordKeyIsFileScoped: two rows of two files that reuse the same
// local code ("Mã bản ghi" NK1) are two records, not a redelivery of one;
// the same row delivered twice is one.
func TestRecordKeyIsFileScoped(t *testing.T) {
	a, b := base(), base()
	a.RecordID, a.SourceRecordID = schemas.RecordID("hash-of-file-1", "", 2), "NK1"
	b.RecordID, b.SourceRecordID = schemas.RecordID("hash-of-file-2", "", 2), "NK1"
	b.FullName, b.IDNumber, b.BirthDate, b.BirthYear = "Lê Văn Tám", "", "1971-01-02", 1971
	if RecordKey(&a) == RecordKey(&b) {
		t.Fatalf("rows of two files share the key %q", RecordKey(&a))
	}
	if RecordLabel(&a) != "NK1" {
		t.Errorf("label %q, want the source's code NK1", RecordLabel(&a))
	}

	// Linking both (a second file reusing the code) is the registry's test:
	// registry.TestRecordsOfTwoFilesSharingCodes.
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
