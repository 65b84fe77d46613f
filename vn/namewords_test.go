package vn

import (
	"testing"

	"golang.org/x/text/unicode/norm"
)

// TestWordCacheAsMap checks the name words' table against the map it is
// built from: every word gives its canonical form and key, and spellings
// not in the map (a letter more or less, another case) are not found.
func TestWordCacheAsMap(t *testing.T) {
	m := nameWordMap()
	if len(m) < 1000 {
		t.Fatalf("%d name words: the reference tables were not read", len(m))
	}
	c := newWordCache(m)
	for raw, want := range m {
		canon, key, ok := c.get(raw)
		if !ok || canon != want[0] || key != want[1] {
			t.Fatalf("get(%q) = %q, %q, %v; the map has %q, %q", raw, canon, key, ok, want[0], want[1])
		}
		for _, other := range []string{raw + "x", raw[:len(raw)-1], "x" + raw, raw + raw} {
			canon, key, ok := c.get(other)
			if w, in := m[other]; ok != in || in && (canon != w[0] || key != w[1]) {
				t.Fatalf("get(%q) = %q, %q, %v; in the map: %v %q", other, canon, key, ok, in, w)
			}
		}
	}
	if _, _, ok := c.get(""); ok {
		t.Fatal(`get("") found a word`)
	}
}

// TestCachedWordsRead checks appendCanonScan's shortcut for a word the
// cache holds (read to the next space and looked up whole, its runes not
// decoded) against the same scan with no cache, which computes every
// word: each word of the name cache alone and among other words,
// separated by spaces, punctuation, a tab, a zero-width space, a
// decomposed letter (the scan composes and reads again) and words the
// cache has not.
func TestCachedWordsRead(t *testing.T) {
	c := nameWordCache()
	scan := func(s string, cache *wordCache) (string, string) {
		var b, k []byte
		b, k, redo := appendCanonScan(b, k, s, true, true, cache, true, false)
		if redo {
			b, k, _ = appendCanonScan(b[:0], k[:0], norm.NFC.String(s), true, true, cache, true, true)
		}
		return string(b), string(k)
	}
	words := 0
	for w := range nameWordMap() {
		for _, s := range []string{w, "Nguyễn " + w, w + " Văn", "Lê, " + w + " Thị", w + ",An", "An\t" + w + "  " + w,
			"\u200b" + w + " Hà", "Tra\u0302\u0300n " + w, "Xyzq " + w + " Qqq", " " + w + "-" + w + " "} {
			b, k := scan(s, c)
			if wb, wk := scan(s, nil); b != wb || k != wk {
				t.Fatalf("%q with the cache: %q, %q; computed %q, %q", s, b, k, wb, wk)
			}
		}
		words++
	}
	if words < 1000 {
		t.Fatalf("%d name words: the reference tables were not read", words)
	}
}
