package matching

import (
	"errors"
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
	f   *Frame
	ids []string
	idh []uint64 // valueHash of ids
	src []uint16
	// Per column and record, column ci's records at [ci*room, ci*room+n)
	// (one array for all the columns, so that adding a record stores
	// into it rather than appending to a slice a column):
	room int
	val  []string
	hash []uint64 // valueHash of val, 0 when empty; a date column's packed date
	conf []uint8  // 255 = none
	// slots holds, per column, the index in AddSlotted's vals of the one
	// field a single column (column.single) reads, or -1: made on the
	// first AddSlotted.
	slots []int
	// sink keeps what add's touches of the fields' first bytes read.
	sink byte
	// scratch holds values made for the batch's records alone (Scratch).
	scratch []byte
}

// NewBatch returns an empty batch of records for f.
func (f *Frame) NewBatch() *Batch {
	for i := range f.cols {
		if c := &f.cols[i]; !c.missingSet {
			c.setMissingFilters() // here, not on a preparing goroutine
		}
	}
	return &Batch{f: f}
}

// Len returns the number of records in b.
func (b *Batch) Len() int { return len(b.ids) }

// Reset empties b, keeping its room.
func (b *Batch) Reset() {
	b.ids, b.idh, b.src = b.ids[:0], b.idh[:0], b.src[:0]
	b.scratch = b.scratch[:0]
}

// Scratch returns room for the bytes of values that whoever prepares b's
// records makes for them alone (vietnamese.Adapter.AddTo's folded
// parents' names), to append to and read as strings: the frame copies
// every value it keeps (AddBatch), so such a value needs no allocation of
// its own. Bytes appended are not written over until Reset, which
// empties the room: a value read from it is not to be kept past the
// batch's AddBatch. The batch joins its Join columns' texts there too.
func (b *Batch) Scratch() *[]byte { return &b.scratch }

// Grow makes room for n more records, so that adding them allocates and
// copies no column's values again: a batch's room otherwise doubles from
// 64 as records are added, allocating about twice its final size and
// copying each record's values about once more (the registry's frame
// parts, whose sizes are known, were 6% of a 100,000-record demo's
// allocations).
func (b *Batch) Grow(n int) {
	if need := len(b.ids) + n; need > b.room {
		b.growTo(need)
	}
	b.ids, b.idh, b.src = slices.Grow(b.ids, n), slices.Grow(b.idh, n), slices.Grow(b.src, n)
}

// grow doubles the room for records a column (at least 64).
func (b *Batch) grow() { b.growTo(max(64, 2*b.room)) }

// growTo sets the room for records a column to room (more than now),
// keeping the records added.
func (b *Batch) growTo(room int) {
	n := len(b.f.cols)
	val, hash, conf := make([]string, n*room), make([]uint64, n*room), make([]uint8, n*room)
	for ci := range n {
		copy(val[ci*room:], b.vals(ci))
		copy(hash[ci*room:], b.hashes(ci))
		copy(conf[ci*room:], b.confs(ci))
	}
	b.room, b.val, b.hash, b.conf = room, val, hash, conf
}

// vals, hashes and confs return column ci's values, hashes (dates) and
// confidence bytes, a record each.
func (b *Batch) vals(ci int) []string {
	return b.val[ci*b.room : ci*b.room+len(b.ids)]
}
func (b *Batch) hashes(ci int) []uint64 {
	return b.hash[ci*b.room : ci*b.room+len(b.ids)]
}
func (b *Batch) confs(ci int) []uint8 {
	return b.conf[ci*b.room : ci*b.room+len(b.ids)]
}

// Add prepares one record, as Frame.Add takes it. It may run while the
// frame adds other batches.
func (b *Batch) Add(id string, source int, get Getter, conf ConfidenceGetter) {
	b.add(id, source, get, nil, conf)
}

// AddSlotted is Add for a record whose fields are held in an array, as an
// adapter derives them: slot returns the index in vals of a field, or -1
// for one get reads; it is asked once per column, on the first record,
// and must answer the same for every record added to b. A column reads
// its field from vals instead of calling get with the field's name
// (get's switch on the name, for each column of each record, was ~1% of
// dancu link's read).
func (b *Batch) AddSlotted(id string, source int, slot func(field string) int, vals []string, get Getter, conf ConfidenceGetter) {
	if b.slots == nil {
		b.slots = make([]int, len(b.f.cols))
		for ci := range b.f.cols {
			b.slots[ci] = -1
			if c := &b.f.cols[ci]; c.single() {
				b.slots[ci] = slot(c.spec.From)
			}
		}
	}
	b.add(id, source, get, vals, conf)
}

