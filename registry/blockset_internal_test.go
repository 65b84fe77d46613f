package registry

import (
	"context"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/matching/settings"
	"github.com/dancu-vn/dancu/matching/vietnamese"
	"github.com/dancu-vn/dancu/schemas"
)

// blockSetOpener opens registries with the trained settings, every rule of
// max_block given max_block 3 and window 2 (so that blocks pass it, and
// their entries are kept), saving the set of blocks every checkpoint
// records (noFile: never saved nor read).
func blockSetOpener(t *testing.T) func(dir string, checkpoint int, noFile bool) *Registry {
	t.Helper()
	s, err := vietnamese.Trained()
	if err != nil {
		t.Fatal(err)
	}
	c := *s
	c.Blocking = append([]settings.BlockingRule(nil), s.Blocking...)
	for i := range c.Blocking {
		if c.Blocking[i].MaxBlock > 0 {
			c.Blocking[i].MaxBlock, c.Blocking[i].Window = 3, 2
		}
	}
	return func(dir string, checkpoint int, noFile bool) *Registry {
		t.Helper()
		r, err := Open(Config{Dir: dir, Settings: &c, Now: func() time.Time { return coverageNow }, BlockSetCheckpoint: checkpoint, NoBlockSetFile: noFile})
		if err != nil {
			t.Fatal(err)
		}
		WaitBlockSet(r)
		return r
	}
}

// crash closes r's store as a crash would leave it for the next open: the
// set of blocks not saved (what the store wrote is kept: Pebble's own
// recovery is not what is tested here).
func crash(t *testing.T, r *Registry) {
	t.Helper()
	r.blocksStop.Store(true)
	<-r.blocksDone
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.db.Close(); err != nil {
		t.Fatal(err)
	}
	r.db = nil
}

// checkSet fails unless r's set of blocks is the one its records give.
func checkSet(t *testing.T, step string, r *Registry) {
	t.Helper()
	large, kept, err := CheckWideBlocks(r)
	if err != nil {
		t.Fatalf("%s: the set of blocks is not its records': %v", step, err)
	}
	if large == 0 || kept != large {
		t.Fatalf("%s: %d blocks past their max_block, %d kept: the test does not test windows", step, large, kept)
	}
}

