package schemas

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/ipc"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// Arrow schema metadata keys carried by every batch on the Kafka wire.
const (
	// MetaSchemaVersion holds Version, in decimal, of the writer.
	MetaSchemaVersion = "dancu.schema_version"
	// MetaRowType names the Go type of the rows: "record", "reject",
	// "person", "link", "conflict".
	MetaRowType = "dancu.row_type"
)

// ErrUnknownSchemaVersion is returned when a batch was written with a
// schema version this build cannot read.
var ErrUnknownSchemaVersion = errors.New("unknown schema version")

// ErrSchemaMismatch is returned when a batch's Arrow schema differs from
// the one its version and row type call for.
var ErrSchemaMismatch = errors.New("arrow schema mismatch")

// readableVersions are the schema versions this build decodes. Add the old
// version here, with a conversion, when Version is bumped. A batch of an
// older version holds the first fields of the current schema (fields are
// only ever added at the end: version 1's records lack household_no and
// remark, version 2's conflicts their records' provinces); the fields it
// lacks are read as their zero value.
var readableVersions = map[int]bool{1: true, 2: true, Version: true}

// Arrow types of ClickHouse types, for the records table. LowCardinality
// strings are plain utf8 on the wire: LZ4 already folds their repeats,
// and a dictionary would be rebuilt per batch anyway.
//
// Times: DateTime64(3) is timestamp[ms, UTC] (sub-millisecond precision
// and the time zone are dropped); Date32 is date32, the calendar date of
// the time in its own location. A zero time.Time is null, so it comes back
// zero. A nil map or slice is null and an empty one is empty, so both come
// back as they went.
func arrowTypeOf(chType string) (arrow.DataType, colKind, error) {
	t := strings.TrimSpace(chType)
	if inner, ok := strings.CutPrefix(t, "LowCardinality("); ok {
		t = strings.TrimSuffix(inner, ")")
	}
	switch t {
	case "String":
		return arrow.BinaryTypes.String, kString, nil
	case "UInt16":
		return arrow.PrimitiveTypes.Uint16, kUint16, nil
	case "UInt32":
		return arrow.PrimitiveTypes.Uint32, kUint32, nil
	case "UInt64":
		return arrow.PrimitiveTypes.Uint64, kUint64, nil
	case "Float32":
		return arrow.PrimitiveTypes.Float32, kFloat32, nil
	case "Float64":
		return arrow.PrimitiveTypes.Float64, kFloat64, nil
	case "Date32", "Date":
		return arrow.FixedWidthTypes.Date32, kDate32, nil
	case "DateTime64(3)", "DateTime64(3, 'UTC')":
		return timestampMs, kTimestampMs, nil
	case "Map(String, Float32)":
		return mapStringFloat32(), kMapStringFloat32, nil
	case "Array(String)":
		return listString, kListString, nil
	case "Array(Array(String))":
		return listListString, kListListString, nil
	}
	return nil, 0, fmt.Errorf("no Arrow type for ClickHouse type %s", chType)
}

var (
	timestampMs    = &arrow.TimestampType{Unit: arrow.Millisecond, TimeZone: "UTC"}
	listString     = arrow.ListOfNonNullable(arrow.BinaryTypes.String) // Array(String) items are not Nullable
	listListString = arrow.ListOfNonNullable(listString)
	timeType       = reflect.TypeOf(time.Time{})
)

func mapStringFloat32() *arrow.MapType {
	t := arrow.MapOf(arrow.BinaryTypes.String, arrow.PrimitiveTypes.Float32)
	t.KeysSorted = true
	t.SetItemNullable(false) // ClickHouse Map values are not Nullable
	return t
}

// colKind is how a column moves between a Go field and an Arrow array.
type colKind int

const (
	kString colKind = iota + 1
	kUint16
	kUint32
	kUint64
	kFloat32
	kFloat64
	kDate32
	kTimestampMs
	kMapStringFloat32
	kListString
	kListListString
)

// goKind is the Go field type each kind reads and writes.
var goKind = map[colKind]reflect.Type{
	kString:           reflect.TypeOf(""),
	kUint16:           reflect.TypeOf(uint16(0)),
	kUint32:           reflect.TypeOf(uint32(0)),
	kUint64:           reflect.TypeOf(uint64(0)),
	kFloat32:          reflect.TypeOf(float32(0)),
	kFloat64:          reflect.TypeOf(float64(0)),
	kDate32:           timeType,
	kTimestampMs:      timeType,
	kMapStringFloat32: reflect.TypeOf(map[string]float32(nil)),
	kListString:       reflect.TypeOf([]string(nil)),
	kListListString:   reflect.TypeOf([][]string(nil)),
}

