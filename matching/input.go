package matching

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
	"gopkg.in/yaml.v3"

	"github.com/dancu-vn/dancu/matching/settings"
)

// Mapping adapts a file layout to a settings document: which column holds
// the record id, which settings to use, how fields are renamed, and how
// the ground truth is read for evaluation.
type Mapping struct {
	// ID is the column holding the record id. Default: "Mã bản ghi",
	// record_id or source_record_id when present, else file:row.
	ID string `yaml:"id"`
	// Settings is an embedded settings name (vietnamese, febrl, fake_1000)
	// or a path relative to the mapping file.
	Settings string `yaml:"settings"`
	// LinkType overrides the settings' link type when several files are
	// linked (link_only for two files without duplicates inside each).
	LinkType string `yaml:"link_type"`
	// Rename maps a field the settings read to the file's column, or to a
	// column read through a regular expression and a table of values
	// (FieldSource).
	Rename map[string]*FieldSource `yaml:"rename"`
	// Files holds, by file name (its base name), what differs between the
	// files of one link: each its own id column and renames (added to the
	// renames above), so that two files of different layouts are read into
	// the fields one settings file compares.
	Files map[string]*FileMapping `yaml:"files"`
	// Truth says where the true entity of each record is: a column, with an
	// optional regular expression whose first group is the entity.
	Truth *TruthSpec `yaml:"truth"`

	dir string
}

// FileMapping is how one file of a link is read: its id column and the
// renames of its own layout.
type FileMapping struct {
	ID     string                  `yaml:"id"`
	Rename map[string]*FieldSource `yaml:"rename"`
}

// FieldSource is where a field the settings read comes from in one file:
// a column, written in YAML as its name alone, or {column, regex, values}
// — the first match of regex in the column's value (or its one capture
// group; no match reads as blank), then that value looked up in values
// (trimmed, case ignored; a value not listed is read as it stands). So a
// full name gives a first name (regex: "^(\\S+)"), a date "31/12/1990" its
// year, and a sex written 1/2 reads as another file's M/F.
type FieldSource struct {
	Column string            `yaml:"column"`
	Regex  string            `yaml:"regex"`
	Values map[string]string `yaml:"values"`

	re     *regexp.Regexp
	values map[string]string // keys trimmed and lower-cased
}

// UnmarshalYAML reads a column name alone or {column, regex, values}.
func (f *FieldSource) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		return n.Decode(&f.Column)
	}
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: a rename is a column name or {column, regex, values}", n.Line)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		switch k := n.Content[i].Value; k {
		case "column", "regex", "values":
		default:
			return fmt.Errorf("line %d: rename: unknown key %q (want column, regex, values)", n.Content[i].Line, k)
		}
	}
	type plain FieldSource
	if err := n.Decode((*plain)(f)); err != nil {
		return err
	}
	if f.Column == "" {
		return fmt.Errorf("line %d: rename: no column", n.Line)
	}
	if f.Regex != "" {
		re, err := regexp.Compile(f.Regex)
		if err != nil {
			return fmt.Errorf("line %d: rename of column %s: regex: %w", n.Line, f.Column, err)
		}
		if re.NumSubexp() > 1 {
			return fmt.Errorf("line %d: rename of column %s: regex %q has %d groups (want one at most)", n.Line, f.Column, f.Regex, re.NumSubexp())
		}
		f.re = re
	}
	if len(f.Values) > 0 {
		f.values = make(map[string]string, len(f.Values))
		for k, v := range f.Values {
			f.values[strings.ToLower(strings.TrimSpace(k))] = v
		}
	}
	return nil
}

// read returns the field from the column's value v.
func (f *FieldSource) read(v string) string {
	if f.re != nil {
		g := f.re.FindStringSubmatch(v)
		switch {
		case g == nil:
			return ""
		case len(g) > 1:
			v = g[1]
		default:
			v = g[0]
		}
	}
	if f.values != nil {
		if r, ok := f.values[strings.ToLower(strings.TrimSpace(v))]; ok {
			v = r
		}
	}
	return v
}

