package vietnamese

import (
	"unsafe"

	"github.com/dancu-vn/dancu/schemas"
)

// TouchRecord reads a byte of each cache line of r and the first byte of
// each text AddTo reads of it, and returns them combined (for the caller
// to keep, so that the loads are not dropped). A record is assembled on
// one core and derived on another: AddTo's first reads of its fields each
// waited on the line's transfer, one after the other (a third of derive's
// own perf samples on its first test of r). Touched one record ahead, the
// lines come while the record before is derived.
func TouchRecord(r *schemas.Record) byte {
	p := unsafe.Pointer(r)
	n := unsafe.Sizeof(*r)
	x := *(*byte)(unsafe.Add(p, n-1))
	for off := uintptr(0); off < n; off += 64 {
		x ^= *(*byte)(unsafe.Add(p, off))
	}
	for _, s := range [...]string{r.FullName, r.PermAddress, r.CurAddress, r.NativePlace, r.FatherName, r.MotherName, r.IDNumber, r.BirthDate} {
		if s != "" {
			x ^= s[0]
		}
	}
	return x
}
