package registry_test

import (
	"fmt"
	"testing"

	"github.com/dancu-vn/dancu/registry"
)

// A withdrawal deletes its records' block entries: the entries of large
// blocks kept in memory for their windows (windows.go) must not keep
// them. Records added in batches, some withdrawn, more added: the
// entries kept are the store's (a kept block not read again after the
// withdrawal would still name the withdrawn records, and their windows
// would draw them).
func TestWideBlocksAfterWithdraw(t *testing.T) {
	p := generated(t)
	s, _ := smallWindows(p.settings)
	half := len(p.recs) / 2
	gone := pickWithdrawn(p.recs[:half], p.offline, 0.08, 5)
	W := withdrawal("b1", gone)
	ops := append(adds(p.recs[:half], 100), op{w: &W})
	_, reg := run(t, registry.Config{Settings: s}, append(ops, adds(p.recs[half:], 100)...))
	large, kept, err := registry.CheckWideBlocks(reg)
	st := reg.Stats()
	t.Logf("%d withdrawn; %d blocks larger than max_block, %d kept, %d windows read from them", len(gone), large, kept, st.WindowsKept)
	if err != nil {
		t.Error(err)
	}
	if kept == 0 || st.WindowsKept == 0 {
		t.Errorf("%d blocks kept, %d windows read from them: want some", kept, st.WindowsKept)
	}
}

// The blocks a batch takes past their max_block read their windows from
// entries built from the scoring frame (frameWide), not from the store:
// the same comparisons, edges and persons as when they are read from the
// store, and the entries kept after the commit are the store's.
func TestFrameWideSameAsStore(t *testing.T) {
	p := generated(t)
	s, _ := smallWindows(p.settings)
	for _, n := range []int{20, 300} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			restore := registry.NoFrameWide()
			want, _, store := streamWith(t, registry.Config{Settings: s}, p.recs, n)
			restore()
			got, _, reg := streamWith(t, registry.Config{Settings: s}, p.recs, n)
			ws, st := store.Stats(), reg.Stats()
			t.Logf("batches of %d: %d blocks' entries built from the frame; %d windows read in memory (from the store's entries: %d); %d comparisons, %d edges", n, st.WideFromFrame, st.WindowsKept, ws.WindowsKept, st.Comparisons, st.Edges)
			if st.WideFromFrame == 0 || ws.WideFromFrame != 0 {
				t.Errorf("blocks' entries built from the frame: %d, %d with it turned off: want some, none", st.WideFromFrame, ws.WideFromFrame)
			}
			if st.Comparisons != ws.Comparisons || st.Edges != ws.Edges {
				t.Errorf("%d comparisons, %d edges; from the store %d, %d", st.Comparisons, st.Edges, ws.Comparisons, ws.Edges)
			}
			for id, pid := range want {
				if got[id] != pid {
					t.Fatalf("record %s in %s, %s with the windows from the store", id, got[id], pid)
				}
			}
			if _, _, err := registry.CheckWideBlocks(reg); err != nil {
				t.Error(err)
			}
		})
	}
}