// For returns the mapping that reads the file at path: m with the id and
// renames of its entry under files, when it has one.
func (m *Mapping) For(path string) *Mapping {
	if m == nil {
		return nil
	}
	fm, ok := m.Files[filepath.Base(path)]
	if !ok || fm == nil {
		return m
	}
	c := *m
	if fm.ID != "" {
		c.ID = fm.ID
	}
	c.Rename = make(map[string]*FieldSource, len(m.Rename)+len(fm.Rename))
	for k, v := range m.Rename {
		c.Rename[k] = v
	}
	for k, v := range fm.Rename {
		c.Rename[k] = v
	}
	return &c
}

// NamesInputs checks that every file the mapping names under files is
// among the inputs (by base name): a misspelt name would leave that
// file read without its id and renames.
func (m *Mapping) NamesInputs(inputs []string) error {
	if m == nil || len(m.Files) == 0 {
		return nil
	}
	have := map[string]bool{}
	var names []string
	for _, p := range inputs {
		have[filepath.Base(p)] = true
		names = append(names, filepath.Base(p))
	}
	var missing []string
	for name := range m.Files {
		if !have[name] {
			missing = append(missing, name)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	sort.Strings(missing)
	return fmt.Errorf("mapping: files names %s, which no --in is (the inputs: %s); an entry under files is the file's name without its directory",
		strings.Join(missing, ", "), strings.Join(names, ", "))
}

// source returns the column that holds field, and how it is read (nil:
// as it stands).
func (m *Mapping) source(field string) (string, *FieldSource) {
	if m != nil {
		if r, ok := m.Rename[field]; ok && r != nil {
			return r.Column, r
		}
	}
	return field, nil
}

// TruthSpec locates the true entity of a record.
type TruthSpec struct {
	Column  string `yaml:"column"`
	Pattern string `yaml:"pattern"`
}

// LoadMapping reads a mapping file.
func LoadMapping(path string) (*Mapping, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read mapping: %w", err)
	}
	var m Mapping
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("parse mapping %s: %w", path, err)
	}
	if m.Truth != nil && m.Truth.Pattern != "" {
		if _, err := regexp.Compile(m.Truth.Pattern); err != nil {
			return nil, fmt.Errorf("mapping %s: truth.pattern: %w", path, err)
		}
	}
	m.dir = filepath.Dir(path)
	return &m, nil
}

// LoadSettings returns the settings a mapping names: an embedded settings
// document by name (settings.Default), else a file relative to the mapping.
func (m *Mapping) LoadSettings() (*settings.Settings, error) {
	if m == nil || m.Settings == "" {
		return nil, fmt.Errorf("mapping names no settings")
	}
	if s, err := settings.Default(m.Settings); err == nil {
		return s, nil
	}
	p := m.Settings
	if !filepath.IsAbs(p) {
		p = filepath.Join(m.dir, p)
	}
	return settings.Load(p)
}

// openError names path once: an error from the file system already says
// "open PATH", one from the format's reader does not.
func openError(path string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return err
	}
	return fmt.Errorf("open %s: %w", path, err)
}

// Table is a read file: header and text rows.
type Table struct {
	Path   string
	Sheet  string
	Header []string
	Rows   [][]string
	// Line is the 1-based line (row) of each row in the source.
	Line []int

	cols map[string]int
}

