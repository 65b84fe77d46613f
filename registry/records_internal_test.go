package registry

import (
	"runtime"
	"slices"
	"testing"
)

// TestInputsInPartsSame: the records adapted in parts on several
// goroutines (Inputs) give every record the input one goroutine gives
// it — id, every field the settings read, the OCR confidences, the
// coverage and the load time — in the records' order.
func TestInputsInPartsSame(t *testing.T) {
	r, recs := trainedWithGenerated(t)
	ad := NewRecords()
	old := minInputsPerWorker
	defer func() { minInputsPerWorker = old }()
	minInputsPerWorker = len(recs) + 1 // one goroutine
	one := ad.Inputs(recs)
	minInputsPerWorker = 7 // parts, whatever the cores
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	parts := ad.Inputs(recs)
	if len(one) != len(recs) || len(parts) != len(recs) {
		t.Fatalf("%d and %d inputs of %d records", len(one), len(parts), len(recs))
	}
	confs := 0
	for i := range recs {
		a, b := one[i], parts[i]
		if a.ID != recs[i].RecordID || b.ID != a.ID || b.Source != a.Source || !b.LoadedAt.Equal(a.LoadedAt) || *b.Coverage != *a.Coverage {
			t.Fatalf("record %d (%s): %+v, in parts %+v", i, recs[i].RecordID, a, b)
		}
		ca, cb := r.capture(a), r.capture(b)
		if !slices.Equal(ca.Fields, cb.Fields) || !slices.Equal(ca.Conf, cb.Conf) {
			t.Fatalf("record %s: fields %q conf %v, in parts %q %v", a.ID, ca.Fields, ca.Conf, cb.Fields, cb.Conf)
		}
		if slices.ContainsFunc(ca.Conf, func(c int16) bool { return c >= 0 }) {
			confs++
		}
	}
	if confs == 0 {
		t.Fatal("no record with an OCR confidence: the scanned forms were not read")
	}
}
