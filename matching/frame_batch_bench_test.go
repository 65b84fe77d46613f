package matching_test

import (
	"runtime"
	"testing"

	"github.com/dancu-vn/dancu/ingest"
	"github.com/dancu-vn/dancu/internal/ingesttest"
	"github.com/dancu-vn/dancu/matching"
	"github.com/dancu-vn/dancu/matching/settings"
	"github.com/dancu-vn/dancu/matching/vietnamese"
	"github.com/dancu-vn/dancu/schemas"
)

// linkBatches reads the danhsach_*.csv lists of a generated population
// (DANCU_FRAME_GEN names a `dancu gen` output; by default 6,000 persons
// are generated) as dancu link does: records in batches of 512 prepared
// through the Vietnamese adapter for the Vietnamese settings.
func linkBatches(b testing.TB) (*settings.Settings, []*schemas.Record, [][2]int) {
	b.Helper()
	files := ingesttest.Lists(b, "DANCU_FRAME_GEN", 6000, 11)
	s, err := vietnamese.Settings()
	if err != nil {
		b.Fatal(err)
	}
	recs := ingesttest.Records(b, ingest.Options{}, files...)
	var spans [][2]int // batches: [start, end) of recs
	for start := 0; start < len(recs); start += 512 {
		spans = append(spans, [2]int{start, min(start+512, len(recs))})
	}
	return s, recs, spans
}

// BenchmarkFrameAddBatch measures the frame's serial part of dancu link's
// read: AddBatch of batches prepared once, into a new frame grown for
// them (Grow) each time, per record. Prepare measures Batch.Add of the records'
// fields as the adapter derives them (done ahead), the part of preparing
// a batch that is the frame's (on every core during the read); AddTo
// measures the adapter's AddTo, deriving the fields (names, IDs, the
// addresses, most of them answered by address's cache after the first
// pass) and preparing them in batches:
//
//	DANCU_FRAME_GEN=DIR go test ./matching -run '^$' -bench FrameAddBatch -benchmem
func BenchmarkFrameAddBatch(b *testing.B) {
	s, recs, spans := linkBatches(b)
	ad := vietnamese.NewAdapter()
	f0 := matching.NewFrame(s)
	b.Run("Add", func(b *testing.B) {
		bs := make([]*matching.Batch, len(spans))
		for i, sp := range spans {
			bs[i] = f0.NewBatch()
			for _, r := range recs[sp[0]:sp[1]] {
				ad.AddTo(bs[i], r, 0)
			}
		}
		perRecord(b, len(recs), func() {
			f := matching.NewFrame(s)
			f.Grow(len(recs))
			for _, x := range bs {
				x.Rebind(f)
				if _, err := f.AddBatch(x); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
	b.Run("AddTo", func(b *testing.B) {
		x := f0.NewBatch()
		perRecord(b, len(recs), func() {
			for _, sp := range spans {
				x.Reset()
				for _, r := range recs[sp[0]:sp[1]] {
					ad.AddTo(x, r, 0)
				}
			}
		})
	})
	b.Run("Prepare", func(b *testing.B) {
		gets := make([]matching.Getter, len(recs))
		confs := make([]matching.ConfidenceGetter, len(recs))
		ids := make([]string, len(recs))
		for i, r := range recs {
			gets[i], confs[i] = ad.Fields(r)
			ids[i] = vietnamese.RecordKey(r)
		}
		x := f0.NewBatch()
		perRecord(b, len(recs), func() {
			for _, sp := range spans {
				x.Reset()
				for i := sp[0]; i < sp[1]; i++ {
					x.Add(ids[i], 0, gets[i], confs[i])
				}
			}
		})
	})
}

// perRecord runs op b.N times on a locked thread and reports its CPU time
// (on a shared machine, the one to compare) and its wall time per record,
// op handling n records a time.
func perRecord(b *testing.B, n int, op func()) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	b.ResetTimer()
	cpu0 := threadCPU()
	for range b.N {
		op()
	}
	b.ReportMetric(float64(threadCPU()-cpu0)/float64(b.N*n), "cpu-ns/record")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/record")
}

// BenchmarkBatchGrow measures preparing all the records in one new
// batch, as the registry prepares each part of the records it adds to a
// frame (registry.addAllToFrame): doubling lets the batch's room double
// from 64 as records come, grown sizes it for them first (Batch.Grow).
//
//	go test ./matching -run '^$' -bench BatchGrow -benchmem -count 6
func BenchmarkBatchGrow(b *testing.B) {
	s, recs, _ := linkBatches(b)
	ad := vietnamese.NewAdapter()
	f := matching.NewFrame(s)
	gets := make([]matching.Getter, len(recs))
	confs := make([]matching.ConfidenceGetter, len(recs))
	ids := make([]string, len(recs))
	for i, r := range recs {
		gets[i], confs[i] = ad.Fields(r)
		ids[i] = vietnamese.RecordKey(r)
	}
	for _, grow := range []bool{false, true} {
		name := "doubling"
		if grow {
			name = "grown"
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			perRecord(b, len(recs), func() {
				x := f.NewBatch()
				if grow {
					x.Grow(len(recs))
				}
				for i := range recs {
					x.Add(ids[i], 0, gets[i], confs[i])
				}
			})
		})
	}
}
