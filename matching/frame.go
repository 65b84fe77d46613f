package matching

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// Getter returns the value of an input field by name ("" when absent).
type Getter func(field string) string

// ConfidenceGetter returns the OCR confidence (0..1) of a field, or ok =
// false when the source has none.
type ConfidenceGetter func(key string) (float32, bool)

// column is one column of a Frame. Text and code values are interned: vals
// holds an id per record (0 = missing) into dict; runes and counts are per
// id. Date columns hold a packed date per record in vals (0 = missing).
type column struct {
	spec   ColumnSpec
	date   bool
	vals   []uint32
	dict   []string
	runes  [][]rune
	counts []uint32
	index  map[string]uint32
	conf   []uint8 // per record, 255 = 1.0; nil when no record has a confidence
	// frozen term frequencies (Model.TermFrequencies): per id, when the
	// settings carry them for this column.
	tfTable map[string]float64
	tfFloor float64
	tfFixed []float64
}

// Frame is the engine's compact columnar form of the records: one column
// per ColumnSpec, interned values with their rune slices and term counts,
// so that comparisons touch only integers and precomputed slices.
type Frame struct {
	cols   []column
	byName map[string]int
	ids    []string // record ids
	src    []uint16 // source (file) index per record, for link types
	idx    map[string]int32
}

// NewFrame returns an empty frame for the columns of s.
func NewFrame(s *Settings) *Frame {
	d := s.withDefaults()
	f := &Frame{byName: map[string]int{}, idx: map[string]int32{}}
	for i, c := range d.Columns {
		col := column{spec: c, date: c.Kind == "date"}
		if !col.date {
			col.dict = []string{""}
			col.runes = [][]rune{nil}
			col.counts = []uint32{0}
			col.index = map[string]uint32{}
			if d.Model != nil && d.Model.TermFrequencies != nil {
				if t, ok := d.Model.TermFrequencies[c.Name]; ok {
					col.tfTable, col.tfFloor, col.tfFixed = t, d.Model.TermFloor, []float64{0}
				}
			}
		}
		f.cols = append(f.cols, col)
		f.byName[c.Name] = i
	}
	return f
}

// Len returns the number of records.
func (f *Frame) Len() int { return len(f.ids) }

// ID returns the record id of row i.
func (f *Frame) ID(i int) string { return f.ids[i] }

// Index returns the row of a record id.
func (f *Frame) Index(id string) (int, bool) {
	i, ok := f.idx[id]
	return int(i), ok
}

// Source returns the source index of row i.
func (f *Frame) Source(i int) int { return int(f.src[i]) }

// Value returns the normalised value of column name at row i ("" when
// missing; dates as YYYY-MM-DD with missing parts dropped).
func (f *Frame) Value(name string, i int) string {
	ci, ok := f.byName[name]
	if !ok {
		return ""
	}
	c := &f.cols[ci]
	if c.date {
		return formatDate(c.vals[i])
	}
	return c.dict[c.vals[i]]
}

// Add appends one record. get supplies its input fields, conf their OCR
// confidence (nil when the source has none). A repeated id is an error.
func (f *Frame) Add(id string, source int, get Getter, conf ConfidenceGetter) error {
	if _, dup := f.idx[id]; dup {
		return fmt.Errorf("add record: id %q repeated", id)
	}
	row := len(f.ids)
	f.idx[id] = int32(row)
	f.ids = append(f.ids, id)
	f.src = append(f.src, uint16(source))
	for ci := range f.cols {
		c := &f.cols[ci]
		raw := get(c.spec.From)
		v := applyTransforms(raw, c.spec.Transforms)
		if c.date {
			c.vals = append(c.vals, parseDate(v))
		} else {
			c.vals = append(c.vals, c.intern(v))
		}
		if c.spec.Confidence != "" && conf != nil {
			if x, ok := conf(c.spec.Confidence); ok {
				if c.conf == nil {
					c.conf = make([]uint8, row, cap(c.vals))
					for k := range c.conf {
						c.conf[k] = 255
					}
				}
				c.conf = append(c.conf, confByte(x))
				continue
			}
		}
		if c.conf != nil {
			c.conf = append(c.conf, 255)
		}
	}
	return nil
}

func confByte(x float32) uint8 {
	switch {
	case x <= 0:
		return 0
	case x >= 1:
		return 255
	}
	return uint8(x*255 + 0.5)
}

func (c *column) intern(v string) uint32 {
	if v == "" {
		return 0
	}
	if c.index == nil {
		c.index = make(map[string]uint32, len(c.dict))
		for i, s := range c.dict[1:] {
			c.index[s] = uint32(i + 1)
		}
	}
	id, ok := c.index[v]
	if !ok {
		id = uint32(len(c.dict))
		c.index[v] = id
		c.dict = append(c.dict, v)
		if c.spec.Kind == "text" {
			c.runes = append(c.runes, []rune(v))
		} else {
			c.runes = append(c.runes, nil) // codes are compared on bytes
		}
		c.counts = append(c.counts, 0)
		if c.tfFixed != nil {
			x, ok := c.tfTable[v]
			if !ok {
				x = c.tfFloor
			}
			c.tfFixed = append(c.tfFixed, x)
		}
	}
	c.counts[id]++
	return id
}

