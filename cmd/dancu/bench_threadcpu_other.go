//go:build !linux

package main

import "time"

// threadCPU is not measured outside Linux (no per-thread rusage).
func threadCPU() (time.Duration, bool) { return 0, false }
