//go:build !unix

package broker

import "errors"

// ErrDataDirLocked is returned when another broker uses the data directory.
var ErrDataDirLocked = errors.New("data dir in use by another broker")

// lockDir is a no-op where flock is unavailable.
func lockDir(string) (func() error, error) { return func() error { return nil }, nil }
