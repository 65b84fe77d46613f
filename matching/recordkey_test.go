package matching

import (
	"testing"

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
