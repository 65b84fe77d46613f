package ingest

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// Mapping describes a layout that header detection cannot read. Written as
// YAML:
//
//	# all keys optional
//	sheets: [Thôn 1, Thôn 2]      # read only these sheets
//	header_rows: [6, 7]           # 1-based header row(s); two for a merged header
//	data_start: 9                 # first data row (default: the row after the header)
//	columns:                      # field: column letter, or header text as written
//	  full_name: B
//	  birth_date: "Ngày, tháng, năm sinh"
//	  id_any: F                   # 9 or 12 digits, by length
//	  stt: "-"                    # "-": leave the column detected as stt unread
//	encodings:                    # force a column's legacy encoding
//	  full_name: tcvn3            # utf-8 | tcvn3 | vni | viqr | windows-1258
//	date_order: mdy               # text dates month/day/year (a workbook in US formats); dmy: day first
//
// Columns not named keep what detection found, when a header was found.
// A column is named by its header text (or, under a two-row header, the
// lower row's text) before its letter, since "ID" or "STT" are both; a
// text the header lacks, or a letter past the sheet's last column, is an
// error (ErrMapping) when the sheet is read.
// Field names are the ch column names of schemas.Record plus stt,
// family_middle, birth_year, birth_date_male, birth_date_female, id_any,
// sex_male and sex_female (a mark under "Nam", under "Nữ"), birth_day and
// birth_month (a date in three columns, with birth_year).
type Mapping struct {
	Sheets     []string          `yaml:"sheets"`
	HeaderRows []int             `yaml:"header_rows"`
	DataStart  int               `yaml:"data_start"`
	Columns    map[string]string `yaml:"columns"`
	Encodings  map[string]string `yaml:"encodings"`
	DateOrder  string            `yaml:"date_order"`
}

// ParseMapping reads a YAML mapping and checks it.
func ParseMapping(r io.Reader) (*Mapping, error) {
	dec := yaml.NewDecoder(io.LimitReader(r, 1<<20))
	dec.KnownFields(true)
	var m Mapping
	if err := dec.Decode(&m); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("parse mapping: %w", err)
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	return &m, nil
}

// Validate reports every problem of the mapping at once.
func (m *Mapping) Validate() error {
	var errs []error
	if len(m.HeaderRows) > 2 {
		errs = append(errs, fmt.Errorf("mapping header_rows: at most two rows, got %d", len(m.HeaderRows)))
	}
	for i, r := range m.HeaderRows {
		if r < 1 || (i > 0 && r != m.HeaderRows[i-1]+1) {
			errs = append(errs, fmt.Errorf("mapping header_rows: %v must be 1-based consecutive rows", m.HeaderRows))
			break
		}
	}
	if m.DataStart < 0 {
		errs = append(errs, fmt.Errorf("mapping data_start: %d must be a 1-based row", m.DataStart))
	}
	fields := make([]string, 0, len(m.Columns))
	for f := range m.Columns {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	for _, f := range fields {
		if !knownFields[f] {
			errs = append(errs, fmt.Errorf("mapping columns: unknown field %q", f))
		}
		if strings.TrimSpace(m.Columns[f]) == "" {
			errs = append(errs, fmt.Errorf("mapping columns: field %q names no column", f))
		}
	}
	for f, e := range m.Encodings {
		if !knownFields[f] {
			errs = append(errs, fmt.Errorf("mapping encodings: unknown field %q", f))
		}
		if _, ok := encodingNames[strings.ToLower(e)]; !ok {
			errs = append(errs, fmt.Errorf("mapping encodings: field %q: unknown encoding %q (utf-8, tcvn3, vni, viqr, windows-1258)", f, e))
		}
	}
	if err := checkDateOrder(m.DateOrder); err != nil {
		errs = append(errs, fmt.Errorf("mapping date_order: %w", err))
	}
	return errors.Join(errs...)
}

// columnLetter returns the spreadsheet letter of a 0-based column index.
func columnLetter(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}

// letterIndex parses a column letter ("B", "ab"); ok is false if s is not one.
func letterIndex(s string) (int, bool) {
	s = strings.ToUpper(strings.TrimSpace(s))
	if s == "" || len(s) > 3 {
		return 0, false
	}
	n := 0
	for _, r := range s {
		if r < 'A' || r > 'Z' {
			return 0, false
		}
		n = n*26 + int(r-'A'+1)
	}
	return n - 1, true
}
