package schemas_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/ipc"

	"github.com/dancu-vn/dancu/schemas"
)

// olderBatch rewrites an encoded batch of rowType rows without its last
// drop fields, stamped version ver.
func olderBatch(t *testing.T, b []byte, rowType, ver string, drop int) []byte {
	t.Helper()
	r, err := ipc.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Release()
	fields := r.Schema().Fields()
	md := arrow.MetadataFrom(map[string]string{schemas.MetaSchemaVersion: ver, schemas.MetaRowType: rowType})
	s := arrow.NewSchema(fields[:len(fields)-drop], &md)
	var buf bytes.Buffer
	w := ipc.NewWriter(&buf, ipc.WithSchema(s))
	for r.Next() {
		rec := r.Record()
		old := array.NewRecord(s, rec.Columns()[:len(fields)-drop], rec.NumRows())
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

// TestVersion2ConflictsStillRead: schema version 3 (cov32) added the
// provinces of the conflict's records at the end of the conflict. The
// conflicts an earlier dancu wrote to dancu.matched are read with them
// empty; a version-3 batch without them, or a version-2 record batch
// without household_no and remark, is refused.
func TestVersion2ConflictsStillRead(t *testing.T) {
	cs := []schemas.Conflict{{ConflictID: "c1", Kind: schemas.ConflictSharedID, ProvinceCode: "40", PersonIDs: []string{"pA", "pB"},
		RecordIDs: []string{"r1", "r2"}, Status: schemas.StatusOpen, Version: 7, RecordProvinces: []string{"01", "40"}, RecordNewProvinces: []string{"01", "40"}}}
	b, err := schemas.EncodeRows(cs)
	if err != nil {
		t.Fatal(err)
	}
	back, err := schemas.DecodeRows[schemas.Conflict](b)
	if err != nil || strings.Join(back[0].RecordProvinces, ",") != "01,40" || strings.Join(back[0].RecordNewProvinces, ",") != "01,40" {
		t.Fatalf("version 3 round trip: %v %+v", err, back)
	}
	old, err := schemas.DecodeRows[schemas.Conflict](olderBatch(t, b, "conflict", "2", 2))
	if err != nil {
		t.Fatalf("a version 2 batch of conflicts: %v", err)
	}
	if len(old) != 1 || old[0].ConflictID != "c1" || old[0].Version != 7 || len(old[0].RecordProvinces) != 0 || len(old[0].RecordNewProvinces) != 0 {
		t.Errorf("a version 2 conflict read as %+v; want c1 at version 7 without its records' provinces", old)
	}
	if _, err := schemas.DecodeRows[schemas.Conflict](olderBatch(t, b, "conflict", "3", 2)); !errors.Is(err, schemas.ErrSchemaMismatch) {
		t.Errorf("a version 3 batch of conflicts without the new fields: %v, want ErrSchemaMismatch", err)
	}
	recs, err := schemas.EncodeRecords(manyRecords(2))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := schemas.DecodeRecords(olderBatch(t, recs, "record", "2", 2)); !errors.Is(err, schemas.ErrSchemaMismatch) {
		t.Errorf("a version 2 batch of records without household_no and remark: %v, want ErrSchemaMismatch", err)
	}
	if got, err := schemas.DecodeRecords(olderBatch(t, recs, "record", "2", 0)); err != nil || len(got) != 2 {
		t.Errorf("a version 2 batch of records: %v, %d rows", err, len(got))
	}
}