// TestBlockSetSavedAndRead: the set of blocks saved when the registry
// closes and every checkpoint is read when it opens again, the records
// after the save made into keys and added to it; after a crash between
// a save and later batches (records after it, and a withdrawal taking
// records out of it), the set is its records' exactly and every output
// is that of a registry that builds its set from the records at every
// open.
func TestBlockSetSavedAndRead(t *testing.T) {
	recs := synthRecords(t, 400, 11, 17)
	ad := NewRecords()
	open := blockSetOpener(t)
	curDir, refDir := t.TempDir(), t.TempDir()
	const every = 150 // records between saves
	cur, ref := open(curDir, every, false), open(refDir, 0, true)
	defer func() {
		for _, r := range []*Registry{cur, ref} {
			if r.db != nil {
				r.Close()
			}
		}
	}()
	ctx := context.Background()
	const n = 50
	at := 0
	add := func(step string, batches int) {
		t.Helper()
		for range batches {
			batch := recs[at:min(at+n, len(recs))]
			at += len(batch)
			sameOutputs(t, step, "a registry whose set is built from its records", ref, cur, func(r *Registry) (*Output, error) { return r.AddRecords(ctx, ad, batch) })
		}
	}
	reopen := func(step string, fromFile bool, replayed int) {
		t.Helper()
		st := cur.Stats()
		if !st.BlockSetReady || st.BlockSetFromFile != fromFile || fromFile && st.BlockSetReplayed != int64(replayed) {
			t.Fatalf("%s: set ready %v, read from its file %v (want %v), %d records replayed (want %d)", step, st.BlockSetReady, st.BlockSetFromFile, fromFile, st.BlockSetReplayed, replayed)
		}
		checkSet(t, step, cur)
		t.Logf("%s: %d blocks, read from the file %v, %d records after it; the set read in %v", step, st.Blocks, st.BlockSetFromFile, st.BlockSetReplayed, st.BlockSetLoad)
	}

	add("first batches", 5) // 250 records: saved after 150
	if st := cur.Stats(); st.BlockSetSaves != 1 || st.BlockSetFileBytes == 0 {
		t.Fatalf("after 250 records, a save every %d: %d saves (%d bytes)", every, st.BlockSetSaves, st.BlockSetFileBytes)
	}
	crash(t, cur)
	cur = open(curDir, every, false)
	reopen("crashed 100 records after a save", true, 100)
	add("after the crash", 1)
	checkSet(t, "a batch after the crash", cur)

	if err := cur.Close(); err != nil {
		t.Fatal(err)
	}
	cur = open(curDir, every, false)
	reopen("closed", true, 0)

	// A withdrawal takes records out of the saved set: the store no
	// longer names it, and an open after a crash builds the set from the
	// records.
	ids := []string{recs[3].RecordID, recs[120].RecordID, recs[260].RecordID}
	w := schemas.Withdrawal{WithdrawalID: "w1", Batch: "b1", RecordIDs: ids}
	sameOutputs(t, "withdrawn", "a registry whose set is built from its records", ref, cur, func(r *Registry) (*Output, error) { return r.Withdraw(ctx, w) })
	add("after the withdrawal", 1)
	crash(t, cur)
	cur = open(curDir, every, false)
	reopen("crashed after a withdrawal", false, 0)
	add("after the second crash", 1)
	if err := cur.Close(); err != nil {
		t.Fatal(err)
	}
	cur = open(curDir, every, false)
	reopen("closed again", true, 0)
	add("to the end", (len(recs)-at+n-1)/n)
	checkSet(t, "the end", cur)
	if err := cur.Close(); err != nil {
		t.Fatal(err)
	}
	cur = open(curDir, every, false)
	reopen("closed at the end", true, 0)
	at = 0
	add("delivered again", 2)
}

