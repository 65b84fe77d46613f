package matching

import (
	"context"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/schemas"
)

// TestRecordKeyIsFileScoped: two rows of two files that reuse the same
// local code ("Mã bản ghi" NK1) are two records, not a redelivery of one;
// the same row delivered twice is one.
func TestRecordKeyIsFileScoped(t *testing.T) {
	a, b := base(), base()
	a.RecordID, a.SourceRecordID = schemas.RecordID("hash-of-file-1", "", 2), "NK1"
	b.RecordID, b.SourceRecordID = schemas.RecordID("hash-of-file-2", "", 2), "NK1"
	b.FullName, b.IDNumber, b.BirthDate, b.BirthYear = "Lê Văn Tám", "", "1971-01-02", 1971
	if RecordKey(&a) == RecordKey(&b) {
		t.Fatalf("rows of two files share the key %q", RecordKey(&a))
	}
	if RecordLabel(&a) != "NK1" {
		t.Errorf("label %q, want the source's code NK1", RecordLabel(&a))
	}

	vs, _ := DefaultSettings("vietnamese")
	vs.Model = &Model{Lambda: 1e-4, LambdaGlobal: 1e-4}
	for _, c := range vs.Comparisons {
		n := len(c.Levels) + 1
		cm := ComparisonModel{Name: c.Name, M: make([]float64, n), U: make([]float64, n)}
		for l := range cm.M {
			cm.M[l], cm.U[l] = 0.02, 0.9/float64(n)
		}
		cm.M[0], cm.U[0] = 0.9, 0.001
		cm.M[n-1], cm.U[n-1] = 0.01, 0.9
		vs.Model.Comparisons = append(vs.Model.Comparisons, cm)
	}
	e, err := NewEngine(EngineConfig{Settings: vs, Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, _, _, err := e.LinkBatch(ctx, []schemas.Record{a}); err != nil {
		t.Fatal(err)
	}
	_, links, _, err := e.LinkBatch(ctx, []schemas.Record{b, a})
	if err != nil {
		t.Fatal(err)
	}
	if st := e.Stats(); st.Duplicates != 1 || len(e.Registry().Records) != 2 {
		t.Errorf("duplicates %d (want 1: a again), registry %d records (want 2)", st.Duplicates, len(e.Registry().Records))
	}
	found := false
	for _, l := range links {
		found = found || l.RecordID == b.RecordID
	}
	if !found {
		t.Errorf("the second file's row was not linked: links %+v", links)
	}
}
