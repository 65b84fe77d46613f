package schemas

// This file is the validator of Arrow IPC streams read from outside (a
// Kafka message): DecodeRows runs checkStream over the bytes before
// arrow-go's ipc.Reader sees them, and gives the reader an allocator that
// stops at a cap. arrow-go v15 trusts the lengths and counts inside the
// stream. It recovers its own panics inside NewReader and Next (turning
// them into "arrow/ipc: unknown error while reading" errors), so a panic
// is not the danger; allocation is. On malformed input it would
//   - panic (recovered) with "makeslice: len out of range" on a negative
//     metadata length, and allocate up to 2 GiB on a large one before
//     finding the stream short (ipc/message.go: make([]byte, msgLen));
//   - resize the body buffer to whatever bodyLength says — gigabytes from a
//     few corrupt bytes, an out-of-memory kill that no recover catches;
//   - index outside the metadata buffer when a flatbuffer vector's count
//     is larger than the bytes that would hold it (a recovered panic, or
//     garbage read from beyond the field);
//   - recurse as deep as the schema's field nesting says;
//   - allocate builders for as many rows as a record batch's length says.
// Panics in dancu's own column reading (offsets out of range) are
// recovered by rowCodec.decode.
// Each case has a test in arrow_validate_test.go that corrupts a real
// batch and checks DecodeRows answers with an error naming it.

import (
	"errors"
	"fmt"

	"github.com/apache/arrow/go/v15/arrow/memory"
	flatbuffers "github.com/google/flatbuffers/go"
)

// Limits on a batch read from outside (a Kafka message). The Arrow IPC
// reader trusts the lengths and counts inside the stream and allocates
// what they say: a few corrupt bytes can ask for gigabytes, which kills
// the process (out of memory is not a recoverable panic). checkStream and
// cappedAllocator stop that before the reader sees the bytes.
const (
	maxBatchRows    = 1 << 22  // rows in one record batch
	maxDecodedBytes = 1 << 30  // what the reader may allocate for one stream, at most
	minDecodedBytes = 32 << 20 // what it may allocate whatever the stream's size
	maxExpansion    = 64       // decoded bytes per stream byte beyond minDecodedBytes; real batches need < 10
	maxSchemaDepth  = 16       // nesting of fields; dancu's deepest is 3 (map)
	maxVectorLen    = 1 << 16  // fields, children, metadata entries, nodes, buffers
)

// errBatchTooLarge is the panic value of cappedAllocator.
var errBatchTooLarge = errors.New("batch decodes to more bytes than allowed")

// checkStream walks the messages of an Arrow IPC stream and checks what
// the reader would trust: message and body lengths against the bytes
// there are, vector counts against the bytes that would hold them, the
// nesting depth of the schema and the row count of each batch. It may
// panic on malformed flatbuffers; callers recover.
func checkStream(b []byte) error {
	pos := 0
	for msg := 0; ; msg++ {
		if pos == len(b) && msg > 0 {
			return nil // end of stream without an end-of-stream marker
		}
		if len(b)-pos < 4 {
			return fmt.Errorf("message %d: truncated at byte %d", msg, pos)
		}
		n := flatbuffers.GetInt32(b[pos:])
		pos += 4
		if uint32(n) == 0xFFFFFFFF { // continuation marker, then the length
			if len(b)-pos < 4 {
				return fmt.Errorf("message %d: truncated at byte %d", msg, pos)
			}
			n = flatbuffers.GetInt32(b[pos:])
			pos += 4
		}
		if n == 0 {
			return nil // end-of-stream marker
		}
		if n < 8 || int(n) > len(b)-pos {
			return fmt.Errorf("message %d: metadata length %d with %d bytes left", msg, n, len(b)-pos)
		}
		body, err := checkMessage(b[pos : pos+int(n)])
		if err != nil {
			return fmt.Errorf("message %d: %w", msg, err)
		}
		pos += int(n)
		if body < 0 || body > int64(len(b)-pos) {
			return fmt.Errorf("message %d: body length %d with %d bytes left", msg, body, len(b)-pos)
		}
		pos += int(body)
	}
}

// Flatbuffer vtable slots (4 + 2×field index) of the Arrow IPC tables
// (format/Message.fbs, format/Schema.fbs).
const (
	slotMessageHeaderType = 6
	slotMessageHeader     = 8
	slotMessageBodyLength = 10
	slotMessageMetadata   = 12

	slotSchemaFields   = 6
	slotSchemaMetadata = 8
	slotSchemaFeatures = 10

	slotFieldDictionary = 12
	slotFieldChildren   = 14
	slotFieldMetadata   = 16

	slotBatchLength   = 4
	slotBatchNodes    = 6
	slotBatchBuffers  = 8
	slotBatchVariadic = 12

	headerSchema          = 1
	headerDictionaryBatch = 2
	headerRecordBatch     = 3
)

