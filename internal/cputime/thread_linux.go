package cputime

import (
	"syscall"
	"time"
)

// Thread returns the CPU time (user and system) of the calling OS thread
// and true. The caller locks its goroutine to the thread
// (runtime.LockOSThread) for the difference of two readings to be its
// own work.
func Thread() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_THREAD, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
