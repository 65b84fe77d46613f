package registry_test

import (
	"context"
	"testing"

	"github.com/dancu-vn/dancu/registry"
)

// The set of blocks kept in memory skips the look-ups of blocks the
// store does not hold, and only those: rebuilt from the store after a
// restart, it gives the comparisons, edges and persons of a run that was
// never stopped (a block missing from it would lose candidates), whether
// the first batches after the restart come once it is built or while it
// is built (then the blocks they write are added to it).
func TestBlockSetAcrossRestart(t *testing.T) {
	p := generated(t)
	const n = 100
	want, _, whole := streamWith(t, registry.Config{Settings: p.settings}, p.recs, n)
	ws := whole.Stats()
	if ws.BlocksSkipped == 0 || ws.BlockReads == 0 {
		t.Fatalf("uninterrupted run: %d blocks skipped, %d looked up: the set of blocks did nothing", ws.BlocksSkipped, ws.BlockReads)
	}

	dir := t.TempDir()
	ad := registry.NewRecords()
	got := map[string]string{}
	third := len(p.recs) / 3 / n * n
	var comparisons, edges int64
	var blocks int
	for i, part := range [][2]int{{0, third}, {third, 2 * third}, {2 * third, len(p.recs)}} {
		reg, err := registry.Open(registry.Config{Dir: dir, Settings: p.settings})
		if err != nil {
			t.Fatal(err)
		}
		if i == 1 {
			registry.WaitBlockSet(reg)
			if st := reg.Stats(); !st.BlockSetReady || st.Blocks != blocks {
				reg.Close()
				t.Fatalf("reopened: %d blocks in the set (ready %v), %d before the restart", st.Blocks, st.BlockSetReady, blocks)
			}
		}
		for j := part[0]; j < part[1]; j += n {
			out, err := reg.AddRecords(context.Background(), ad, p.recs[j:min(j+n, part[1])])
			if err != nil {
				reg.Close()
				t.Fatal(err)
			}
			for _, l := range out.Links {
				got[l.RecordID] = l.PersonID
			}
		}
		registry.WaitBlockSet(reg)
		st := reg.Stats()
		t.Logf("part %d: %d blocks in the set, built in %v; %d looked up, %d skipped", i, st.Blocks, st.BlockSetLoad, st.BlockReads, st.BlocksSkipped)
		comparisons += st.Comparisons
		edges += st.Edges
		blocks = st.Blocks
		if err := reg.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if blocks != ws.Blocks {
		t.Errorf("%d blocks after the restart, %d without", blocks, ws.Blocks)
	}
	if comparisons != ws.Comparisons || edges != ws.Edges {
		t.Errorf("with a restart: %d comparisons, %d edges; without: %d, %d", comparisons, edges, ws.Comparisons, ws.Edges)
	}
	for id, pid := range want {
		if got[id] != pid {
			t.Fatalf("record %s in %s after a restart, %s without", id, got[id], pid)
		}
	}
}
