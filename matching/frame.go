package matching

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/dancu-vn/dancu/matching/compare"
	"github.com/dancu-vn/dancu/matching/settings"
	"github.com/dancu-vn/dancu/vn"
)

// Getter returns the value of an input field by name ("" when absent).
type Getter func(field string) string

// ConfidenceGetter returns the OCR confidence (0..1) of a field, or ok =
// false when the source has none.
type ConfidenceGetter func(key string) (float32, bool)

// column is one column of a Frame. Text and code values are interned: vals
// holds an id per record (0 = missing) into dict; counts are per id, and so
// are runes, for a text column. Date columns hold a packed date per record
// in vals (0 = missing).
type column struct {
	spec   settings.ColumnSpec
	date   bool
	regex  []*regexTransform // the compiled regex transforms (compileRegexes)
	vals   colVals
	dict   strTab
	runes  runeTab // text columns only
	counts []uint32
	index  *internTable // value → id, while adding records (nil after Compact)
	conf   []uint8      // per record, 255 = 1.0; nil when no record has a confidence
	// frozen term frequencies (Model.TermFrequencies): per id, when the
	// settings carry them for this column.
	tfTable map[string]float64
	tfFloor float64
	tfFixed []float64
	// tfWithin is the locality column of spec.TFWithin (-1: none); local
	// holds the value counts by locality, built on first use (localFor).
	tfWithin int
	local    *atomic.Pointer[localCounts]
	// missing holds the lower-cased values that mean none; missingMax is
	// the longest, in bytes (a longer value is not looked up).
	missing    map[string]bool
	missingMax int
	// missingLen has bit n set when a missing value is n bytes long once
	// lower-cased (n < 64), missingFirst bit b when one starts with byte
	// b: most values fail one of the two tests and are not looked up.
	// Both are made from missing on first use (missingSet).
	// missingSecond has bit b set when a missing value of two bytes or
	// more has b as its second byte: a value whose first two bytes are
	// ASCII and whose second fails it is no missing one ("Nguyễn",
	// "nguyen" and "Ngô" for the defaults, whose n-words go on with a,
	// /, ., u or o).
	missingLen    uint64
	missingFirst  [4]uint64
	missingSecond [4]uint64
	missingSet    bool
	// asIs says the column's value is its input cleaned (valueOf): no
	// transforms, no date (see keptAsIs)
	asIs bool
	// unread counts values of a date column that were not blank but could
	// not be read as a date; firstUnread is the first such record's id.
	unread      int
	firstUnread string
}

// Frame is the engine's compact columnar form of the records: one column
// per ColumnSpec, interned values with their rune slices and term counts,
// so that comparisons touch only integers and precomputed slices.
type Frame struct {
	cols   []column
	byName map[string]int
	// ids holds the record ids, row i's as value i+1 (strTab: compact,
	// and value 0, the empty one, is never a row); idx finds a row by its
	// id (its value, row+1). Compact drops idx; Index and Add build it
	// again (idxMu: Index may be called from several goroutines).
	ids   strTab
	idx   atomic.Pointer[internTable]
	idxMu sync.Mutex
	src   []uint16 // source (file) index per record, for link types
	// scratch holds a batch's value ids of one column (AddBatch).
	scratch []uint32
	// idSink keeps what AddBatch's touches of the id table read.
	idSink uint64
	// expect is the number of records Grow was told to expect (0: none);
	// at presizeAt records, the columns with many distinct values size
	// their lookup tables for it instead of growing them step by step.
	expect int
}

// presizeAt is the number of records after which the frame projects how
// many distinct values each column will hold (see Grow).
const presizeAt = 4096

// NewFrame returns an empty frame for the columns of s.
func NewFrame(s *settings.Settings) *Frame {
	d := *s.WithDefaults()
	f := &Frame{byName: map[string]int{}, ids: newStrTab()}
	for i, c := range d.Columns {
		col := column{spec: c, date: c.Kind == "date", missing: map[string]bool{}, regex: compileRegexes(c.Transforms)}
		col.asIs = !col.date && len(c.Transforms) == 0
		ms := c.Missing
		if ms == nil {
			ms = d.Missing
		}
		for _, m := range ms {
			m = strings.ToLower(strings.TrimSpace(m))
			col.missing[m] = true
			col.missingMax = max(col.missingMax, len(m))
		}
		col.setMissingFilters()
		if !col.date {
			col.dict = newStrTab()
			if c.Kind == "text" {
				col.runes = newRuneTab()
			}
			col.counts = []uint32{0}
			if d.Model != nil && d.Model.TermFrequencies != nil {
				if t, ok := d.Model.TermFrequencies[c.Name]; ok {
					col.tfTable, col.tfFloor, col.tfFixed = t, d.Model.TermFloor, []float64{0}
				}
			}
		}
		f.cols = append(f.cols, col)
		f.byName[c.Name] = i
	}
	for i := range f.cols {
		f.cols[i].tfWithin = -1
		if w, ok := f.byName[f.cols[i].spec.TFWithin]; ok && !f.cols[i].date && !f.cols[w].date {
			f.cols[i].tfWithin, f.cols[i].local = w, new(atomic.Pointer[localCounts])
		}
	}
	return f
}

