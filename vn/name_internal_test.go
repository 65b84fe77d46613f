package vn

import "testing"

// TestCompoundFirstWords keeps ParseName's quick filter in step with the
// compound family list.
func TestCompoundFirstWords(t *testing.T) {
	for _, cf := range compoundFamilies {
		n := ParseName(joinWords(cf) + " An")
		if n.Family != joinWords(cf) {
			t.Errorf("compound %v not recognised: %+v", cf, n)
		}
	}
}

func joinWords(ws []string) string {
	s := ""
	for i, w := range ws {
		if i > 0 {
			s += " "
		}
		s += w
	}
	return s
}
