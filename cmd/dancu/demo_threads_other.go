//go:build !linux

package main

import "time"

// threadTimes is not measured outside Linux.
type threadTimes struct{}

func startThreadTimes() *threadTimes { return &threadTimes{} }

// Stop returns nothing: no thread is measured.
func (t *threadTimes) Stop() map[string]time.Duration { return nil }
