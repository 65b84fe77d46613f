//go:build !linux

package address

import "unsafe"

// adviseHuge does nothing where madvise is not called.
func adviseHuge(p unsafe.Pointer, n uintptr) {}
