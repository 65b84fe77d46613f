package registry

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/cockroachdb/pebble"

	"github.com/dancu-vn/dancu/matching"
	"github.com/dancu-vn/dancu/schemas"
)

// newerFormat is the store format after storeFormat: a dancu's to come.
func newerFormat() string {
	n, err := strconv.Atoi(storeFormat)
	if err != nil {
		panic(err)
	}
	return strconv.Itoa(n + 1)
}

// asJSONGuards rewrites r's persons' guard summaries as JSON, as a store
// of format 6 (reg22) and before kept them, and marks the store as of
// format (a planted summary is "" to drop it: a person without one).
// It returns how many it rewrote.
func asJSONGuards(t *testing.T, r *Registry, format string, drop bool) int {
	t.Helper()
	it, err := r.db.NewIter(&pebble.IterOptions{LowerBound: []byte{kGuards}, UpperBound: []byte{kGuards + 1}})
	if err != nil {
		t.Fatal(err)
	}
	wb := r.db.NewBatch()
	n := 0
	for ok := it.First(); ok; ok = it.Next() {
		state, g, err := splitPersonValue(it.Value())
		if err != nil {
			t.Fatal(err)
		}
		if len(g) == 0 {
			continue
		}
		if g[0] != 2 {
			t.Fatalf("person %s: summary %q not in the binary form", it.Key()[1:], g)
		}
		js, err := matching.PersonGuardsJSON(g)
		if err != nil {
			t.Fatal(err)
		}
		if drop {
			js = nil
		}
		wb.Set(append([]byte(nil), it.Key()...), appendPersonValue(nil, state, js), nil)
		n++
	}
	if err := it.Close(); err != nil {
		t.Fatal(err)
	}
	wb.Set(metaKey("format"), []byte(format), nil)
	if err := wb.Commit(pebble.Sync); err != nil {
		t.Fatal(err)
	}
	return n
}

// guardForms counts r's persons' summaries by form: JSON and binary.
func guardForms(t *testing.T, r *Registry) (js, bin int) {
	t.Helper()
	it, err := r.db.NewIter(&pebble.IterOptions{LowerBound: []byte{kGuards}, UpperBound: []byte{kGuards + 1}})
	if err != nil {
		t.Fatal(err)
	}
	defer it.Close()
	for ok := it.First(); ok; ok = it.Next() {
		_, g, err := splitPersonValue(it.Value())
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case len(g) == 0:
		case g[0] == '{':
			js++
		default:
			bin++
		}
	}
	return js, bin
}

// A person's summary stored as JSON (a store of format 6, reg22) still
// keeps a grey-zone pair from being raised where the two whole persons
// hold two valid numbers (TestGreyZoneNeedsJoinablePersons): read as it
// is in a store marked as of this format, and rewritten in the binary
// form when a store of format 6 opens. Without the summary the pair is
// raised: the registry's frame holds only the record of Y without a
// number.
func TestGuardSummariesOfFormat6(t *testing.T) {
	y1 := schemas.Record{RecordID: "f1/1", FullName: "Trần Văn Hùng", BirthDate: "1985-06-10", BirthYear: 1985, Sex: "M",
		IDNumber: "001085111111", PermProvinceCode: "01", PermCommuneCode: "00004", FatherName: "Trần Văn Bảy", Ethnicity: "Kinh"}
	y2 := y1
	y2.RecordID, y2.IDNumber = "f1/2", ""
	x := schemas.Record{RecordID: "f2/1", FullName: "Trần Văn Hùng", BirthDate: "1985", BirthYear: 1985,
		IDNumber: "001085999999", FatherName: "Lê Văn Bảy", Ethnicity: "Kinh"}
	_, open := trainedOpener(t)
	for _, tc := range []struct {
		name   string
		format string
		drop   bool
		grey   bool
		json   int // JSON summaries left once it opens
		bin    int // binary summaries after X's batch (X only Y's neighbour: Y's kept)
	}{
		{"format 6, rewritten when it opens", formatReg22, false, false, 0, 2},
		{"JSON read as it is", storeFormat, false, false, 1, 1},
		{"no summary", storeFormat, true, true, 0, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			dir := t.TempDir()
			r := open(dir)
			first, err := r.AddRecords(ctx, NewRecords(), []schemas.Record{y1, y2})
			if err != nil {
				t.Fatal(err)
			}
			if len(first.Persons) != 1 {
				t.Fatalf("Y's two records: want one person, got %+v", first.Persons)
			}
			if n := asJSONGuards(t, r, tc.format, tc.drop); n != 1 {
				t.Fatalf("%d summaries rewritten, want Y's", n)
			}
			if err := r.Close(); err != nil {
				t.Fatal(err)
			}
			r = open(dir)
			defer r.Close()
			if v, _, err := getClone(r.db, metaKey("format")); err != nil || string(v) != storeFormat {
				t.Fatalf("opened: format %q (%v), want %q", v, err, storeFormat)
			}
			if js, _ := guardForms(t, r); js != tc.json {
				t.Fatalf("opened: %d summaries in JSON, want %d", js, tc.json)
			}
			out, err := r.AddRecords(ctx, NewRecords(), []schemas.Record{x})
			if err != nil {
				t.Fatal(err)
			}
			grey := 0
			for _, c := range out.Conflicts {
				if c.Kind == schemas.ConflictGreyZone {
					grey++
				}
			}
			if (grey > 0) != tc.grey {
				t.Fatalf("grey-zone conflicts %d, want raised: %v (%+v)", grey, tc.grey, out.Conflicts)
			}
			if js, bin := guardForms(t, r); js != tc.json || bin != tc.bin {
				t.Fatalf("after X's batch: %d summaries in JSON, %d binary; want %d and %d", js, bin, tc.json, tc.bin)
			}
		})
	}
}

