package registry_test

import (
	"testing"

	"github.com/dancu-vn/dancu/registry"
)

// TestFamilyWrites: what the store's flushes and compactions wrote, by
// key family (Stats.Families), adds up to what Pebble says they wrote
// (Stats.Flushed, Stats.CompactedBytes: moves write nothing), and names
// each family. (A table is counted under its keys' family, or under 0
// when they are of several: a flush's table holds all, and the 2 MB
// tables of a store this small do too.)
func TestFamilyWrites(t *testing.T) {
	p := generated(t)
	// A small memtable and base level: several flushes and compactions.
	_, _, reg := streamWith(t, registry.Config{Settings: p.settings, MemTableBytes: 256 << 10, BaseLevelBytes: 256 << 10}, p.recs, 200)
	if err := reg.Compact(); err != nil {
		t.Fatal(err)
	}
	st := reg.Stats()
	var flushed, compacted uint64
	by := map[byte]registry.FamilyWrites{}
	for _, f := range st.Families {
		flushed += f.Flushed
		compacted += f.Compacted
		by[f.Kind] = f
	}
	t.Logf("%d compactions %v; flushed %d, compacted %d bytes; %+v", st.Compactions, st.CompactionKinds, st.Flushed, st.CompactedBytes, st.Families)
	if st.Flushed == 0 || st.CompactedBytes == 0 {
		t.Fatalf("flushed %d, compacted %d bytes: nothing to count", st.Flushed, st.CompactedBytes)
	}
	if flushed != st.Flushed || compacted != st.CompactedBytes {
		t.Errorf("by family flushed %d, compacted %d bytes; the store says %d, %d", flushed, compacted, st.Flushed, st.CompactedBytes)
	}
	for k, f := range by {
		if f.Name == "" {
			t.Errorf("family %q written without a name", k)
		}
	}
}