// add is Add, the single columns whose slot is set reading vals when it
// is not nil.
func (b *Batch) add(id string, source int, get Getter, vals []string, conf ConfidenceGetter) {
	if len(b.ids) == b.room {
		b.grow()
	}
	k := len(b.ids)
	b.ids = append(b.ids, id)
	b.idh = append(b.idh, valueHash(id))
	b.src = append(b.src, uint16(source))
	if vals != nil {
		// Each field's first byte is read first, in loads that do not wait
		// for one another: clean's tests on it, one column after another,
		// waited for each (the fields were made on other cores, and the
		// address codes are the gazetteer's strings).
		var x byte
		for _, s := range b.slots {
			if s >= 0 && vals[s] != "" {
				x ^= vals[s][0]
			}
		}
		b.sink += x
	}
	for ci := range b.f.cols {
		c := &b.f.cols[ci]
		var v string
		var d uint32
		s := -1
		if vals != nil {
			s = b.slots[ci]
		}
		if s >= 0 {
			if in := vals[s]; c.asIs && c.keptAsIs(in) {
				v = in // what valueOf gives, without its calls
			} else {
				v, d = c.valueOf(in)
			}
		} else {
			v, d = c.value(get, &b.scratch)
		}
		i := ci*b.room + k
		b.val[i] = v
		var h uint64
		if c.date {
			h = uint64(d)
		} else if v != "" {
			h = valueHash(v)
		}
		b.hash[i] = h
		b.conf[i] = c.confByte(conf)
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
		k, err := f.addIDs(b.ids[start:end], b.idh[start:end], b.src[start:end])
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

// addIDs appends record ids, whose hashes (valueHash) are hs, and
// sources up to the first repeated id. The id table's slots the ids start
// from are touched first (internTable.touch), when it is not small.
func (f *Frame) addIDs(ids []string, hs []uint64, src []uint16) (int, error) {
	if t := f.idTable(); len(t.slots) >= touchSlots {
		f.idSink += t.touch(ids, hs, &f.ids, nil)
	}
	for k, id := range ids {
		if err := f.addIDHash(id, hs[k], src[k]); err != nil {
			return k, err
		}
	}
	return len(ids), nil
}

// ErrRepeatedID is what a RepeatedIDError is (errors.Is).
var ErrRepeatedID = errors.New("add record: a record id repeated")

// RepeatedIDError is Add's and AddBatch's error for a record id the frame
// already holds. Its message leaves the id out — a record id may be an
// identification number or a name (a mapping's column as given) — and
// ID carries it, for the caller to show masked (ingest.MaskRecordID).
type RepeatedIDError struct {
	ID string
}

func (e *RepeatedIDError) Error() string { return ErrRepeatedID.Error() }

// Is reports whether target is ErrRepeatedID.
func (e *RepeatedIDError) Is(target error) bool { return target == ErrRepeatedID }

// addID appends one record id and its source; a repeated id is an error
// and leaves the frame as it was.
func (f *Frame) addID(id string, src uint16) error {
	return f.addIDHash(id, valueHash(id), src)
}

// addIDHash is addID of an id whose hash (valueHash) is h. One probe of
// the id table finds a repeated id or places a new one.
func (f *Frame) addIDHash(id string, h uint64, src uint16) error {
	if f.ids.Bytes()+len(id) > maxTabBytes {
		return fmt.Errorf("add record: more than %d bytes of record ids", maxTabBytes)
	}
	if _, added := f.idTable().findHash(id, h, &f.ids); !added {
		return &RepeatedIDError{ID: id}
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
		vals, hs := b.vals(ci)[start:end], b.hashes(ci)[start:end]
		if c.date {
			for k, d := range hs {
				c.addDate(b.ids[start+k], vals[k], uint32(d))
			}
		} else {
			if c.index == nil {
				c.index = newInternTable(&c.dict, c.dict.len())
			}
			if len(c.index.slots) >= touchSlots {
				c.index.sink += c.index.touch(vals, hs, &c.dict, c.counts)
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
		conf := b.confs(ci)[start:end]
		if c.conf == nil && !slices.ContainsFunc(conf, func(x uint8) bool { return x != 255 }) {
			continue // no confidences yet, nor in these records
		}
		for k, x := range conf {
			c.appendConf(row0+k, x)
		}
	}
	return nil
}
