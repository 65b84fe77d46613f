package address

import (
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/internal/cputime"
)

func benchSet(b *testing.B, name string) []Labelled {
	b.Helper()
	f, err := os.Open(filepath.Join("..", "testdata", "addresses", name))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	xs, err := ReadLabelled(f)
	if err != nil {
		b.Fatal(err)
	}
	return xs
}

// BenchmarkResolve resolves the labelled addresses in turn, each afresh
// (without Resolve's cache of recent results: the cost of the search
// itself), and reports addresses per second on one core:
//
//	go test ./address -run '^$' -bench Resolve -benchmem -cpu 1
//
// BenchmarkResolveStream measures Resolve with its cache on the text
// `dancu link` reads.
func BenchmarkResolve(b *testing.B) {
	if err := Warm(); err != nil {
		b.Fatal(err)
	}
	for _, name := range []string{"generated.csv", "handwritten.csv"} {
		xs := benchSet(b, name)
		dates := make([]time.Time, len(xs))
		var bytes int
		for i, x := range xs {
			dates[i], _ = time.Parse("2006-01-02", x.AsOf)
			bytes += len(x.Text)
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(bytes / len(xs)))
			cpu0 := cputime.Process()
			for i := 0; b.Loop(); i++ {
				k := i % len(xs)
				resolveText(xs[k].Text, !dates[k].Before(ReformDate), false)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "addr/s")
			// On a shared machine the wall clock counts time spent waiting
			// for a core; the process's CPU time does not.
			if cpu := cputime.Process() - cpu0; cpu > 0 {
				b.ReportMetric(float64(b.N)/cpu.Seconds(), "addr/cpu-s")
			}
		})
	}
}

// TestGazetteerMemory builds a private gazetteer and reports its memory:
// the heap it keeps, the peak heap in use while building (sampled every
// millisecond) and all it allocated on the way.
//
//	go test ./address -run GazetteerMemory -v
func TestGazetteerMemory(t *testing.T) {
	runtime.GC()
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	var peak uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var m runtime.MemStats
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				runtime.ReadMemStats(&m)
				if m.HeapInuse > peak {
					peak = m.HeapInuse
				}
			}
		}
	}()
	start := time.Now()
	g, err := build()
	took := time.Since(start)
	close(done)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&m1)
	kept := int64(m1.HeapAlloc) - int64(m0.HeapAlloc)
	t.Logf("gazetteer: %d units, %d index keys; built in %v; heap kept %.1f MB; peak heap in use while building %.1f MB (%.1f MB before); allocated while building %.1f MB",
		len(g.units), len(g.index), took.Round(time.Millisecond), float64(kept)/1e6, float64(peak)/1e6, float64(m0.HeapInuse)/1e6, float64(m1.TotalAlloc-m0.TotalAlloc)/1e6)
	if len(g.units) < 10000+700+63+3321+34 {
		t.Errorf("only %d units", len(g.units))
	}
	if kept > 100<<20 {
		t.Errorf("gazetteer keeps %d bytes, more than 100 MiB", kept)
	}
	runtime.KeepAlive(g)
}
