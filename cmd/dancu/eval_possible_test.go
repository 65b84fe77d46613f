package main

import (
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/matching/eval"
	"github.com/dancu-vn/dancu/schemas"
)

// dancu eval's conflict report counts the grey-zone pairs, the desk's
// mandatory bar, apart from the possible matches, which a reviewer opens
// on demand (acc54): three possible matches and one grey-zone pair of
// 2,000 records are 0.50 per 1,000 in the bar, 1.50 beside it.
func TestEvalPossibleMatchesOutsideTheGreyZoneBar(t *testing.T) {
	found := []eval.ConflictRef{{Kind: schemas.ConflictGreyZone, Records: []string{"a", "b"}}}
	for _, r := range []string{"c", "d", "e"} {
		found = append(found, eval.ConflictRef{Kind: schemas.ConflictPossibleMatch, Records: []string{r, r + "2"}})
	}
	out := conflictReport(nil, found, 2000)
	for _, want := range []string{"grey_zone 1 (0.50 per 1,000 of 2000 records)", "possible_match 3 (1.50 per 1,000, on demand: not in the bar)"} {
		if !strings.Contains(out, want) {
			t.Errorf("report %q lacks %q", out, want)
		}
	}
}
