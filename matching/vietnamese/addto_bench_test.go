package vietnamese

import (
	"runtime"
	"testing"

	"github.com/dancu-vn/dancu/address"
	"github.com/dancu-vn/dancu/ingest"
	"github.com/dancu-vn/dancu/internal/ingesttest"
	"github.com/dancu-vn/dancu/matching"
)

// BenchmarkAddTo measures what dancu link's workers do to a record after
// ingest: AddTo (names, IDs, addresses — answered by the cache of recent
// results after the first pass —, the parents' and ethnicity's folds, the
// frame's values) into batches of 512 reused, per record and in CPU time
// of the thread, on the lists of the `dancu gen` output DANCU_FRAME_GEN
// names, or of 2,000 generated persons:
//
//	DANCU_FRAME_GEN=DIR go test ./matching/vietnamese -run '^$' -bench AddTo -benchmem
func BenchmarkAddTo(b *testing.B) {
	if err := address.Warm(); err != nil {
		b.Fatal(err)
	}
	files := ingesttest.Lists(b, "DANCU_FRAME_GEN", 2000, 3)
	recs := ingesttest.Records(b, ingest.Options{NoNameParts: true}, files...)
	s, err := Settings()
	if err != nil {
		b.Fatal(err)
	}
	ad := NewAdapter()
	x := matching.NewFrame(s).NewBatch()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	b.ReportAllocs()
	cpu0 := threadCPU()
	for b.Loop() {
		for i, r := range recs {
			if i%512 == 0 {
				x.Reset()
			}
			ad.AddTo(x, r, 0)
		}
	}
	b.ReportMetric(float64(threadCPU()-cpu0)/float64(b.N*len(recs)), "cpu-ns/record")
}
