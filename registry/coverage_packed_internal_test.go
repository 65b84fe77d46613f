package registry

import (
	"bytes"
	"context"
	"encoding/hex"
	"testing"

	"github.com/cockroachdb/pebble"

	"github.com/dancu-vn/dancu/schemas"
)

// A person's state packed (round 14) decodes to the state encoded, with
// the emitting batch's key after it read back; a state whose codes are
// not digits alone, or a birth year before 2010, stays whole; a whole
// state (round 12's) reads as before.
func TestPersonStatePacked(t *testing.T) {
	key := "00112233445566778899aabb"
	raw, _ := hex.DecodeString(key)
	for _, c := range []schemas.PersonCoverage{
		{},
		{Living: true, ProvinceCode: "01", CommuneCode: "00004", NewProvinceCode: "01", NewCommuneCode: "00004", HasID: true, BirthYear: 2015},
		{Living: true, ProvinceCode: "96", CommuneCode: "32248", NewProvinceCode: "33", NewCommuneCode: "26734", CMNDOnly: true},
		{Living: true, ProvinceCode: "79", BirthYear: 2010},
		{Living: true, ProvinceCode: "0000000", CommuneCode: "9999999"},
		{Living: true, ProvinceCode: "Hà Nội", CommuneCode: "00004"}, // not digits: whole
		{Living: true, ProvinceCode: "01", CommuneCode: "12345678"},  // 8 digits: whole
		{Living: true, ProvinceCode: "01", BirthYear: 1990},          // CoverageOf keeps none, but: whole
		{Living: true, ProvinceCode: "01", BirthYear: 65535},
	} {
		packed := encodeCoverage(c)
		whole := encodeCoverageWhole(c)
		_, canPack := appendPackedCoverage(nil, c)
		if canPack != (packed[0]&packedCodes != 0) {
			t.Errorf("%+v: encoded %x, packed %v", c, packed, canPack)
		}
		if canPack && len(packed) >= len(whole) {
			t.Errorf("%+v: packed %d bytes, whole %d", c, len(packed), len(whole))
		}
		for _, enc := range [][]byte{packed, whole} {
			got, err := decodeCoverage(enc)
			if err != nil || got != c {
				t.Errorf("%x decoded %+v (%v), want %+v", enc, got, err, c)
			}
			if b := coverageBatch(append(bytes.Clone(enc), raw...)); b != key {
				t.Errorf("%x with its key: batch %q, want %q", enc, b, key)
			}
			if b := coverageBatch(enc); b != "" {
				t.Errorf("%x: batch %q, want none", enc, b)
			}
			if _, err := decodeCoverage(enc[:len(enc)-1]); err == nil && len(enc) > 3 {
				t.Errorf("%x cut short decoded", enc[:len(enc)-1])
			}
			if n, ok := coverageLen(enc[:len(enc)-1]); ok {
				t.Errorf("%x cut short: length %d", enc[:len(enc)-1], n)
			}
		}
	}
}

// A store of round 12 (format "3": every person's state whole) opens as
// the current format without a rewrite, and its states read: after each
// step one registry's persons' states are turned whole again, as round
// 12 wrote them, and it gives the outputs of a registry whose states
// stay packed, through new records with merges, records delivered again
// and a police decision.
func TestPersonStatesBeforeRound14(t *testing.T) {
	recs := synthRecords(t, 600, 14, 14)
	_, open := trainedOpener(t)
	curDir, oldDir := t.TempDir(), t.TempDir()
	cur, old := open(curDir), open(oldDir)
	defer func() { cur.Close(); old.Close() }()
	// unpack turns every person's state of r whole (round 12's form),
	// its batch key kept, and returns how many were packed.
	unpack := func(r *Registry) int {
		t.Helper()
		it, err := r.db.NewIter(&pebble.IterOptions{LowerBound: []byte{kGuards}, UpperBound: []byte{kGuards + 1}})
		if err != nil {
			t.Fatal(err)
		}
		wb := r.db.NewBatch()
		packed := 0
		for ok := it.First(); ok; ok = it.Next() {
			st, g, err := splitPersonValue(it.Value())
			if err != nil {
				t.Fatal(err)
			}
			if len(st) == 0 || st[0]&packedCodes == 0 {
				continue
			}
			n, ok := coverageLen(st)
			c, err := decodeCoverage(st[:n])
			if !ok || err != nil {
				t.Fatalf("person %s: state %x: %v", it.Key()[1:], st, err)
			}
			packed++
			whole := append(encodeCoverageWhole(c), st[n:]...)
			wb.Set(bytes.Clone(it.Key()), appendPersonValue(nil, whole, g), nil)
		}
		it.Close()
		if err := wb.Commit(pebble.Sync); err != nil {
			t.Fatal(err)
		}
		return packed
	}
	ad := NewRecords()
	packed := 0 // states turned whole
	both := func(step string, f func(r *Registry) (*Output, error)) {
		t.Helper()
		sameOutputs(t, step, "round 12's states", cur, old, f)
		packed += unpack(old)
	}
	add := func(step string, batch []schemas.Record) {
		t.Helper()
		both(step, func(r *Registry) (*Output, error) { return r.AddRecords(context.Background(), ad, batch) })
	}
	const n = 60
	half := len(recs) / 2
	for i := 0; i < half; i += n {
		add("first half", recs[i:min(i+n, half)])
	}
	// Round 12's store, reopened: marked as this format, nothing rewritten.
	if err := old.db.Set(metaKey("format"), []byte(formatRound12), pebble.Sync); err != nil {
		t.Fatal(err)
	}
	old.Close()
	old = open(oldDir)
	if v, _, err := getClone(old.db, metaKey("format")); err != nil || string(v) != storeFormat {
		t.Fatalf("round 12's store opened: format %q (%v), want %q", v, err, storeFormat)
	}
	add("delivered again", recs[:2*n])
	for i := half; i < len(recs); i += n {
		add("second half", recs[i:min(i+n, len(recs))])
	}
	add("second half's delivered again", recs[half:half+2*n])
	for i := 0; i+1 < half && i < 100; i += 20 {
		a, b := recs[i].RecordID, recs[i+1].RecordID
		both("same person", func(r *Registry) (*Output, error) {
			return r.Decide(context.Background(), schemas.Decision{DecisionID: "d" + a, RecordIDs: []string{a, b}, Decision: schemas.DecisionSamePerson})
		})
	}
	if packed < len(recs)/4 {
		t.Fatalf("%d persons' states packed then turned whole, want most of the ~%d persons'", packed, len(recs)/3)
	}
	t.Logf("%d persons' states packed then turned whole", packed)
}