// Len returns the number of records.
func (f *Frame) Len() int { return len(f.src) }

// ID returns the record id of row i (a copy: it may be kept longer than f).
func (f *Frame) ID(i int) string { return strings.Clone(f.id(i)) }

// id returns the record id of row i as the frame holds it (kept by no
// caller beyond the frame's life).
func (f *Frame) id(i int) string { return f.ids.at(uint32(i + 1)) }

// Index returns the row of a record id.
func (f *Frame) Index(id string) (int, bool) {
	v, ok := f.idTable().lookup(id, valueHash(id), &f.ids)
	return int(v) - 1, ok
}

// idTable returns idx, built from the ids when Compact dropped it.
func (f *Frame) idTable() *internTable {
	if t := f.idx.Load(); t != nil {
		return t
	}
	f.idxMu.Lock()
	defer f.idxMu.Unlock()
	t := f.idx.Load()
	if t == nil {
		t = newInternTable(&f.ids, f.ids.len())
		f.idx.Store(t)
	}
	return t
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
		return formatDate(c.vals.at(i))
	}
	return strings.Clone(c.dict.at(c.vals.at(i))) // the caller may keep it longer than f
}

// Grow tells the frame to expect about n more records, so that its
// tables are sized once rather than grown step by step while they are
// filled (growing a map of 10⁵ strings moves every entry again): the
// record ids and the per-record slices at once, and, after the first
// few thousand records, the value tables of the columns whose values
// are mostly distinct (ids, full names) for as many values as that
// share projects. A wrong guess only costs memory or growth.
func (f *Frame) Grow(n int) {
	if n <= 0 {
		return
	}
	f.expect = f.Len() + n
	if f.idx.Load() == nil {
		f.idx.Store(newInternTable(&f.ids, f.ids.len()+n))
	}
	f.src = slices.Grow(f.src, n)
	for i := range f.cols {
		f.cols[i].vals.grow(n)
	}
}

// presize sizes the value tables of the columns with many distinct
// values for the records Grow expects, projected from the first rows.
func (f *Frame) presize(rows int) {
	f.ids.grow(f.expect - rows)
	for i := range f.cols {
		c := &f.cols[i]
		if c.date || c.index == nil || c.dict.len()*8 < rows {
			continue // few distinct values: a small table, grown cheaply
		}
		// The value tables only: the lookup table grows by doubling,
		// each step placing the ids again without hashing their values,
		// where one sized for the projection (often twice the values
		// that come: the first rows are mostly distinct persons) held a
		// fifth of the heap at the end of a read.
		n := (c.dict.len()*f.expect)/rows + 1
		more := n - c.dict.len()
		c.dict.grow(more)
		c.runes.grow(more)
		c.counts = slices.Grow(c.counts, more)
		if c.tfFixed != nil {
			c.tfFixed = slices.Grow(c.tfFixed, n-len(c.tfFixed))
		}
	}
}

// Add appends one record. get supplies its input fields, conf their OCR
// confidence (nil when the source has none). A repeated id is an error.
func (f *Frame) Add(id string, source int, get Getter, conf ConfidenceGetter) error {
	row := f.Len()
	if err := f.addID(id, uint16(source)); err != nil {
		return err
	}
	if row == presizeAt && f.expect > row {
		f.presize(row)
	}
	for ci := range f.cols {
		c := &f.cols[ci]
		v, d := c.value(get, nil)
		if c.date {
			c.addDate(id, v, d)
		} else {
			x, err := c.intern(v)
			if err != nil {
				return err
			}
			c.vals.add(x)
		}
		c.appendConf(row, c.confByte(conf))
	}
	return nil
}

