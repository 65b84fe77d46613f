package address

import (
	"fmt"
	"math/bits"
)

// wordTable is the gazetteer's words (words: folded word → id, marker)
// packed for the hot path, where every word of every address read is
// looked up once: an open-addressing table of 16-byte slots, four to a
// cache line, each holding a word's first eight bytes, its id, marker,
// length and the offset of its text in one string of every word. A
// lookup reads one slot (most often one line) and compares the word's
// first eight bytes and length there; only a word longer than eight
// bytes reads the rest of its text. The table before it read a slot of a
// hash tag and an index, then the word it pointed to, then that word's
// text — three lines in 520 KB, the costliest step of reading an
// address's words in perf profiles of dancu link's read — and hashed the
// word with maphash (a call); the hash here is a multiply of the words'
// 8-byte chunks.
type wordTable struct {
	slots []wordSlot
	shift uint8 // 64 − log2(len(slots))
	mask  uint32
	text  string // every word's text, one after another
}

type wordSlot struct {
	head uint64 // the word's first 8 bytes, little-endian, zero-padded
	id   int32  // the word's id in the trie, -1 if no name has it
	// meta is the offset of the word's text in text << 8, then marker
	// (bit 7) and the word's length (1 … 127; 0: an empty slot)
	meta uint32
}

const (
	wordMaxLen    = 127
	wordMarkerBit = 1 << 7
)

// wordHead returns the first 8 bytes of b (zero-padded) and the hash of
// all of b: the same for a word's bytes and for its string, which build
// the table (wordHeadString).
func wordHead[T string | []byte](b T) (uint64, uint64) {
	if len(b) >= 8 {
		head := le64(b)
		h := head
		rest := b[8:]
		for len(rest) >= 8 {
			h = bits.RotateLeft64(h*0x9E3779B97F4A7C15, 29) ^ le64(rest)
			rest = rest[8:]
		}
		var t uint64
		for i := len(rest) - 1; i >= 0; i-- {
			t = t<<8 | uint64(rest[i])
		}
		h = bits.RotateLeft64(h*0x9E3779B97F4A7C15, 29) ^ t ^ uint64(len(b))<<56
		return head, h * 0xD6E8FEB86659FD93
	}
	var head uint64
	for i := len(b) - 1; i >= 0; i-- {
		head = head<<8 | uint64(b[i])
	}
	return head, head * 0xD6E8FEB86659FD93
}

// wordHeadString is wordHead of a string.
func wordHeadString(s string) (uint64, uint64) { return wordHead(s) }

// le64 is the little-endian number of b's first 8 bytes (the compiler
// makes it one load, for a string as for bytes).
func le64[T string | []byte](b T) uint64 {
	_ = b[7]
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
}

func newWordTable(m map[string]word) *wordTable {
	n, lg := 16, 4
	for n < len(m)*3/2 { // at most two thirds full: 16,384 slots, 256 KB
		n *= 2
		lg++
	}
	t := &wordTable{slots: make([]wordSlot, n), shift: uint8(64 - lg), mask: uint32(n - 1)}
	var text []byte
	for w, wd := range m {
		if len(w) == 0 || len(w) > wordMaxLen || len(text) >= 1<<24 {
			panic(fmt.Sprintf("address: word %q does not fit the word table", w))
		}
		meta := uint32(len(text))<<8 | uint32(len(w))
		if wd.marker {
			meta |= wordMarkerBit
		}
		text = append(text, w...)
		head, h := wordHeadString(w)
		i := uint32(h>>t.shift) & t.mask
		for t.slots[i].meta != 0 {
			i = (i + 1) & t.mask
		}
		t.slots[i] = wordSlot{head: head, id: wd.id, meta: meta}
	}
	t.text = string(text)
	return t
}

// word returns the word of slot s (its text the table's own string).
func (t *wordTable) word(s *wordSlot) word {
	off, n := s.meta>>8, s.meta&wordMaxLen
	return word{id: s.id, marker: s.meta&wordMarkerBit != 0, s: t.text[off : off+n]}
}

// get returns the word b is (its text the gazetteer's own string).
func (t *wordTable) get(b []byte) (word, bool) {
	head, h := wordHead(b)
	n := uint32(len(b))
	for i := uint32(h>>t.shift) & t.mask; ; i = (i + 1) & t.mask {
		s := &t.slots[i]
		if s.meta == 0 {
			return word{}, false
		}
		if s.head == head && s.meta&wordMaxLen == n {
			if n <= 8 {
				return t.word(s), true
			}
			if off := s.meta >> 8; t.text[off+8:off+n] == string(b[8:]) {
				return t.word(s), true
			}
		}
	}
}

// getString is get for a string.
func (t *wordTable) getString(w string) (word, bool) {
	head, h := wordHeadString(w)
	n := uint32(len(w))
	for i := uint32(h>>t.shift) & t.mask; ; i = (i + 1) & t.mask {
		s := &t.slots[i]
		if s.meta == 0 {
			return word{}, false
		}
		if s.head == head && s.meta&wordMaxLen == n {
			if n <= 8 {
				return t.word(s), true
			}
			if off := s.meta >> 8; t.text[off+8:off+n] == w[8:] {
				return t.word(s), true
			}
		}
	}
}
