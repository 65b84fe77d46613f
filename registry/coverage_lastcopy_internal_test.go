package registry

import (
	"bytes"
	"context"
	"slices"
	"testing"

	"github.com/dancu-vn/dancu/schemas"
)

// A new record given twice in one batch is stored with the state of its
// last copy that carries one (recordDeltas counts that copy; writeNewIDs
// writes the new records' states from their inputs' coverage since
// cov22): a later copy with another coverage, a later copy with none, a
// first copy with none. A record given once keeps its own.
func TestRecordStateLastCopy(t *testing.T) {
	recs := synthRecords(t, 12, 3, 5)
	_, open := trainedOpener(t)
	r := open(t.TempDir())
	defer r.Close()
	in := NewRecords().Inputs(recs[:16])
	moved := *in[3].Coverage
	moved.SourceKind, moved.CommuneCode, moved.NewCommuneCode = schemas.KindScan, moved.CommuneCode+"9", moved.NewCommuneCode+"9"
	later := in[3]
	later.Coverage = &moved // the last copy counts
	none := in[5]
	none.Coverage = nil // a last copy without coverage: the copy before counts
	first := in[7]
	in[7].Coverage = nil // a first copy without coverage: the later one counts
	in = append(in, later, none, first)
	out, err := r.Add(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]*schemas.RecordCoverage{in[3].ID: &moved, in[5].ID: in[5].Coverage, in[7].ID: first.Coverage, in[9].ID: in[9].Coverage}
	kept, seq := map[string][]byte{}, map[string]uint64{}
	for id := range want {
		v, ok, err := getClone(r.db, idKey(id))
		if err != nil || !ok {
			t.Fatalf("record %s: no id value (%v)", id, err)
		}
		s, st, err := parseIDValue(v)
		if err != nil {
			t.Fatal(err)
		}
		kept[id], seq[id] = slices.Clone(st), s
	}
	if err := r.expandRecordStates(r.db, kept, seq); err != nil {
		t.Fatal(err)
	}
	for id, c := range want {
		enc := appendRecordCoverage(nil, *c)
		if !bytes.HasPrefix(kept[id], enc) || len(kept[id]) != len(enc)+12 {
			t.Errorf("record %s: state %x, want %x and the batch's key", id, kept[id], enc)
		}
	}
	// The rows count each record once: 16 added, none removed.
	added, removed := 0, 0
	for _, d := range out.RecordDeltas {
		added, removed = added+int(d.Added), removed+int(d.Removed)
	}
	if added != 16 || removed != 0 {
		t.Errorf("records' deltas: %d added, %d removed, want 16 and 0", added, removed)
	}
}
