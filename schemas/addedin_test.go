package schemas_test

import (
	"slices"
	"testing"

	"github.com/dancu-vn/dancu/schemas"
)

// TestColumnsAfter: the columns a version-1 record lacks are those
// version 2 added at the end, as a version-1 batch is read
// (TestVersion1RecordsStillRead); the current version lacks none.
func TestColumnsAfter(t *testing.T) {
	if got := schemas.ColumnsAfter(1); !slices.Equal(got, []string{"household_no", "remark"}) {
		t.Errorf("ColumnsAfter(1) = %v", got)
	}
	if got := schemas.ColumnsAfter(schemas.Version); len(got) != 0 {
		t.Errorf("ColumnsAfter(Version) = %v, want none", got)
	}
	tags := schemas.Tags(schemas.Record{})
	for i, c := range tags {
		if i > 0 && schemas.AddedIn(c) < schemas.AddedIn(tags[i-1]) {
			t.Errorf("column %s (version %d) after %s (version %d): fields are only added at the end", c, schemas.AddedIn(c), tags[i-1], schemas.AddedIn(tags[i-1]))
		}
	}
}
