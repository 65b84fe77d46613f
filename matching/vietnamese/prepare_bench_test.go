package vietnamese

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/dancu-vn/dancu/ingest"
	"github.com/dancu-vn/dancu/internal/cputime"
	"github.com/dancu-vn/dancu/internal/ingesttest"
	"github.com/dancu-vn/dancu/matching"
)

// BenchmarkPrepare measures the frame's part of AddTo: batches of 512
// records whose fields were derived ahead, prepared through the getter
// (Batch.Add: a switch on the field's name for each column, as AddTo did
// before) or from the fields' array (Batch.AddSlotted, as AddTo does),
// per record and in CPU time of the thread, on the lists of the `dancu
// gen` output DANCU_FRAME_GEN names:
//
//	DANCU_FRAME_GEN=DIR go test ./matching/vietnamese -run '^$' -bench Prepare
func BenchmarkPrepare(b *testing.B) {
	dir := os.Getenv("DANCU_FRAME_GEN")
	if dir == "" {
		b.Skip("DANCU_FRAME_GEN names no dancu gen output")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "danhsach_*.csv"))
	s, err := Settings()
	if err != nil {
		b.Fatal(err)
	}
	ad := NewAdapter()
	var fs []*vnFields
	for _, r := range ingesttest.Records(b, ingest.Options{NoNameParts: true}, files...) {
		f := &vnFields{r: r}
		ad.derive(f)
		fs = append(fs, f)
	}
	x := matching.NewFrame(s).NewBatch()
	for _, slotted := range []bool{false, true} {
		name := "Getter"
		if slotted {
			name = "Slotted"
		}
		b.Run(name, func(b *testing.B) {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			cpu0 := threadCPU()
			for b.Loop() {
				for i, f := range fs {
					if i%512 == 0 {
						x.Reset()
					}
					if slotted {
						x.AddSlotted(RecordKey(f.r), 0, fieldSlot, f.v[:], f.get, confidences(f.r))
					} else {
						x.Add(RecordKey(f.r), 0, f.get, confidences(f.r))
					}
				}
			}
			b.ReportMetric(float64(threadCPU()-cpu0)/float64(b.N*len(fs)), "cpu-ns/record")
		})
	}
}

// threadCPU is the CPU time of the calling OS thread, in nanoseconds
// (0 outside Linux).
func threadCPU() int64 {
	d, _ := cputime.Thread()
	return int64(d)
}