// kindOfGo is the column kind of a Go field type in tables without a
// column list: time.Time is a millisecond timestamp.
func kindOfGo(t reflect.Type) (arrow.DataType, colKind, bool) {
	switch t {
	case goKind[kString]:
		return arrow.BinaryTypes.String, kString, true
	case goKind[kUint16]:
		return arrow.PrimitiveTypes.Uint16, kUint16, true
	case goKind[kUint32]:
		return arrow.PrimitiveTypes.Uint32, kUint32, true
	case goKind[kUint64]:
		return arrow.PrimitiveTypes.Uint64, kUint64, true
	case goKind[kFloat32]:
		return arrow.PrimitiveTypes.Float32, kFloat32, true
	case goKind[kFloat64]:
		return arrow.PrimitiveTypes.Float64, kFloat64, true
	case timeType:
		return timestampMs, kTimestampMs, true
	case goKind[kMapStringFloat32]:
		return mapStringFloat32(), kMapStringFloat32, true
	case goKind[kListString]:
		return listString, kListString, true
	case goKind[kListListString]:
		return listListString, kListListString, true
	}
	return nil, 0, false
}

type fieldCodec struct {
	name   string
	offset uintptr // of the field in the struct; its type is goKind[kind], checked in codecFor
	kind   colKind
}

// rowCodec moves one row type between Go structs and Arrow batches.
type rowCodec struct {
	rowType string
	goType  reflect.Type
	fields  []fieldCodec
	schema  *arrow.Schema
}

var codecs sync.Map // reflect.Type → *rowCodec

var recordType = reflect.TypeOf(Record{})

// codecFor builds (once) the codec of the struct type t from its ch tags.
// Record's column types come from RecordColumns; other tables' from the Go
// field types.
func codecFor(t reflect.Type) (*rowCodec, error) {
	if c, ok := codecs.Load(t); ok {
		return c.(*rowCodec), nil
	}
	if t.Kind() != reflect.Struct {
		return nil, fmt.Errorf("row type %s: not a struct", t)
	}
	c := &rowCodec{rowType: strings.ToLower(t.Name()), goType: t}
	var chTypes map[string]string
	if t == recordType {
		chTypes = make(map[string]string, len(RecordColumns))
		for _, col := range RecordColumns {
			chTypes[col.Name] = col.CHType
		}
	}
	var fields []arrow.Field
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		tag := strings.Split(sf.Tag.Get("ch"), ",")[0]
		if tag == "" || tag == "-" {
			continue
		}
		var (
			dt   arrow.DataType
			kind colKind
		)
		if chTypes != nil {
			ch, ok := chTypes[tag]
			if !ok {
				return nil, fmt.Errorf("row type %s: field %s: column %s not in RecordColumns", t, sf.Name, tag)
			}
			var err error
			if dt, kind, err = arrowTypeOf(ch); err != nil {
				return nil, fmt.Errorf("row type %s: column %s: %w", t, tag, err)
			}
			if sf.Type != goKind[kind] { // the unsafe field access below relies on this
				return nil, fmt.Errorf("row type %s: column %s is %s but field %s is %s", t, tag, ch, sf.Name, sf.Type)
			}
		} else {
			var ok bool
			if dt, kind, ok = kindOfGo(sf.Type); !ok { // sf.Type == goKind[kind]
				return nil, fmt.Errorf("row type %s: field %s: no Arrow type for Go type %s", t, sf.Name, sf.Type)
			}
		}
		nullable := kind == kDate32 || kind == kTimestampMs || kind == kMapStringFloat32 || kind == kListString || kind == kListListString
		fields = append(fields, arrow.Field{Name: tag, Type: dt, Nullable: nullable})
		c.fields = append(c.fields, fieldCodec{name: tag, offset: sf.Offset, kind: kind})
	}
	md := arrow.NewMetadata(
		[]string{MetaSchemaVersion, MetaRowType},
		[]string{strconv.Itoa(Version), c.rowType},
	)
	c.schema = arrow.NewSchema(fields, &md)
	got, _ := codecs.LoadOrStore(t, c)
	return got.(*rowCodec), nil
}

