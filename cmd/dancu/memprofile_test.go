package main

import (
	"compress/gzip"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
)

var allocsSink [][]byte

//go:noinline
func allocateAfterTheLastCollection() [][]byte {
	out := make([][]byte, 64)
	for i := range out {
		out[i] = make([]byte, 64<<10)
	}
	return out
}

// TestWriteAllocsHoldsTheLatestAllocations checks that --memprofile's
// profile counts what was allocated since the last collection: the
// runtime's allocations profile stops at the last collection's end, and
// a run under --memory-limit makes few (a 100,000-record demo 3: the
// profile held a third of what it allocated). The profile written is
// runtime.MemProfile's records, read here as they were written.
func TestWriteAllocsHoldsTheLatestAllocations(t *testing.T) {
	defer func(rate int) { runtime.MemProfileRate = rate }(runtime.MemProfileRate)
	runtime.MemProfileRate = 1
	// No collection of the runtime's own between the allocations and the
	// profile, as in a run that makes few (a collection asked for still
	// runs).
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	runtime.GC()
	allocsSink = allocateAfterTheLastCollection()
	path := filepath.Join(t.TempDir(), "allocs.pprof")
	if err := writeAllocs(path); err != nil {
		t.Fatal(err)
	}
	allocsSink = nil
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := gzip.NewReader(f); err != nil {
		t.Fatalf("the profile is not gzipped: %v", err)
	}
	recs := make([]runtime.MemProfileRecord, 1<<16)
	n, ok := runtime.MemProfile(recs, true)
	if !ok {
		t.Fatalf("%d profile records, more than %d", n, len(recs))
	}
	var bytes int64
	for _, r := range recs[:n] {
		for _, pc := range r.Stack() {
			if fn := runtime.FuncForPC(pc); fn != nil && strings.HasSuffix(fn.Name(), ".allocateAfterTheLastCollection") {
				bytes += r.AllocBytes
				break
			}
		}
	}
	if want := int64(64 * 64 << 10); bytes < want {
		t.Errorf("the allocations profile counts %d bytes allocated since the last collection, want at least %d", bytes, want)
	}
}
