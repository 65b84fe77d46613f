package noisefile

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Table is a CSV file read whole: its header, each column's index by
// name, and its rows.
type Table struct {
	Name   string // the file's base name
	Header []string
	Col    map[string]int
	Rows   [][]string
}

// Get is row's value in column c ("" when the table has no such column).
func (t *Table) Get(row []string, c string) string {
	if i, ok := t.Col[c]; ok && i < len(row) {
		return row[i]
	}
	return ""
}

// Set sets row's value in column c, when the table has it.
func (t *Table) Set(row []string, c, v string) {
	if i, ok := t.Col[c]; ok && i < len(row) {
		row[i] = v
	}
}

// ReadCSV reads the CSV file at path; its first row is the header.
func ReadCSV(path string) (*Table, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	all, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if len(all) == 0 {
		return nil, fmt.Errorf("read %s: empty", path)
	}
	t := &Table{Name: filepath.Base(path), Header: all[0], Col: map[string]int{}, Rows: all[1:]}
	for i, h := range t.Header {
		t.Col[h] = i
	}
	return t, nil
}

// Pairs reads two columns of the CSV file at path, by name, into a map
// from the key column's value to the other's (truth.csv's record ids to
// person ids, a link's output, a generator's kinds): what the
// generators' breakdowns read.
func Pairs(path, key, val string) (map[string]string, error) {
	t, err := ReadCSV(path)
	if err != nil {
		return nil, err
	}
	k, ok1 := t.Col[key]
	v, ok2 := t.Col[val]
	if !ok1 || !ok2 {
		return nil, fmt.Errorf("%s: need columns %s and %s", path, key, val)
	}
	m := make(map[string]string, len(t.Rows))
	for _, r := range t.Rows {
		if k < len(r) && v < len(r) {
			m[r[k]] = r[v]
		}
	}
	return m, nil
}

// WriteCSV writes header and rows to path.
func WriteCSV(path string, header []string, rows [][]string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	w.Write(header)
	w.WriteAll(rows) // flushes; its error and Write's are w.Error()
	if err := w.Error(); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Close()
}

// Stats counts the records written and the records given each kind.
type Stats struct {
	Records int
	Kinds   map[string]int
}

// Count counts kindRows, rows of (record id, its kinds joined by ";").
func Count(kindRows [][]string) Stats {
	st := Stats{Kinds: map[string]int{}}
	for _, k := range kindRows {
		st.Records++
		if k[1] == "" {
			continue
		}
		for _, kind := range strings.Split(k[1], ";") {
			st.Kinds[kind]++
		}
	}
	return st
}

// Print writes the count of records and of each kind, by name.
func (st Stats) Print(w io.Writer) {
	fmt.Fprintf(w, "%d records\n", st.Records)
	ks := make([]string, 0, len(st.Kinds))
	for k := range st.Kinds {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	for _, k := range ks {
		fmt.Fprintf(w, "  %-18s %6d\n", k, st.Kinds[k])
	}
}

// Run is the command of a corruption model named name: "name corrupt
// CLEAN_DIR OUT_DIR SEED" writes corrupt's copy of a clean set and prints
// its Stats; "name breakdown DIR clusters.csv" writes breakdown's count of
// dancu link's errors on such a set.
func Run(name string, args []string, stdout io.Writer,
	corrupt func(cleanDir, outDir string, seed int64) (Stats, error),
	breakdown func(dir, clustersPath string, w io.Writer) error) error {
	switch {
	case len(args) == 4 && args[0] == "corrupt":
		seed, err := strconv.ParseInt(args[3], 10, 64)
		if err != nil {
			return fmt.Errorf("parse seed: %w", err)
		}
		st, err := corrupt(args[1], args[2], seed)
		if err != nil {
			return err
		}
		st.Print(stdout)
		return nil
	case len(args) == 3 && args[0] == "breakdown":
		return breakdown(args[1], args[2], stdout)
	}
	return fmt.Errorf("usage: %s corrupt CLEAN_DIR OUT_DIR SEED | %s breakdown DIR clusters.csv", name, name)
}
