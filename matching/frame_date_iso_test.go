package matching

import (
	"fmt"
	"testing"
)

// TestISODateAsText: isoDate reads every text of its forms (YYYY-MM-DD,
// YYYY-MM, YYYY; months and days in and out of range, year 0000) as the
// general reading does in each order of parts and pivot, and leaves
// near misses (other lengths, separators, letters) to it.
func TestISODateAsText(t *testing.T) {
	var texts []string
	for _, y := range []int{0, 1, 30, 999, 1899, 1900, 1989, 2000, 2029, 2030, 2100, 9999} {
		texts = append(texts, fmt.Sprintf("%04d", y))
		for m := 0; m <= 13; m++ {
			texts = append(texts, fmt.Sprintf("%04d-%02d", y, m))
			for d := 0; d <= 32; d++ {
				texts = append(texts, fmt.Sprintf("%04d-%02d-%02d", y, m, d))
			}
		}
	}
	read := 0
	for _, s := range texts {
		d, ok := isoDate(s)
		if !ok {
			t.Fatalf("isoDate(%q) not read", s)
		}
		if d != 0 {
			read++
		}
		for _, format := range []string{"dmy", "mdy", "ymd", ""} {
			for _, pivot := range []int{0, 30, 99} {
				if want := parseDateText(s, format, pivot); d != want {
					t.Fatalf("isoDate(%q) = %d, parseDateText(%q, %q, %d) = %d", s, d, s, format, pivot, want)
				}
			}
		}
	}
	if read < len(texts)/2 {
		t.Fatalf("only %d of %d texts gave a date", read, len(texts))
	}
	for _, s := range []string{"", "199", "19900", "1990-1", "1990-01-1", "1990/01/15", "1990-01-15 ", " 1990", "199O", "1990-0a-15", "1990--1-15", "15-01-1990", "1990-01-155"} {
		if _, ok := isoDate(s); ok {
			t.Errorf("isoDate(%q) read a text not of its forms", s)
		}
	}
}
