package matching

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/matching/settings"
)

// TestKeptAsIsAsValueOf: wherever keptAsIs takes a column's input as its
// value (Batch.add then skips valueOf), valueOf gives that input and no
// date — on 200,000 random inputs (ASCII letters of both cases, digits,
// signs, spaces of several kinds at the ends, Vietnamese letters, invalid
// UTF-8, the missing values themselves in any case) for columns with the
// default missing values, with their own ("NA", "-", "0", "không rõ",
// "x"), and with none but the blank. It fails when keptAsIs forgets the
// missing values or a space at an end, and when it never takes an input
// (the test would then check nothing).
func TestKeptAsIsAsValueOf(t *testing.T) {
	s := &settings.Settings{Columns: []settings.ColumnSpec{
		{Name: "def", Kind: "code", From: "a"},
		{Name: "own", Kind: "code", From: "a", Missing: []string{"NA", "-", "0", "không rõ", "x"}},
		{Name: "blank", Kind: "text", From: "a", Missing: []string{""}},
		{Name: "moved", Kind: "code", From: "a", Transforms: []string{"sorted_words"}},
		{Name: "dob", Kind: "date", From: "a"},
	}}
	f := NewFrame(s)
	f.NewBatch()
	pieces := []string{"a", "N", "n", "A", "-", "0", "x", "X", "7", "K", "không", " rõ", "Nguyễn", "Đ", "ạ", " ", "  ", "\t", "\u00a0", "\u3000", "\xff", ".", "NA", "na", "N/A", "unknown", "?"}
	rng := rand.New(rand.NewPCG(5, 6))
	kept := make([]int, len(f.cols))
	for range 200000 {
		var b strings.Builder
		for range rng.IntN(5) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		in := b.String()
		for ci := range f.cols {
			c := &f.cols[ci]
			if !c.asIs || !c.keptAsIs(in) {
				continue
			}
			kept[ci]++
			if v, d := c.valueOf(in); v != in || d != 0 {
				t.Fatalf("column %s: keptAsIs(%q), but valueOf gives %q, %d", c.spec.Name, in, v, d)
			}
		}
	}
	for ci := range f.cols {
		c := &f.cols[ci]
		if c.asIs != (ci < 3) {
			t.Errorf("column %s: asIs %v", c.spec.Name, c.asIs)
		}
		if c.asIs && kept[ci] < 10000 {
			t.Errorf("column %s: keptAsIs took %d inputs of 200,000", c.spec.Name, kept[ci])
		}
	}
}