// value reads the column's input fields through get and returns its value
// cleaned and transformed, and for a date column the packed date (0 when
// missing or unreadable). It touches nothing shared but the column's
// settings, so batches are prepared on any goroutine (Batch.Add).
//
// room, when not nil, is where a Join column's text is joined (a batch's
// scratch bytes, Batch.Scratch): the value is then read from room, whose
// bytes are given back when it is missing, rather than allocated, when
// the frame copies what it keeps anyway (the Vietnamese settings'
// name_birth: a string a record, a slice of its parts, and a value a
// person interned).
func (c *column) value(get Getter, room *[]byte) (string, uint32) {
	var raw string
	if p := c.spec.DateParts; p != nil {
		raw = c.partsText(get, p)
	} else if len(c.spec.Join) > 0 {
		if room != nil {
			return c.joinIn(get, room)
		}
		var parts []string
		for _, in := range c.spec.Join {
			if v := c.clean(get(in)); v != "" {
				parts = append(parts, v)
			}
		}
		raw = strings.Join(parts, " ")
	} else {
		return c.valueOf(get(c.spec.From))
	}
	return c.finish(raw)
}

// joinIn is value of a Join column, its fields joined in *room.
func (c *column) joinIn(get Getter, room *[]byte) (string, uint32) {
	b := *room
	start := len(b)
	for _, in := range c.spec.Join {
		if v := c.clean(get(in)); v != "" {
			if len(b) > start {
				b = append(b, ' ')
			}
			b = append(b, v...)
		}
	}
	raw := ""
	if len(b) > start {
		raw = unsafe.String(&b[start], len(b)-start)
	}
	v, d := c.finish(raw)
	if v == "" {
		b = b[:start] // nothing reads these bytes: the next value's room
	}
	*room = b
	return v, d
}

// single reports a column whose value is made from one input field
// (From; no Join, no DateParts): a function of that field's text alone
// (valueOf).
func (c *column) single() bool { return c.spec.DateParts == nil && len(c.spec.Join) == 0 }

// valueOf is value for a single column whose input field reads in.
func (c *column) valueOf(in string) (string, uint32) {
	return c.finish(c.clean(in))
}

// keptAsIs reports whether the value of an asIs column whose input field
// reads in is in itself, as clean's first tests tell it: blank, or ASCII
// and no space at both ends and no missing value starting so (most
// values: the codes, keys and numbers an adapter derives). It is small
// enough to be inlined in Batch.add, where valueOf's three calls for each
// column of each record were a tenth of the batch's own instructions.
func (c *column) keptAsIs(in string) bool {
	if in == "" {
		return true
	}
	a, z := in[0], in[len(in)-1]
	if a <= ' ' || a >= utf8.RuneSelf || z <= ' ' || z >= utf8.RuneSelf {
		return false
	}
	if len(in) > 3*c.missingMax {
		return true
	}
	if 'A' <= a && a <= 'Z' {
		a += 'a' - 'A'
	}
	return c.missingSet && c.missingFirst[a/64]&(1<<(a%64)) == 0
}

// finish transforms raw, the column's input cleaned (or made of cleaned
// inputs), into its value, and reads the date of a date column.
func (c *column) finish(raw string) (string, uint32) {
	v := raw // trimmed: by clean, or made of values clean trimmed
	if len(c.spec.Transforms) > 0 {
		v = applyCompiled(raw, c.spec.Transforms, c.regex)
	}
	if c.date {
		return v, parseDateAs(v, c.spec.DateFormat, c.spec.Pivot)
	}
	return v, 0
}

// addDate appends record id's packed date d, counting v as unread when it
// is not blank but gave no date.
func (c *column) addDate(id, v string, d uint32) {
	if d == 0 && v != "" {
		if c.unread == 0 {
			c.firstUnread = id
		}
		c.unread++
	}
	c.vals.add(d)
}

// confByte returns the column's confidence byte from conf (255: none).
func (c *column) confByte(conf ConfidenceGetter) uint8 {
	if c.spec.Confidence != "" && conf != nil {
		if x, ok := conf(c.spec.Confidence); ok {
			return ConfidenceByte(x)
		}
	}
	return 255
}

// appendConf records row's confidence byte b (255: none). The column keeps
// no confidences until a row has one; the rows before it then get 255.
func (c *column) appendConf(row int, b uint8) {
	if c.conf == nil && b != 255 {
		c.conf = make([]uint8, row, max(row+1, c.vals.cap()))
		for k := range c.conf {
			c.conf[k] = 255
		}
	}
	if c.conf != nil {
		c.conf = append(c.conf, b)
	}
}