// RecordArrowSchema returns the Arrow schema of Record batches: one field
// per RecordColumns entry, in order, with the schema version and row type
// in the metadata.
func RecordArrowSchema() *arrow.Schema {
	c, err := codecFor(recordType)
	if err != nil {
		// RecordColumns and Record disagree: a programming error that
		// TestArrowSchemaMatchesRecordColumns catches before release.
		panic(fmt.Sprintf("schemas: %v", err))
	}
	return c.schema
}

// ArrowSchema returns the Arrow schema of batches of T (Record, Reject,
// Person, Link, Conflict or any struct whose ch-tagged fields have
// supported types).
func ArrowSchema[T any]() (*arrow.Schema, error) {
	c, err := codecFor(reflect.TypeOf((*T)(nil)).Elem())
	if err != nil {
		return nil, err
	}
	return c.schema, nil
}

// EncodeRecords encodes records as one Arrow IPC stream with a single
// LZ4-compressed record batch: the value of a dancu.records message.
func EncodeRecords(rs []Record) ([]byte, error) { return EncodeRows(rs) }

// DecodeRecords decodes an Arrow IPC stream written by EncodeRecords. It
// rejects a batch of another schema version (ErrUnknownSchemaVersion),
// row type or shape (ErrSchemaMismatch), and corrupt bytes, with an error
// rather than a panic.
func DecodeRecords(b []byte) ([]Record, error) { return DecodeRows[Record](b) }

// EncodeRecordPtrs is EncodeRecords of the records rs point to: the same
// bytes, for a caller that holds its records by pointer (the import,
// which hands each record back to its reader once encoded) and would
// otherwise copy each into a slice first.
func EncodeRecordPtrs(rs []*Record) ([]byte, error) { return EncodeRowPtrs(rs) }

// EncodeRows encodes rows as one Arrow IPC stream with a single
// LZ4-compressed record batch, columns named by the ch tags of T.
func EncodeRows[T any](rows []T) ([]byte, error) {
	c, err := codecFor(reflect.TypeOf((*T)(nil)).Elem())
	if err != nil {
		return nil, fmt.Errorf("encode rows: %w", err)
	}
	b, err := c.encode(reflect.ValueOf(rows))
	if err != nil {
		return nil, fmt.Errorf("encode %s batch: %w", c.rowType, err)
	}
	return b, nil
}

// EncodeRowPtrs is EncodeRows of the rows rows point to (none nil): the
// same bytes.
func EncodeRowPtrs[T any](rows []*T) ([]byte, error) {
	c, err := codecFor(reflect.TypeOf((*T)(nil)).Elem())
	if err != nil {
		return nil, fmt.Errorf("encode rows: %w", err)
	}
	rs := rowSlice{ptrs: []unsafe.Pointer{}}
	if len(rows) > 0 {
		// a *T is one pointer, as an unsafe.Pointer is
		rs.ptrs = unsafe.Slice((*unsafe.Pointer)(unsafe.Pointer(unsafe.SliceData(rows))), len(rows))
	}
	b, err := c.encodeRows(rs, len(rows))
	if err != nil {
		return nil, fmt.Errorf("encode %s batch: %w", c.rowType, err)
	}
	return b, nil
}

// DecodeRows decodes an Arrow IPC stream of rows of T written by
// EncodeRows. See DecodeRecords for what it rejects.
func DecodeRows[T any](b []byte) ([]T, error) {
	c, err := codecFor(reflect.TypeOf((*T)(nil)).Elem())
	if err != nil {
		return nil, fmt.Errorf("decode rows: %w", err)
	}
	var out []T
	if err := c.decode(b, func(n int) reflect.Value {
		if out == nil {
			out = make([]T, n)
		} else {
			out = append(out, make([]T, n)...)
		}
		return reflect.ValueOf(out[len(out)-n:])
	}); err != nil {
		return nil, fmt.Errorf("decode %s batch: %w", c.rowType, err)
	}
	return out, nil
}

// DecodeRowsInto decodes an Arrow IPC stream of rows of T, as DecodeRows,
// into rows the caller provides: for each record batch of b, in order,
// rows(n) returns n zeroed rows, which the batch's rows are written into.
// It lets a consumer decode consecutive messages into one array (the
// match stage's micro-batch) instead of a slice each joined later. On an
// error the rows handed out may hold part of b.
func DecodeRowsInto[T any](b []byte, rows func(n int) []T) error {
	c, err := codecFor(reflect.TypeOf((*T)(nil)).Elem())
	if err != nil {
		return fmt.Errorf("decode rows: %w", err)
	}
	if err := c.decode(b, func(n int) reflect.Value {
		out := rows(n)
		if len(out) != n {
			panic(fmt.Sprintf("DecodeRowsInto: %d rows given for %d", len(out), n))
		}
		return reflect.ValueOf(out)
	}); err != nil {
		return fmt.Errorf("decode %s batch: %w", c.rowType, err)
	}
	return nil
}

