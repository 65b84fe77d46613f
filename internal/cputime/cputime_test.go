//go:build unix

package cputime

import (
	"runtime"
	"testing"
	"time"
)

// TestProcessGrowsWithWork: spinning for 50 ms of wall time adds CPU time,
// and sleeping does not add much.
func TestProcessGrowsWithWork(t *testing.T) {
	t0 := Process()
	if t0 <= 0 {
		t.Fatalf("Process() = %v at start, want > 0", t0)
	}
	end := time.Now().Add(50 * time.Millisecond)
	for time.Now().Before(end) {
	}
	t1 := Process()
	if t1-t0 < 20*time.Millisecond {
		t.Fatalf("50 ms of spinning added %v of CPU, want ≥ 20 ms", t1-t0)
	}
	time.Sleep(100 * time.Millisecond)
	if d := Process() - t1; d > 50*time.Millisecond {
		t.Fatalf("100 ms of sleep added %v of CPU, want < 50 ms", d)
	}
}

// TestThreadGrowsWithWork: on Linux, a locked thread's spinning adds to
// its CPU time.
func TestThreadGrowsWithWork(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	t0, ok := Thread()
	if !ok {
		if runtime.GOOS == "linux" {
			t.Fatal("Thread() not read on Linux")
		}
		t.Skip("no per-thread CPU time on " + runtime.GOOS)
	}
	end := time.Now().Add(50 * time.Millisecond)
	for time.Now().Before(end) {
	}
	if t1, _ := Thread(); t1-t0 < 20*time.Millisecond {
		t.Fatalf("50 ms of spinning added %v to the thread's CPU, want ≥ 20 ms", t1-t0)
	}
}