// ReadTable reads a CSV (comma separated, leading spaces trimmed, so the
// FEBRL ", " layout reads as text) or the first sheet of an XLSX file.
func ReadTable(path string) (*Table, error) {
	t := &Table{Path: path}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".xlsx", ".xlsm":
		x, err := excelize.OpenFile(path)
		if err != nil {
			return nil, openError(path, err)
		}
		defer x.Close()
		sheets := x.GetSheetList()
		if len(sheets) == 0 {
			return nil, fmt.Errorf("read %s: no sheet", path)
		}
		t.Sheet = sheets[0]
		rows, err := x.Rows(t.Sheet)
		if err != nil {
			return nil, fmt.Errorf("read %s sheet %s: %w", path, t.Sheet, err)
		}
		line := 0
		for rows.Next() {
			line++
			cols, err := rows.Columns()
			if err != nil {
				return nil, fmt.Errorf("read %s sheet %s row %d: %w", path, t.Sheet, line, err)
			}
			if t.Header == nil {
				if len(cols) == 0 {
					continue
				}
				t.Header = trimAll(cols)
				continue
			}
			if blank(cols) {
				continue
			}
			t.Rows = append(t.Rows, trimAll(cols))
			t.Line = append(t.Line, line)
		}
		if err := rows.Close(); err != nil {
			return nil, fmt.Errorf("read %s: %w", path, err)
		}
		// Only the first sheet is read: another sheet with content would
		// be left out silently, so it is an error.
		for _, other := range sheets[1:] {
			if n, err := firstRows(x, other); err != nil {
				return nil, fmt.Errorf("read %s sheet %s: %w", path, other, err)
			} else if n > 0 {
				return nil, fmt.Errorf("read %s: sheet %q has rows too, and a mapped table is read from the first sheet (%q) only: "+
					"save each sheet as its own file, or read the workbook without --mapping", path, other, t.Sheet)
			}
		}
	default:
		fh, err := os.Open(path)
		if err != nil {
			return nil, openError(path, err)
		}
		defer fh.Close()
		r := csv.NewReader(fh)
		r.TrimLeadingSpace = true
		r.FieldsPerRecord = -1
		r.ReuseRecord = false
		for {
			rec, err := r.Read()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return nil, fmt.Errorf("read %s: %w", path, err)
			}
			line, _ := r.FieldPos(0)
			if t.Header == nil {
				t.Header = trimAll(rec)
				if len(t.Header) > 0 {
					t.Header[0] = strings.TrimPrefix(t.Header[0], "\ufeff")
				}
				continue
			}
			if blank(rec) {
				continue
			}
			t.Rows = append(t.Rows, trimAll(rec))
			t.Line = append(t.Line, line)
		}
	}
	if t.Header == nil {
		return nil, fmt.Errorf("read %s: no header row", path)
	}
	return t, nil
}

// firstRows counts the rows with content among the first ten of a sheet.
func firstRows(x *excelize.File, sheet string) (int, error) {
	rows, err := x.Rows(sheet)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	for i := 0; i < 10 && rows.Next(); i++ {
		cols, err := rows.Columns()
		if err != nil {
			return n, err
		}
		if !blank(cols) {
			n++
		}
	}
	return n, rows.Error()
}

func trimAll(s []string) []string {
	for i := range s {
		s[i] = strings.TrimSpace(s[i])
	}
	return s
}

