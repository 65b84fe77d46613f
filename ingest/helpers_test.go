package ingest

import (
	"errors"
	"io"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/internal/xlsxtest"
)

// writeXLSX writes sheets of rows (cells as any) to a new workbook in dir.
func writeXLSX(t testing.TB, dir, name string, sheets map[string][][]any, order ...string) string {
	t.Helper()
	return xlsxtest.Write(t, dir, name, sheets, order...)
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