// BatchInfo describes an encoded batch without decoding its rows.
type BatchInfo struct {
	RowType       string // MetaRowType: "record", "person", ...
	SchemaVersion int    // MetaSchemaVersion
}

// PeekBatch reads the schema of an encoded batch, so that a consumer of a
// topic carrying several row types (dancu.matched) can pick the decoder.
func PeekBatch(b []byte) (info BatchInfo, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("peek batch: corrupt Arrow IPC stream: %v", r)
		}
	}()
	if err := checkStream(b); err != nil {
		return BatchInfo{}, fmt.Errorf("peek batch: corrupt Arrow IPC stream: %w", err)
	}
	r, err := ipc.NewReader(bytes.NewReader(b), ipc.WithAllocator(newCappedAllocator(len(b))))
	if err != nil {
		return BatchInfo{}, fmt.Errorf("peek batch: read Arrow IPC schema: %w", err)
	}
	defer r.Release()
	md := r.Schema().Metadata()
	info.RowType = metaValue(md, MetaRowType)
	v := metaValue(md, MetaSchemaVersion)
	if info.SchemaVersion, err = strconv.Atoi(v); err != nil {
		return info, fmt.Errorf("peek batch: %s %q: %w", MetaSchemaVersion, v, ErrUnknownSchemaVersion)
	}
	return info, nil
}

func metaValue(md arrow.Metadata, key string) string {
	if i := md.FindKey(key); i >= 0 {
		return md.Values()[i]
	}
	return ""
}

// rowSlice addresses the fields of the elements of a []T. codecFor checked
// that every field it reads or writes has the Go type of its column kind,
// which makes the unsafe casts below sound; they replace reflect.Value
// calls that cost more than the Arrow work itself.
// With ptrs set (EncodeRowPtrs) it addresses the elements ptrs point to
// instead.
type rowSlice struct {
	base unsafe.Pointer   // first element
	size uintptr          // of one element
	ptrs []unsafe.Pointer // the elements, when not one array
}

func (r rowSlice) field(i int, offset uintptr) unsafe.Pointer {
	return unsafe.Add(r.row(i), offset)
}

// row returns the address of the i-th element.
func (r rowSlice) row(i int) unsafe.Pointer {
	if r.ptrs != nil {
		return r.ptrs[i]
	}
	return unsafe.Add(r.base, uintptr(i)*r.size)
}

// encode writes the slice rows as one record batch.
func (c *rowCodec) encode(rows reflect.Value) ([]byte, error) {
	n := rows.Len()
	rs := rowSlice{size: c.goType.Size()}
	if n > 0 {
		rs.base = rows.UnsafePointer()
	}
	return c.encodeRows(rs, n)
}

// encodeRows writes the n rows of rs as one record batch.
func (c *rowCodec) encodeRows(rs rowSlice, n int) ([]byte, error) {
	mem := arrowPool
	cols := make([]arrow.Array, len(c.fields))
	defer func() {
		for _, a := range cols {
			if a != nil {
				a.Release()
			}
		}
	}()
	if err := stringArrays(mem, c.fields, rs, n, cols); err != nil {
		return nil, err
	}
	for j, f := range c.fields {
		if f.kind == kString {
			continue // stringArrays made it
		}
		b := array.NewBuilder(mem, c.schema.Field(j).Type)
		b.Reserve(n)
		err := appendColumn(b, f, rs, n)
		if err == nil {
			cols[j] = b.NewArray()
		}
		b.Release()
		if err != nil {
			return nil, fmt.Errorf("column %s: %w", f.name, err)
		}
	}
	rec := array.NewRecord(c.schema, cols, int64(n))
	defer rec.Release()

	buf := outBufs.Get().(*bytes.Buffer)
	defer func() {
		if buf.Cap() <= maxPooledOut {
			buf.Reset()
			outBufs.Put(buf)
		}
	}()
	// LZ4 for every row type. A message is its own IPC stream, and
	// Arrow's writer (v15) makes a new compressor for each, with no option
	// to hand it one: a zstd encoder (its 8 MB window) is ~2.7 MB allocated
	// per message whatever its size, which per row costs more than the
	// bytes zstd saves over LZ4 (issue 9; the coverage deltas moved first,
	// issue 11 point 6, round 7). Readers need nothing: the codec is in
	// each message, and zstd messages written before still decode.
	w := ipc.NewWriter(buf, ipc.WithSchema(c.schema), ipc.WithLZ4(), ipc.WithAllocator(mem))
	if err := w.Write(rec); err != nil {
		return nil, fmt.Errorf("write Arrow IPC batch: %w", err)
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("close Arrow IPC stream: %w", err)
	}
	return bytes.Clone(buf.Bytes()), nil
}

