package registry

import (
	"reflect"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/schemas"
)

// The batch rows of coverage deltas the registry keeps for a re-send read
// back as written, and a row cut anywhere is refused, never half read.
func TestDeltaBatchesRoundTrip(t *testing.T) {
	day := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	recs := []schemas.RecordDelta{
		{Batch: "ab", Seq: 0, RecordID: "r1", ProvinceCode: "40", DistrictCode: "412", CommuneCode: "17011",
			NewProvinceCode: "40", NewCommuneCode: "17011", SourceKind: "scan", OldKnown: 1,
			SourceMonth: day, LoadMonth: day.AddDate(0, 7, 0), Added: 1, AddedWithID: 1},
		{Batch: "ab", Seq: 1, RecordID: "r2", SourceKind: "sheet", SourceMonth: day.AddDate(-60, 0, 0), LoadMonth: day,
			Removed: 2, RemovedCMNDOnly: 3},
	}
	b := encodeRecordDeltas(recs)
	got, err := decodeRecordDeltas("ab", b)
	if err != nil || !reflect.DeepEqual(got, recs) {
		t.Fatalf("records: got %+v, %v; want %+v", got, err, recs)
	}
	sums := []schemas.PersonDeltaSum{
		{Batch: "cd", Seq: 0, ProvinceCode: "01", CommuneCode: "00004", NewProvinceCode: "01", NewCommuneCode: "00004",
			BirthYear: 1989, ChangeMonth: day, Added: 7, RemovedWithID: 2},
		{Batch: "cd", Seq: 1, BirthYear: 2021, ChangeMonth: day, AddedCMNDOnly: 1},
	}
	pb, err := encodePersonBatch(sums, nil)
	if err != nil {
		t.Fatal(err)
	}
	gotSums, legacy, err := decodePersonBatch("cd", pb)
	if err != nil || legacy != nil || !reflect.DeepEqual(gotSums, sums) {
		t.Fatalf("persons: got %+v, %v, %v; want %+v", gotSums, legacy, err, sums)
	}
	for cut := 0; cut < len(b); cut++ {
		if _, err := decodeRecordDeltas("ab", b[:cut]); err == nil {
			t.Fatalf("records cut at %d of %d bytes read without error", cut, len(b))
		}
	}
	for cut := 0; cut < len(pb); cut++ {
		if _, _, err := decodePersonBatch("cd", pb[:cut]); err == nil {
			t.Fatalf("persons cut at %d of %d bytes read without error", cut, len(pb))
		}
	}
}
