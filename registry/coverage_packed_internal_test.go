package registry

import (
	"bytes"
	"context"
	"encoding/hex"
	"testing"

	"github.com/cockroachdb/pebble"
	"github.com/cockroachdb/pebble/vfs"

	"github.com/dancu-vn/dancu/schemas"
)

// A person's state packed (round 14) decodes to the state encoded, with
// the emitting batch's key after it read back; a state whose codes are
// not digits alone, or a birth year before 2010, stays whole; a whole
// state (round 12's) reads as before.
func TestPersonStatePacked(t *testing.T) {
	key := "00112233445566778899aabb"
	raw, _ := hex.DecodeString(key)
	// A state names its batch by number since round 15: a store holding
	// batch 3's key (the rows of its recluster, not those written again).
	db, err := pebble.Open("", &pebble.Options{FS: vfs.NewMem()})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	r := &Registry{batch: 3}
	wb := db.NewBatch()
	ref, err := r.personBatchRef(wb, key, false)
	if err != nil || len(ref) != 1 {
		t.Fatalf("batch 3's number %x (%v), want 1 byte", ref, err)
	}
	if err := wb.Commit(pebble.Sync); err != nil {
		t.Fatal(err)
	}
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
			for _, v := range [][]byte{append(bytes.Clone(enc), raw...), append(bytes.Clone(enc), ref...)} {
				if b, err := stateBatch(db, v); err != nil || b != key {
					t.Errorf("%x: batch %q (%v), want %q", v, b, err, key)
				}
			}
			if b, err := stateBatch(db, enc); err != nil || b != "" {
				t.Errorf("%x: batch %q (%v), want none", enc, b, err)
			}
			if b, err := stateBatch(db, append(bytes.Clone(enc), 7)); err == nil {
				t.Errorf("%x names batch number 7, which the store does not hold: batch %q, want an error", enc, b)
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

// A store of round 12 (format "3": every person's state whole, naming
// the batch that emitted it by its key) or of round 14 ("4": packed,
// naming its batch by its key) opens as the current format without a
// rewrite, and its states read: after each step one registry's persons'
// states are turned into that round's form again, and it gives the
// outputs of a registry whose states stay packed and name their batch
// by number, through new records with merges, records delivered again
// and a police decision.
func TestPersonStatesOfEarlierRounds(t *testing.T) {
	for _, round := range []struct {
		name, format string
		encode       func(schemas.PersonCoverage) []byte
	}{{"round 12", formatRound12, encodeCoverageWhole}, {"round 14", formatRound14, encodeCoverage}} {
		t.Run(round.name, func(t *testing.T) { testPersonStatesOf(t, round.name, round.format, round.encode) })
	}
}

// testPersonStatesOf is TestPersonStatesOfEarlierRounds for one round,
// whose states are encode's encoding followed by the batch's key.
func testPersonStatesOf(t *testing.T, round, format string, encode func(schemas.PersonCoverage) []byte) {
	recs := synthRecords(t, 600, 14, 14)
	_, open := trainedOpener(t)
	curDir, oldDir := t.TempDir(), t.TempDir()
	cur, old := open(curDir), open(oldDir)
	defer func() { cur.Close(); old.Close() }()
	// rewrite turns every person's state of r into the round's form and
	// returns how many it changed.
	rewrite := func(r *Registry) int {
		t.Helper()
		it, err := r.db.NewIter(&pebble.IterOptions{LowerBound: []byte{kGuards}, UpperBound: []byte{kGuards + 1}})
		if err != nil {
			t.Fatal(err)
		}
		wb := r.db.NewBatch()
		changed := 0
		for ok := it.First(); ok; ok = it.Next() {
			st, g, err := splitPersonValue(it.Value())
			if err != nil {
				t.Fatal(err)
			}
			if len(st) == 0 {
				continue
			}
			n, ok := coverageLen(st)
			c, err := decodeCoverage(st[:n])
			if !ok || err != nil {
				t.Fatalf("person %s: state %x: %v", it.Key()[1:], st, err)
			}
			key, err := stateBatch(r.db, st)
			if err != nil {
				t.Fatalf("person %s: state %x: %v", it.Key()[1:], st, err)
			}
			raw, _ := hex.DecodeString(key)
			if then := append(encode(c), raw...); !bytes.Equal(then, st) {
				changed++
				wb.Set(bytes.Clone(it.Key()), appendPersonValue(nil, then, g), nil)
			}
		}
		it.Close()
		if err := wb.Commit(pebble.Sync); err != nil {
			t.Fatal(err)
		}
		return changed
	}
	ad := NewRecords()
	changed := 0 // states turned into the round's form
	both := func(step string, f func(r *Registry) (*Output, error)) {
		t.Helper()
		sameOutputs(t, step, round+"'s states", cur, old, f)
		changed += rewrite(old)
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
	// The round's store, reopened: marked as this format, nothing rewritten.
	if err := old.db.Set(metaKey("format"), []byte(format), pebble.Sync); err != nil {
		t.Fatal(err)
	}
	old.Close()
	old = open(oldDir)
	if v, _, err := getClone(old.db, metaKey("format")); err != nil || string(v) != storeFormat {
		t.Fatalf("%s's store opened: format %q (%v), want %q", round, v, err, storeFormat)
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
	if changed < len(recs)/4 {
		t.Fatalf("%d persons' states turned into %s's form, want most of the ~%d persons'", changed, round, len(recs)/3)
	}
	t.Logf("%d persons' states turned into %s's form", changed, round)
}
