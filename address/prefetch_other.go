//go:build !amd64

package address

import "unsafe"

// prefetchLines does nothing where no prefetch instruction is written.
func prefetchLines(set, ents unsafe.Pointer) {}
