package pipelines

import (
	"cmp"
	"errors"
	"io/fs"
	"sync/atomic"
	"syscall"

	"github.com/dancu-vn/dancu/registry"
)

// A full disk under the registry's or a score instance's Pebble store:
// Pebble panics when a write to its log, or a new log, fails ("panic:
// write …/registry/000002.log: no space left on device", from
// DB.rotateWAL or DB.commitWrite), on the goroutine that commits, with
// its own locks held. The process died with a Go panic and its stack,
// saying nothing of what to do (user16, an operator's bad week). The
// store cannot be used after it, not even closed (Close waits for the
// lock the panic left held), so the guard turns that panic into a
// StoreFailure error, refuses every later use of the store, and the
// stage stops with the error: the process ends with it, exit status 1.
// Nothing the failed write held was committed — a registry batch is one
// Pebble commit, and the input's offsets are committed after it — so
// once space is freed the next start resumes from what was committed.

// StoreFailure is the error of a stage whose on-disk store failed.
type StoreFailure struct {
	What string // "registry", "score store"
	Err  error  // the write that failed
}

// Error says why the store failed and the way out, by the failure's
// errno (registry.StoreFailureMessage, which Pebble's own fatal errors
// say too).
func (e *StoreFailure) Error() string { return registry.StoreFailureMessage(e.What, e.Err) }

func (e *StoreFailure) Unwrap() error { return e.Err }

// diskFailure is the error a panic value p carries when it is a failed
// file operation (a full disk, an I/O error, a read-only file system),
// nil for any other panic, which is a bug and stays a panic.
func diskFailure(p any) error {
	err, ok := p.(error)
	if !ok {
		return nil
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return err
	}
	for _, e := range []error{syscall.ENOSPC, syscall.EDQUOT, syscall.EIO, syscall.EROFS} {
		if errors.Is(err, e) {
			return err
		}
	}
	return nil
}

// storeGuard watches one Pebble store's writes (guarded).
type storeGuard struct {
	what   string // what the store is; "" is the registry
	failed atomic.Pointer[StoreFailure]
}

// err is the store's failure, nil while it works.
func (g *storeGuard) err() error {
	if f := g.failed.Load(); f != nil {
		return f
	}
	return nil
}

// guarded runs f, a use of the store g watches: a disk failure's panic
// becomes g's StoreFailure, returned by this and every later call
// without running f (the store's locks are held by the panic).
func guarded[T any](g *storeGuard, f func() (T, error)) (v T, err error) {
	if err := g.err(); err != nil {
		return v, err
	}
	defer func() {
		if p := recover(); p != nil {
			e := diskFailure(p)
			if e == nil {
				panic(p)
			}
			sf := &StoreFailure{What: cmp.Or(g.what, "registry"), Err: e}
			g.failed.CompareAndSwap(nil, sf)
			err = g.err()
		}
	}()
	return f()
}
