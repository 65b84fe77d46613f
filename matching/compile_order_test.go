package matching

import (
	"slices"
	"testing"
)

// A comparison's columns are compiled in the frame's column order, not in
// a map's: the same settings give the same compiled comparison every run
// (and every column a comparison reads once, in order).
func TestCompiledColumnsInFrameOrder(t *testing.T) {
	s, f, _ := fakeStyleFrame(t, 200, 7)
	multi := 0
	for run := 0; run < 20; run++ {
		c, err := compile(s, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, cc := range c.comps {
			if len(cc.cols) > 1 {
				multi++
			}
			if !slices.IsSorted(cc.cols) || !slices.IsSorted(cc.ownCols) {
				t.Fatalf("run %d: columns %v (own %v) not in the frame's order", run, cc.cols, cc.ownCols)
			}
		}
	}
	if multi == 0 {
		t.Fatal("no comparison reads more than one column: the test shows nothing")
	}
}