// Compact drops the lookup tables used while adding records (about a
// third of a large frame's memory); a later Add rebuilds them.
func (f *Frame) Compact() {
	for i := range f.cols {
		if !f.cols[i].date {
			f.cols[i].index = nil
		}
	}
}

// confidence returns the confidence of column ci at row i in [0, 1].
func (f *Frame) confidence(ci, i int) float64 {
	c := &f.cols[ci]
	if c.conf == nil {
		return 1
	}
	return float64(c.conf[i]) / 255
}

// tf returns the term frequency of the value of column ci at row i.
func (f *Frame) tf(ci, i int) float64 {
	c := &f.cols[ci]
	v := c.vals[i]
	if v == 0 || c.date {
		return 0
	}
	if c.tfFixed != nil {
		return c.tfFixed[v]
	}
	return float64(c.counts[v]) / float64(len(f.ids))
}

// Transforms.

// Folder strips diacritics; package matching uses vn.Fold (see fold.go).
var folder = func(s string) string { return strings.ToLower(s) }

func validTransform(t string) bool {
	switch t {
	case "lower", "fold", "trim", "digits", "alnum", "soundex", "first_word", "last_word":
		return true
	}
	if n, ok := strings.CutPrefix(t, "first:"); ok {
		_, err := strconv.Atoi(n)
		return err == nil
	}
	return false
}

func applyTransforms(v string, ts []string) string {
	v = strings.TrimSpace(v)
	for _, t := range ts {
		switch t {
		case "lower":
			v = strings.ToLower(v)
		case "fold":
			v = folder(v)
		case "trim":
			v = strings.Join(strings.Fields(v), " ")
		case "digits":
			v = keepRunes(v, unicode.IsDigit)
		case "alnum":
			v = keepRunes(strings.ToLower(v), func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) })
		case "soundex":
			v = soundex(v)
		case "first_word":
			v, _, _ = strings.Cut(v, " ")
		case "last_word":
			if i := strings.LastIndexByte(v, ' '); i >= 0 {
				v = v[i+1:]
			}
		default:
			if n, ok := strings.CutPrefix(t, "first:"); ok {
				k, _ := strconv.Atoi(n)
				r := []rune(v)
				if len(r) > k {
					v = string(r[:k])
				}
			}
		}
	}
	return v
}

func keepRunes(s string, keep func(rune) bool) string {
	var b strings.Builder
	for _, r := range s {
		if keep(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func soundex(s string) string {
	const codes = "01230120022455012623010202"
	var out [4]byte
	n := 0
	var last byte
	for i := 0; i < len(s) && n < 4; i++ {
		c := s[i] | 0x20
		if c < 'a' || c > 'z' {
			continue
		}
		code := codes[c-'a']
		if n == 0 {
			out[0] = c - 32
			n = 1
			last = code
			continue
		}
		if code != '0' && code != last {
			out[n] = code
			n++
		}
		if c != 'h' && c != 'w' {
			last = code
		}
	}
	if n == 0 {
		return ""
	}
	for ; n < 4; n++ {
		out[n] = '0'
	}
	return string(out[:])
}

// Dates are packed as year<<9 | month<<5 | day; month or day 0 = unknown.

func packDate(y, m, d int) uint32 {
	if y <= 0 || y > 9999 || m < 0 || m > 12 || d < 0 || d > 31 {
		return 0
	}
	return uint32(y)<<9 | uint32(m)<<5 | uint32(d)
}

func unpackDate(p uint32) (y, m, d int) {
	return int(p >> 9), int(p>>5) & 15, int(p) & 31
}

func formatDate(p uint32) string {
	if p == 0 {
		return ""
	}
	y, m, d := unpackDate(p)
	switch {
	case m == 0:
		return fmt.Sprintf("%04d", y)
	case d == 0:
		return fmt.Sprintf("%04d-%02d", y, m)
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, m, d)
}

// parseDate reads YYYY-MM-DD, YYYY-MM, YYYY, YYYYMMDD, DD/MM/YYYY or
// MM/YYYY; anything else is missing.
func parseDate(s string) uint32 {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0
	}
	num := func(x string) int {
		n, err := strconv.Atoi(x)
		if err != nil {
			return -1
		}
		return n
	}
	if strings.ContainsAny(s, "/.") {
		p := strings.FieldsFunc(s, func(r rune) bool { return r == '/' || r == '.' })
		switch len(p) {
		case 3:
			return packDate(num(p[2]), num(p[1]), num(p[0]))
		case 2:
			return packDate(num(p[1]), num(p[0]), 0)
		}
		return 0
	}
	if strings.Contains(s, "-") {
		p := strings.Split(s, "-")
		switch len(p) {
		case 3:
			return packDate(num(p[0]), num(p[1]), num(p[2]))
		case 2:
			return packDate(num(p[0]), num(p[1]), 0)
		}
		return 0
	}
	switch len(s) {
	case 8:
		return packDate(num(s[:4]), num(s[4:6]), num(s[6:]))
	case 4:
		return packDate(num(s), 0, 0)
	}
	return 0
}

// dayNumber returns days since the civil epoch of a full date.
func dayNumber(y, m, d int) int {
	if m <= 2 {
		y--
		m += 12
	}
	return 365*y + y/4 - y/100 + y/400 + (153*(m-3)+2)/5 + d
}
