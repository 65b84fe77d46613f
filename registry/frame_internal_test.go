package registry

import (
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/matching"
)

// TestAddAllToFrameSame: records added together (addAllToFrame, in
// parts) make the frame addToFrame makes one by one — every row's id,
// source and value of every column — and a record the frame holds
// already stops it with an error naming the record.
func TestAddAllToFrameSame(t *testing.T) {
	r, recs := trainedWithGenerated(t)
	blobs := r.captureAll(NewRecords().Inputs(recs))
	if len(blobs) < 500 {
		t.Fatalf("%d records generated, want more", len(blobs))
	}
	one, all := matching.NewFrame(r.s), matching.NewFrame(r.s)
	for _, b := range blobs {
		if err := r.addToFrame(one, b); err != nil {
			t.Fatal(err)
		}
	}
	old := minFramePerWorker
	minFramePerWorker = 64 // parts even on one core's share
	defer func() { minFramePerWorker = old }()
	half := len(blobs) / 2
	if err := r.addAllToFrame(all, blobs[:half]); err != nil {
		t.Fatal(err)
	}
	if err := r.addAllToFrame(all, blobs[half:]); err != nil {
		t.Fatal(err)
	}
	if one.Len() != all.Len() {
		t.Fatalf("%d rows added together, %d one by one", all.Len(), one.Len())
	}
	for i := 0; i < one.Len(); i++ {
		if one.ID(i) != all.ID(i) || one.Source(i) != all.Source(i) {
			t.Fatalf("row %d: %s/%d together, %s/%d one by one", i, all.ID(i), all.Source(i), one.ID(i), one.Source(i))
		}
		for _, c := range r.s.Columns {
			if a, b := all.Value(c.Name, i), one.Value(c.Name, i); a != b {
				t.Fatalf("row %d column %s: %q together, %q one by one", i, c.Name, a, b)
			}
		}
	}
	again := []*recordBlob{{ID: "fresh", Source: 0, Fields: make([]string, len(r.fields)), Conf: make([]int16, len(r.confs))}, blobs[3]}
	if err := r.addAllToFrame(all, again); err == nil || !strings.Contains(err.Error(), blobs[3].ID) {
		t.Errorf("a record held already: error %v, want one naming %s", err, blobs[3].ID)
	}
}
