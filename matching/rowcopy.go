package matching

import (
	"fmt"
	"slices"
)

// RowCopier copies rows of one frame into another built from the same
// settings, translating each column's interned values once: a row copied
// costs a slice look-up per column instead of Add's cleaning, transforms,
// date parsing and interning. The registry keeps its scoring frame
// between batches this way, carrying the rows still in use into a new
// frame when the old one is full.
type RowCopier struct {
	dst, src *Frame
	xl       [][]uint32 // per column: src value id → dst value id + 1 (0: not translated yet)
	// own is, per column, how many values the destination's column holds
	// (the empty one included) while every one of them came through this
	// copier, and -1 once another did (or the column held values before):
	// a source value not translated yet is then new to the destination,
	// appended without its lookup table (see Copy).
	own []int
}

// NewRowCopier returns a copier from src into dst, which must have the
// same columns (frames of the same settings).
func NewRowCopier(dst, src *Frame) (*RowCopier, error) {
	if len(dst.cols) != len(src.cols) {
		return nil, fmt.Errorf("copy rows: frames of %d and %d columns", len(dst.cols), len(src.cols))
	}
	rc := &RowCopier{dst: dst, src: src, xl: make([][]uint32, len(src.cols)), own: make([]int, len(src.cols))}
	for ci := range src.cols {
		rc.own[ci] = -1
		if dst.cols[ci].dict.len() == 1 {
			rc.own[ci] = 1
		}
		if dst.cols[ci].spec.Name != src.cols[ci].spec.Name || dst.cols[ci].date != src.cols[ci].date {
			return nil, fmt.Errorf("copy rows: column %d is %q in one frame, %q in the other", ci, dst.cols[ci].spec.Name, src.cols[ci].spec.Name)
		}
		if !src.cols[ci].date {
			rc.xl[ci] = make([]uint32, src.cols[ci].dict.len())
		}
	}
	return rc, nil
}

// Grow makes room in the destination for n rows to be copied: their ids,
// and in each column whose values all came through the copier, as many
// values as n of the source's rows hold in proportion (the source's
// distinct values a row), each as long as the source's on average. A
// recluster unit's frame (registry) is new for each batch: its tables
// grew by doubling from empty, each step copying what they held (issue
// 9).
func (rc *RowCopier) Grow(n int) {
	if n <= 0 {
		return
	}
	dst, src := rc.dst, rc.src
	rows := max(1, src.Len())
	dst.ids.Table.Grow(n, avgBytes(src.ids.Bytes(), src.ids.len()))
	for ci := range dst.cols {
		d, s := &dst.cols[ci], &src.cols[ci]
		vals := s.dict.len() - 1
		if d.date || rc.own[ci] < 0 || vals <= 0 {
			continue
		}
		est := min(n, int(int64(vals)*int64(n)/int64(rows))+1)
		d.dict.Table.Grow(est, avgBytes(s.dict.Bytes(), vals))
		if d.runes.end != nil && s.runes.end != nil {
			d.runes.end = slices.Grow(d.runes.end, est)
			d.runes.r = slices.Grow(d.runes.r, est*(len(s.runes.r)/vals+1))
		}
		d.counts = slices.Grow(d.counts, est)
		if d.tfFixed != nil {
			d.tfFixed = slices.Grow(d.tfFixed, est)
		}
	}
}

// avgBytes is the mean length of n values of b bytes in all, rounded up.
func avgBytes(b, n int) int {
	if n <= 0 {
		return 0
	}
	return (b + n - 1) / n
}

