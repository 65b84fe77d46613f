package schemas_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/ipc"

	"github.com/dancu-vn/dancu/schemas"
)

// version1Batch rewrites an encoded batch of records as dancu wrote it
// before schema version 2: without the last two fields (household_no,
// remark) and stamped version 1.
func version1Batch(t *testing.T, b []byte) []byte {
	t.Helper()
	r, err := ipc.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Release()
	fields := r.Schema().Fields()
	md := arrow.MetadataFrom(map[string]string{schemas.MetaSchemaVersion: "1", schemas.MetaRowType: "record"})
	s := arrow.NewSchema(fields[:len(fields)-2], &md)
	var buf bytes.Buffer
	w := ipc.NewWriter(&buf, ipc.WithSchema(s))
	for r.Next() {
		rec := r.Record()
		old := array.NewRecord(s, rec.Columns()[:len(fields)-2], rec.NumRows())
		if err := w.Write(old); err != nil {
			t.Fatal(err)
		}
		old.Release()
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestVersion1RecordsStillRead: schema version 2 added household_no and
// remark at the end of the record. The records an earlier dancu wrote —
// still in dancu.records, and for ever in the registry's compacted
// changelog, which a rebuild replays — are read with those two empty;
// a version-2 batch lacking fields, or an old one with more, is refused.
func TestVersion1RecordsStillRead(t *testing.T) {
	recs := manyRecords(5)
	for i := range recs {
		recs[i].HouseholdNo, recs[i].Remark = "12", "Tạm vắng"
	}
	b, err := schemas.EncodeRecords(recs)
	if err != nil {
		t.Fatal(err)
	}
	got, err := schemas.DecodeRecords(version1Batch(t, b))
	if err != nil {
		t.Fatalf("a version 1 batch: %v", err)
	}
	if len(got) != len(recs) {
		t.Fatalf("%d records, want %d", len(got), len(recs))
	}
	for i := range got {
		want := recs[i]
		want.HouseholdNo, want.Remark = "", ""
		if got[i].RecordID != want.RecordID || got[i].FullName != want.FullName || got[i].HouseholdNo != "" || got[i].Remark != "" {
			t.Errorf("record %d: %+v; want %+v", i, got[i], want)
		}
	}
	// Into rows the caller gives (the match stage's slab).
	var into []schemas.Record
	if err := schemas.DecodeRowsInto(version1Batch(t, b), func(n int) []schemas.Record {
		into = append(into, make([]schemas.Record, n)...)
		return into[len(into)-n:]
	}); err != nil || len(into) != len(recs) || into[2].FullName != recs[2].FullName {
		t.Errorf("DecodeRowsInto of a version 1 batch: %v, %d rows", err, len(into))
	}
	// The same short batch stamped version 2 is a mismatch.
	short := version1Batch(t, b)
	r, _ := ipc.NewReader(bytes.NewReader(short))
	md := arrow.MetadataFrom(map[string]string{schemas.MetaSchemaVersion: "2", schemas.MetaRowType: "record"})
	s := arrow.NewSchema(r.Schema().Fields(), &md)
	r.Release()
	if _, err := schemas.DecodeRecords(writeBatch(t, s)); !errors.Is(err, schemas.ErrSchemaMismatch) {
		t.Errorf("a version 2 batch without the new fields: %v, want ErrSchemaMismatch", err)
	}
	// Round trip of version 2 keeps them.
	back, err := schemas.DecodeRecords(b)
	if err != nil || back[0].HouseholdNo != "12" || back[0].Remark != "Tạm vắng" {
		t.Errorf("version 2 round trip: %v %+v", err, back[0])
	}
}
