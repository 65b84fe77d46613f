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
