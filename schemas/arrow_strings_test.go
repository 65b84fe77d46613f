package schemas

import (
	"bytes"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/ipc"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// builderEncode is the encoder as it was before string columns were
// written straight into their buffers: every column through Arrow's
// builders.
func builderEncode(t *testing.T, c *rowCodec, rows reflect.Value) []byte {
	t.Helper()
	mem := memory.NewGoAllocator()
	rb := array.NewRecordBuilder(mem, c.schema)
	defer rb.Release()
	n := rows.Len()
	rb.Reserve(n)
	rs := rowSlice{size: c.goType.Size()}
	if n > 0 {
		rs.base = rows.UnsafePointer()
	}
	for j, f := range c.fields {
		if err := appendColumn(rb.Field(j), f, rs, n); err != nil {
			t.Fatal(err)
		}
	}
	rec := rb.NewRecord()
	defer rec.Release()
	var buf bytes.Buffer
	w := ipc.NewWriter(&buf, ipc.WithSchema(c.schema), ipc.WithLZ4(), ipc.WithAllocator(mem))
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// The encoder's bytes are those of Arrow's builders, string columns
// included (empty strings, a column of nothing but empty strings, no rows
// at all), so readers see what they saw before.
func TestStringColumnsEncodeAsBuilders(t *testing.T) {
	recs := make([]Record, 1500)
	for i := range recs {
		recs[i] = Record{RecordID: RecordID(fmt.Sprintf("%064x", i), "Danh sách", i), SchemaVersion: Version, SourceKind: KindCSV,
			FullName: fmt.Sprintf("Nguyễn Thị Thuỷ %d", i), BirthYear: uint16(1950 + i%60), SourceDate: time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC),
			PermAddress: fmt.Sprintf("Số %d phố Hòe Nhai, Ba Đình", i%97)}
		if i%3 == 0 {
			recs[i].FullName, recs[i].OCRConfidence = "", map[string]float32{"full_name": 0.5}
		}
	}
	persons := []Person{{PersonID: "P1", FullName: "Đặng Thị Hoà", UpdatedAt: time.Unix(1e9, 0)}, {PersonID: "P2"}}
	conflicts := []Conflict{{ConflictID: "c1", PersonIDs: []string{"P1", "P2"}, RecordIDs: []string{""}}, {ConflictID: ""}}
	for _, tc := range []struct {
		name string
		rows any
	}{
		{"records", recs}, {"no records", []Record{}}, {"persons", persons}, {"conflicts", conflicts},
	} {
		v := reflect.ValueOf(tc.rows)
		c, err := codecFor(v.Type().Elem())
		if err != nil {
			t.Fatal(err)
		}
		got, err := c.encode(v)
		if err != nil {
			t.Fatal(err)
		}
		if want := builderEncode(t, c, v); !bytes.Equal(got, want) {
			t.Errorf("%s: %d bytes encoded, %d through the builders, not the same", tc.name, len(got), len(want))
		}
	}
}
