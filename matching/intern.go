package matching

import "hash/maphash"

// internTable finds a column's value ids by value, for Frame.Add. It is
// an open-addressing table, not a map[string]uint32: each slot is one
// word — the high half of the value's hash and its id (0 = empty) — so a
// new value (every id number, most full names) costs one hash and a
// probe that touches one slot, where a map looked up and then inserted
// (two hashes, two probes, and slots of string headers); a value seen
// before is confirmed against the column's own dict. The low half of
// each value's hash is kept per id, so that growing the table does not
// hash the values again.
type internTable struct {
	slots []uint64 // hash>>32<<32 | id; 0 = empty
	lo    []uint32 // per id: the low half of its value's hash (0 for id 0)
	n     int      // ids in the table
	sink  uint64   // what touch read (kept, so that its loads are not dropped)
}

var internSeed = maphash.MakeSeed()

// newInternTable returns a table for the values of dict (dict[0] is the
// missing value, never looked up) with room for about size values.
func newInternTable(dict []string, size int) *internTable {
	t := &internTable{lo: make([]uint32, 1, max(size, len(dict))+1)}
	t.resize(max(size, len(dict)))
	for id := 1; id < len(dict); id++ {
		h := maphash.String(internSeed, dict[id])
		t.lo = append(t.lo, uint32(h))
		t.place(h>>32, uint32(h), uint32(id))
	}
	t.n = len(dict) - 1
	return t
}

// resize makes room for n values (at most half the slots used: a new
// value probes about two and a half slots, one cache line) and
// places the ids already known again.
func (t *internTable) resize(n int) {
	size := 16
	for size < 2*n {
		size *= 2
	}
	old := t.slots
	t.slots = make([]uint64, size)
	for _, s := range old {
		if s != 0 {
			id := uint32(s)
			t.place(s>>32, t.lo[id], id)
		}
	}
}

// place puts id in the first empty slot from its hash's.
func (t *internTable) place(hi uint64, lo uint32, id uint32) {
	mask := uint64(len(t.slots) - 1)
	for i := uint64(lo) & mask; ; i = (i + 1) & mask {
		if t.slots[i] == 0 {
			t.slots[i] = hi<<32 | uint64(id)
			return
		}
	}
}

// find returns the id of v among dict's values, or, when v is new, the
// id it gets: len(dict), placed in the table (the caller appends v to
// dict). added says which.
func (t *internTable) find(v string, dict []string) (id uint32, added bool) {
	return t.findHash(v, maphash.String(internSeed, v), dict)
}

// valueHash is the hash find and findHash key a value by.
func valueHash(v string) uint64 { return maphash.String(internSeed, v) }

// findHash is find with v's hash (valueHash) given, computed ahead.
func (t *internTable) findHash(v string, h uint64, dict []string) (id uint32, added bool) {
	hi, lo := h>>32, uint32(h)
	mask := uint64(len(t.slots) - 1)
	for i := uint64(lo) & mask; ; i = (i + 1) & mask {
		s := t.slots[i]
		if s == 0 {
			break
		}
		if s>>32 == hi && dict[uint32(s)] == v {
			return uint32(s), false
		}
	}
	id = uint32(len(dict))
	t.lo = append(t.lo, lo)
	if 2*(t.n+1) > len(t.slots) {
		t.resize(2 * (t.n + 1))
	}
	t.place(hi, lo, id)
	t.n++
	return id, true
}

// touch reads, for each value of vals not empty, the slot its hash hs
// starts from and, when that slot holds a value with the same high half,
// the value's text in dict: loads that do not depend on one another, so
// the processor overlaps their cache misses, where the lookups one after
// the other (each waiting for its slot, then its text) would take them
// one at a time. It returns what it read, for the caller to keep.
func (t *internTable) touch(vals []string, hs []uint64, dict []string) uint64 {
	mask := uint64(len(t.slots) - 1)
	var sum uint64
	for i, v := range vals {
		if v != "" {
			sum += t.slots[uint64(uint32(hs[i]))&mask]
		}
	}
	for i, v := range vals {
		if v == "" {
			continue
		}
		s := t.slots[uint64(uint32(hs[i]))&mask]
		if s != 0 && s>>32 == hs[i]>>32 {
			if d := dict[uint32(s)]; d != "" {
				sum += uint64(d[0])
			}
		}
	}
	return sum
}