// stringArrays builds the string columns of rows (the fields of kind
// kString among fields) into cols, at their fields' places: each
// column's offsets and bytes written straight into two buffers of their
// final size, where a StringBuilder checks capacity, offsets and validity
// value by value (half the encoding of a records batch went there). No
// value is null, so there is no validity bitmap, which the IPC writer
// drops anyway when a column has no nulls: the bytes on the wire are the
// builder's.
//
// The rows are read a row at a time, every string column of a row
// before the next row (twice: the sizes, then the bytes), not a column at
// a time: a batch of 2,000 records (~900 bytes each, ~1.8 MB) is larger
// than a core's L2 cache, so reading it once a column — forty-odd string
// columns of a record, twice each — fetched every record's cache lines
// from further away about as many times (pipe26).
func stringArrays(mem memory.Allocator, fields []fieldCodec, rows rowSlice, n int, cols []arrow.Array) error {
	type column struct {
		offset uintptr // of the field in a row
		pos    int     // bytes of the column so far
		offs   []int32
		data   []byte
	}
	var sc []column
	for _, f := range fields {
		if f.kind == kString {
			sc = append(sc, column{offset: f.offset})
		}
	}
	if len(sc) == 0 {
		return nil
	}
	for i := 0; i < n; i++ {
		row := rows.row(i)
		for k := range sc {
			c := &sc[k]
			c.pos += len(*(*string)(unsafe.Add(row, c.offset)))
		}
	}
	bufs := make([]*memory.Buffer, 0, 2*len(sc)) // each column's offsets and bytes
	defer func() {
		for _, b := range bufs {
			b.Release()
		}
	}()
	for k := range sc {
		c := &sc[k]
		if c.pos > math.MaxInt32 {
			return fmt.Errorf("%d bytes of strings in one batch, more than Arrow's 32-bit offsets hold", c.pos)
		}
		o := memory.NewResizableBuffer(mem)
		o.Resize((n + 1) * arrow.Int32SizeBytes)
		d := memory.NewResizableBuffer(mem)
		d.Resize(c.pos)
		bufs = append(bufs, o, d)
		c.offs, c.data, c.pos = arrow.Int32Traits.CastFromBytes(o.Bytes())[:n+1], d.Bytes()[:c.pos], 0
	}
	for i := 0; i < n; i++ {
		row := rows.row(i)
		for k := range sc {
			c := &sc[k]
			c.offs[i] = int32(c.pos)
			c.pos += copy(c.data[c.pos:], *(*string)(unsafe.Add(row, c.offset)))
		}
	}
	k := 0
	for j, f := range fields {
		if f.kind != kString {
			continue
		}
		sc[k].offs[n] = int32(sc[k].pos)
		d := array.NewData(arrow.BinaryTypes.String, n, []*memory.Buffer{nil, bufs[2*k], bufs[2*k+1]}, nil, 0, 0)
		cols[j] = array.NewStringData(d)
		d.Release()
		k++
	}
	return nil
}

