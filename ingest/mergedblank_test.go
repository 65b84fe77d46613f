package ingest

import (
	"path/filepath"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestDeletedRowUnderMergedHousehold: a commune's list merges the
// household's number and address over its members' rows, the head first.
// A member who left is deleted by emptying the row's cells, which leaves
// the merged cells over it: the row was rejected as "missing full name"
// (user27's Thạch Kim workbook), though it holds nothing but what the
// merge gives every row of the household. It is blank now; the members
// around it are read as before, the merged address given to each.
func TestDeletedRowUnderMergedHousehold(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kim_hai.xlsx")
	f := excelize.NewFile()
	for i, r := range [][]any{
		{"STT", "Hộ số", "Họ và tên", "Năm sinh", "Nơi thường trú"},
		{1, 1, "Nguyễn Văn An", 1960, "Thôn Kim Hải, xã Thạch Kim"},
		{},
		{2, nil, "Trần Thị Bình", 1962},
		{3, 2, "Lê Văn Cường", 1970, "Thôn Kim Hải, xã Thạch Kim"},
	} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	for _, m := range [][2]string{{"B2", "B4"}, {"E2", "E4"}} {
		if err := f.MergeCell("Sheet1", m[0], m[1]); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	items, desc := openAll(t, path, Options{})
	recs, rejects, _ := byRow(items)
	if rejects[3] != nil || recs[3] != nil {
		t.Errorf("row 3 (emptied, under the merges): reject %+v, record %+v; want it blank", rejects[3], recs[3])
	}
	l := desc.Sheets[0]
	if l.ByKind[SkipBlank] != 1 || l.Rows != l.Accepted+l.Rejected+l.SkippedRows {
		t.Errorf("skipped %v, rows %d = %d + %d + %d; want row 3 blank and the account whole", l.ByKind, l.Rows, l.Accepted, l.Rejected, l.SkippedRows)
	}
	for _, row := range []int{2, 4, 5} {
		if r := recs[row]; r == nil || r.PermAddress != "Thôn Kim Hải, xã Thạch Kim" {
			t.Errorf("row %d: %+v; want read with the merged address", row, r)
		}
	}
}
