package main

import (
	"runtime/debug"
	"testing"
)

// TestApplyMemoryLimit checks that --memory-limit (dancu link, run, bench
// registry) sets the runtime's soft limit and GOGC 400, and that 0 leaves
// both as they were.
func TestApplyMemoryLimit(t *testing.T) {
	oldLimit, oldGC := debug.SetMemoryLimit(-1), debug.SetGCPercent(100)
	debug.SetGCPercent(oldGC)
	t.Cleanup(func() { debug.SetMemoryLimit(oldLimit); debug.SetGCPercent(oldGC) })

	var b byteSize
	if err := b.Set("3GiB"); err != nil {
		t.Fatal(err)
	}
	applyMemoryLimit(b)
	if got := debug.SetMemoryLimit(-1); got != 3<<30 {
		t.Errorf("memory limit %d after --memory-limit 3GiB, want %d", got, int64(3<<30))
	}
	if got := debug.SetGCPercent(400); got != 400 {
		t.Errorf("GOGC %d after --memory-limit 3GiB, want 400", got)
	}

	debug.SetMemoryLimit(oldLimit)
	debug.SetGCPercent(oldGC)
	applyMemoryLimit(0)
	if got := debug.SetMemoryLimit(-1); got != oldLimit {
		t.Errorf("memory limit %d after --memory-limit 0, want it left at %d", got, oldLimit)
	}
	if got := debug.SetGCPercent(oldGC); got != oldGC {
		t.Errorf("GOGC %d after --memory-limit 0, want it left at %d", got, oldGC)
	}

	// GOGC in the environment wins over the 400 (as raiseGCTarget's):
	// the runtime read it at start, and applyMemoryLimit leaves it.
	t.Setenv("GOGC", "150")
	debug.SetGCPercent(150)
	applyMemoryLimit(b)
	if got := debug.SetGCPercent(oldGC); got != 150 {
		t.Errorf("GOGC %d after --memory-limit 3GiB with GOGC=150 in the environment, want 150", got)
	}
}
