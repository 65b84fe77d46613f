package ingest

import "testing"

// TestColumnKind checks the kinds recordOf reads by column against the
// field names they stand for: every field rowValues holds, none and STT.
func TestColumnKind(t *testing.T) {
	fields := []string{"", FieldSTT, "not a field"}
	for f := range fieldIndex {
		fields = append(fields, f)
	}
	names, places, skipped := 0, 0, 0
	for _, f := range fields {
		k := columnKind(f)
		isName := f == FieldFullName || f == FieldGivenName || f == FieldFamilyMiddle
		if got := k&colName != 0; got != isName {
			t.Errorf("%q: colName %v, want %v", f, got, isName)
		}
		if got := k&colSkip != 0; got != (f == "" || f == FieldSTT) {
			t.Errorf("%q: colSkip %v", f, got)
		}
		if got := k&colPlace != 0; got != placeField(f) {
			t.Errorf("%q: colPlace %v, placeField %v", f, got, placeField(f))
		}
		names += int(k & colName >> 1)
		places += int(k & colPlace >> 2)
		skipped += int(k & colSkip)
	}
	if names != 3 || places != 4 || skipped != 2 {
		t.Errorf("%d name, %d place and %d skipped fields, want 3, 4 and 2", names, places, skipped)
	}
}
