package ingest

import "testing"

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
		"Lovelock":                   "Lovelock", // one word: a family name alone
	} {
		if got := MaskRecordID(id); got != want {
			t.Errorf("MaskRecordID(%q) = %q, want %q", id, got, want)
		}
	}
}
