package xlsxtest

import (
	"path/filepath"
	"testing"

	"github.com/xuri/excelize/v2"
)

// Write writes sheets of rows (a nil cell is left empty), in the given
// order, to dir/name and returns its path.
func Write(tb testing.TB, dir, name string, sheets map[string][][]any, order ...string) string {
	tb.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, sh := range order {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", sh); err != nil {
				tb.Fatal(err)
			}
		} else if _, err := f.NewSheet(sh); err != nil {
			tb.Fatal(err)
		}
		for r, row := range sheets[sh] {
			for c, v := range row {
				if v == nil {
					continue
				}
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if err := f.SetCellValue(sh, cell, v); err != nil {
					tb.Fatal(err)
				}
			}
		}
	}
	p := filepath.Join(dir, name)
	if err := f.SaveAs(p); err != nil {
		tb.Fatal(err)
	}
	return p
}
