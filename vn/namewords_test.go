package vn

import "testing"

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
