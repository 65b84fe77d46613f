package schemas

import (
	"fmt"
	"reflect"
	"time"
	"unsafe"
)

// Columns returns rows[i], for i in idx (every row, in order, when idx is
// nil), column by column in the order of T's ch tags (Tags): one typed
// slice per column — []string, []uint16, []uint32, []uint64, []float32,
// []float64, []time.Time, []map[string]float32 or [][]string, as the
// field's Go type — which is what a column-wise batch insert appends
// (clickhouse-go's Batch.Column(i).Append). Appending a struct a row at
// a time (AppendStruct) looks every field up by reflection and boxes
// each value in an interface, an allocation per string; this reads the
// fields in place, as the Arrow codec does. T is any type EncodeRows
// takes.
func Columns[T any](rows []T, idx []int) ([]any, error) {
	c, err := codecFor(reflect.TypeOf((*T)(nil)).Elem())
	if err != nil {
		return nil, fmt.Errorf("columns: %w", err)
	}
	n := len(rows)
	if idx != nil {
		n = len(idx)
		for _, i := range idx {
			if i < 0 || i >= len(rows) {
				return nil, fmt.Errorf("columns: row %d of %d", i, len(rows))
			}
		}
	}
	rs := rowSlice{size: c.goType.Size()}
	if len(rows) > 0 {
		rs.base = unsafe.Pointer(&rows[0])
	}
	out := make([]any, len(c.fields))
	for j, f := range c.fields {
		switch f.kind {
		case kString:
			out[j] = gather[string](rs, f.offset, n, idx)
		case kUint16:
			out[j] = gather[uint16](rs, f.offset, n, idx)
		case kUint32:
			out[j] = gather[uint32](rs, f.offset, n, idx)
		case kUint64:
			out[j] = gather[uint64](rs, f.offset, n, idx)
		case kFloat32:
			out[j] = gather[float32](rs, f.offset, n, idx)
		case kFloat64:
			out[j] = gather[float64](rs, f.offset, n, idx)
		case kDate32, kTimestampMs:
			out[j] = gather[time.Time](rs, f.offset, n, idx)
		case kMapStringFloat32:
			out[j] = gather[map[string]float32](rs, f.offset, n, idx)
		case kListString:
			out[j] = gather[[]string](rs, f.offset, n, idx)
		case kListListString:
			out[j] = gather[[][]string](rs, f.offset, n, idx)
		default:
			return nil, fmt.Errorf("columns: %s: unsupported column kind %d", f.name, f.kind)
		}
	}
	return out, nil
}

// EachColumn calls fn with the columns Columns(rows, idx) returns, one
// at a time and in order (j is the column's position), each a slice of
// the same type and values, and stops at the first fn that returns
// false. The slices are reused: a column's slice holds the next column
// of its type once fn has returned, so fn must not keep it. For a
// caller that writes each column out before it reads the next (the load
// stage's Native blocks): Columns makes every column at once, as many
// bytes again as the rows themselves (~800 a record), all live while
// the insert is written; this makes one slice of each type.
func EachColumn[T any](rows []T, idx []int, fn func(j int, col any) bool) error {
	c, err := codecFor(reflect.TypeOf((*T)(nil)).Elem())
	if err != nil {
		return fmt.Errorf("columns: %w", err)
	}
	n := len(rows)
	if idx != nil {
		n = len(idx)
		for _, i := range idx {
			if i < 0 || i >= len(rows) {
				return fmt.Errorf("columns: row %d of %d", i, len(rows))
			}
		}
	}
	rs := rowSlice{size: c.goType.Size()}
	if len(rows) > 0 {
		rs.base = unsafe.Pointer(&rows[0])
	}
	for _, f := range c.fields {
		if !columnKind(f.kind) {
			return fmt.Errorf("columns: %s: unsupported column kind %d", f.name, f.kind)
		}
	}
	var (
		strs  []string
		u16s  []uint16
		u32s  []uint32
		u64s  []uint64
		f32s  []float32
		f64s  []float64
		times []time.Time
		maps  []map[string]float32
		lists [][]string
		lls   [][][]string
	)
	for j, f := range c.fields {
		var col any
		switch f.kind {
		case kString:
			strs = gatherInto(strs, rs, f.offset, n, idx)
			col = strs
		case kUint16:
			u16s = gatherInto(u16s, rs, f.offset, n, idx)
			col = u16s
		case kUint32:
			u32s = gatherInto(u32s, rs, f.offset, n, idx)
			col = u32s
		case kUint64:
			u64s = gatherInto(u64s, rs, f.offset, n, idx)
			col = u64s
		case kFloat32:
			f32s = gatherInto(f32s, rs, f.offset, n, idx)
			col = f32s
		case kFloat64:
			f64s = gatherInto(f64s, rs, f.offset, n, idx)
			col = f64s
		case kDate32, kTimestampMs:
			times = gatherInto(times, rs, f.offset, n, idx)
			col = times
		case kMapStringFloat32:
			maps = gatherInto(maps, rs, f.offset, n, idx)
			col = maps
		case kListString:
			lists = gatherInto(lists, rs, f.offset, n, idx)
			col = lists
		case kListListString:
			lls = gatherInto(lls, rs, f.offset, n, idx)
			col = lls
		}
		if !fn(j, col) {
			return nil
		}
	}
	return nil
}

// columnKind says whether Columns and EachColumn take a field of kind k.
func columnKind(k colKind) bool {
	switch k {
	case kString, kUint16, kUint32, kUint64, kFloat32, kFloat64, kDate32, kTimestampMs,
		kMapStringFloat32, kListString, kListListString:
		return true
	}
	return false
}

// gatherInto is gather into dst's array when it holds n values.
func gatherInto[V any](dst []V, rs rowSlice, offset uintptr, n int, idx []int) []V {
	if dst == nil || cap(dst) < n {
		return gather[V](rs, offset, n, idx)
	}
	out := dst[:n]
	if idx == nil {
		for k := range out {
			out[k] = *(*V)(rs.field(k, offset))
		}
		return out
	}
	for k, i := range idx {
		out[k] = *(*V)(rs.field(i, offset))
	}
	return out
}

// gather reads the field at offset of rows idx[k] (k, when idx is nil),
// k < n. codecFor checked that the field's Go type is V's.
func gather[V any](rs rowSlice, offset uintptr, n int, idx []int) []V {
	out := make([]V, n)
	if idx == nil {
		for k := range out {
			out[k] = *(*V)(rs.field(k, offset))
		}
		return out
	}
	for k, i := range idx {
		out[k] = *(*V)(rs.field(i, offset))
	}
	return out
}
