package pipelines

import (
	"regexp"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/ClickHouse/ch-go/proto"
	"github.com/ClickHouse/clickhouse-go/v2"

	"github.com/dancu-vn/dancu/schemas"
)

// nativeBlock encodes cols (schemas.Columns' typed slices, n rows) as one
// block of ClickHouse's Native format as the HTTP interface reads it
// (protocol revision 0: no block info), with the names and types of
// layout, into buf. It reports false when a column's type is not one it
// writes (the caller then goes through clickhouse-go's columns).
//
// clickhouse-go's column path copies each string into its column, grows
// the column by doubling, boxes every value of a LowCardinality column
// through reflection into a map keyed by interface, then copies the block
// into its buffer; here each string is copied once, into buf, and a
// LowCardinality column's dictionary is a map of strings. The values are
// converted by the same ch-go columns clickhouse-go uses (dates, times),
// so the engine receives the same data (TestNativeBlockSameRows).
func nativeBlock(buf *proto.Buffer, layout []clickhouse.ColumnNameAndType, cols []any, n int) bool {
	if len(layout) != len(cols) {
		return false
	}
	buf.PutInt(len(cols))
	buf.PutInt(n)
	for i, c := range cols {
		buf.PutString(layout[i].Name)
		buf.PutString(layout[i].Type)
		if !nativeColumn(buf, layout[i].Type, c) {
			return false
		}
	}
	return true
}

// nativeBlockRows is nativeBlock of schemas.Columns(rows, idx) (n rows),
// each column gathered as it is written (schemas.EachColumn) rather than
// all of them first: the same bytes, without a flush's columns — as many
// bytes again as its rows, ~80 MB for 100,000 records — all live beside
// the block while it is written and sent (pipe23). It reports false, as
// nativeBlock does, for a layout that is not the rows' columns or a
// column it does not write.
func nativeBlockRows[T any](buf *proto.Buffer, layout []clickhouse.ColumnNameAndType, rows []T, idx []int, n int) bool {
	var zero T
	if len(layout) != len(schemas.Tags(zero)) {
		return false
	}
	buf.PutInt(len(layout))
	buf.PutInt(n)
	ok := true
	if err := schemas.EachColumn(rows, idx, func(j int, c any) bool {
		buf.PutString(layout[j].Name)
		buf.PutString(layout[j].Type)
		ok = nativeColumn(buf, layout[j].Type, c)
		return ok
	}); err != nil {
		return false
	}
	return ok
}

// nativeColumn writes the data of one column of type typ.
func nativeColumn(buf *proto.Buffer, typ string, c any) bool {
	switch v := c.(type) {
	case []string:
		switch typ {
		case "String":
			putStrings(buf, v)
			return true
		case "LowCardinality(String)":
			return putLowCardinality(buf, v)
		}
	case []uint16:
		if typ == "UInt16" {
			proto.ColUInt16(v).EncodeColumn(buf)
			return true
		}
	case []uint32:
		if typ == "UInt32" {
			proto.ColUInt32(v).EncodeColumn(buf)
			return true
		}
	case []uint64:
		if typ == "UInt64" {
			proto.ColUInt64(v).EncodeColumn(buf)
			return true
		}
	case []float32:
		if typ == "Float32" {
			proto.ColFloat32(v).EncodeColumn(buf)
			return true
		}
	case []float64:
		if typ == "Float64" {
			proto.ColFloat64(v).EncodeColumn(buf)
			return true
		}
	case []time.Time:
		if typ == "Date" {
			col := make(proto.ColDate, 0, len(v))
			for _, t := range v {
				col.Append(t)
			}
			col.EncodeColumn(buf)
			return true
		}
		if typ == "Date32" {
			col := make(proto.ColDate32, 0, len(v))
			for _, t := range v {
				col.Append(t)
			}
			col.EncodeColumn(buf)
			return true
		}
		if m := dateTime64RE.FindStringSubmatch(typ); m != nil {
			p, _ := strconv.Atoi(m[1])
			col := (&proto.ColDateTime64{}).WithPrecision(proto.Precision(p))
			col.Data = make([]proto.DateTime64, 0, len(v))
			col.AppendArr(v)
			col.EncodeColumn(buf)
			return true
		}
	case []map[string]float32:
		if typ == "Map(String, Float32)" {
			putStringFloat32Maps(buf, v)
			return true
		}
	case [][]string:
		if typ == "Array(String)" {
			var off uint64
			for _, a := range v {
				off += uint64(len(a))
				buf.PutUInt64(off)
			}
			for _, a := range v {
				putStrings(buf, a)
			}
			return true
		}
	case [][][]string:
		if typ == "Array(Array(String))" {
			var off uint64
			for _, a := range v {
				off += uint64(len(a))
				buf.PutUInt64(off)
			}
			off = 0
			for _, a := range v {
				for _, b := range a {
					off += uint64(len(b))
					buf.PutUInt64(off)
				}
			}
			for _, a := range v {
				for _, b := range a {
					putStrings(buf, b)
				}
			}
			return true
		}
	}
	return false
}