// Copy appends row i of the source frame to the destination, as Add
// would have added the same record; a record already in the destination
// is an error.
//
// A value the destination's column holds only through this copier is
// found by the translation table alone; one not translated yet is then
// new there, and is appended without looking it up in the column's
// lookup table, which is dropped (built again from the values by the
// next Add, as after Compact). A recluster unit's frame (registry) is
// made of copied rows: its lookups were one cache miss a distinct value
// into tables as large as the unit (issue 9).
func (rc *RowCopier) Copy(i int) error {
	dst, src := rc.dst, rc.src
	row := dst.Len()
	if err := dst.addID(src.id(i), src.src[i]); err != nil {
		return fmt.Errorf("copy row: %w", err)
	}
	for ci := range dst.cols {
		d, s := &dst.cols[ci], &src.cols[ci]
		v := s.vals.at(i)
		if !d.date && v != 0 {
			t := rc.xl[ci]
			if int(v) >= len(t) { // the source grew since
				t = append(t, make([]uint32, s.dict.len()-len(t))...)
				rc.xl[ci] = t
			}
			if x := t[v]; x != 0 {
				d.counts[x-1]++
				v = x - 1
			} else if rc.own[ci] == d.dict.len() {
				var err error
				if v, err = d.appendNew(s, v); err != nil {
					return err
				}
				rc.own[ci]++
				t[s.vals.at(i)] = v + 1
			} else {
				rc.own[ci] = -1
				var err error
				if v, err = d.intern(s.dict.at(v)); err != nil {
					return err
				}
				t[s.vals.at(i)] = v + 1
			}
		}
		d.vals.add(v)
		c := uint8(255)
		if s.conf != nil {
			c = s.conf[i]
		}
		d.appendConf(row, c)
	}
	return nil
}

// CopyRows appends rows of the source frame, in the order given, as
// Copy of each one after the other would, but a column at a time: each
// column's translation table, counts and values are then read and
// written for all the rows before the next column's, instead of every
// column's for each row. A recluster unit's frame (registry) is copied
// from a scoring frame of up to Config.FrameRows rows whose columns'
// tables together are far larger than a cache; row by row, each of a
// row's forty-odd columns was a miss or more (issue 9). Each column's
// state (its values, counts, lookup table and the copier's translation)
// is its own, so the order of the columns changes nothing. A record
// already in the destination is an error, after the rows before it are
// copied.
func (rc *RowCopier) CopyRows(rows []int) error {
	dst, src := rc.dst, rc.src
	row0 := dst.Len()
	var idErr error
	for k, i := range rows {
		if err := dst.addID(src.id(i), src.src[i]); err != nil {
			idErr, rows = fmt.Errorf("copy row: %w", err), rows[:k]
			break
		}
	}
	for ci := range dst.cols {
		d, s := &dst.cols[ci], &src.cols[ci]
		t := rc.xl[ci]
		if !d.date && len(t) < s.dict.len() { // the source grew since
			t = append(t, make([]uint32, s.dict.len()-len(t))...)
			rc.xl[ci] = t
		}
		for k, i := range rows {
			v := s.vals.at(i)
			if !d.date && v != 0 {
				sv := v
				if x := t[sv]; x != 0 {
					d.counts[x-1]++
					v = x - 1
				} else if rc.own[ci] == d.dict.len() {
					var err error
					if v, err = d.appendNew(s, sv); err != nil {
						return err
					}
					rc.own[ci]++
					t[sv] = v + 1
				} else {
					rc.own[ci] = -1
					var err error
					if v, err = d.intern(s.dict.at(sv)); err != nil {
						return err
					}
					t[sv] = v + 1
				}
			}
			d.vals.add(v)
			c := uint8(255)
			if s.conf != nil {
				c = s.conf[i]
			}
			d.appendConf(row0+k, c)
		}
	}
	return idErr
}

// appendNew appends value v of column s (a frame of the same settings),
// known not to be in c, as intern would add it, and drops c's lookup
// table (nil: intern builds it again from the values).
func (c *column) appendNew(s *column, v uint32) (uint32, error) {
	text := s.dict.at(v)
	id, ok := c.dict.add(text)
	if !ok {
		return 0, fmt.Errorf("add record: column %s holds more than %d bytes of distinct values", c.spec.Name, maxTabBytes)
	}
	c.index = nil
	if c.runes.end != nil && s.runes.end != nil {
		lo, hi := s.runes.end[v-1], s.runes.end[v]
		c.runes.r = append(c.runes.r, s.runes.r[lo:hi]...)
		c.runes.end = append(c.runes.end, uint32(len(c.runes.r)))
	} else {
		c.runes.add(text)
	}
	c.counts = append(c.counts, 1)
	if c.tfFixed != nil {
		x, ok := c.tfTable[text]
		if !ok {
			x = c.tfFloor
		}
		c.tfFixed = append(c.tfFixed, x)
	}
	return id, nil
}
