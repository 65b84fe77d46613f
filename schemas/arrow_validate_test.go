package schemas

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v15/arrow/ipc"
	flatbuffers "github.com/google/flatbuffers/go"
)

// ipcMessage is where one message of an encoded stream lies.
type ipcMessage struct {
	lenAt, metaAt, metaLen int // the int32 length, the flatbuffer, its size
}

// ipcMessages lists the messages of a well-formed stream.
func ipcMessages(t *testing.T, b []byte) []ipcMessage {
	t.Helper()
	var out []ipcMessage
	for pos := 0; pos+8 <= len(b); {
		pos += 4 // continuation marker
		n := int(int32(binary.LittleEndian.Uint32(b[pos:])))
		if n == 0 {
			break
		}
		m := ipcMessage{lenAt: pos, metaAt: pos + 4, metaLen: n}
		out = append(out, m)
		meta := b[m.metaAt : m.metaAt+n]
		tab := flatbuffers.Table{Bytes: meta, Pos: flatbuffers.GetUOffsetT(meta)}
		pos = m.metaAt + n + int(tab.GetInt64Slot(slotMessageBodyLength, 0))
	}
	if len(out) < 2 {
		t.Fatalf("want a schema and a record batch message, got %d messages", len(out))
	}
	return out
}

// slotAt returns the absolute offset in b of a scalar slot of the
// message's header table (header=true) or of the message table itself.
func slotAt(t *testing.T, b []byte, m ipcMessage, header bool, slot flatbuffers.VOffsetT) int {
	t.Helper()
	meta := b[m.metaAt : m.metaAt+m.metaLen]
	tab := flatbuffers.Table{Bytes: meta, Pos: flatbuffers.GetUOffsetT(meta)}
	if header {
		var h flatbuffers.Table
		tab.Union(&h, flatbuffers.UOffsetT(tab.Offset(slotMessageHeader)))
		tab = h
	}
	o := tab.Offset(slot)
	if o == 0 {
		t.Fatalf("slot %d not present", slot)
	}
	return m.metaAt + int(tab.Pos) + int(o)
}

// vectorLenAt returns the absolute offset of the length of the vector at
// slot of the message's header table.
func vectorLenAt(t *testing.T, b []byte, m ipcMessage, slot flatbuffers.VOffsetT) int {
	t.Helper()
	meta := b[m.metaAt : m.metaAt+m.metaLen]
	tab := flatbuffers.Table{Bytes: meta, Pos: flatbuffers.GetUOffsetT(meta)}
	var h flatbuffers.Table
	tab.Union(&h, flatbuffers.UOffsetT(tab.Offset(slotMessageHeader)))
	o := h.Offset(slot)
	if o == 0 {
		t.Fatalf("vector slot %d not present", slot)
	}
	return m.metaAt + int(h.Vector(flatbuffers.UOffsetT(o))) - 4
}

func goodBatch(t *testing.T) []byte {
	t.Helper()
	b, err := EncodeRecords([]Record{{RecordID: "r1", FullName: "Nguyễn Văn An"}, {RecordID: "r2", FullName: "Trần Thị Bình"}})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestValidatorStopsWhatArrowTrusts corrupts a real batch in each way the
// validator's doc names and checks that DecodeRows returns an error that
// says what is wrong, without panicking or allocating what the bytes ask.
func TestValidatorStopsWhatArrowTrusts(t *testing.T) {
	put32 := func(b []byte, at int, v int32) { binary.LittleEndian.PutUint32(b[at:], uint32(v)) }
	put64 := func(b []byte, at int, v int64) { binary.LittleEndian.PutUint64(b[at:], uint64(v)) }
	tests := []struct {
		name    string
		corrupt func(t *testing.T, b []byte, ms []ipcMessage)
		want    string
	}{
		{"negative metadata length", func(t *testing.T, b []byte, ms []ipcMessage) { put32(b, ms[0].lenAt, -8) }, "metadata length -8"},
		{"metadata length past the end", func(t *testing.T, b []byte, ms []ipcMessage) { put32(b, ms[1].lenAt, 1<<30) }, "metadata length 1073741824"},
		{"body length past the end", func(t *testing.T, b []byte, ms []ipcMessage) {
			put64(b, slotAt(t, b, ms[1], false, slotMessageBodyLength), 1<<40)
		}, "body length 1099511627776"},
		{"negative body length", func(t *testing.T, b []byte, ms []ipcMessage) {
			put64(b, slotAt(t, b, ms[1], false, slotMessageBodyLength), -1)
		}, "body length -1"},
		{"vector count past its bytes", func(t *testing.T, b []byte, ms []ipcMessage) {
			put32(b, vectorLenAt(t, b, ms[0], slotSchemaFields), 1<<20)
		}, "vector of 1048576 elements"},
		{"row count beyond the limit", func(t *testing.T, b []byte, ms []ipcMessage) {
			put64(b, slotAt(t, b, ms[1], true, slotBatchLength), 1<<40)
		}, "record batch of 1099511627776 rows"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := goodBatch(t)
			tt.corrupt(t, b, ipcMessages(t, goodBatch(t)))
			rs, err := DecodeRecords(b)
			if err == nil {
				t.Fatalf("decoded %d records from a corrupt stream", len(rs))
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q, want it to name %q", err, tt.want)
			}
		})
	}
}

// TestArrowRecoversPanicsItself pins the fact the validator's doc relies
// on: arrow-go v15 turns the panic of a negative metadata length into an
// error of its own (so the validator is there for allocation, not panics).
func TestArrowRecoversPanicsItself(t *testing.T) {
	b := goodBatch(t)
	ms := ipcMessages(t, b)
	binary.LittleEndian.PutUint32(b[ms[0].lenAt:], uint32(0xFFFFFFF8)) // -8
	var err error
	func() {
		defer func() {
			if p := recover(); p != nil {
				t.Fatalf("arrow-go panicked (%v): the validator's doc is stale", p)
			}
		}()
		var r *ipc.Reader
		if r, err = ipc.NewReader(bytes.NewReader(b)); err == nil {
			r.Release()
		}
	}()
	if err == nil || !strings.Contains(err.Error(), "unknown error while reading") {
		t.Fatalf("arrow-go answered %v, want its recovered-panic error", err)
	}
	t.Logf("arrow-go v15 without the validator: %v", err)
}