// TestBlockSetOfAnotherStoreIgnored: a file of the set of blocks that is
// not the one the store names — another store's, one of an older format,
// one cut or changed — is not read: the set is built from the records.
func TestBlockSetOfAnotherStoreIgnored(t *testing.T) {
	recs := synthRecords(t, 200, 13, 19)
	ad := NewRecords()
	open := blockSetOpener(t)
	aDir, bDir := t.TempDir(), t.TempDir()
	ctx := context.Background()
	fill := func(dir string, recs []schemas.Record) {
		r := open(dir, -1, false)
		for i := 0; i < len(recs); i += 100 {
			if _, err := r.AddRecords(ctx, ad, recs[i:min(i+100, len(recs))]); err != nil {
				t.Fatal(err)
			}
		}
		if err := r.Close(); err != nil {
			t.Fatal(err)
		}
	}
	half := len(recs) / 2
	fill(aDir, recs[:half])
	fill(bDir, recs[half:])
	file := filepath.Join(aDir, blockSetFile)
	try := func(step string, fromFile bool) {
		t.Helper()
		r := open(aDir, -1, false)
		st := r.Stats()
		if !st.BlockSetReady || st.BlockSetFromFile != fromFile {
			t.Fatalf("%s: set ready %v, read from the file %v, want %v", step, st.BlockSetReady, st.BlockSetFromFile, fromFile)
		}
		checkSet(t, step, r)
		if err := r.Close(); err != nil { // saves it again when it was not read
			t.Fatal(err)
		}
	}
	try("its own file", true)
	other, err := os.ReadFile(filepath.Join(bDir, blockSetFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, other, 0o644); err != nil {
		t.Fatal(err)
	}
	try("another store's file", false)
	try("saved again", true)

	change := func(step string, fn func(b []byte) []byte) {
		t.Helper()
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, fn(b), 0o644); err != nil {
			t.Fatal(err)
		}
		try(step, false)
		try(step+", saved again", true)
	}
	// A file of an older format, written for this store as it is (its
	// token and sequence).
	r := open(aDir, -1, false)
	v, ok, err := getClone(r.db, blockSetKey())
	if err != nil || !ok {
		t.Fatalf("the store's key of its set: %v, %v", ok, err)
	}
	h := r.blockSetHeader([16]byte(v[:16]), binary.BigEndian.Uint64(v[16:]))
	h.format = blockSetFormat - 1
	fh, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := writeBlockSet(fh, h, r.blocks); err != nil {
		t.Fatal(err)
	}
	if err := fh.Close(); err != nil {
		t.Fatal(err)
	}
	crash(t, r)
	try("an older format", false)
	try("an older format, saved again", true)
	change("a byte changed", func(b []byte) []byte {
		b[len(b)/2] ^= 0x40
		return b
	})
	change("cut short", func(b []byte) []byte { return b[:len(b)-100] })
	// A withdrawal by a dancu that neither saves nor reads the file
	// (before reg24: the store's key of the file stays).
	r = open(aDir, -1, true)
	if _, err := r.Withdraw(ctx, schemas.Withdrawal{WithdrawalID: "w1", Batch: "b1", RecordIDs: []string{recs[5].RecordID}}); err != nil {
		t.Fatal(err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	try("records withdrawn by a dancu that does not save the set", false)
	try("withdrawn, saved again", true)
	if err := os.Remove(file); err != nil {
		t.Fatal(err)
	}
	try("no file", false)
}

// TestBlockSetSlotsKeptToTheCommit: the slots scoreLocal found its
// blocks at are the ones the commit updates (one probe a block): the set
// makes room for a batch's blocks before they are added (reserve), so
// that no batch's slots are moved by a rehash before its commit, batches
// that grew the set among them; after every batch of a registry whose
// set grows from empty, the set is the one its records give.
func TestBlockSetSlotsKeptToTheCommit(t *testing.T) {
	recs := synthRecords(t, 400, 23, 29)
	open := blockSetOpener(t)
	r := open(t.TempDir(), -1, true)
	defer r.Close()
	ad := NewRecords()
	grew := 0
	for at := 0; at < len(recs); at += 40 {
		grows := r.blocks.grows
		if _, err := r.AddRecords(context.Background(), ad, recs[at:min(at+40, len(recs))]); err != nil {
			t.Fatal(err)
		}
		if r.blocks.grows != grows {
			grew++
		}
		if r.writtenSet != r.blocks || !r.blocks.slotsKept(r.writtenGrows) {
			t.Fatalf("the batch at record %d: the set rehashed after its blocks were found (the commit probed again)", at)
		}
		if _, _, err := CheckWideBlocks(r); err != nil {
			t.Fatalf("the batch at record %d: the set of blocks is not its records': %v", at, err)
		}
	}
	checkSet(t, "the end", r) // blocks past their max_block among them
	if grew == 0 {
		t.Fatal("no batch grew the set: want some")
	}
	t.Logf("%d batches of %d grew the set, every commit with its slots kept", grew, (len(recs)+39)/40)
}

// reserve makes room for n entries: adding them rehashes nothing, the
// set grows at most once a reservation, says whether it did, and ends
// as large as a set the same entries were added to one by one.
func TestBlockSetReserve(t *testing.T) {
	s, seq := &blockSet{members: true}, &blockSet{members: true}
	id := uint64(1)
	for _, n := range []int{0, 1, 3000, 3072, 5000, 100, 20000, 0} {
		before := s.grows
		grew := s.reserve(n)
		if s.grows > before+1 || grew != (s.grows > before) {
			t.Fatalf("reserve(%d): %d rehashes, said %v", n, s.grows-before, grew)
		}
		grows := s.grows
		for range n {
			s.addID(id, 0)
			seq.addID(id, 0)
			id++
		}
		if s.grows != grows {
			t.Fatalf("adding the %d entries reserved rehashed the set", n)
		}
		if len(s.slots) != len(seq.slots) {
			t.Fatalf("after %d entries: %d slots reserved, %d added one by one", id-1, len(s.slots), len(seq.slots))
		}
	}
	for x := uint64(1); x < id; x++ {
		if s.find(x, 0) < 0 {
			t.Fatalf("entry %d lost", x)
		}
	}
}
