package ingest

import (
	"errors"
	"io"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// writeXLSX writes sheets of rows (cells as any) to a new workbook in dir.
func writeXLSX(t testing.TB, dir, name string, sheets map[string][][]any, order ...string) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, sh := range order {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", sh); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(sh); err != nil {
			t.Fatal(err)
		}
		for r, row := range sheets[sh] {
			for c, v := range row {
				if v == nil {
					continue
				}
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if err := f.SetCellValue(sh, cell, v); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	p := filepath.Join(dir, name)
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	return p
}

// readAll drains a source.
func readAll(t testing.TB, src Source) (items []Item) {
	t.Helper()
	for {
		it, err := src.Next()
		if errors.Is(err, io.EOF) {
			return items
		}
		if err != nil {
			t.Fatalf("next: %v", err)
		}
		items = append(items, it)
	}
}

func openAll(t testing.TB, path string, opts Options) ([]Item, Description) {
	t.Helper()
	src, err := Open(path, opts)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	defer src.Close()
	items := readAll(t, src)
	return items, src.(Describer).Describe()
}

func TestOpenMissingFileNamesPathOnce(t *testing.T) {
	_, err := Open(filepath.Join(t.TempDir(), "nope.csv"), Options{})
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Open of a missing file: %v, want fs.ErrNotExist", err)
	}
	if n := strings.Count(err.Error(), "nope.csv"); n != 1 {
		t.Errorf("error %q names the file %d times, want once", err, n)
	}
}
