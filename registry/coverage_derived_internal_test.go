package registry

import (
	"bytes"
	"context"
	"slices"
	"testing"

	"github.com/cockroachdb/pebble"

	"github.com/dancu-vn/dancu/schemas"
)

// Records' states derived from their blobs (round 12) give the outputs
// whole states give (round 11's code: a registry whose covFields is nil
// derives nothing): batches of new records with merges, records
// delivered again, addresses, numbers and source kinds corrected, a
// police decision. Every derived state, expanded, is byte for byte the
// whole state round 11 stored. A store of round 11's format (all states
// whole) opens as this format and goes on giving the same outputs; a
// store of a newer format is refused.
func TestRecordStatesDerived(t *testing.T) {
	recs := synthRecords(t, 800, 5, 9)
	// The units filled from the addresses' text, as the match stage
	// does before the registry (pipelines.ResolveAddresses).
	ad := NewRecords()
	for i := range recs {
		r := &recs[i]
		get, _ := ad.ad.Fields(r)
		for _, u := range []struct {
			code  *string
			field string
		}{{&r.PermProvinceCode, "vn.perm_province"}, {&r.PermDistrictCode, "vn.perm_district"}, {&r.PermCommuneCode, "vn.perm_commune"},
			{&r.PermNewProvinceCode, "vn.perm_new_province"}, {&r.PermNewCommuneCode, "vn.perm_new_commune"},
			{&r.CurProvinceCode, "vn.cur_province"}, {&r.CurDistrictCode, "vn.cur_district"}, {&r.CurCommuneCode, "vn.cur_commune"},
			{&r.CurNewProvinceCode, "vn.cur_new_province"}, {&r.CurNewCommuneCode, "vn.cur_new_commune"}} {
			*u.code = get(u.field)
		}
	}
	// Records whose addresses are given as text alone (the blob holds
	// them resolved, coverage counts them in no unit: derived, noUnits);
	// and some whose state the blob does not say: the permanent
	// address's units left out, the current one's given; a number with
	// a space.
	for i := 0; i < len(recs); i += 37 {
		recs[i].PermProvinceCode, recs[i].PermDistrictCode, recs[i].PermCommuneCode = "", "", ""
		recs[i].PermNewProvinceCode, recs[i].PermNewCommuneCode = "", ""
		recs[i].CurProvinceCode, recs[i].CurDistrictCode, recs[i].CurCommuneCode = "", "", ""
		recs[i].CurNewProvinceCode, recs[i].CurNewCommuneCode = "", ""
	}
	for i := 3; i < len(recs); i += 43 {
		recs[i].PermProvinceCode, recs[i].PermDistrictCode, recs[i].PermCommuneCode = "", "", ""
		recs[i].PermNewProvinceCode, recs[i].PermNewCommuneCode = "", ""
		recs[i].CurProvinceCode, recs[i].CurNewProvinceCode = recs[i].CurProvinceCode+"0", recs[i].CurNewProvinceCode+"0"
	}
	for i := 5; i < len(recs); i += 41 {
		if len(recs[i].IDNumber) == 12 {
			recs[i].IDNumber = recs[i].IDNumber[:6] + " " + recs[i].IDNumber[6:]
		}
	}
	s, open := trainedOpener(t)
	curDir, wholeDir := t.TempDir(), t.TempDir()
	cur, whole := open(curDir), open(wholeDir)
	whole.covFields = nil // round 11: every state whole
	defer func() { cur.Close(); whole.Close() }()
	if cur.covFields == nil {
		t.Fatal("the Vietnamese settings read every field a state is derived from: want covFields")
	}
	both := func(step string, f func(r *Registry) (*Output, error)) {
		t.Helper()
		sameOutputs(t, step, "whole states", cur, whole, f)
	}
	add := func(step string, batch []schemas.Record) {
		t.Helper()
		both(step, func(r *Registry) (*Output, error) { return r.AddRecords(context.Background(), ad, batch) })
	}
	unitless := 0
	// states returns the ids' states of r, expanded.
	states := func(r *Registry) (map[string][]byte, int) {
		t.Helper()
		kept, seq := map[string][]byte{}, map[string]uint64{}
		it, err := r.db.NewIter(&pebble.IterOptions{LowerBound: []byte{kID}, UpperBound: []byte{kID + 1}})
		if err != nil {
			t.Fatal(err)
		}
		derived := 0
		for ok := it.First(); ok; ok = it.Next() {
			sq, st, err := parseIDValue(it.Value())
			if err != nil {
				t.Fatal(err)
			}
			if len(st) > 0 && st[0] >= derivedMark {
				derived++
				if st[0]&noUnits != 0 {
					unitless++
				}
			}
			kept[string(it.Key()[1:])], seq[string(it.Key()[1:])] = slices.Clone(st), sq
		}
		it.Close()
		if err := r.expandRecordStates(r.db, kept, seq); err != nil {
			t.Fatal(err)
		}
		return kept, derived
	}
	same := func(step string) {
		t.Helper()
		a, derived := states(cur)
		b, none := states(whole)
		if none != 0 {
			t.Fatalf("%s: %d derived states in the store of whole states", step, none)
		}
		if len(a) != len(b) {
			t.Fatalf("%s: %d ids, want %d", step, len(a), len(b))
		}
		for id, v := range b {
			if !bytes.Equal(a[id], v) {
				t.Fatalf("%s: record %s's state expanded %x, want %x", step, id, a[id], v)
			}
		}
		if derived < len(a)*3/4 || derived == len(a) || unitless == 0 {
			t.Fatalf("%s: %d of %d states derived, %d in no unit: want most, not all (some blobs do not say theirs), some in no unit", step, derived, len(a), unitless)
		}
		t.Logf("%s: %d of %d states derived, %d of them in no unit", step, derived, len(a), unitless)
		unitless = 0
	}

	const n = 50
	half := len(recs) / 2
	for i := 0; i < half; i += n {
		add("first half", recs[i:min(i+n, half)])
	}
	same("first half")
	add("delivered again", recs[:2*n])
	// Corrections: a commune, a number, a source kind and month, an
	// address given as text alone now, a record with every code.
	fixed := slices.Clone(recs[10:40])
	for i := range fixed {
		r := &fixed[i]
		switch i % 5 {
		case 0:
			r.PermCommuneCode, r.PermNewCommuneCode = r.PermCommuneCode+"9", r.PermNewCommuneCode+"9"
		case 1:
			r.IDNumber, r.CMND = "", "123456789"
		case 2:
			r.SourceKind, r.SourceDate = schemas.KindScan, r.SourceDate.AddDate(0, -3, 0)
		case 3:
			r.PermProvinceCode, r.PermDistrictCode, r.PermCommuneCode = "", "", ""
		case 4:
			r.PermProvinceCode, r.PermDistrictCode, r.PermCommuneCode = "01", "001", "00001"
		}
	}
	add("corrected", fixed)
	add("corrected, delivered again", fixed)
	for i := 0; i+1 < half && i < 100; i += 20 {
		a, b := recs[i].RecordID, recs[i+1].RecordID
		both("same person", func(r *Registry) (*Output, error) {
			return r.Decide(context.Background(), schemas.Decision{DecisionID: "d" + a, RecordIDs: []string{a, b}, Decision: schemas.DecisionSamePerson})
		})
	}
	same("corrected")

	// whole's store as round 11 left it (format "2"), opened by this
	// code: it derives the states of the records it numbers from now on.
	if err := whole.db.Set(metaKey("format"), []byte(formatRound11), pebble.Sync); err != nil {
		t.Fatal(err)
	}
	if err := whole.Close(); err != nil {
		t.Fatal(err)
	}
	whole = open(wholeDir)
	if v, _, err := getClone(whole.db, metaKey("format")); err != nil || string(v) != storeFormat {
		t.Fatalf("round 11's store opened: format %q (%v), want %q", v, err, storeFormat)
	}
	for i := half; i < len(recs); i += n {
		add("second half", recs[i:min(i+n, len(recs))])
	}
	add("first half's delivered again", recs[n:3*n])
	add("second half's delivered again", recs[half:half+2*n])

	// A store of a format this code does not know is refused.
	if err := whole.db.Set(metaKey("format"), []byte(newerFormat()), pebble.Sync); err != nil {
		t.Fatal(err)
	}
	whole.Close()
	if r, err := Open(Config{Dir: wholeDir, Settings: s}); err == nil {
		r.Close()
		t.Errorf("a store of format %s opened, want it refused", newerFormat())
	}
	whole = open(t.TempDir()) // for the deferred Close
}
