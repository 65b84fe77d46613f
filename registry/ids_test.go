package registry_test

import (
	"context"
	"slices"
	"testing"

	"github.com/dancu-vn/dancu/matching/vietnamese"
	"github.com/dancu-vn/dancu/registry"
	"github.com/dancu-vn/dancu/schemas"
)

// The set of record ids kept in memory (ids.go) spares the look-ups of
// new records' ids, and only those: a record added before — in this run,
// before a restart, or while the set was rebuilt after it — is still told
// apart as a redelivery (counted a duplicate, not numbered again).
func TestIDSetAcrossRestart(t *testing.T) {
	p := generated(t)
	recs := p.recs
	const n = 100
	if len(recs) < 8*n {
		t.Fatalf("%d records, want at least %d", len(recs), 8*n)
	}
	dir := t.TempDir()
	ad := registry.NewRecords()
	ctx := context.Background()
	open := func() *registry.Registry {
		reg, err := registry.Open(registry.Config{Dir: dir, Settings: p.settings})
		if err != nil {
			t.Fatal(err)
		}
		return reg
	}
	add := func(reg *registry.Registry, batch []schemas.Record) {
		t.Helper()
		if _, err := reg.AddRecords(ctx, ad, batch); err != nil {
			reg.Close()
			t.Fatal(err)
		}
	}
	// again adds known records mixed with new ones and checks that the
	// known ones come back as duplicates, not numbered again.
	again := func(reg *registry.Registry, known, fresh []schemas.Record) {
		t.Helper()
		before := reg.Stats()
		batch := append(slices.Clone(fresh[:n/2]), known...)
		batch = append(batch, fresh[n/2:]...)
		add(reg, batch)
		st := reg.Stats()
		if d := st.Duplicates - before.Duplicates; d != int64(len(known)) {
			t.Errorf("%d known records again: %d counted duplicates", len(known), d)
		}
		if r := st.Records - before.Records; r != int64(len(fresh)) {
			t.Errorf("%d new records: %d added", len(fresh), r)
		}
	}

	reg := open()
	registry.WaitBlockSet(reg)
	for j := 0; j < 3*n; j += n {
		add(reg, recs[j:j+n])
	}
	if st := reg.Stats(); st.IDReads != 0 {
		t.Errorf("%d records' ids looked up in the store, all new with the set of ids built: want 0", st.IDReads)
	}
	again(reg, recs[n:n+n/2], recs[3*n:4*n])
	if st := reg.Stats(); st.IDReads < int64(n/2) {
		t.Errorf("%d ids looked up, fewer than the %d known ones", st.IDReads, n/2)
	}
	if err := reg.Close(); err != nil {
		t.Fatal(err)
	}

	// Reopened: a batch at once (while the set may still be built: its
	// ids kept aside), then, the set built, records of both runs again.
	reg = open()
	defer reg.Close()
	again(reg, recs[0:n/4], recs[4*n:5*n])
	registry.WaitBlockSet(reg)
	reads := reg.Stats().IDReads
	add(reg, recs[5*n:6*n])
	if st := reg.Stats(); st.IDReads != reads {
		t.Errorf("reopened, the set built: %d new records' ids looked up, want 0", st.IDReads-reads)
	}
	again(reg, append(slices.Clone(recs[2*n:2*n+n/4]), recs[4*n+n/4:4*n+n/2]...), recs[6*n:7*n])
}

// The set of ids also holds the valid numbers of the index of numbers
// (ids.go): a number no record in the store carries is not sought, and one
// a record carries — added in this run or before a restart, the set then
// rebuilt from the store — is, so that the shared_id of a number on two
// persons the model does not link is still raised.
func TestNumberSetAcrossRestart(t *testing.T) {
	s, err := vietnamese.Trained()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	ctx := context.Background()
	open := func() *registry.Registry {
		t.Helper()
		reg, err := registry.Open(registry.Config{Dir: dir, Settings: s})
		if err != nil {
			t.Fatal(err)
		}
		registry.WaitBlockSet(reg)
		return reg
	}
	const num = "001190012345"
	a := schemas.Record{RecordID: "f1/2", FullName: "Nguyễn Thị Thu Hà", BirthDate: "1990-03-15", BirthYear: 1990, Sex: "F",
		IDNumber: num, PermProvinceCode: "01", PermCommuneCode: "00004"}
	b := schemas.Record{RecordID: "f2/9", FullName: "Trần Thị Lan", BirthDate: "1990-11-02", BirthYear: 1990, Sex: "F",
		IDNumber: num, PermProvinceCode: "01", PermCommuneCode: "00004"}
	c := schemas.Record{RecordID: "f3/4", FullName: "Lê Thị Mai", BirthDate: "1990-06-21", BirthYear: 1990, Sex: "F",
		IDNumber: num, PermProvinceCode: "01", PermCommuneCode: "00004"}
	d := schemas.Record{RecordID: "f3/5", FullName: "Phạm Văn Đức", BirthDate: "1971-01-30", BirthYear: 1971, Sex: "M",
		IDNumber: "001071054321", PermProvinceCode: "01", PermCommuneCode: "00004"}
	// add adds batch and returns the persons its shared_id of num names,
	// and the numbers sought and skipped.
	add := func(reg *registry.Registry, batch ...schemas.Record) (persons []string, sought, skipped int64) {
		t.Helper()
		before := reg.Stats()
		out, err := reg.AddRecords(ctx, registry.NewRecords(), batch)
		if err != nil {
			t.Fatal(err)
		}
		for _, cf := range out.Conflicts {
			if cf.Kind == schemas.ConflictSharedID && cf.IDNumber == num {
				persons = cf.PersonIDs
			}
		}
		st := reg.Stats()
		return persons, st.NumberReads - before.NumberReads, st.NumbersSkipped - before.NumbersSkipped
	}
	reg := open()
	if p, sought, skipped := add(reg, a); p != nil || sought != 0 || skipped != 1 {
		t.Errorf("a first record: shared_id %v, %d numbers sought, %d skipped; want none, 0, 1", p, sought, skipped)
	}
	if p, sought, _ := add(reg, b); len(p) != 2 || sought != 1 {
		t.Errorf("a second person of the number: shared_id of %v, %d numbers sought; want two persons, 1", p, sought)
	}
	if err := reg.Close(); err != nil {
		t.Fatal(err)
	}
	reg = open()
	defer reg.Close()
	if p, sought, skipped := add(reg, c, d); len(p) != 3 || sought != 1 || skipped != 1 {
		t.Errorf("after a restart, a third person of the number and a new number: shared_id of %v, %d numbers sought, %d skipped; want three persons, 1, 1", p, sought, skipped)
	}
}
