package ingest

import (
	"strconv"
	"testing"

	"github.com/dancu-vn/dancu/schemas"
)

func TestMaskRecordID(t *testing.T) {
	for id, want := range map[string]string{
		"001090012345":               "0010******45", // an identification number
		"dataset.csv:001090012345":   "dataset.csv:0010******45",
		"6988048":                    "*******", // FEBRL's social security number
		"rec-12-dup-0":               "rec-12-dup-0",
		"rb7ec037880255830512969c8":  "rb7ec037880255830512969c8", // dancu's hash: its digits are no number
		"DC01-03826-000000001":       "DC01-03826-0000***01",
		"Nguyễn Văn An":              "Nguyễn V. A.",
		"Nguyễn Văn An 001090012345": "Nguyễn V. A. 0010******45",
		"Lovelock":                   "L*******", // one word of letters: a name
		"waller0":                    "w*****0",  // a name with a digit appended
		"rec-1002-org":               "rec-1002-org",
		"dataset.csv:rec-12-dup-0":   "dataset.csv:rec-12-dup-0",
		"dataset.csv:waller0":        "dataset.csv:w*****0",
		"Nguyễn Văn An2":             "Nguyễn V. An2", // a word of 3 letters and a digit: a code's shape
		"Nguyễn Văn Hùng2":           "Nguyễn V. H***2",
		"rfaded00000000000000beef0":  "rfaded00000000000000beef0", // dancu's hash: "r" and 24 hex digits
	} {
		if got := MaskRecordID(id); got != want {
			t.Errorf("MaskRecordID(%q) = %q, want %q", id, got, want)
		}
	}
}

// TestMaskRecordIDKeepsCodes: dancu's own ids (schemas.RecordID's hashes,
// which may hold runs of 4 letters a–f) and FEBRL's codes stay readable
// under the rule that masks a name with a number appended.
func TestMaskRecordIDKeepsCodes(t *testing.T) {
	for i := range 2000 {
		for _, id := range []string{schemas.RecordID("f1e2d3", "Sheet1", i), "rec-" + strconv.Itoa(i) + "-org", "rec-" + strconv.Itoa(i) + "-dup-" + strconv.Itoa(i%5)} {
			if got := MaskRecordID(id); got != id {
				t.Fatalf("MaskRecordID(%q) = %q, want it shown", id, got)
			}
		}
	}
}
