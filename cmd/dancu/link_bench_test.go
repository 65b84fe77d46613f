package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"testing"

	"github.com/dancu-vn/dancu/internal/synth"
)

// BenchmarkLinkRead measures dancu link's read phase (CSV, names,
// addresses, IDs, the frame): records per second of wall time, and per
// CPU-second as the machine is shared. The inputs are a generated
// population of 1,000 persons, or the CSV files of the directory
// DANCU_LINK_READ names (e.g. a `dancu gen --persons 560000` output):
//
//	DANCU_LINK_READ=DIR go test ./cmd/dancu -run '^$' -bench LinkRead -benchtime 1x
func BenchmarkLinkRead(b *testing.B) {
	dir := os.Getenv("DANCU_LINK_READ")
	if dir == "" {
		dir = b.TempDir()
		if _, err := synth.Generate(context.Background(), synth.Config{Persons: 1000, Seed: 3, OutDir: dir, Formats: []string{"csv"}}); err != nil {
			b.Fatal(err)
		}
	}
	files, err := filepath.Glob(filepath.Join(dir, "danhsach_*.csv"))
	if err != nil || len(files) == 0 {
		b.Fatalf("no danhsach_*.csv in %s", dir)
	}
	// the garbage collector as dancu link sets it
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(3 << 30))
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	records := 0
	cpu0 := cpuTime()
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
	if cpu := cpuTime() - cpu0; cpu > 0 {
		b.ReportMetric(float64(records)/cpu.Seconds(), "records/cpu-s")
	}
	b.ReportMetric(0, "ns/op")
}
