package registry_test

import (
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
