package address

import "unsafe"

// prefetchLines asks the processor to fetch the cache line at set and the
// four at ents into its caches, without waiting for them (PREFETCHT0).
//
//go:noescape
func prefetchLines(set, ents unsafe.Pointer)
