package registry_test

import (
	"encoding/json"
	"runtime"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/registry"
)

// The batch path's work split between goroutines (blocking keys, block
// look-ups, candidates read from the store, scoring, the sort of the
// writes) gives byte for byte the outputs of the same batches done on
// one goroutine, with the scoring frame kept between batches and with a
// new one every batch (every candidate read from the store).
func TestSplitWorkSameOutput(t *testing.T) {
	p := generated(t)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, rows := range []int{0, -1} {
		cfg := registry.Config{Settings: p.settings, Now: func() time.Time { return at }, FrameRows: rows}
		restore := registry.SplitSmall(1 << 30) // never split
		_, want, one := streamWith(t, cfg, p.recs, 500)
		restore()
		restore = registry.SplitSmall(8)
		_, got, split := streamWith(t, cfg, p.recs, 500)
		restore()
		ws, gs := one.Stats(), split.Stats()
		t.Logf("frame rows %d: %d records in batches of 500: %d comparisons, %d edges, %d candidates read from the store", rows, len(p.recs), gs.Comparisons, gs.Edges, gs.CandidateReads)
		if gs.Comparisons != ws.Comparisons || gs.Edges != ws.Edges || gs.CandidateReads != ws.CandidateReads || gs.Comparisons == 0 {
			t.Errorf("frame rows %d: split: %d comparisons, %d edges, %d reads; one goroutine: %d, %d, %d", rows, gs.Comparisons, gs.Edges, gs.CandidateReads, ws.Comparisons, ws.Edges, ws.CandidateReads)
		}
		if rows < 0 && gs.CandidateReads == 0 {
			t.Errorf("frame rows %d: no candidate read from the store", rows)
		}
		if len(got) != len(want) {
			t.Fatalf("frame rows %d: split: %d outputs, one goroutine %d", rows, len(got), len(want))
		}
		for i := range want {
			w, _ := json.Marshal(want[i])
			g, _ := json.Marshal(got[i])
			if string(w) != string(g) {
				t.Fatalf("frame rows %d, batch %d: the split output differs from one goroutine's (%d and %d bytes of JSON)", rows, i, len(g), len(w))
			}
		}
	}
}
