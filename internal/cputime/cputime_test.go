//go:build unix

package cputime

import (
	"runtime"
	"testing"
	"time"
)

// spinUntil spins until cpu() has grown by want, for at most 10 s of wall
// time, and returns how much it grew. It does not spin for a fixed wall
// time: on a shared machine (load 15 on 2 cores) 50 ms of wall gave this
// process 7–17 ms of CPU and failed the tests below.
func spinUntil(cpu func() time.Duration, want time.Duration) time.Duration {
	t0 := cpu()
	end := time.Now().Add(10 * time.Second)
	for time.Now().Before(end) {
		if d := cpu() - t0; d >= want {
			return d
		}
		for i := 0; i < 100000; i++ {
			spinSink += i
		}
	}
	return cpu() - t0
}

var spinSink int

// TestProcessGrowsWithWork: spinning adds CPU time (20 ms within 10 s of
// wall), and sleeping does not add much.
func TestProcessGrowsWithWork(t *testing.T) {
	t0 := Process()
	if t0 <= 0 {
		t.Fatalf("Process() = %v at start, want > 0", t0)
	}
	if d := spinUntil(Process, 20*time.Millisecond); d < 20*time.Millisecond {
		t.Fatalf("10 s of spinning added %v of CPU, want ≥ 20 ms", d)
	}
	t1 := Process()
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
	_, ok := Thread()
	if !ok {
		if runtime.GOOS == "linux" {
			t.Fatal("Thread() not read on Linux")
		}
		t.Skip("no per-thread CPU time on " + runtime.GOOS)
	}
	thread := func() time.Duration { d, _ := Thread(); return d }
	if d := spinUntil(thread, 20*time.Millisecond); d < 20*time.Millisecond {
		t.Fatalf("10 s of spinning added %v to the thread's CPU, want ≥ 20 ms", d)
	}
}
