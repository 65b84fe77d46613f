package refdata

import (
	"embed"
	"encoding/csv"
	"fmt"
	"io"
	"io/fs"
	"strings"
)

//go:embed data
var files embed.FS

// FS returns the embedded reference files rooted at the data directory,
// e.g. "admin_units_2025.csv", "names/surnames.csv", "encodings/vni_to_unicode.tsv".
func FS() fs.FS {
	sub, err := fs.Sub(files, "data")
	if err != nil { // cannot happen: the directory is embedded above
		panic(err)
	}
	return sub
}

// Table is a header plus rows read from a CSV or TSV reference file.
type Table struct {
	Header []string
	Rows   [][]string
	index  map[string]int
}

// Col returns the index of the named column, or -1.
func (t *Table) Col(name string) int {
	if i, ok := t.index[name]; ok {
		return i
	}
	return -1
}

// Get returns the named column of row r, or "" when the column is absent.
func (t *Table) Get(r []string, name string) string {
	i := t.Col(name)
	if i < 0 || i >= len(r) {
		return ""
	}
	return r[i]
}

// Load reads a whole reference table. Files ending in .tsv are tab
// separated; everything else is RFC 4180 CSV.
func Load(name string) (*Table, error) {
	f, err := FS().Open(name)
	if err != nil {
		return nil, fmt.Errorf("open reference table %s: %w", name, err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	if strings.HasSuffix(name, ".tsv") {
		r.Comma = '\t'
		r.LazyQuotes = true
	}
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("read header of %s: %w", name, err)
	}
	t := &Table{Header: header, index: make(map[string]int, len(header))}
	for i, h := range header {
		t.index[h] = i
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
		t.Rows = append(t.Rows, rec)
	}
	return t, nil
}

// MustLoad is Load for tables that are known to be embedded; it panics only
// if the binary was built without them, which a test guards.
func MustLoad(name string) *Table {
	t, err := Load(name)
	if err != nil {
		panic(err)
	}
	return t
}
