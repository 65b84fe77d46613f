package matching

import (
	"fmt"
	"hash/maphash"
	"strconv"
	"testing"
)

// TestValueHashSpreads checks valueHash on the values a frame interns,
// the short ones it mixes itself among them: equal values hash alike,
// distinct ones never share a hash, and an intern table of them probes
// few slots a value (a hash whose low half repeated would make long
// runs).
func TestValueHashSpreads(t *testing.T) {
	sets := map[string][]string{}
	for i := range 200000 {
		sets["numbers"] = append(sets["numbers"], strconv.Itoa(i))
		sets["ids"] = append(sets["ids"], fmt.Sprintf("0010%08d", i*7))
		sets["long"] = append(sets["long"], fmt.Sprintf("nguyen van %08d", i))
	}
	for a := 'a'; a <= 'z'; a++ {
		for b := 'a'; b <= 'z'; b++ {
			for c := 'a'; c <= 'z'; c++ {
				sets["three letters"] = append(sets["three letters"], string([]rune{a, b, c}))
				sets["words"] = append(sets["words"], string([]rune{a, 'a', b, c, 'h'}))
			}
		}
	}
	for name, vals := range sets {
		seen := map[uint64]string{}
		dict := newStrTab()
		tab := newInternTable(&dict, 0)
		for _, v := range vals {
			h := valueHash(v)
			if h != valueHash(string([]byte(v))) {
				t.Fatalf("%s: %q hashes two ways", name, v)
			}
			if o, ok := seen[h]; ok {
				t.Fatalf("%s: %q and %q share the hash %x", name, v, o, h)
			}
			seen[h] = v
			if _, added := tab.findHash(v, h, &dict); !added {
				t.Fatalf("%s: %q found before it was added", name, v)
			}
			dict.add(v)
		}
		// the mean distance of a value's slot from where its hash starts
		mask := uint64(len(tab.slots) - 1)
		dist := 0
		for i, s := range tab.slots {
			if s != 0 {
				dist += int((uint64(i) - uint64(tab.lo[uint32(s)])) & mask)
			}
		}
		if mean := float64(dist) / float64(len(vals)); mean > 1.5 {
			t.Errorf("%s: a value sits %.2f slots from its hash's on average (a good hash: about 0.5 at this load)", name, mean)
		}
		for _, v := range vals[:100] {
			if id, added := tab.findHash(v, valueHash(v), &dict); added || dict.at(id) != v {
				t.Fatalf("%s: %q not found again", name, v)
			}
		}
	}
	// the long ones are maphash's
	if v := "a value of more than sixteen bytes"; valueHash(v) != maphash.String(internSeed, v) {
		t.Errorf("a long value's hash is not maphash's")
	}
}