var dateTime64RE = regexp.MustCompile(`^DateTime64\(([0-9])(?:, '[^']*')?\)$`)

// putStrings writes a String column: each value's length, then its bytes.
func putStrings(buf *proto.Buffer, v []string) {
	size := 0
	for _, s := range v {
		size += len(s) + 1
		if len(s) > 127 {
			size += 2
		}
	}
	buf.Buf = slices.Grow(buf.Buf, size)
	for _, s := range v {
		buf.PutString(s)
	}
}

// putLowCardinality writes a LowCardinality(String) column the way
// ch-go's ColLowCardinality does (and so clickhouse-go): the state
// (shared dictionaries with additional keys), then the index type, the
// dictionary (the empty string first, as clickhouse-go's column holds
// it), the number of rows and each row's position in the dictionary.
func putLowCardinality(buf *proto.Buffer, v []string) bool {
	dict := lcDictPool.Get().(*lcDict)
	defer lcDictPool.Put(dict)
	clear(dict.pos)
	dict.keys = dict.keys[:0]
	dict.values = append(dict.values[:0], "")
	dict.pos[""] = 0
	for _, s := range v {
		k, ok := dict.pos[s]
		if !ok {
			k = len(dict.values)
			dict.pos[s] = k
			dict.values = append(dict.values, s)
		}
		dict.keys = append(dict.keys, k)
	}
	const (
		sharedDictionariesWithAdditionalKeys = 1
		hasAdditionalKeysBit                 = 1 << 9
		needUpdateDictionaryBit              = 1 << 10
	)
	buf.PutInt64(sharedDictionariesWithAdditionalKeys)
	var keyType int64
	switch d := len(dict.values); {
	case d <= 1<<8:
		keyType = 0
	case d <= 1<<16:
		keyType = 1
	case d <= 1<<32:
		keyType = 2
	default:
		return false
	}
	buf.PutInt64(keyType | hasAdditionalKeysBit | needUpdateDictionaryBit)
	buf.PutInt64(int64(len(dict.values)))
	putStrings(buf, dict.values)
	buf.PutInt64(int64(len(v)))
	for _, k := range dict.keys {
		switch keyType {
		case 0:
			buf.PutUInt8(uint8(k))
		case 1:
			buf.PutUInt16(uint16(k))
		default:
			buf.PutUInt32(uint32(k))
		}
	}
	return true
}

type lcDict struct {
	pos    map[string]int
	values []string
	keys   []int
}

var lcDictPool = sync.Pool{New: func() any { return &lcDict{pos: map[string]int{}} }}

// putStringFloat32Maps writes a Map(String, Float32) column: the
// cumulative entry counts, then the keys, then the values, each map's
// entries in Go's iteration order (as clickhouse-go's column takes them;
// a Map keeps its entries in the order they came, so a reader that
// compares maps sorts them, mapSort).
func putStringFloat32Maps(buf *proto.Buffer, v []map[string]float32) {
	var off uint64
	for _, m := range v {
		off += uint64(len(m))
		buf.PutUInt64(off)
	}
	values := make([]float32, 0, off)
	for _, m := range v {
		for k, f := range m {
			buf.PutString(k)
			values = append(values, f)
		}
	}
	proto.ColFloat32(values).EncodeColumn(buf)
}
