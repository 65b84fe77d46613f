package compare

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// wordsSubsetFields is WordsSubset as it was written with strings.Fields
// (two slices a call): TestWordsSubsetSameAsFields checks the two agree.
func wordsSubsetFields(a, b string) bool {
	wa, wb := strings.Fields(a), strings.Fields(b)
	if len(wa) > len(wb) {
		wa, wb = wb, wa
	}
	if len(wa) == 0 {
		return false
	}
	for _, w := range wa {
		found := false
		for _, x := range wb {
			if x == w {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// TestWordsSubsetSameAsFields compares WordsSubset with the Fields
// version on random strings of a few short words and assorted spaces
// (ASCII and Unicode, leading, trailing, repeated), and checks it
// allocates nothing.
func TestWordsSubsetSameAsFields(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	words := []string{"anh", "thi", "van", "ngoc", "trọng", "a", "b", "ab", "ba", ""}
	spaces := []string{" ", "  ", "\t", "\u00a0", "\u2003", "\n"}
	gen := func() string {
		var sb strings.Builder
		for range rng.IntN(5) {
			if rng.IntN(3) == 0 {
				sb.WriteString(spaces[rng.IntN(len(spaces))])
			}
			sb.WriteString(words[rng.IntN(len(words))])
			sb.WriteString(spaces[rng.IntN(len(spaces))])
		}
		return sb.String()
	}
	agree := 0
	for range 200000 {
		a, b := gen(), gen()
		got, want := WordsSubset(a, b), wordsSubsetFields(a, b)
		if got != want {
			t.Fatalf("WordsSubset(%q, %q) = %v, want %v", a, b, got, want)
		}
		if got {
			agree++
		}
	}
	if agree == 0 {
		t.Fatal("no pair was a subset: the test compares nothing")
	}
	if n := testing.AllocsPerRun(100, func() { WordsSubset("anh trong", "trong") }); n != 0 {
		t.Errorf("WordsSubset allocates %v times a call", n)
	}
}

// BenchmarkWordsSubset asks the level of middle names that differ, as
// most candidate pairs do ("fields": the version with strings.Fields):
//
//	go test ./matching/compare -run '^$' -bench WordsSubset -benchmem
func BenchmarkWordsSubset(b *testing.B) {
	pairs := [][2]string{{"van", "thi ngoc"}, {"anh trong", "trong"}, {"thi", "van"}, {"ngoc anh", "thi ngoc"}}
	for _, v := range []struct {
		name string
		f    func(a, b string) bool
	}{{"inplace", WordsSubset}, {"fields", wordsSubsetFields}} {
		b.Run(v.name, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				p := pairs[i%len(pairs)]
				v.f(p[0], p[1])
				i++
			}
		})
	}
}
