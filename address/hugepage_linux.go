package address

import (
	"syscall"
	"unsafe"
)

// adviseHuge asks the kernel to back the n bytes at p with huge pages
// (madvise MADV_HUGEPAGE: transparent huge pages are often enabled only
// where asked for), before they are first touched. A refusal is no error:
// the memory works the same with small pages.
func adviseHuge(p unsafe.Pointer, n uintptr) {
	_ = syscall.Madvise(unsafe.Slice((*byte)(p), n), syscall.MADV_HUGEPAGE)
}
