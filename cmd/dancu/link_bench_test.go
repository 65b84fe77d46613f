package main

import (
	"io"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"testing"

	"github.com/dancu-vn/dancu/internal/cputime"
	"github.com/dancu-vn/dancu/internal/ingesttest"
)

// BenchmarkLinkRead measures dancu link's read phase (CSV, names,
// addresses, IDs, the frame): records per second of wall time, and per
// CPU-second as the machine is shared. The inputs are a generated
// population of 1,000 persons, or the CSV files of the directory
// DANCU_LINK_READ names (e.g. a `dancu gen --persons 560000` output).
// idle-share is the share of GOMAXPROCS × wall time in which the Go
// scheduler had nothing to run (runtime/metrics /cpu/classes/idle, which
// the runtime updates at the end of a garbage collection: one is forced
// before and after, and the last one's few tenths of a second of busy
// processors count in): the read's serial sections, whatever the
// machine's load (a thread the kernel descheduled still counts as busy):
//
//	DANCU_LINK_READ=DIR go test ./cmd/dancu -run '^$' -bench LinkRead -benchtime 1x
func BenchmarkLinkRead(b *testing.B) {
	files := ingesttest.Lists(b, "DANCU_LINK_READ", 1000, 3)
	// the garbage collector as dancu link sets it
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(3 << 30))
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	records := 0
	idle0, total0 := schedIdle()
	cpu0 := cputime.Process()
	b.ResetTimer()
	for range b.N {
		o := linkOptions{in: files, warn: io.Discard}
		_, _, f, err := o.load()
		if err != nil {
			b.Fatal(err)
		}
		records += f.Len()
	}
	b.ReportMetric(float64(records)/b.Elapsed().Seconds(), "records/s")
	if cpu := cputime.Process() - cpu0; cpu > 0 {
		b.ReportMetric(float64(records)/cpu.Seconds(), "records/cpu-s")
	}
	if idle, total := schedIdle(); total > total0 {
		b.ReportMetric((idle-idle0)/(total-total0), "idle-share")
	}
	b.ReportMetric(0, "ns/op")
}

// schedIdle returns the Go runtime's estimates of the CPU time its
// processors (GOMAXPROCS) were idle and of all the CPU time available to
// them, in seconds, since the program started, as of a garbage
// collection it forces.
func schedIdle() (idle, total float64) {
	runtime.GC()
	s := []metrics.Sample{{Name: "/cpu/classes/idle:cpu-seconds"}, {Name: "/cpu/classes/total:cpu-seconds"}}
	metrics.Read(s)
	return s[0].Value.Float64(), s[1].Value.Float64()
}
