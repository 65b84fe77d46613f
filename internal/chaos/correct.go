package chaos

import (
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Correction is the corrected copy of one generated list that a campaign
// imports last, with `dancu import --replaces` naming the list it
// corrects: every record of the old list is withdrawn, the corrected
// list's rows are records of their own.
type Correction struct {
	Replaces string // the generated list corrected
	File     string // the corrected copy
	Rows     int    // rows of the corrected copy
	Changed  int    // rows kept with a field changed
	Removed  int    // rows of the old list left out
	Added    int    // rows taken from another list
}

// correct writes the corrected copy of the first CSV list among files,
// deterministic from seed: about one row in eight left out, one in six
// changed (the name written in capitals, or the CMND number dropped),
// and a few rows of another CSV list added. It returns nil when there is
// no CSV list to correct.
func correct(files []string, dir string, seed int64) (*Correction, error) {
	var lists []string
	for _, f := range files {
		if strings.EqualFold(filepath.Ext(f), ".csv") {
			lists = append(lists, f)
		}
	}
	if len(lists) == 0 {
		return nil, nil
	}
	old, err := readCSV(lists[0])
	if err != nil {
		return nil, err
	}
	if len(old) < 2 {
		return nil, fmt.Errorf("chaos: %s has no rows to correct", lists[0])
	}
	header := old[0]
	col := func(name string) int {
		for i, h := range header {
			if h == name {
				return i
			}
		}
		return -1
	}
	stt, name, cmnd := col("STT"), col("Họ và tên"), col("Số CMND")
	rng := rand.New(rand.NewPCG(uint64(seed), 0x636f7272)) // "corr"
	c := &Correction{Replaces: lists[0]}
	out := [][]string{header}
	for _, row := range old[1:] {
		switch r := rng.IntN(24); {
		case r < 3:
			c.Removed++
			continue
		case r < 7:
			upper := name >= 0 && row[name] != strings.ToUpper(row[name])
			switch {
			case upper && (r%2 == 0 || cmnd < 0 || row[cmnd] == ""):
				row[name] = strings.ToUpper(row[name])
				c.Changed++
			case cmnd >= 0 && row[cmnd] != "":
				row[cmnd] = ""
				c.Changed++
			}
		}
		out = append(out, row)
	}
	if len(lists) > 1 {
		other, err := readCSV(lists[1])
		if err != nil {
			return nil, err
		}
		if len(other) > 1 && strings.Join(other[0], ",") == strings.Join(header, ",") {
			for i := 0; i < 5 && len(other) > 1; i++ {
				out = append(out, append([]string(nil), other[1+rng.IntN(len(other)-1)]...))
				c.Added++
			}
		}
	}
	for i, row := range out[1:] {
		if stt >= 0 {
			row[stt] = strconv.Itoa(i + 1)
		}
	}
	base := strings.TrimSuffix(filepath.Base(lists[0]), filepath.Ext(lists[0]))
	c.File = filepath.Join(dir, base+"_sua.csv")
	c.Rows = len(out) - 1
	f, err := os.Create(c.File)
	if err != nil {
		return nil, fmt.Errorf("chaos: %w", err)
	}
	w := csv.NewWriter(f)
	w.WriteAll(out)
	if err := w.Error(); err != nil {
		f.Close()
		return nil, fmt.Errorf("chaos: %s: %w", c.File, err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("chaos: %w", err)
	}
	return c, nil
}

func readCSV(path string) ([][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("chaos: %w", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("chaos: %s: %w", path, err)
	}
	return rows, nil
}
