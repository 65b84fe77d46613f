//go:build unix

package broker

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// ErrDataDirLocked is returned when another broker uses the data directory.
var ErrDataDirLocked = errors.New("data dir in use by another broker")

// lockDir takes an exclusive advisory lock on path. The kernel releases it
// when the process dies, so a killed broker never leaves a stale lock.
func lockDir(path string) (func() error, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open lock file: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, ErrDataDirLocked
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return f.Close, nil
}