// checkMessage checks one flatbuffer Message and returns its body length.
func checkMessage(meta []byte) (int64, error) {
	t := flatbuffers.Table{Bytes: meta, Pos: flatbuffers.GetUOffsetT(meta)}
	if _, err := checkVector(&t, slotMessageMetadata, 4); err != nil {
		return 0, fmt.Errorf("custom metadata: %w", err)
	}
	body := t.GetInt64Slot(slotMessageBodyLength, 0)
	o := t.Offset(slotMessageHeader)
	if o == 0 {
		return body, nil
	}
	var h flatbuffers.Table
	t.Union(&h, flatbuffers.UOffsetT(o))
	switch t.GetByteSlot(slotMessageHeaderType, 0) {
	case headerSchema:
		if _, err := checkVector(&h, slotSchemaMetadata, 4); err != nil {
			return 0, fmt.Errorf("schema metadata: %w", err)
		}
		if _, err := checkVector(&h, slotSchemaFeatures, 8); err != nil {
			return 0, fmt.Errorf("schema features: %w", err)
		}
		if err := checkFields(&h, slotSchemaFields, 1); err != nil {
			return 0, fmt.Errorf("schema: %w", err)
		}
	case headerRecordBatch:
		if rows := h.GetInt64Slot(slotBatchLength, 0); rows < 0 || rows > maxBatchRows {
			return 0, fmt.Errorf("record batch of %d rows (at most %d)", rows, maxBatchRows)
		}
		for _, v := range []struct {
			slot flatbuffers.VOffsetT
			size int
			what string
		}{{slotBatchNodes, 16, "nodes"}, {slotBatchBuffers, 16, "buffers"}, {slotBatchVariadic, 8, "variadic counts"}} {
			if _, err := checkVector(&h, v.slot, v.size); err != nil {
				return 0, fmt.Errorf("record batch %s: %w", v.what, err)
			}
		}
	case headerDictionaryBatch:
		return 0, errors.New("dictionary batch: dancu batches have no dictionaries")
	default:
		return 0, fmt.Errorf("message type %d: not a schema or record batch", t.GetByteSlot(slotMessageHeaderType, 0))
	}
	return body, nil
}

// checkFields checks the vector of Field tables at slot of t and, below
// them, their children.
func checkFields(t *flatbuffers.Table, slot flatbuffers.VOffsetT, depth int) error {
	if depth > maxSchemaDepth {
		return fmt.Errorf("fields nested deeper than %d", maxSchemaDepth)
	}
	start, n, err := vector(t, slot, 4)
	if err != nil {
		return fmt.Errorf("fields: %w", err)
	}
	for i := 0; i < n; i++ {
		f := flatbuffers.Table{Bytes: t.Bytes}
		f.Pos = t.Indirect(start + flatbuffers.UOffsetT(4*i))
		if f.Offset(slotFieldDictionary) != 0 {
			return fmt.Errorf("field %d: dictionary-encoded (dancu batches have no dictionaries)", i)
		}
		if _, err := checkVector(&f, slotFieldMetadata, 4); err != nil {
			return fmt.Errorf("field %d metadata: %w", i, err)
		}
		if err := checkFields(&f, slotFieldChildren, depth+1); err != nil {
			return fmt.Errorf("field %d: %w", i, err)
		}
	}
	return nil
}

func checkVector(t *flatbuffers.Table, slot flatbuffers.VOffsetT, elemSize int) (int, error) {
	_, n, err := vector(t, slot, elemSize)
	return n, err
}

// vector returns the start and length of the vector at slot of t, after
// checking that its elements lie inside the buffer.
func vector(t *flatbuffers.Table, slot flatbuffers.VOffsetT, elemSize int) (flatbuffers.UOffsetT, int, error) {
	o := t.Offset(slot)
	if o == 0 {
		return 0, 0, nil
	}
	n := t.VectorLen(flatbuffers.UOffsetT(o))
	start := t.Vector(flatbuffers.UOffsetT(o))
	if n < 0 || n > maxVectorLen || int64(start)+int64(n)*int64(elemSize) > int64(len(t.Bytes)) {
		return 0, 0, fmt.Errorf("vector of %d elements does not fit in %d bytes", n, len(t.Bytes))
	}
	return start, n, nil
}

// cappedAllocator fails (by panicking with errBatchTooLarge, recovered by
// decode) once the reader has allocated maxDecodedBytes.
type cappedAllocator struct {
	mem  memory.Allocator
	left int
}

func newCappedAllocator(streamLen int) *cappedAllocator {
	return &cappedAllocator{mem: arrowPool, left: min(maxDecodedBytes, minDecodedBytes+maxExpansion*streamLen)}
}

func (a *cappedAllocator) take(n int) {
	if n > a.left {
		panic(errBatchTooLarge)
	}
	a.left -= n
}

func (a *cappedAllocator) Allocate(size int) []byte {
	a.take(size)
	return a.mem.Allocate(size)
}

func (a *cappedAllocator) Reallocate(size int, b []byte) []byte {
	a.take(size - len(b))
	return a.mem.Reallocate(size, b)
}

func (a *cappedAllocator) Free(b []byte) { a.mem.Free(b) }
