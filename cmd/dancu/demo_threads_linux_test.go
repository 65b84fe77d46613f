package main

import (
	"testing"
	"time"
)

func TestParseStat(t *testing.T) {
	// A name with a space and a parenthesis, as a thread may carry.
	line := []byte("4242 (Merge (x) y) S 1 2 3 4 5 6 7 8 9 10 150 25 0 0 20 0 1 0 100\n")
	name, ticks, ok := parseStat(line)
	if !ok || name != "Merge (x) y" || ticks != 175 {
		t.Errorf("parseStat = %q, %d, %v; want \"Merge (x) y\", 175, true", name, ticks, ok)
	}
	if _, _, ok := parseStat([]byte("4242 (cut")); ok {
		t.Error("parseStat took a line without its closing parenthesis")
	}
}

func TestThreadTimesCountsThisProcess(t *testing.T) {
	tt := startThreadTimes()
	deadline := time.Now().Add(300 * time.Millisecond)
	for time.Now().Before(deadline) {
	}
	by := tt.Stop()
	if by[""] <= 0 {
		t.Errorf("%v: no CPU counted for the process's own threads after 300 ms of spinning", by)
	}
}

func TestEngineThreadsText(t *testing.T) {
	by := map[string]time.Duration{"": 9 * time.Second, "MergeMutate": 1500 * time.Millisecond, "BgSchPool": 100 * time.Millisecond, "ThreadPool": 800 * time.Millisecond}
	if got, want := engineThreadsText(by), "2.4s (MergeMutate 1.5s, ThreadPool 0.8s, BgSchPool 0.1s)"; got != want {
		t.Errorf("engineThreadsText = %q, want %q", got, want)
	}
	if got := engineThreadsText(map[string]time.Duration{"": time.Second}); got != "" {
		t.Errorf("engineThreadsText of the process alone = %q, want \"\"", got)
	}
}
