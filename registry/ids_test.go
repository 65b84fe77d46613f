package registry_test

import (
	"context"
	"slices"
	"testing"

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
