package main

import (
	"bytes"
	"os"
	"strconv"
	"sync"
	"time"
)

// threadTimes samples, about once a second, the CPU time of each of the
// process's threads (/proc/self/task/*/stat) and sums it by thread name.
// The Go runtime's threads all carry the process's name; the embedded
// ClickHouse names its own (MergeMutate for the merges, QueryPipelineEx,
// BgSchPool…), renaming a pooled thread for each job, so the time a
// thread spent between two samples counts under its name at the second.
// A query the engine runs on the calling goroutine's thread counts as
// the process's, as does the last second of a thread that ends.
type threadTimes struct {
	self string // the process's own name

	mu   sync.Mutex
	last map[int]uint64 // thread id → clock ticks at the last sample
	by   map[string]uint64
	stop chan struct{}
	done chan struct{}
}

// clockTicks is USER_HZ, the unit of utime and stime in /proc: 100 on
// every Linux platform Go supports.
const clockTicks = 100

func startThreadTimes() *threadTimes {
	comm, _ := os.ReadFile("/proc/self/comm")
	t := &threadTimes{self: string(bytes.TrimSpace(comm)), last: map[int]uint64{}, by: map[string]uint64{},
		stop: make(chan struct{}), done: make(chan struct{})}
	t.sample()
	clear(t.by) // from now on
	go func() {
		defer close(t.done)
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			select {
			case <-t.stop:
				t.sample()
				return
			case <-tick.C:
				t.sample()
			}
		}
	}()
	return t
}

// sample adds each thread's ticks since the last sample to its name.
func (t *threadTimes) sample() {
	dir, err := os.ReadDir("/proc/self/task")
	if err != nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, e := range dir {
		tid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile("/proc/self/task/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		name, ticks, ok := parseStat(b)
		if !ok {
			continue
		}
		prev, seen := t.last[tid]
		t.last[tid] = ticks
		if !seen {
			prev = 0 // a thread started since the last sample
		}
		if ticks > prev {
			t.by[name] += ticks - prev
		}
	}
}

// parseStat reads the name and utime+stime of a /proc/…/stat line. The
// name is in parentheses and may itself hold spaces or parentheses.
func parseStat(b []byte) (string, uint64, bool) {
	open, close := bytes.IndexByte(b, '('), bytes.LastIndexByte(b, ')')
	if open < 0 || close < open {
		return "", 0, false
	}
	f := bytes.Fields(b[close+1:])
	// After the name: state(3) ppid … utime is field 14, stime 15 of the
	// line, so 11 and 12 of f (f[0] is field 3).
	if len(f) < 13 {
		return "", 0, false
	}
	u, err1 := strconv.ParseUint(string(f[11]), 10, 64)
	s, err2 := strconv.ParseUint(string(f[12]), 10, 64)
	if err1 != nil || err2 != nil {
		return "", 0, false
	}
	return string(b[open+1 : close]), u + s, true
}

// Stop takes a last sample and returns the CPU time by thread name since
// start, the process's own threads under "".
func (t *threadTimes) Stop() map[string]time.Duration {
	close(t.stop)
	<-t.done
	t.mu.Lock()
	defer t.mu.Unlock()
	out := map[string]time.Duration{}
	for name, ticks := range t.by {
		if name == t.self {
			name = ""
		}
		out[name] += time.Duration(ticks) * time.Second / clockTicks
	}
	return out
}
