package matching

import (
	"fmt"
	"slices"
	"strings"

	"github.com/dancu-vn/dancu/matching/settings"
)

// GenericValue is a value of a column that too many records carry to be
// evidence (settings.GenericValue): an identification number typed as a
// placeholder or copied down a column. Value is the value in full: print
// it through MaskValue wherever personal data must not be logged.
type GenericValue struct {
	Column  string
	Value   string
	Records int // the records that carried it, all read as missing
}

// String describes g with its value masked.
func (g GenericValue) String() string {
	return fmt.Sprintf("%s %s: %d records", g.Column, MaskValue(g.Value), g.Records)
}

// MaskValue hides the middle of a value for logs, as vn.MaskID does an
// identification number: the first four and last two characters of a
// value of eight or more ("001090000045" → "0010******45"), else stars.
func MaskValue(v string) string {
	r := []rune(v)
	if len(r) < 8 {
		return strings.Repeat("*", len(r))
	}
	return string(r[:4]) + strings.Repeat("*", len(r)-6) + string(r[len(r)-2:])
}

// MaskGenericValues reads as missing, on every record carrying it, each
// value of a settings.GenericValues column that more than its
// max_records records of f carry, in that column and its also columns,
// and returns those values (by column, then value). It is what offline
// linking does before blocking (Link calls it): the whole input is
// counted, so a number copied onto many records is evidence on none of
// them, whatever their order. A second call finds nothing more.
func (f *Frame) MaskGenericValues(s *settings.Settings) ([]GenericValue, error) {
	var out []GenericValue
	for _, g := range s.GenericValues {
		ci, ok := f.byName[g.Column]
		if !ok {
			return nil, fmt.Errorf("generic value column %q is not a column of the frame", g.Column)
		}
		c := &f.cols[ci]
		if c.date {
			return nil, fmt.Errorf("generic value column %q is a date column", g.Column)
		}
		also, err := f.columnsNamed(g.Also)
		if err != nil {
			return nil, err
		}
		generic := map[uint32]int{}
		for v := 1; v < len(c.counts); v++ {
			if int(c.counts[v]) > g.MaxRecords {
				generic[uint32(v)] = 0
			}
		}
		if len(generic) == 0 {
			continue
		}
		n := c.vals.len()
		for i := 0; i < n; i++ {
			v := c.vals.at(i)
			if _, ok := generic[v]; !ok {
				continue
			}
			generic[v]++
			f.maskRow(i, append([]int{ci}, also...))
		}
		start := len(out)
		for v, k := range generic {
			out = append(out, GenericValue{Column: g.Column, Value: c.dict.at(v), Records: k})
		}
		slices.SortFunc(out[start:], func(a, b GenericValue) int { return strings.Compare(a.Value, b.Value) })
	}
	return out, nil
}

// columnsNamed returns the positions of the named columns.
func (f *Frame) columnsNamed(names []string) ([]int, error) {
	out := make([]int, 0, len(names))
	for _, a := range names {
		ci, ok := f.byName[a]
		if !ok {
			return nil, fmt.Errorf("generic value: %q is not a column of the frame", a)
		}
		out = append(out, ci)
	}
	return out, nil
}

// maskRow reads row i's values of columns cols as missing (term counts
// follow).
func (f *Frame) maskRow(i int, cols []int) {
	for _, ci := range cols {
		c := &f.cols[ci]
		v := c.vals.at(i)
		if v == 0 {
			continue
		}
		if !c.date && int(v) < len(c.counts) && c.counts[v] > 0 {
			c.counts[v]--
		}
		c.vals.set(i, 0)
	}
}

// GenericMasker reads the generic values of a frame's rows as missing
// one row at a time, for a matcher that counts the values itself (the
// streaming registry, which holds more records than its frame).
type GenericMasker struct {
	rules []genericRule
}

type genericRule struct {
	spec settings.GenericValue
	col  int
	cols []int // col and the also columns
}

// NewGenericMasker resolves s's generic_values against f's columns (any
// frame built from s will do); nil when s has none.
func NewGenericMasker(f *Frame, s *settings.Settings) (*GenericMasker, error) {
	if len(s.GenericValues) == 0 {
		return nil, nil
	}
	m := &GenericMasker{}
	for _, g := range s.GenericValues {
		ci, ok := f.byName[g.Column]
		if !ok || f.cols[ci].date {
			return nil, fmt.Errorf("generic value column %q: not a text or code column of the frame", g.Column)
		}
		also, err := f.columnsNamed(g.Also)
		if err != nil {
			return nil, err
		}
		m.rules = append(m.rules, genericRule{g, ci, append([]int{ci}, also...)})
	}
	return m, nil
}

// Len is the number of generic_values rules.
func (m *GenericMasker) Len() int { return len(m.rules) }

// Rule returns rule k.
func (m *GenericMasker) Rule(k int) settings.GenericValue { return m.rules[k].spec }

// Value returns row i's value of rule k's column ("" when missing).
func (m *GenericMasker) Value(f *Frame, k, i int) string {
	c := &f.cols[m.rules[k].col]
	return c.dict.at(c.vals.at(i))
}

// Mask reads row i's values of rule k's column and its also columns as
// missing.
func (m *GenericMasker) Mask(f *Frame, k, i int) { f.maskRow(i, m.rules[k].cols) }
