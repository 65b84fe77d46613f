package main

import (
	"syscall"
	"time"
)

// threadCPU returns the CPU time of the calling thread (user and
// system), and true; the caller locks its goroutine to the thread
// (runtime.LockOSThread) for a difference of two readings to be its own.
func threadCPU() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_THREAD, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
