package matching

import (
	"fmt"
	"slices"
)

// Batch holds records prepared for Frame.AddBatch: each column's value
// read through the record's getter, cleaned, transformed and hashed (a
// date column's date parsed), and its confidence byte. That is the part
// of Frame.Add that reads only the frame's settings, so a reader prepares
// batches on all cores while one goroutine adds them in order; what
// AddBatch does, the lookups in the columns' value tables, is all that
// must be done one record after another. The result is the same frame as
// adding the records one by one with Add.
//
// A Batch is used by one goroutine at a time; Reset empties it for reuse.
type Batch struct {
	f    *Frame
	ids  []string
	src  []uint16
	val  [][]string // per column, per record
	hash [][]uint64 // per column (not dates), per record: valueHash of val, 0 when empty
	date [][]uint32 // per date column, per record
	conf [][]uint8  // per column, per record: 255 = none
}

// NewBatch returns an empty batch of records for f.
func (f *Frame) NewBatch() *Batch {
	for i := range f.cols {
		if c := &f.cols[i]; !c.missingSet {
			c.setMissingFilters() // here, not on a preparing goroutine
		}
	}
	n := len(f.cols)
	return &Batch{f: f, val: make([][]string, n), hash: make([][]uint64, n), date: make([][]uint32, n), conf: make([][]uint8, n)}
}

// Len returns the number of records in b.
func (b *Batch) Len() int { return len(b.ids) }

// Reset empties b, keeping its room.
func (b *Batch) Reset() {
	b.ids, b.src = b.ids[:0], b.src[:0]
	for ci := range b.val {
		b.val[ci], b.hash[ci], b.date[ci], b.conf[ci] = b.val[ci][:0], b.hash[ci][:0], b.date[ci][:0], b.conf[ci][:0]
	}
}

// Add prepares one record, as Frame.Add takes it. It may run while the
// frame adds other batches.
func (b *Batch) Add(id string, source int, get Getter, conf ConfidenceGetter) {
	b.ids = append(b.ids, id)
	b.src = append(b.src, uint16(source))
	for ci := range b.f.cols {
		c := &b.f.cols[ci]
		v, d := c.value(get)
		b.val[ci] = append(b.val[ci], v)
		if c.date {
			b.date[ci] = append(b.date[ci], d)
		} else {
			var h uint64
			if v != "" {
				h = valueHash(v)
			}
			b.hash[ci] = append(b.hash[ci], h)
		}
		b.conf[ci] = append(b.conf[ci], c.confByte(conf))
	}
}

// AddBatch appends the records of b, in order, as Add would one by one.
// It returns how many it added: all of them, or those before the first
// whose id is already in the frame, with the error.
func (f *Frame) AddBatch(b *Batch) (int, error) {
	if b.f != f {
		return 0, fmt.Errorf("add batch: the batch was prepared for another frame")
	}
	for start := 0; start < len(b.ids); {
		end := len(b.ids)
		if row := f.Len(); row < presizeAt && row+end-start > presizeAt {
			end = start + presizeAt - row // presize where Add would
		}
		k, err := f.addIDs(b.ids[start:end], b.src[start:end])
		if cerr := f.addColumns(b, start, start+k); cerr != nil {
			return start, cerr // the frame is not to be used
		}
		if err != nil {
			return start + k, err
		}
		if f.Len() == presizeAt && f.expect > presizeAt {
			f.presize(presizeAt)
		}
		start = end
	}
	return len(b.ids), nil
}

// addIDs appends record ids and sources up to the first repeated id.
func (f *Frame) addIDs(ids []string, src []uint16) (int, error) {
	for k, id := range ids {
		if err := f.addID(id, src[k]); err != nil {
			return k, err
		}
	}
	return len(ids), nil
}

// addID appends one record id and its source; a repeated id is an error and leaves the frame as it was. One probe of the id
// table finds a repeated id or places a new one.
func (f *Frame) addID(id string, src uint16) error {
	if f.ids.Bytes()+len(id) > maxTabBytes {
		return fmt.Errorf("add record: more than %d bytes of record ids", maxTabBytes)
	}
	if _, added := f.idTable().findHash(id, valueHash(id), &f.ids); !added {
		return fmt.Errorf("add record: id %q repeated", id)
	}
	f.ids.add(id)
	f.src = append(f.src, src)
	return nil
}

// addColumns appends the column values of b's records [start, end), whose
// ids are the frame's last rows, column by column; an error when a
// column's table is full.
func (f *Frame) addColumns(b *Batch, start, end int) error {
	row0 := f.Len() - (end - start)
	for ci := range f.cols {
		c := &f.cols[ci]
		vals := b.val[ci][start:end]
		if c.date {
			for k, d := range b.date[ci][start:end] {
				c.addDate(b.ids[start+k], vals[k], d)
			}
		} else {
			hs := b.hash[ci][start:end]
			if c.index == nil {
				c.index = newInternTable(&c.dict, c.dict.len())
			}
			if len(c.index.slots) >= touchSlots {
				c.index.sink += c.index.touch(vals, hs, &c.dict)
			}
			ids := f.scratch[:0]
			for k, v := range vals {
				id := uint32(0)
				if v != "" {
					var err error
					if id, err = c.internHash(v, hs[k]); err != nil {
						return err
					}
				}
				ids = append(ids, id)
			}
			c.vals.addAll(ids)
			f.scratch = ids
		}
		conf := b.conf[ci][start:end]
		if c.conf == nil && !slices.ContainsFunc(conf, func(x uint8) bool { return x != 255 }) {
			continue // no confidences yet, nor in these records
		}
		for k, x := range conf {
			c.appendConf(row0+k, x)
		}
	}
	return nil
}
