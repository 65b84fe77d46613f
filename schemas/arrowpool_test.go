package schemas_test

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/dancu-vn/dancu/schemas"
)

// TestPooledBuffersGiveTheSameBytes encodes and decodes messages of
// different sizes and contents in turn, so that each reuses the buffers
// of the one before (left holding its bytes), and checks every message
// against its first encoding and its records: a buffer handed out with
// old bytes in it, or taken back while still in use, changes one of them.
func TestPooledBuffersGiveTheSameBytes(t *testing.T) {
	sets := [][]schemas.Record{manyRecords(2000), manyRecords(7), manyRecords(300), manyRecords(2000)[1000:]}
	sets[2][5].FullName = "Nguyễn Thị Một Cái Tên Rất Dài Để Khác Đi"
	first := make([][]byte, len(sets))
	for i, rs := range sets {
		b, err := schemas.EncodeRecords(rs)
		if err != nil {
			t.Fatal(err)
		}
		first[i] = b
	}
	for round := 0; round < 3; round++ {
		for i, rs := range sets {
			b, err := schemas.EncodeRecords(rs)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(b, first[i]) {
				t.Fatalf("round %d, set %d: other bytes than its first encoding", round, i)
			}
			got, err := schemas.DecodeRecords(b)
			if err != nil {
				t.Fatal(err)
			}
			for j := range rs {
				want := rs[j]
				if !reflect.DeepEqual(got[j].FullName, want.FullName) || got[j].RecordID != want.RecordID || got[j].PermAddress != want.PermAddress ||
					!reflect.DeepEqual(got[j].OCRConfidence, want.OCRConfidence) {
					t.Fatalf("round %d, set %d, record %d decoded as %+v, want %+v", round, i, j, got[j], want)
				}
			}
		}
	}
	// Encoded bytes handed out stay as they were while others are encoded.
	keep := bytes.Clone(first[0])
	for range 3 {
		if _, err := schemas.EncodeRecords(sets[1]); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(keep, first[0]) {
		t.Fatal("an encoded message changed after later encodings")
	}
}