func appendColumn(b array.Builder, f fieldCodec, rows rowSlice, n int) error {
	field := func(i int) unsafe.Pointer { return rows.field(i, f.offset) }
	switch f.kind {
	case kString:
		sb := b.(*array.StringBuilder)
		total := 0
		for i := 0; i < n; i++ {
			total += len(*(*string)(field(i)))
		}
		sb.ReserveData(total)
		for i := 0; i < n; i++ {
			sb.Append(*(*string)(field(i)))
		}
	case kUint16:
		ub := b.(*array.Uint16Builder)
		for i := 0; i < n; i++ {
			ub.Append(*(*uint16)(field(i)))
		}
	case kUint32:
		ub := b.(*array.Uint32Builder)
		for i := 0; i < n; i++ {
			ub.Append(*(*uint32)(field(i)))
		}
	case kUint64:
		ub := b.(*array.Uint64Builder)
		for i := 0; i < n; i++ {
			ub.Append(*(*uint64)(field(i)))
		}
	case kFloat32:
		fb := b.(*array.Float32Builder)
		for i := 0; i < n; i++ {
			fb.Append(*(*float32)(field(i)))
		}
	case kFloat64:
		fb := b.(*array.Float64Builder)
		for i := 0; i < n; i++ {
			fb.Append(*(*float64)(field(i)))
		}
	case kDate32:
		db := b.(*array.Date32Builder)
		for i := 0; i < n; i++ {
			t := *(*time.Time)(field(i))
			if t.IsZero() {
				db.AppendNull()
				continue
			}
			y, m, d := t.Date()
			days := time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
			if days < -1<<31 || days >= 1<<31 {
				return fmt.Errorf("row %d: date %s out of range", i, t)
			}
			db.Append(arrow.Date32(days))
		}
	case kTimestampMs:
		tb := b.(*array.TimestampBuilder)
		for i := 0; i < n; i++ {
			t := *(*time.Time)(field(i))
			if t.IsZero() {
				tb.AppendNull()
				continue
			}
			tb.Append(arrow.Timestamp(t.UnixMilli()))
		}
	case kMapStringFloat32:
		mb := b.(*array.MapBuilder)
		kb := mb.KeyBuilder().(*array.StringBuilder)
		ib := mb.ItemBuilder().(*array.Float32Builder)
		// the entries taken once with their values (not each key looked
		// up again after sorting the keys: a scanned form's twenty-odd
		// confidences were a fifth of the encoding of its record)
		var kvs []mapEntry
		for i := 0; i < n; i++ {
			m := *(*map[string]float32)(field(i))
			if m == nil {
				mb.AppendNull()
				continue
			}
			mb.Append(true)
			kvs = kvs[:0]
			for k, v := range m {
				kvs = append(kvs, mapEntry{k, v})
			}
			// deterministic bytes, and KeysSorted holds (the keys are distinct)
			slices.SortFunc(kvs, func(a, b mapEntry) int { return strings.Compare(a.k, b.k) })
			for _, e := range kvs {
				kb.Append(e.k)
				ib.Append(e.v)
			}
		}
	case kListString:
		lb := b.(*array.ListBuilder)
		vb := lb.ValueBuilder().(*array.StringBuilder)
		for i := 0; i < n; i++ {
			s := *(*[]string)(field(i))
			if s == nil {
				lb.AppendNull()
				continue
			}
			lb.Append(true)
			for _, v := range s {
				vb.Append(v)
			}
		}
	case kListListString:
		lb := b.(*array.ListBuilder)
		ib := lb.ValueBuilder().(*array.ListBuilder)
		vb := ib.ValueBuilder().(*array.StringBuilder)
		for i := 0; i < n; i++ {
			ss := *(*[][]string)(field(i))
			if ss == nil {
				lb.AppendNull()
				continue
			}
			lb.Append(true)
			for _, s := range ss {
				ib.Append(true) // an inner nil reads back empty: Array(String) items are not Nullable
				for _, v := range s {
					vb.Append(v)
				}
			}
		}
	default:
		return fmt.Errorf("unsupported column kind %d", f.kind)
	}
	return nil
}

// mapEntry is an entry of a Map(String, Float32) column's map.
type mapEntry struct {
	k string
	v float32
}

// decode reads every record batch of the stream b, asking grow for a
// slice value of n new rows to fill for each.
func (c *rowCodec) decode(b []byte, grow func(n int) reflect.Value) (err error) {
	// Batches come from Kafka, that is from outside: the Arrow reader
	// panics on some corrupt input, which must be an error here.
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("corrupt Arrow IPC stream: %v", r)
		}
	}()
	if len(b) == 0 {
		return errors.New("read Arrow IPC schema: empty batch")
	}
	if err := checkStream(b); err != nil {
		return fmt.Errorf("corrupt Arrow IPC stream: %w", err)
	}
	r, err := ipc.NewReader(bytes.NewReader(b), ipc.WithAllocator(newCappedAllocator(len(b))))
	if err != nil {
		return fmt.Errorf("read Arrow IPC schema: %w", err)
	}
	defer r.Release()
	if err := c.checkSchema(r.Schema()); err != nil {
		return err
	}
	for r.Next() {
		rec := r.Record()
		n := int(rec.NumRows())
		if n == 0 {
			continue
		}
		for j, col := range rec.Columns() {
			if col.Len() != n {
				return fmt.Errorf("column %s: %d values for %d rows", c.fields[j].name, col.Len(), n)
			}
		}
		rs := rowSlice{base: grow(n).UnsafePointer(), size: c.goType.Size()}
		// A batch of an older version has fewer fields (checkSchema): the
		// rest stay as grow made them, zero.
		fields := c.fields[:len(rec.Columns())]
		if err := readStringColumns(rec.Columns(), fields, rs, n); err != nil {
			return err
		}
		for j, f := range fields {
			if f.kind == kString {
				continue // readStringColumns read it
			}
			if err := readColumn(rec.Column(j), f, rs, n); err != nil {
				return fmt.Errorf("column %s: %w", f.name, err)
			}
		}
	}
	if err := r.Err(); err != nil {
		return fmt.Errorf("read Arrow IPC batch: %w", err)
	}
	return nil
}

