package matching

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestSortedWordsAsDefinition: the sorted_words transform is v's words
// (strings.Fields) sorted and joined by single spaces, on 50,000 random
// texts of words of letters, a sign, a control byte, a letter past ASCII
// and spaces of every kind, between none and ten words, and on a name
// key's forms; and it gives back a name key already in order as it is,
// without allocating.
func TestSortedWordsAsDefinition(t *testing.T) {
	want := func(v string) string {
		w := strings.Fields(v)
		slices.Sort(w)
		return strings.Join(w, " ")
	}
	pieces := []string{"an", "nguyen", "van", "a", "b", "thi", "z", "A", "x.", "\x7f", "\x01", "ê", "đ",
		" ", " ", "  ", "\t", "\n", "\u00a0", "\u3000", "\u0085", "\u2009"}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 50000 {
		var b strings.Builder
		for range rng.IntN(24) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		if v := b.String(); sortedWords(v) != want(v) {
			t.Fatalf("sortedWords(%q) = %q, want %q", v, sortedWords(v), want(v))
		}
	}
	for _, v := range []string{"", " ", "an", " an ", "nguyen van an", "an nguyen van", "a a a", "b a", "a b c d e f g h", "h g f e d c b a",
		"i h g f e d c b a", "a b c d e f g h i"} {
		if sortedWords(v) != want(v) {
			t.Errorf("sortedWords(%q) = %q, want %q", v, sortedWords(v), want(v))
		}
	}
	if n := testing.AllocsPerRun(100, func() { sortedWords("an nguyen van") }); n != 0 {
		t.Errorf("sortedWords of a key in order allocates %v times", n)
	}
	if n := testing.AllocsPerRun(100, func() { sortedWords("nguyen van an") }); n != 1 {
		t.Errorf("sortedWords of a key out of order allocates %v times, want 1 (its result)", n)
	}
}
