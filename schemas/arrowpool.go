package schemas

import (
	"bytes"
	"math/bits"
	"sync"

	"github.com/apache/arrow/go/v15/arrow/memory"
)

// poolAllocator is a memory.Allocator that hands the Arrow codec buffers
// from pools by size class (powers of two from 4 KiB to 16 MiB), zeroed
// as Go's allocator gives them, and takes them back when Arrow frees
// them. A records message of 2,000 rows allocated 4.8 MB to encode for
// about 470 kB on the wire: each column's buffers, each buffer's
// compressed copy (allocated at its largest possible size) and the output
// grown by doubling, all garbage as soon as the message is written. The
// codec frees every buffer it allocates before it returns and copies what
// it keeps (the encoded bytes, the decoded strings), so no buffer is in
// use when it goes back to its pool.
type poolAllocator struct {
	classes [poolClasses]sync.Pool
}

const (
	poolMinShift = 12 // 4 KiB
	poolClasses  = 13 // up to 16 MiB
)

var arrowPool = new(poolAllocator)

var _ memory.Allocator = (*poolAllocator)(nil)

// class returns the pool of buffers of capacity 1<<(poolMinShift+c) that
// holds size bytes, or -1 when size is outside the pools.
func poolClass(size int) int {
	if size <= 1<<poolMinShift {
		if size <= 0 {
			return -1
		}
		return 0
	}
	c := bits.Len(uint(size-1)) - poolMinShift
	if c >= poolClasses {
		return -1
	}
	return c
}

func (p *poolAllocator) Allocate(size int) []byte {
	c := poolClass(size)
	if c < 0 {
		return make([]byte, size)
	}
	if b, ok := p.classes[c].Get().([]byte); ok {
		b = b[:size]
		clear(b)
		return b
	}
	return make([]byte, size, 1<<(poolMinShift+c))
}

func (p *poolAllocator) Reallocate(size int, b []byte) []byte {
	if size <= cap(b) {
		n := len(b)
		b = b[:size]
		if size > n {
			clear(b[n:]) // a freed tail of a reused buffer may hold old bytes
		}
		return b
	}
	nb := p.Allocate(size)
	copy(nb, b)
	p.Free(b)
	return nb
}

func (p *poolAllocator) Free(b []byte) {
	c := poolClass(cap(b))
	if c < 0 || cap(b) != 1<<(poolMinShift+c) {
		return // not from a pool
	}
	p.classes[c].Put(b[:0]) //nolint:staticcheck // a slice header's allocation is nothing beside the buffer
}

// outBufs are the buffers messages are encoded into before they are
// copied out at their size.
var outBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledOut bounds the capacity of an encoding buffer kept for reuse.
const maxPooledOut = 16 << 20
