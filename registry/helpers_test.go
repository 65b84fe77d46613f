package registry_test

import (
	"encoding/csv"
	"os"
)

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
