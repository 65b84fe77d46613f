package registry

import (
	"encoding/binary"
	"time"
)

// valueReader reads the registry's encoded values: what encodePersonBatch
// and encodeRecordDeltas write, and the saved set of blocks' frames
// (blockset.go). A value cut short makes every later read return zero
// and ok false.
type valueReader struct {
	b   []byte
	bad bool
}

func (r *valueReader) ok() bool { return !r.bad }

func (r *valueReader) uvarint() uint64 {
	x, n := binary.Uvarint(r.b)
	if n <= 0 || r.bad {
		r.bad = true
		return 0
	}
	r.b = r.b[n:]
	return x
}

// count reads a number of rows, refused (ok false) when more than the
// bytes left could hold.
func (r *valueReader) count() int {
	n := r.uvarint()
	if n > uint64(len(r.b)) {
		r.bad = true
		return 0
	}
	return int(n)
}

func (r *valueReader) str() string {
	l := r.uvarint()
	if r.bad || l > uint64(len(r.b)) {
		r.bad = true
		return ""
	}
	s := string(r.b[:l])
	r.b = r.b[l:]
	return s
}

func (r *valueReader) byte() byte {
	if r.bad || len(r.b) < 1 {
		r.bad = true
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

// day reads a Unix day (binary.AppendVarint of Unix()/86400) as midnight UTC.
func (r *valueReader) day() time.Time {
	x := r.varint()
	if r.bad {
		return time.Time{}
	}
	return time.Unix(x*86400, 0).UTC()
}

func (r *valueReader) varint() int64 {
	x, n := binary.Varint(r.b)
	if n <= 0 || r.bad {
		r.bad = true
		return 0
	}
	r.b = r.b[n:]
	return x
}

// u64 reads 8 bytes, little-endian.
func (r *valueReader) u64() uint64 {
	if r.bad || len(r.b) < 8 {
		r.bad = true
		return 0
	}
	x := binary.LittleEndian.Uint64(r.b)
	r.b = r.b[8:]
	return x
}

// bytes reads n bytes (shared with the value read).
func (r *valueReader) bytes(n uint64) []byte {
	if r.bad || uint64(len(r.b)) < n {
		r.bad = true
		return nil
	}
	x := r.b[:n]
	r.b = r.b[n:]
	return x
}