func (c *rowCodec) checkSchema(s *arrow.Schema) error {
	md := s.Metadata()
	v := metaValue(md, MetaSchemaVersion)
	if v == "" {
		return fmt.Errorf("no %s in the schema metadata: %w", MetaSchemaVersion, ErrUnknownSchemaVersion)
	}
	ver, err := strconv.Atoi(v)
	if err != nil || !readableVersions[ver] {
		return fmt.Errorf("%s %q (this build reads %d): %w", MetaSchemaVersion, v, Version, ErrUnknownSchemaVersion)
	}
	if rt := metaValue(md, MetaRowType); rt != c.rowType {
		return fmt.Errorf("batch holds %q rows, want %q: %w", rt, c.rowType, ErrSchemaMismatch)
	}
	// A batch of version ver holds the fields that version had: all but
	// those added after it (fields are only added at the end).
	want := 0
	for _, f := range c.fields {
		if fieldAddedIn(c.rowType, f.name) <= ver {
			want++
		}
	}
	if s.NumFields() != want {
		return fmt.Errorf("%d fields, want %d: %w", s.NumFields(), want, ErrSchemaMismatch)
	}
	for j, f := range s.Fields() {
		want := c.schema.Field(j)
		if f.Name != want.Name || !arrow.TypeEqual(f.Type, want.Type) {
			return fmt.Errorf("field %d is %s %s, want %s %s: %w", j, f.Name, f.Type, want.Name, want.Type, ErrSchemaMismatch)
		}
	}
	return nil
}

// stringColumn returns the values of a string array as substrings of one
// copy of its data, so that they neither alias Arrow buffers nor cost an
// allocation each.
func stringColumn(a *array.String) (data string, offs []int32) {
	return string(a.ValueBytes()), a.ValueOffsets()
}

func strAt(data string, offs []int32, i int) string {
	base := offs[0]
	return data[offs[i]-base : offs[i+1]-base]
}

// readStringColumns sets the string fields of the n rows from their
// columns in cols (cols[j] is fields[j]'s), a row at a time — every
// string field of a row before the next row —, not a column at a time:
// the rows of a batch (~900 bytes a record) are larger than a core's L2
// cache, and writing them once a column brought each row's cache lines
// back forty-odd times (pipe26). Each column's values are substrings of
// one copy of its data (stringColumn).
func readStringColumns(cols []arrow.Array, fields []fieldCodec, rows rowSlice, n int) error {
	type column struct {
		offset uintptr
		data   string
		offs   []int32
	}
	var sc []column
	for j, f := range fields {
		if f.kind != kString {
			continue
		}
		if cols[j].Len() != n {
			return fmt.Errorf("column %s: %d values for %d rows", f.name, cols[j].Len(), n)
		}
		a, ok := cols[j].(*array.String)
		if !ok { // checkSchema compared the types
			return fmt.Errorf("column %s: %s, want utf8", f.name, cols[j].DataType())
		}
		data, offs := stringColumn(a)
		sc = append(sc, column{f.offset, data, offs})
	}
	for i := 0; i < n; i++ {
		row := rows.row(i)
		for k := range sc {
			c := &sc[k]
			*(*string)(unsafe.Add(row, c.offset)) = strAt(c.data, c.offs, i)
		}
	}
	return nil
}

