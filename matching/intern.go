package matching

import (
	"encoding/binary"
	"hash/maphash"
	"math/bits"
	"slices"
	"unicode/utf8"
	"unsafe"

	"github.com/dancu-vn/dancu/internal/strtab"
)

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

// newInternTable returns a table for the values of dict (value 0 is the
// missing one, never looked up) with room for about size values.
func newInternTable(dict *strTab, size int) *internTable {
	t := &internTable{lo: make([]uint32, 1, max(size, dict.len())+1)}
	t.resize(max(size, dict.len()))
	for id := 1; id < dict.len(); id++ {
		h := valueHash(dict.at(uint32(id)))
		t.lo = append(t.lo, uint32(h))
		t.place(h>>32, uint32(h), uint32(id))
	}
	t.n = dict.len() - 1
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
// id it gets: dict.len(), placed in the table (the caller adds v to
// dict). added says which.
func (t *internTable) find(v string, dict *strTab) (id uint32, added bool) {
	return t.findHash(v, valueHash(v), dict)
}

// lookup returns the id of v among dict's values, h its hash
// (valueHash), without adding it when it is not there.
func (t *internTable) lookup(v string, h uint64, dict *strTab) (uint32, bool) {
	hi, lo := h>>32, uint32(h)
	mask := uint64(len(t.slots) - 1)
	for i := uint64(lo) & mask; ; i = (i + 1) & mask {
		s := t.slots[i]
		if s == 0 {
			return 0, false
		}
		if s>>32 == hi && dict.at(uint32(s)) == v {
			return uint32(s), true
		}
	}
}

// valueHash is the hash find and findHash key a value by: maphash's,
// but for a value of 1 to 16 bytes (a code, a number, a name's word:
// most of a frame's values), which is read in two loads and mixed by two
// multiplications, as wyhash (github.com/wangyi-fudan/wyhash, public
// domain) mixes a short input, with a seed drawn for the process as
// internSeed is. maphash.String's calls down to the runtime's hash were
// 1.8% of the instructions of dancu link's read (issue 13). Only equal
// hashes matter to the tables, never their values: the ids a frame gives
// follow the order values come in.
func valueHash(v string) uint64 {
	n := len(v)
	if n == 0 || n > 16 {
		return maphash.String(internSeed, v)
	}
	p := unsafe.Slice(unsafe.StringData(v), n)
	var a, b uint64
	switch {
	case n >= 8:
		a, b = binary.LittleEndian.Uint64(p), binary.LittleEndian.Uint64(p[n-8:])
	case n >= 4:
		a, b = uint64(binary.LittleEndian.Uint32(p)), uint64(binary.LittleEndian.Uint32(p[n-4:]))
	default:
		a = uint64(p[0])<<16 | uint64(p[n>>1])<<8 | uint64(p[n-1])
	}
	hi, lo := bits.Mul64(a^wyp1, b^shortSeed)
	return wymix(lo^wyp0^uint64(n), hi^wyp1)
}

// wyhash's primes, and the seed of valueHash's short values.
const (
	wyp0 = 0xa0761d6478bd642f
	wyp1 = 0xe7037ed1a0b428db
)

var shortSeed = func() uint64 {
	s := maphash.String(internSeed, "valueHash")
	return s ^ wymix(s^wyp0, wyp1)
}()

// wymix is wyhash's mix: the two halves of a·b xored.
func wymix(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	return hi ^ lo
}

// findHash is find with v's hash (valueHash) given, computed ahead.
func (t *internTable) findHash(v string, h uint64, dict *strTab) (id uint32, added bool) {
	hi, lo := h>>32, uint32(h)
	mask := uint64(len(t.slots) - 1)
	for i := uint64(lo) & mask; ; i = (i + 1) & mask {
		s := t.slots[i]
		if s == 0 {
			break
		}
		if s>>32 == hi && dict.at(uint32(s)) == v {
			return uint32(s), false
		}
	}
	id = uint32(dict.len())
	t.lo = append(t.lo, lo)
	if 2*(t.n+1) > len(t.slots) {
		t.resize(2 * (t.n + 1))
	}
	t.place(hi, lo, id)
	t.n++
	return id, true
}

// touchSlots is the size of a table (in slots) from which touch pays:
// a smaller one (with its values' ends and first bytes) stays in the
// processor's caches while a batch is added, and touching its slots
// first only reads them twice.
const touchSlots = 1 << 15

// touch reads, for each value of vals not empty, the slot its hash hs
// starts from and the value's first byte (its text, prepared on another
// core, is compared or copied into dict next), and, when that slot holds
// a value with the same high half, that value's text in dict and its
// count in counts (nil: none): loads that do not depend on one another,
// so the processor overlaps their cache misses, where the lookups one
// after the other (each waiting for its slot, then the texts, then the
// count internHash adds to) would take them one at a time. It returns
// what it read, for the caller to keep.
func (t *internTable) touch(vals []string, hs []uint64, dict *strTab, counts []uint32) uint64 {
	mask := uint64(len(t.slots) - 1)
	var sum uint64
	for i, v := range vals {
		if v != "" {
			sum += t.slots[uint64(uint32(hs[i]))&mask] + uint64(v[0])
		}
	}
	for i, v := range vals {
		if v == "" {
			continue
		}
		s := t.slots[uint64(uint32(hs[i]))&mask]
		if s != 0 && s>>32 == hs[i]>>32 {
			id := uint32(s)
			sum += uint64(dict.FirstByte(int(id)))
			if int(id) < len(counts) {
				sum += uint64(counts[id])
			}
		}
	}
	return sum
}

// strTab holds a column's distinct values (strtab: a copy of each, not a
// slice of the line it was read from), value 0 the empty one.
type strTab struct{ strtab.Table }

// maxTabBytes is the most text a strTab holds.
const maxTabBytes = strtab.MaxBytes

// newStrTab returns a table holding the empty value.
func newStrTab() strTab {
	var t strTab
	t.Add("")
	return t
}

// len returns the number of values, the empty one included.
func (t *strTab) len() int { return t.Len() }

// at returns value v; it aliases the table, so a caller that keeps it
// beyond the frame's life clones it.
func (t *strTab) at(v uint32) string { return t.At(int(v)) }

// add appends v and returns its id, or false when the table is full.
func (t *strTab) add(v string) (uint32, bool) {
	i, ok := t.Add(v)
	return uint32(i), ok
}

// grow makes room for n more values as long as those held on average.
func (t *strTab) grow(n int) { t.Grow(n, 0) }

// clip drops the room grow made beyond the values held.
func (t *strTab) clip() { t.Clip() }

// runeTab holds the runes of a text column's values for Jaro–Winkler,
// back to back as strTab holds their bytes, but only of the values that
// are not ASCII: an ASCII value's runes are its bytes, widened when asked
// for (most values, once folded, are ASCII: a rune slice for each took a
// 24-byte header and four bytes a letter). A column without runes (not
// text) has end nil.
type runeTab struct {
	r   []rune
	end []uint32 // per value, the end of its runes in r (ASCII: no runes)
}

func newRuneTab() runeTab { return runeTab{end: []uint32{0}} }

// add appends the runes of the next value, v.
func (t *runeTab) add(v string) {
	if t.end == nil {
		return
	}
	for i := 0; i < len(v); i++ {
		if v[i] >= utf8.RuneSelf {
			for _, x := range v {
				t.r = append(t.r, x)
			}
			break
		}
	}
	t.end = append(t.end, uint32(len(t.r)))
}

// of returns the runes of value v, whose text is s: the table's, or s's
// decoded into buf.
func (t *runeTab) of(v uint32, s string, buf []rune) []rune {
	if t.end != nil && v != 0 {
		if lo, hi := t.end[v-1], t.end[v]; lo < hi {
			return t.r[lo:hi:hi]
		}
	}
	for _, x := range s {
		buf = append(buf, x)
	}
	return buf
}

// grow makes room for n more values with as many runes as those held on
// average.
func (t *runeTab) grow(n int) {
	if t.end == nil {
		return
	}
	t.end = slices.Grow(t.end, n)
	t.r = slices.Grow(t.r, n*(len(t.r)/len(t.end)))
}

// clip drops the room grow made beyond the values held.
func (t *runeTab) clip() { t.end, t.r = clipped(t.end), clipped(t.r) }