// A store of format 6 (its persons' summaries JSON, its records in
// appendTo's form) opened by this dancu (reg25) gives the outputs of a
// registry that always wrote the forms of reg25 — its set of blocks built
// from those records, batches, records delivered again, a withdrawal, a
// restart.
func TestGuardSummariesOfFormat6SameOutputs(t *testing.T) {
	recs := synthRecords(t, 500, 11, 17)
	ad := NewRecords()
	_, open := trainedOpener(t)
	curDir, oldDir := t.TempDir(), t.TempDir()
	cur, old := open(curDir), open(oldDir)
	defer func() { cur.Close(); old.Close() }()
	ctx := context.Background()
	add := func(step string, batch []schemas.Record) {
		t.Helper()
		sameOutputs(t, step, "a store of format 6 opened", cur, old, func(r *Registry) (*Output, error) { return r.AddRecords(ctx, ad, batch) })
	}
	const n = 50
	half := len(recs) / 2
	for i := 0; i < half; i += n {
		add("first half", recs[i:min(i+n, half)])
	}
	planted := asJSONGuards(t, old, formatReg22, false)
	if planted < half/3 {
		t.Fatalf("%d summaries rewritten as JSON for %d records", planted, half)
	}
	// And its records in the form before reg25 (appendTo).
	it, err := old.db.NewIter(&pebble.IterOptions{LowerBound: []byte{kRecord}, UpperBound: []byte{kRecord + 1}})
	if err != nil {
		t.Fatal(err)
	}
	wb := old.db.NewBatch()
	records := 0
	for ok := it.First(); ok; ok = it.Next() {
		if v := it.Value(); v[0] != compactMark[0] || v[1] != compactMark[1] {
			t.Fatalf("record %x not in the form of reg25", it.Key())
		}
		b, err := decodeBlob(it.Value(), len(old.fields), len(old.confs))
		if err != nil {
			t.Fatal(err)
		}
		wb.Set(append([]byte(nil), it.Key()...), b.encode(), nil)
		records++
	}
	if err := errors.Join(it.Close(), wb.Commit(pebble.Sync)); err != nil {
		t.Fatal(err)
	}
	if records != half {
		t.Fatalf("%d records rewritten, want %d", records, half)
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}
	// Without the saved set of blocks: it is built from those records.
	if err := os.Remove(filepath.Join(oldDir, blockSetFile)); err != nil {
		t.Fatal(err)
	}
	old = open(oldDir)
	if js, bin := guardForms(t, old); js != 0 || bin != planted {
		t.Fatalf("format 6's store opened: %d summaries in JSON, %d binary; want 0 and %d", js, bin, planted)
	}
	for i := half; i < len(recs); i += n {
		add("second half", recs[i:min(i+n, len(recs))])
		if st := old.Stats(); i == half && (!st.BlockSetReady || st.BlockSetFromFile || st.Blocks == 0) {
			t.Fatalf("format 6's store opened: set of blocks ready %v, read from its file %v, %d blocks; want it built from the records", st.BlockSetReady, st.BlockSetFromFile, st.Blocks)
		}
	}
	add("delivered again", recs[half-n:half+n])
	ids := []string{recs[3].RecordID, recs[half+4].RecordID}
	w := schemas.Withdrawal{WithdrawalID: "w1", Batch: "b1", RecordIDs: ids}
	sameOutputs(t, "withdrawn", "a store of format 6 opened", cur, old, func(r *Registry) (*Output, error) { return r.Withdraw(ctx, w) })
	for _, r := range []**Registry{&cur, &old} {
		if err := (*r).Close(); err != nil {
			t.Fatal(err)
		}
	}
	cur, old = open(curDir), open(oldDir)
	add("restarted, delivered again", recs[:2*n])
}
