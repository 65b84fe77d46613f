package vn

import (
	"hash/maphash"
	"unsafe"
)

// wordCache is the name words' precomputed canonical forms and keys
// (nameWordCache) as an open-addressed table: a slot of 16 bytes a word,
// its text, canonical form and key back to back in one array. A name's
// words looked up in a Go map took a miss on the group's control word,
// one on the slot, one on the key's bytes and one or two on the
// result's; here a word costs the slot's line and the text's.
type wordCache struct {
	slots []wordSlot // a power of two, at most half full
	text  []byte
	seed  maphash.Seed
}

// wordSlot is one word of a wordCache: at text[off:] its raw spelling
// (nRaw bytes), its canonical form (nCanon) and its key (nKey). tag is
// the hash's upper half with its low bit set; 0 marks an empty slot.
type wordSlot struct {
	tag                uint32
	off                uint32
	nRaw, nCanon, nKey uint8
	_                  [5]byte
}

// newWordCache returns a wordCache of the words of m (raw spelling →
// canonical form and key); words whose parts are over 255 bytes are
// left out (they are computed).
func newWordCache(m map[string][2]string) *wordCache {
	n := 16
	for n < 2*len(m) {
		n *= 2
	}
	c := &wordCache{slots: make([]wordSlot, n), seed: maphash.MakeSeed()}
	for raw, v := range m {
		canon, key := v[0], v[1]
		if raw == "" || len(raw) > 255 || len(canon) > 255 || len(key) > 255 {
			continue
		}
		h := maphash.String(c.seed, raw)
		tag := uint32(h>>32) | 1
		mask := uint64(len(c.slots) - 1)
		i := h & mask
		for c.slots[i].tag != 0 {
			i = (i + 1) & mask
		}
		c.slots[i] = wordSlot{tag: tag, off: uint32(len(c.text)), nRaw: uint8(len(raw)), nCanon: uint8(len(canon)), nKey: uint8(len(key))}
		c.text = append(append(append(c.text, raw...), canon...), key...)
	}
	return c
}

// get returns the canonical form and key of raw (strings into c's text),
// or ok false when raw is not in c.
func (c *wordCache) get(raw string) (canon, key string, ok bool) {
	if raw == "" {
		return "", "", false
	}
	h := maphash.String(c.seed, raw)
	tag := uint32(h>>32) | 1
	mask := uint64(len(c.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		s := &c.slots[i]
		if s.tag == 0 {
			return "", "", false
		}
		if s.tag != tag || int(s.nRaw) != len(raw) {
			continue
		}
		t := c.text[s.off:]
		if string(t[:s.nRaw]) != raw {
			continue
		}
		t = t[s.nRaw:]
		return unsafe.String(&t[0], int(s.nCanon)), unsafe.String(&t[s.nCanon], int(s.nKey)), true
	}
}
