package strtab

import (
	"slices"
	"unsafe"
)

// MaxBytes is the most text a Table holds (its ends are 32-bit).
const MaxBytes = 1<<32 - 1

// Table is a list of strings stored back to back. The zero Table is
// empty and ready to use. Strings are copied in; bytes once written
// never change, so At hands out strings that alias the table without
// copying (a caller that keeps one longer than the table clones it, or
// the table's array stays alive as long).
type Table struct {
	b   []byte
	end []uint32 // end[i] is the end of string i in b; it starts at end[i-1] (0 for the first)
}

// Len returns the number of strings.
func (t *Table) Len() int { return len(t.end) }

// Bytes returns the total length of the strings.
func (t *Table) Bytes() int { return len(t.b) }

// At returns string i; it aliases the table.
func (t *Table) At(i int) string {
	lo := uint32(0)
	if i > 0 {
		lo = t.end[i-1]
	}
	hi := t.end[i]
	if lo == hi {
		return ""
	}
	return unsafe.String(&t.b[lo], int(hi-lo))
}

// FirstByte returns the first byte of string i, or 0 when it is empty,
// without making a string of it.
func (t *Table) FirstByte(i int) byte {
	lo := uint32(0)
	if i > 0 {
		lo = t.end[i-1]
	}
	if lo == t.end[i] {
		return 0
	}
	return t.b[lo]
}

// Add appends s and returns its index, or false, adding nothing, when
// the table would hold more than MaxBytes.
func (t *Table) Add(s string) (int, bool) {
	if len(t.b)+len(s) > MaxBytes {
		return 0, false
	}
	t.b = append(t.b, s...)
	t.end = append(t.end, uint32(len(t.b)))
	return len(t.end) - 1, true
}

// Grow makes room for n more strings as long as those held on average
// (a table still empty, or holding only empty strings, with avg > 0: as
// long as avg).
func (t *Table) Grow(n, avg int) {
	if n <= 0 {
		return
	}
	if len(t.end) > 0 && (len(t.b) > 0 || avg <= 0) {
		avg = (len(t.b) + len(t.end) - 1) / len(t.end)
	}
	t.end = slices.Grow(t.end, n)
	t.b = slices.Grow(t.b, min(n*avg, MaxBytes-len(t.b)))
}

// Cap returns how many strings the table holds without growing.
func (t *Table) Cap() int { return cap(t.end) }

// Clip gives back the room Grow made beyond the strings held, when it
// is more than an eighth of them (it copies the table once).
func (t *Table) Clip() {
	if cap(t.end)-len(t.end) > len(t.end)/8 {
		t.end = slices.Clone(t.end)
	}
	if cap(t.b)-len(t.b) > len(t.b)/8 {
		t.b = slices.Clone(t.b)
	}
}