func blank(s []string) bool {
	for _, v := range s {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

// Col returns the index of a header (case-insensitive), or -1.
func (t *Table) Col(name string) int {
	if t.cols == nil {
		t.cols = make(map[string]int, len(t.Header))
		for i, h := range t.Header {
			k := strings.ToLower(h)
			if _, dup := t.cols[k]; !dup {
				t.cols[k] = i
			}
		}
	}
	if i, ok := t.cols[name]; ok {
		return i
	}
	if i, ok := t.cols[strings.ToLower(name)]; ok {
		return i
	}
	return -1
}

// idColumns are the headers that hold a record id, by preference.
var idColumns = []string{"Mã bản ghi", "record_id", "source_record_id"}

// RecordIDs returns the id of each row: the mapping's id column, else a
// known id column, else base-name:line.
func (t *Table) RecordIDs(m *Mapping) ([]string, error) {
	col := -1
	if m != nil && m.ID != "" {
		if col = t.Col(m.ID); col < 0 {
			return nil, fmt.Errorf("%s: id column %q not in header", t.Path, m.ID)
		}
	} else {
		for _, h := range idColumns {
			if col = t.Col(h); col >= 0 {
				break
			}
		}
	}
	out := make([]string, len(t.Rows))
	base := filepath.Base(t.Path)
	for i, r := range t.Rows {
		if col >= 0 && col < len(r) && r[col] != "" {
			out[i] = r[col]
		} else {
			out[i] = fmt.Sprintf("%s:%d", base, t.Line[i])
		}
	}
	return out, nil
}

// CheckFields says which input fields the settings' columns read (from,
// join, date_parts, after the mapping's renames) are not in the table's
// header: such a column would be blank on every record without a word (a
// misspelt from, or a mapping that names no settings, so that the
// Vietnamese settings read another layout). Nil when every field is there.
func (t *Table) CheckFields(s *settings.Settings, m *Mapping) error {
	if s == nil {
		return nil
	}
	return t.checkFields(s.Columns, s.Name, m)
}

func (t *Table) checkFields(cols []settings.ColumnSpec, name string, m *Mapping) error {
	var missing []string
	for _, c := range cols {
		for _, field := range c.Fields() {
			name, _ := m.source(field)
			if t.Col(name) < 0 {
				missing = append(missing, fmt.Sprintf("column %s reads %q", c.Name, name))
			}
		}
	}
	if len(missing) == 0 {
		return nil
	}
	if name != "" {
		name = " " + strconv.Quote(name)
	}
	if len(missing) > 5 {
		missing = append(missing[:5], fmt.Sprintf("and %d more", len(missing)-5))
	}
	return fmt.Errorf("%s: settings%s read fields not in the header (%s): %s — correct the column's from, join or date_parts, or map the field to a header column with the mapping's rename (see \"Reading your CSV\" in dancu settings doc)",
		t.Path, name, strings.Join(t.Header, ", "), strings.Join(missing, "; "))
}

// Getter returns the field getter of row i, applying the mapping's renames.
func (t *Table) Getter(m *Mapping, i int) Getter {
	row := t.Rows[i]
	return func(field string) string {
		name, src := m.source(field)
		c := t.Col(name)
		if c < 0 || c >= len(row) {
			return ""
		}
		if src != nil {
			return src.read(row[c])
		}
		return row[c]
	}
}

// Truth returns the true entity of each row by the mapping's truth spec.
func (t *Table) Truth(spec *TruthSpec) ([]string, error) {
	c := t.Col(spec.Column)
	if c < 0 {
		return nil, fmt.Errorf("%s: truth column %q not in header", t.Path, spec.Column)
	}
	var re *regexp.Regexp
	if spec.Pattern != "" {
		re = regexp.MustCompile(spec.Pattern)
	}
	out := make([]string, len(t.Rows))
	for i, r := range t.Rows {
		v := ""
		if c < len(r) {
			v = r[c]
		}
		if re != nil {
			g := re.FindStringSubmatch(v)
			if len(g) < 2 {
				return nil, fmt.Errorf("%s line %d: truth %q does not match %s", t.Path, t.Line[i], v, spec.Pattern)
			}
			v = g[1]
		}
		out[i] = v
	}
	return out, nil
}

// AddTable adds every row of t to f as source number source, with record
// ids from RecordIDs. Fields are read through the mapping's renames.
func AddTable(f *Frame, t *Table, m *Mapping, source int) error {
	m = m.For(t.Path)
	specs := make([]settings.ColumnSpec, len(f.cols))
	for i := range f.cols {
		specs[i] = f.cols[i].spec
	}
	if err := t.checkFields(specs, "", m); err != nil {
		return err
	}
	ids, err := t.RecordIDs(m)
	if err != nil {
		return err
	}
	for i := range t.Rows {
		if err := f.Add(ids[i], source, t.Getter(m, i), nil); err != nil {
			return fmt.Errorf("%s line %d: %w", t.Path, t.Line[i], err)
		}
	}
	return nil
}
