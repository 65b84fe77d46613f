package schemas_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/schemas"
)

// Columns gives, column by column in the order of the ch tags, the values
// reflection reads from the chosen rows' fields: every supported field
// type, the rows of idx in its order (repeats too) or all of them.
func TestColumnsAreTheFields(t *testing.T) {
	recs := manyRecords(5)
	recs[1].OCRConfidence = nil
	recs[2].SourceDate = recs[2].SourceDate.AddDate(0, 0, 3)
	checkColumns(t, recs, nil)
	checkColumns(t, recs, []int{4, 0, 2, 2})
	checkColumns(t, recs, []int{})
	checkColumns(t, manyPersons(7), []int{6, 1})
	checkColumns(t, manyLinks(3), nil)
	checkColumns(t, []schemas.Conflict{
		{ConflictID: "c1", PersonIDs: []string{"p1", "p2"}, RecordIDs: []string{"r1"}, Score: 0.5, CreatedAt: instant},
		{ConflictID: "c2", PersonIDs: []string{}},
	}, nil)
	checkColumns(t, []schemas.RecordDelta{{Batch: "b", Seq: 3, OldKnown: 1, SourceMonth: instant, Added: 2}, {Batch: "b", Seq: 4}}, []int{1})
	checkColumns(t, []schemas.Reject{{RejectID: "x1", Row: 3, RejectedAt: instant}}, nil)

	if _, err := schemas.Columns(recs, []int{5}); err == nil {
		t.Error("Columns of row 5 of 5: no error")
	}
}

func checkColumns[T any](t *testing.T, rows []T, idx []int) {
	t.Helper()
	cols, err := schemas.Columns(rows, idx)
	if err != nil {
		t.Fatal(err)
	}
	var zero T
	tags := schemas.Tags(zero)
	if len(cols) != len(tags) {
		t.Fatalf("%T: %d columns, %d ch tags", zero, len(cols), len(tags))
	}
	if idx == nil {
		idx = make([]int, len(rows))
		for i := range idx {
			idx[i] = i
		}
	}
	typ := reflect.TypeOf(zero)
	j := 0
	for f := 0; f < typ.NumField(); f++ {
		tag := strings.Split(typ.Field(f).Tag.Get("ch"), ",")[0]
		if tag == "" || tag == "-" {
			continue
		}
		col := reflect.ValueOf(cols[j])
		if col.Kind() != reflect.Slice || col.Type().Elem() != typ.Field(f).Type || col.Len() != len(idx) {
			t.Fatalf("%T column %s: %T of %d, want []%s of %d", zero, tag, cols[j], col.Len(), typ.Field(f).Type, len(idx))
		}
		for k, i := range idx {
			want := reflect.ValueOf(rows[i]).Field(f).Interface()
			if got := col.Index(k).Interface(); !reflect.DeepEqual(got, want) {
				t.Errorf("%T column %s, value %d (row %d): %v, want %v", zero, tag, k, i, got, want)
			}
		}
		j++
	}
}

// EachColumn gives, one at a time, the columns Columns gives (read while
// fn has them: the slices are reused), on the same rows and idx; it stops
// when fn says so, and refuses a row out of range as Columns does.
func TestEachColumnIsColumns(t *testing.T) {
	recs := manyRecords(5)
	recs[1].OCRConfidence = nil
	recs[3].RecordID = "r-three"
	eachIsColumns(t, recs, nil)
	eachIsColumns(t, recs, []int{4, 0, 2, 2})
	eachIsColumns(t, recs, []int{})
	eachIsColumns(t, manyPersons(7), []int{6, 1})
	eachIsColumns(t, manyLinks(3), nil)
	eachIsColumns(t, []schemas.Conflict{
		{ConflictID: "c1", PersonIDs: []string{"p1", "p2"}, RecordIDs: []string{"r1"}, Score: 0.5, CreatedAt: instant},
		{ConflictID: "c2", PersonIDs: []string{}},
	}, nil)
	eachIsColumns(t, []schemas.RecordDelta{{Batch: "b", Seq: 3, OldKnown: 1, SourceMonth: instant, Added: 2}, {Batch: "b", Seq: 4}}, []int{1})

	calls := 0
	if err := schemas.EachColumn(recs, nil, func(int, any) bool { calls++; return calls < 3 }); err != nil || calls != 3 {
		t.Errorf("stopped at the third column: %d calls, %v", calls, err)
	}
	if err := schemas.EachColumn(recs, []int{5}, func(int, any) bool { t.Error("a column of row 5 of 5"); return true }); err == nil {
		t.Error("EachColumn of row 5 of 5: no error")
	}
}

func eachIsColumns[T any](t *testing.T, rows []T, idx []int) {
	t.Helper()
	want, err := schemas.Columns(rows, idx)
	if err != nil {
		t.Fatal(err)
	}
	next := 0
	err = schemas.EachColumn(rows, idx, func(j int, col any) bool {
		if j != next {
			t.Fatalf("%T: column %d after %d", rows, j, next-1)
		}
		if !reflect.DeepEqual(col, want[j]) {
			t.Errorf("%T column %d: %v, want %v", rows, j, col, want[j])
		}
		next++
		return true
	})
	if err != nil {
		t.Fatal(err)
	}
	if next != len(want) {
		t.Errorf("%T: %d columns, want %d", rows, next, len(want))
	}
}
