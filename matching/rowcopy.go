package matching

import "fmt"

// RowCopier copies rows of one frame into another built from the same
// settings, translating each column's interned values once: a row copied
// costs a slice look-up per column instead of Add's cleaning, transforms,
// date parsing and interning. The registry keeps its scoring frame
// between batches this way, carrying the rows still in use into a new
// frame when the old one is full.
type RowCopier struct {
	dst, src *Frame
	xl       [][]uint32 // per column: src value id → dst value id + 1 (0: not translated yet)
}

// NewRowCopier returns a copier from src into dst, which must have the
// same columns (frames of the same settings).
func NewRowCopier(dst, src *Frame) (*RowCopier, error) {
	if len(dst.cols) != len(src.cols) {
		return nil, fmt.Errorf("copy rows: frames of %d and %d columns", len(dst.cols), len(src.cols))
	}
	rc := &RowCopier{dst: dst, src: src, xl: make([][]uint32, len(src.cols))}
	for ci := range src.cols {
		if dst.cols[ci].spec.Name != src.cols[ci].spec.Name || dst.cols[ci].date != src.cols[ci].date {
			return nil, fmt.Errorf("copy rows: column %d is %q in one frame, %q in the other", ci, dst.cols[ci].spec.Name, src.cols[ci].spec.Name)
		}
		if !src.cols[ci].date {
			rc.xl[ci] = make([]uint32, src.cols[ci].dict.len())
		}
	}
	return rc, nil
}

// Copy appends row i of the source frame to the destination, as Add
// would have added the same record; a record already in the destination
// is an error.
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
			} else {
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
