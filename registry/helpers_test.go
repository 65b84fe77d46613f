package registry_test

import (
	"encoding/csv"
	"os"
	"testing"

	"github.com/dancu-vn/dancu/matching/vietnamese"
	"github.com/dancu-vn/dancu/registry"
)

// openVietnamese opens a new registry in a temporary directory with the
// embedded Vietnamese model, closed when the test ends.
func openVietnamese(t *testing.T) *registry.Registry {
	t.Helper()
	reg := openVietnameseAt(t, t.TempDir())
	t.Cleanup(func() { reg.Close() })
	return reg
}

// openVietnameseAt opens a registry of the shipped Vietnamese model in
// dir; the caller closes it.
func openVietnameseAt(t *testing.T, dir string) *registry.Registry {
	t.Helper()
	s, err := vietnamese.Trained()
	if err != nil {
		t.Fatal(err)
	}
	reg, err := registry.Open(registry.Config{Dir: dir, Settings: s})
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

func readCSV(path string, fn func(row []string)) error {
	fh, err := os.Open(path)
	if err != nil {
		return err
	}
	defer fh.Close()
	rd := csv.NewReader(fh)
	rows, err := rd.ReadAll()
	if err != nil {
		return err
	}
	for _, row := range rows[1:] {
		fn(row)
	}
	return nil
}
