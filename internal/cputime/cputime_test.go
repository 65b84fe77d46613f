//go:build unix

package cputime

import (
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