func readColumn(col arrow.Array, f fieldCodec, rows rowSlice, n int) error {
	if col.Len() != n {
		return fmt.Errorf("%d values for %d rows", col.Len(), n)
	}
	field := func(i int) unsafe.Pointer { return rows.field(i, f.offset) }
	switch f.kind {
	case kString:
		data, offs := stringColumn(col.(*array.String))
		for i := 0; i < n; i++ {
			*(*string)(field(i)) = strAt(data, offs, i)
		}
	case kUint16:
		for i, v := range col.(*array.Uint16).Uint16Values() {
			*(*uint16)(field(i)) = v
		}
	case kUint32:
		for i, v := range col.(*array.Uint32).Uint32Values() {
			*(*uint32)(field(i)) = v
		}
	case kUint64:
		for i, v := range col.(*array.Uint64).Uint64Values() {
			*(*uint64)(field(i)) = v
		}
	case kFloat32:
		for i, v := range col.(*array.Float32).Float32Values() {
			*(*float32)(field(i)) = v
		}
	case kFloat64:
		for i, v := range col.(*array.Float64).Float64Values() {
			*(*float64)(field(i)) = v
		}
	case kDate32:
		a := col.(*array.Date32)
		for i := 0; i < n; i++ {
			if a.IsNull(i) {
				continue
			}
			*(*time.Time)(field(i)) = time.Unix(int64(a.Value(i))*86400, 0).UTC()
		}
	case kTimestampMs:
		a := col.(*array.Timestamp)
		for i := 0; i < n; i++ {
			if a.IsNull(i) {
				continue
			}
			*(*time.Time)(field(i)) = time.UnixMilli(int64(a.Value(i))).UTC()
		}
	case kMapStringFloat32:
		a := col.(*array.Map)
		keys, ok1 := a.Keys().(*array.String)
		items, ok2 := a.Items().(*array.Float32)
		if !ok1 || !ok2 {
			return fmt.Errorf("map of %s to %s, want utf8 to float32", a.Keys().DataType(), a.Items().DataType())
		}
		kdata, koffs := stringColumn(keys)
		iv := items.Float32Values()
		for i := 0; i < n; i++ {
			if a.IsNull(i) {
				continue
			}
			start, end := a.ValueOffsets(i)
			if start < 0 || end < start || end > int64(keys.Len()) || end > int64(len(iv)) {
				return fmt.Errorf("row %d: map entries %d..%d of %d", i, start, end, keys.Len())
			}
			m := make(map[string]float32, end-start)
			for k := start; k < end; k++ {
				m[strAt(kdata, koffs, int(k))] = iv[k]
			}
			*(*map[string]float32)(field(i)) = m
		}
	case kListString:
		a := col.(*array.List)
		vals, ok := a.ListValues().(*array.String)
		if !ok {
			return fmt.Errorf("list of %s, want utf8", a.ListValues().DataType())
		}
		vdata, voffs := stringColumn(vals)
		for i := 0; i < n; i++ {
			if a.IsNull(i) {
				continue
			}
			start, end := a.ValueOffsets(i)
			if start < 0 || end < start || end > int64(vals.Len()) {
				return fmt.Errorf("row %d: list items %d..%d of %d", i, start, end, vals.Len())
			}
			s := make([]string, 0, end-start)
			for k := start; k < end; k++ {
				s = append(s, strAt(vdata, voffs, int(k)))
			}
			*(*[]string)(field(i)) = s
		}
	case kListListString:
		a := col.(*array.List)
		inner, ok := a.ListValues().(*array.List)
		if !ok {
			return fmt.Errorf("list of %s, want a list of utf8", a.ListValues().DataType())
		}
		vals, ok := inner.ListValues().(*array.String)
		if !ok {
			return fmt.Errorf("list of lists of %s, want utf8", inner.ListValues().DataType())
		}
		vdata, voffs := stringColumn(vals)
		for i := 0; i < n; i++ {
			if a.IsNull(i) {
				continue
			}
			start, end := a.ValueOffsets(i)
			if start < 0 || end < start || end > int64(inner.Len()) {
				return fmt.Errorf("row %d: list items %d..%d of %d", i, start, end, inner.Len())
			}
			ss := make([][]string, 0, end-start)
			for j := start; j < end; j++ {
				is, ie := inner.ValueOffsets(int(j))
				if is < 0 || ie < is || ie > int64(vals.Len()) {
					return fmt.Errorf("row %d: list %d items %d..%d of %d", i, j, is, ie, vals.Len())
				}
				s := make([]string, 0, ie-is)
				for k := is; k < ie; k++ {
					s = append(s, strAt(vdata, voffs, int(k)))
				}
				ss = append(ss, s)
			}
			*(*[][]string)(field(i)) = ss
		}
	default:
		return fmt.Errorf("unsupported column kind %d", f.kind)
	}
	return nil
}
