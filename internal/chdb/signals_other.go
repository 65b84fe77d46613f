//go:build !linux

package chdb

// libchdb is built for Linux only; elsewhere there is nothing to guard.
type sigState struct{}

func saveSignals() *sigState { return &sigState{} }

func restoreSignals(*sigState) bool { return false }
