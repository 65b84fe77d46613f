package main

import (
	"testing"

	"github.com/dancu-vn/dancu/ingest"
)

// TestKindsListsEveryKind: the summary line's breakdown of skipped rows
// left out the rows --skip-hidden-rows skips ("skipped 10 (2 title, 1
// header, 4 blank, 2 footer)": 9), and would any kind without a place in
// its list. Every kind counted is listed.
func TestKindsListsEveryKind(t *testing.T) {
	got := kinds(map[ingest.SkipKind]int{ingest.SkipTitle: 2, ingest.SkipHidden: 1, ingest.SkipFooter: 2, "some new kind": 3})
	if want := "2 title, 2 footer, 1 hidden row, 3 some new kind"; got != want {
		t.Errorf("kinds = %q, want %q", got, want)
	}
}
