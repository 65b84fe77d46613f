package address

import "hash/maphash"

// wordTable is the gazetteer's words (words: folded word → id, marker)
// packed for the hot path, where every word of every address searched
// is looked up once: an open-addressing table of 8-byte slots (a 32-bit
// hash tag and an index; 256 KB for the 8,514 words) and the words' text
// in one string (60 KB), where a lookup in the map of strings to words
// probed a group's control word, its slots of string headers and the
// word's own bytes somewhere on the heap (it was the single costliest
// step of reading an address).
type wordTable struct {
	slots []wordSlot
	mask  uint32
	text  string  // every word, one after another
	off   []int32 // word k is text[off[k]:off[k+1]]
	ws    []word
}

type wordSlot struct {
	tag uint32 // the word's hash, never 0 (0: empty)
	k   int32  // index into off and ws
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
	t := &wordTable{slots: make([]wordSlot, n), mask: uint32(n - 1), off: make([]int32, 0, len(m)+1), ws: make([]word, 0, len(m))}
	var text []byte
	for w, wd := range m {
		k := int32(len(t.ws))
		t.off = append(t.off, int32(len(text)))
		text = append(text, w...)
		t.ws = append(t.ws, wd)
		h := wordHashString(w)
		i := h & t.mask
		for t.slots[i].tag != 0 {
			i = (i + 1) & t.mask
		}
		t.slots[i] = wordSlot{tag: h, k: k}
	}
	t.off = append(t.off, int32(len(text)))
	t.text = string(text)
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
		if s.tag == h && t.text[t.off[s.k]:t.off[s.k+1]] == string(b) {
			return t.ws[s.k], true
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
		if s.tag == h && t.text[t.off[s.k]:t.off[s.k+1]] == w {
			return t.ws[s.k], true
		}
	}
}
