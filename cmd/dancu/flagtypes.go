package main

import (
	"fmt"
	"os"
	"runtime/debug"

	"github.com/dustin/go-humanize"
)

// byteSize is a flag holding a size in bytes, written in human units:
// 3GiB, 512MiB, 2GB, or a plain number of bytes.
type byteSize int64

func (b *byteSize) String() string {
	if *b == 0 {
		return "0"
	}
	return humanize.IBytes(uint64(*b))
}

func (b *byteSize) Set(s string) error {
	n, err := humanize.ParseBytes(s)
	if err != nil {
		return fmt.Errorf("want a size such as 3GiB, 512MiB or 0: %w", err)
	}
	if n > 1<<62 {
		return fmt.Errorf("size %s is too large", s)
	}
	*b = byteSize(n)
	return nil
}

func (b *byteSize) Type() string { return "size" }

// applyMemoryLimit sets the Go runtime's soft memory limit to b with GOGC
// 400 (collect rarely until near the limit: linking and the registry
// allocate many short-lived values); 0 leaves the runtime's defaults.
// GOGC in the environment still wins, as with raiseGCTarget, so that the
// collector's target can be tried at a scale without a rebuild (pipe19).
func applyMemoryLimit(b byteSize) {
	if b > 0 {
		debug.SetMemoryLimit(int64(b))
		if os.Getenv("GOGC") == "" {
			debug.SetGCPercent(400)
		}
	}
}