// clean returns v trimmed, or "" when it is one of the column's missing
// values.
func (c *column) clean(v string) string {
	if v == "" {
		return ""
	}
	// Most values come trimmed: an ASCII byte that is no space at both
	// ends needs no trimming (a last byte from 0x80 up may end a Unicode
	// space).
	if a, z := v[0], v[len(v)-1]; a <= ' ' || a >= utf8.RuneSelf || z <= ' ' || z >= utf8.RuneSelf {
		v = strings.TrimSpace(v)
		if v == "" {
			return ""
		}
	}
	// A letter's lower case is at least a third as long in UTF-8 (the
	// Kelvin sign is the extreme): a longer value is no missing one.
	if len(v) > 3*c.missingMax {
		return v
	}
	if !c.missingSet {
		c.setMissingFilters()
	}
	if b := v[0]; b < utf8.RuneSelf {
		if 'A' <= b && b <= 'Z' {
			b += 'a' - 'A'
		}
		if c.missingFirst[b/64]&(1<<(b%64)) == 0 {
			return v // no missing value starts with this letter
		}
		if len(v) > 1 {
			if b := v[1]; b < utf8.RuneSelf {
				if 'A' <= b && b <= 'Z' {
					b += 'a' - 'A'
				}
				if c.missingSecond[b/64]&(1<<(b%64)) == 0 {
					return v // nor goes on with this one
				}
			}
		}
	}
	var buf [96]byte
	low := buf[:0]
	for i := 0; i < len(v); { // strings.ToLower, without allocating
		if b := v[i]; b < utf8.RuneSelf {
			if 'A' <= b && b <= 'Z' {
				b += 'a' - 'A'
			}
			low = append(low, b)
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(v[i:])
		low = utf8.AppendRune(low, unicode.ToLower(r))
		i += n
	}
	if n := min(len(low), 63); c.missingLen&(1<<n) == 0 {
		return v
	}
	if c.missing[string(low)] {
		return ""
	}
	return v
}

// setMissingFilters makes missingLen and missingFirst from missing.
func (c *column) setMissingFilters() {
	c.missingLen, c.missingFirst, c.missingSecond = 0, [4]uint64{}, [4]uint64{}
	for m := range c.missing {
		c.missingLen |= 1 << min(len(m), 63) // 63 stands for every longer length
		if m != "" {
			c.missingFirst[m[0]/64] |= 1 << (m[0] % 64)
		}
		if len(m) > 1 {
			c.missingSecond[m[1]/64] |= 1 << (m[1] % 64)
		}
	}
	c.missingSet = true
}

// partsText joins a date's year, month and day fields into ISO form
// (year alone, or year-month, when the later parts are missing); month
// names are read. It returns the unreadable text as is, so that the
// date counts as unread rather than silently missing.
func (c *column) partsText(get Getter, p *settings.DateParts) string {
	y := c.clean(get(p.Year))
	m, d := "", ""
	if p.Month != "" {
		m = c.clean(get(p.Month))
	}
	if p.Day != "" {
		d = c.clean(get(p.Day))
	}
	if y == "" {
		return ""
	}
	if n, ok := monthNumber(strings.ToLower(m)); ok {
		m = strconv.Itoa(n)
	}
	num := func(x string) (int, bool) {
		n, err := strconv.Atoi(x)
		return n, err == nil
	}
	yn, ok := num(y)
	if !ok {
		return y + "-" + m + "-" + d
	}
	if len(y) <= 2 {
		yn = pivotYear(yn, c.spec.Pivot)
	}
	if m == "" {
		return fmt.Sprintf("%04d", yn)
	}
	mn, ok := num(m)
	if !ok {
		return y + "-" + m + "-" + d
	}
	if d == "" {
		return fmt.Sprintf("%04d-%02d", yn, mn)
	}
	dn, ok := num(d)
	if !ok {
		return y + "-" + m + "-" + d
	}
	if mn > 12 && dn >= 1 && dn <= 12 {
		// No month is over 12: the day and the month were entered in
		// each other's column.
		mn, dn = dn, mn
	}
	return fmt.Sprintf("%04d-%02d-%02d", yn, mn, dn)
}

// UnreadDates lists the date columns with values that were not blank but
// could not be read as dates: how many, and the first record's id (the
// values themselves may be personal data).
func (f *Frame) UnreadDates() []UnreadDates {
	var out []UnreadDates
	for _, c := range f.cols {
		if c.unread > 0 {
			out = append(out, UnreadDates{Column: c.spec.Name, Count: c.unread, FirstRecord: c.firstUnread})
		}
	}
	return out
}

// UnreadDates counts one date column's unreadable values.
type UnreadDates struct {
	Column      string
	Count       int
	FirstRecord string
}

// ConfidenceByte is how a Frame stores a per-field OCR confidence: x in
// [0, 1] rounded to 0..255 (out-of-range values clamped). Stores that keep
// confidences for later frames (the registry) use it so that a value read
// back scores exactly as it did when first added.
func ConfidenceByte(x float32) uint8 {
	switch {
	case x <= 0:
		return 0
	case x >= 1:
		return 255
	}
	return uint8(x*255 + 0.5)
}

// intern returns the id of v, adding it when new; an error when the
// column's table is full (the frame is then not to be used).
func (c *column) intern(v string) (uint32, error) {
	if v == "" {
		return 0, nil
	}
	return c.internHash(v, valueHash(v))
}

// internHash is intern of a value that is not empty, with its hash
// (valueHash) given.
func (c *column) internHash(v string, h uint64) (uint32, error) {
	if c.index == nil {
		c.index = newInternTable(&c.dict, c.dict.len())
	}
	id, added := c.index.findHash(v, h, &c.dict)
	if added {
		if _, ok := c.dict.add(v); !ok {
			return 0, fmt.Errorf("add record: column %s holds more than %d bytes of distinct values", c.spec.Name, maxTabBytes)
		}
		c.runes.add(v)
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
	return id, nil
}

// Compact drops the lookup tables used while adding records (about a
// third of a large frame's memory; a later Add rebuilds them), and the
// room Grow made for records and values that did not come (Grow's
// guess from the files' sizes is often a tenth too many).
func (f *Frame) Compact() {
	f.idx.Store(nil)
	f.ids.clip()
	f.src = clipped(f.src)
	for i := range f.cols {
		c := &f.cols[i]
		c.vals.clip()
		c.conf = clipped(c.conf)
		if !c.date {
			c.index = nil
			c.dict.clip()
			c.runes.clip()
			c.counts = clipped(c.counts)
			c.tfFixed = clipped(c.tfFixed)
		}
	}
}

// clipped returns s, or a copy without its spare room when that is more
// than a 64th of it.
func clipped[S ~[]E, E any](s S) S {
	if cap(s)-len(s) > len(s)/64 {
		return slices.Clone(s)
	}
	return s
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
	return f.tfOf(ci, f.cols[ci].vals.at(i))
}

// tfOf is the term frequency of value v of column ci (0 for none).
func (f *Frame) tfOf(ci int, v uint32) float64 {
	c := &f.cols[ci]
	if v == 0 || c.date {
		return 0
	}
	if c.tfFixed != nil {
		return c.tfFixed[v]
	}
	return float64(c.counts[v]) / float64(f.Len())
}

// localCounts holds, for a column with a locality (TFWithin), the records
// of each locality and of each value within it, counted over the frame's
// first n records.
type localCounts struct {
	n       int
	records []uint32 // by locality id
	// same is, by row, how many records share the row's locality and
	// value (0 where either is missing): localTF reads it for every pair
	// scored, where a map keyed by locality and value cost a look-up
	// each (link4).
	same []uint32
}

// localFor returns column ci's counts by locality, counted again when
// records were added since (Add and AddBatch do not keep them).
func (f *Frame) localFor(ci int) *localCounts {
	c := &f.cols[ci]
	if lc := c.local.Load(); lc != nil && lc.n == f.Len() {
		return lc
	}
	f.idxMu.Lock()
	defer f.idxMu.Unlock()
	if lc := c.local.Load(); lc != nil && lc.n == f.Len() {
		return lc
	}
	loc := &f.cols[c.tfWithin]
	lc := &localCounts{n: f.Len(), records: make([]uint32, loc.dict.len()), same: make([]uint32, f.Len())}
	// Each (locality, value) numbered in a table, the rows' numbers kept
	// in same while they are counted, then each row given its count.
	var ids u64Table
	var counts []uint32
	for i := range lc.n {
		l := loc.vals.at(i)
		if l == 0 {
			continue
		}
		lc.records[l]++
		if v := c.vals.at(i); v != 0 {
			id, ok := ids.find(uint64(l)<<32 | uint64(v))
			if !ok {
				*id = int64(len(counts))
				counts = append(counts, 0)
			}
			counts[*id]++
			lc.same[i] = uint32(*id) + 1
		}
	}
	for i, id := range lc.same {
		if id != 0 {
			lc.same[i] = counts[id-1]
		}
	}
	c.local.Store(lc)
	return lc
}

// localTF is the larger, over rows a and b, of the share of the other
// records of the row's locality (the pair's two rows left out) that
// carry the row's value of column ci — 0 for a column without a
// locality, a row without one, or a locality with fewer than minOthers
// other records, where the file's frequency stands.
func (f *Frame) localTF(ci int, a, b int32, minOthers float64) float64 {
	c := &f.cols[ci]
	if c.tfWithin < 0 || c.tfFixed != nil {
		// Frozen frequencies (a shipped model) make a pair's score the
		// same whatever else the frame holds; a locality's count would
		// not: the file's frozen frequency stands.
		return 0
	}
	lc, loc := f.localFor(ci), &f.cols[c.tfWithin]
	best := 0.0
	for _, r := range [2][2]int32{{a, b}, {b, a}} {
		l, v := loc.vals.at(int(r[0])), c.vals.at(int(r[0]))
		if l == 0 || v == 0 {
			continue
		}
		others, same := float64(lc.records[l])-1, float64(lc.same[r[0]])-1
		if loc.vals.at(int(r[1])) == l {
			others--
			if c.vals.at(int(r[1])) == v {
				same--
			}
		}
		// The locality's count stands when the file's frequency could
		// not give it: above the count that frequency expects of the
		// others by more than two standard deviations (Poisson). A name
		// spread evenly over the file keeps the file's, whose estimate
		// is the finer; the max of the two would raise it by chance.
		expect := others * f.tfOf(ci, v)
		if others >= max(minOthers, 1) && same > expect+2*math.Sqrt(expect) {
			best = max(best, same/others)
		}
	}
	return best
}

// Transforms.

// folder is the fold transform: lower case without diacritics (vn.Fold,
// which also folds đ to d).
var folder = vn.Fold

// applyTransforms applies the transforms ts to v (the regex ones compiled
// for the call: a column compiles its own once, compileRegexes).
func applyTransforms(v string, ts []string) string {
	return applyCompiled(v, ts, compileRegexes(ts))
}

// compileRegexes compiles the regex:PATTERN transforms of ts: the one of
// ts[i] at i, nil at the others'.
func compileRegexes(ts []string) []*regexTransform {
	var out []*regexTransform
	for i, t := range ts {
		if pat, ok := strings.CutPrefix(t, "regex:"); ok {
			if out == nil {
				out = make([]*regexTransform, len(ts))
			}
			out[i] = compileRegex(pat)
		}
	}
	return out
}

// applyCompiled applies the transforms ts to v, the regex ones compiled
// in rx (compileRegexes(ts)).
func applyCompiled(v string, ts []string, rx []*regexTransform) string {
	v = strings.TrimSpace(v)
	for i, t := range ts {
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
		case "ocr_class":
			v = compare.LookAlikeKey(v)
		case "sorted_words":
			v = sortedWords(v)
		case "first_word":
			v, _, _ = strings.Cut(v, " ")
		case "last_word":
			if i := strings.LastIndexByte(v, ' '); i >= 0 {
				v = v[i+1:]
			}
		default:
			if pat, ok := strings.CutPrefix(t, "regex:"); ok {
				if i < len(rx) {
					v = rx[i].extract(v)
				} else { // a column not made by NewFrame
					v = compileRegex(pat).extract(v)
				}
			}
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

// sortedWords is the sorted_words transform: v's words (strings.Fields)
// sorted and joined by single spaces. A text of printable ASCII words
// (a folded name key) is split where its spaces are and its few words
// sorted in place, so that only the result is allocated, and not even
// that when it is v (one word, or words already in order, single
// spaces): that is Fields, sort and Join on every record's name, a slice
// and a string each.
func sortedWords(v string) string {
	var at [8]string
	w := at[:0]
	start := -1 // of the word being read
	for i := 0; i < len(v); i++ {
		switch b := v[i]; {
		case b == ' ':
			if start >= 0 {
				if len(w) == len(at) {
					return sortedWordsSlow(v)
				}
				w = append(w, v[start:i])
				start = -1
			}
		case b <= ' ' || b >= utf8.RuneSelf || b == 0x7f:
			return sortedWordsSlow(v) // other spaces, Unicode's among them
		case start < 0:
			start = i
		}
	}
	if start >= 0 {
		if len(w) == len(at) {
			return sortedWordsSlow(v)
		}
		w = append(w, v[start:])
	}
	if len(w) == 0 {
		return ""
	}
	moved := false
	for i := 1; i < len(w); i++ { // insertion sort: a name has few words
		for j := i; j > 0 && w[j] < w[j-1]; j-- {
			w[j], w[j-1] = w[j-1], w[j]
			moved = true
		}
	}
	n := len(w) - 1 // the joined length
	for _, x := range w {
		n += len(x)
	}
	if !moved && n == len(v) { // in order, single spaces, none at the ends
		return v
	}
	var b strings.Builder
	b.Grow(n)
	for i, x := range w {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(x)
	}
	return b.String()
}

// sortedWordsSlow is sortedWords by its definition.
func sortedWordsSlow(v string) string {
	w := strings.Fields(v)
	sort.Strings(w)
	return strings.Join(w, " ")
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
	if m == 0 {
		d = 0
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

// parseDate reads a date written day first (see parseDateAs).
func parseDate(s string) uint32 { return parseDateAs(s, "dmy", 30) }

var monthNames = map[string]int{"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
	"jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12}

// monthNumber reads an English month name, full or abbreviated.
func monthNumber(w string) (int, bool) {
	if len(w) < 3 {
		return 0, false
	}
	if n, ok := monthNames[w[:3]]; ok {
		full := []string{"", "january", "february", "march", "april", "may", "june", "july",
			"august", "september", "october", "november", "december"}[n]
		if strings.HasPrefix(full, w) || w == "sept" {
			return n, true
		}
	}
	return 0, false
}

func pivotYear(y, pivot int) int {
	if y < pivot {
		return 2000 + y
	}
	return 1900 + y
}

// parseDateAs reads a date in the given order of parts (dmy, mdy or
// ymd) with two-digit years pivoted: ISO 1990-03-15, 1990-03, 1990 and
// 19900315 in any format; 15/03/1990, 15.3.90, 15-03-1990 by format; month
// names (15 Mar 1990, March 15, 1990); the Vietnamese words ngày, tháng,
// năm are skipped. A day of 00 gives the month only. Anything else is
// missing (0).
func parseDateAs(s, format string, pivot int) uint32 {
	if d, ok := isoDate(s); ok {
		return d
	}
	return parseDateText(s, format, pivot)
}

// isoDate reads the forms ingest writes a date in, YYYY-MM-DD, YYYY-MM
// and YYYY in ASCII digits, as parseDateText does in any format (a date
// column's every value goes through here, once a record: the general
// reading's tokens, lower-casing and Atoi were ~1% of dancu link's read);
// ok is false for any other text.
func isoDate(s string) (d uint32, ok bool) {
	switch len(s) {
	case 4, 7, 10:
	default:
		return 0, false
	}
	var part [3]int // year, month, day
	for i := 0; i < len(s); i++ {
		c := s[i]
		if i == 4 || i == 7 {
			if c != '-' {
				return 0, false
			}
			continue
		}
		if c < '0' || c > '9' {
			return 0, false
		}
		k := 0
		if i > 4 {
			k = 1 + i/8
		}
		part[k] = part[k]*10 + int(c-'0')
	}
	return packDate(part[0], part[1], part[2]), true
}

// parseDateText is parseDateAs of a text that is not one of isoDate's
// forms (and of those too: the test holds the two to the same dates).
func parseDateText(s, format string, pivot int) uint32 {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return 0
	}
	// Tokens: runs of digits or of letters (in arrays on the stack: a
	// date has a handful, and this runs for every record's date columns).
	var tokBuf, numBuf [8]string
	toks := tokBuf[:0]
	start := -1
	kind := 0 // 1 digits, 2 letters
	for i, r := range s {
		k := 0
		switch {
		case r >= '0' && r <= '9':
			k = 1
		case unicode.IsLetter(r):
			k = 2
		}
		if (k != kind || k == 0) && start >= 0 {
			toks = append(toks, s[start:i])
			start = -1
		}
		if k != 0 && start < 0 {
			start = i
		}
		kind = k
	}
	if start >= 0 {
		toks = append(toks, s[start:])
	}
	nums := numBuf[:0]
	month := 0
	for _, t := range toks {
		if t[0] >= '0' && t[0] <= '9' {
			nums = append(nums, t)
			continue
		}
		switch t {
		case "ngày", "tháng", "năm", "thg", "ngay", "thang", "nam", "th":
			continue
		}
		m, ok := monthNumber(t)
		if !ok || month != 0 {
			return 0
		}
		month = m
	}
	num := func(x string) int {
		n, err := strconv.Atoi(x)
		if err != nil || len(x) > 4 {
			return -1
		}
		return n
	}
	year := func(x string) int {
		switch len(x) {
		case 4:
			return num(x)
		case 2:
			return pivotYear(num(x), pivot)
		}
		return -1
	}
	if month != 0 {
		switch len(nums) {
		case 1:
			return packDate(year(nums[0]), month, 0)
		case 2:
			y, d := nums[1], nums[0]
			if len(nums[0]) == 4 || (format == "ymd" && len(nums[1]) <= 2) {
				y, d = nums[0], nums[1]
			}
			return packDate(year(y), month, num(d))
		}
		return 0
	}
	switch len(nums) {
	case 1:
		x := nums[0]
		switch len(x) {
		case 8:
			if y4, m := num(x[:4]), num(x[4:6]); format == "ymd" || (y4 >= 1800 && y4 <= 2100 && m >= 1 && m <= 12) {
				return packDate(num(x[:4]), num(x[4:6]), num(x[6:]))
			}
			if format == "mdy" {
				return packDate(num(x[4:]), num(x[:2]), num(x[2:4]))
			}
			return packDate(num(x[4:]), num(x[2:4]), num(x[:2]))
		case 4:
			return packDate(num(x), 0, 0)
		}
		return 0
	case 2:
		if len(nums[0]) == 4 {
			return packDate(num(nums[0]), num(nums[1]), 0)
		}
		return packDate(year(nums[1]), num(nums[0]), 0)
	case 3:
		a, b, c := nums[0], nums[1], nums[2]
		if len(a) == 4 || format == "ymd" {
			return packDate(year(a), num(b), num(c))
		}
		if format == "mdy" {
			return packDate(year(c), num(a), num(b))
		}
		return packDate(year(c), num(b), num(a))
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

// colVals is a column's value per record (a value id, or a packed date)
// in the fewest bytes that hold the largest so far: 1 while it is under
// 256 (sex, provinces, ethnicity), 2 under 65,536 (name parts, communes),
// else 4 (ids, full names, dates); a larger value widens them all, at most
// twice a column and early in a read. About half a frame's values take 1
// or 2 bytes. Exactly one of the slices is in use (w8 when none is).
type colVals struct {
	w32 []uint32
	w16 []uint16
	w8  []uint8
}

// at returns record i's value.
func (v *colVals) at(i int) uint32 {
	if v.w32 != nil {
		return v.w32[i]
	}
	if v.w16 != nil {
		return uint32(v.w16[i])
	}
	return uint32(v.w8[i])
}

// len returns the number of records.
func (v *colVals) len() int { return len(v.w32) + len(v.w16) + len(v.w8) }

// cap returns the number of records v holds without growing.
func (v *colVals) cap() int { return cap(v.w32) + cap(v.w16) + cap(v.w8) }

// add appends one record's value.
func (v *colVals) add(x uint32) {
	switch {
	case v.w32 != nil:
		v.w32 = append(v.w32, x)
		return
	case x > math.MaxUint16:
		v.widen(4)
		v.w32 = append(v.w32, x)
		return
	case v.w16 != nil:
		v.w16 = append(v.w16, uint16(x))
		return
	case x > math.MaxUint8:
		v.widen(2)
		v.w16 = append(v.w16, uint16(x))
		return
	}
	v.w8 = append(v.w8, uint8(x))
}

// addAll appends records' values xs, widening the slices once for the
// largest.
func (v *colVals) addAll(xs []uint32) {
	var m uint32
	for _, x := range xs {
		m = max(m, x)
	}
	switch {
	case v.w32 == nil && m > math.MaxUint16:
		v.widen(4)
	case v.w32 == nil && v.w16 == nil && m > math.MaxUint8:
		v.widen(2)
	}
	switch {
	case v.w32 != nil:
		v.w32 = append(v.w32, xs...)
	case v.w16 != nil:
		for _, x := range xs {
			v.w16 = append(v.w16, uint16(x))
		}
	default:
		for _, x := range xs {
			v.w8 = append(v.w8, uint8(x))
		}
	}
}

// widen stores the values in w bytes each (2 or 4), keeping the room
// they had.
func (v *colVals) widen(w int) {
	n, c := v.len(), v.cap()
	if w == 4 {
		w32 := make([]uint32, n, c)
		for i := range w32 {
			w32[i] = v.at(i)
		}
		v.w32, v.w16, v.w8 = w32, nil, nil
		return
	}
	w16 := make([]uint16, n, c)
	for i := range w16 {
		w16[i] = uint16(v.at(i))
	}
	v.w16, v.w8 = w16, nil
}

// grow makes room for n more records.
func (v *colVals) grow(n int) {
	switch {
	case v.w32 != nil:
		v.w32 = slices.Grow(v.w32, n)
	case v.w16 != nil:
		v.w16 = slices.Grow(v.w16, n)
	default:
		v.w8 = slices.Grow(v.w8, n)
	}
}

// clip drops the room grow made beyond the values held.
func (v *colVals) clip() {
	v.w32, v.w16, v.w8 = clipped(v.w32), clipped(v.w16), clipped(v.w8)
}

// set sets record i's value to x, which the slices' width holds (0 always
// does).
func (v *colVals) set(i int, x uint32) {
	switch {
	case v.w32 != nil:
		v.w32[i] = x
	case v.w16 != nil:
		v.w16[i] = uint16(x)
	default:
		v.w8[i] = uint8(x)
	}
}
