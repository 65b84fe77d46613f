package address

import "hash/maphash"

// wordTable is the gazetteer's words (words: folded word → id, marker)
// packed for the hot path, where every word of every address searched
// is looked up once: an open-addressing table of 8-byte slots (a 32-bit
// hash tag and an index; 256 KB for the 8,514 words) and the words, each
// with its text sliced from one string (60 KB), where a lookup in the map
// of strings to words probed a group's control word, its slots of string
// headers and the word's own bytes somewhere on the heap (it was the
// single costliest step of reading an address). A lookup reads a slot,
// the word it points to and that word's text: the word holds its text's
// string header, so that no table of offsets is read in between.
type wordTable struct {
	slots []wordSlot
	mask  uint32
	ws    []word // ws[k].s is a slice of one string holding every word
}

type wordSlot struct {
	tag uint32 // the word's hash, never 0 (0: empty)
	k   int32  // index into ws
}

var wordSeed = maphash.MakeSeed()

func wordHash(b []byte) uint32 {
	h := uint32(maphash.Bytes(wordSeed, b))
	if h == 0 {
		h = 1
	}
	return h
}

func wordHashString(s string) uint32 {
	h := uint32(maphash.String(wordSeed, s))
	if h == 0 {
		h = 1
	}
	return h
}

func newWordTable(m map[string]word) *wordTable {
	n := 16
	for n < 2*len(m) {
		n *= 2
	}
	t := &wordTable{slots: make([]wordSlot, n), mask: uint32(n - 1), ws: make([]word, 0, len(m))}
	var text []byte
	off := []int{0}
	for w, wd := range m {
		k := int32(len(t.ws))
		text = append(text, w...)
		off = append(off, len(text))
		t.ws = append(t.ws, wd)
		h := wordHashString(w)
		i := h & t.mask
		for t.slots[i].tag != 0 {
			i = (i + 1) & t.mask
		}
		t.slots[i] = wordSlot{tag: h, k: k}
	}
	all := string(text)
	for k := range t.ws {
		t.ws[k].s = all[off[k]:off[k+1]] // its key (the word's own text), packed
	}
	return t
}

// get returns the word b is (its text the gazetteer's own string).
func (t *wordTable) get(b []byte) (word, bool) {
	h := wordHash(b)
	for i := h & t.mask; ; i = (i + 1) & t.mask {
		s := t.slots[i]
		if s.tag == 0 {
			return word{}, false
		}
		if s.tag == h {
			if wd := &t.ws[s.k]; wd.s == string(b) {
				return *wd, true
			}
		}
	}
}

// getString is get for a string.
func (t *wordTable) getString(w string) (word, bool) {
	h := wordHashString(w)
	for i := h & t.mask; ; i = (i + 1) & t.mask {
		s := t.slots[i]
		if s.tag == 0 {
			return word{}, false
		}
		if s.tag == h {
			if wd := &t.ws[s.k]; wd.s == w {
				return *wd, true
			}
		}
	}
}
