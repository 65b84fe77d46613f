package registry_test

import (
	"context"
	"slices"
	"testing"

	"github.com/dancu-vn/dancu/registry"
	"github.com/dancu-vn/dancu/schemas"
)

// A withdrawal marks every id it names, held or not: an id withdrawn
// before the registry ever held it (its record on another partition, or
// never linked) is refused when it comes, in a batch of new records that
// are linked; a second corrected file's withdrawal naming records another
// withdrew is told (AlreadyWithdrawn), the first's identical re-flush and
// its later chunks are not; the marks last through a restart.
func TestWithdrawalMarksEveryID(t *testing.T) {
	p := generated(t)
	recs := p.recs[:200]
	held, early := recs[:100], recs[100:]
	ctx := context.Background()
	cfg := registry.Config{Settings: p.settings, Dir: t.TempDir()}
	reg, err := registry.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { reg.Close() }()
	ad := registry.NewRecords()
	if _, err := reg.AddRecords(ctx, ad, held); err != nil {
		t.Fatal(err)
	}
	registry.WaitBlockSet(reg)
	ids := func(rs []schemas.Record) []string {
		var out []string
		for _, r := range rs {
			out = append(out, r.RecordID)
		}
		return out
	}
	// b1 withdraws 10 held records and 10 never held.
	w1 := append(ids(held[:10]), ids(early[:10])...)
	out, err := reg.Withdraw(ctx, withdrawal("b1", w1))
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Withdrawn) != 10 || len(out.AlreadyWithdrawn) != 0 {
		t.Fatalf("b1: %d withdrawn, %d already withdrawn; want 10 and 0", len(out.Withdrawn), len(out.AlreadyWithdrawn))
	}
	// Only never-held ids: nothing withdrawn, but marked (b1's second chunk).
	out, err = reg.Withdraw(ctx, schemas.Withdrawal{WithdrawalID: "w-b1-2", Batch: "b1", Replaces: "old-b1", RecordIDs: ids(early[10:20])})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Withdrawn)+len(out.Persons)+len(out.Links)+len(out.AlreadyWithdrawn) != 0 {
		t.Fatalf("withdrawing ids never held: %d withdrawn, %d persons, %d links, %d already withdrawn", len(out.Withdrawn), len(out.Persons), len(out.Links), len(out.AlreadyWithdrawn))
	}
	// b2, a second correction of the same file, names 5 of b1's and 5 others.
	w2 := append(ids(held[5:10]), ids(held[10:15])...)
	out, err = reg.Withdraw(ctx, withdrawal("b2", w2))
	if err != nil {
		t.Fatal(err)
	}
	var before []string
	for _, f := range out.AlreadyWithdrawn {
		if f.WithdrawnBy != "b1" {
			t.Errorf("record %s already withdrawn by %q, want b1", f.RecordID, f.WithdrawnBy)
		}
		before = append(before, f.RecordID)
	}
	if want := ids(held[5:10]); !slices.Equal(before, slices.Sorted(slices.Values(want))) || len(out.Withdrawn) != 5 {
		t.Errorf("b2: already withdrawn %d ids, %d withdrawn; want the 5 of b1's it names, and 5", len(before), len(out.Withdrawn))
	}
	// b1 again, as it came (a replay): b1's marks, nothing told.
	out, err = reg.Withdraw(ctx, schemas.Withdrawal{WithdrawalID: "w-b1-3", Batch: "b1", Replaces: "old-b1", RecordIDs: w1})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.AlreadyWithdrawn) != 0 || len(out.Withdrawn) != 0 {
		t.Errorf("b1 again: %d already withdrawn, %d withdrawn; want none", len(out.AlreadyWithdrawn), len(out.Withdrawn))
	}
	for _, restart := range []bool{false, true} {
		if restart {
			if err := reg.Close(); err != nil {
				t.Fatal(err)
			}
			if reg, err = registry.Open(cfg); err != nil {
				t.Fatal(err)
			}
			registry.WaitBlockSet(reg)
		}
		// The early records come with new ones: those withdrawn are
		// refused. (After the restart, a batch of its own, not the last
		// one's output again.)
		n := 40 + 5*btoi(restart)
		out, err = reg.AddRecords(ctx, ad, append(slices.Clone(early[:n]), held[:15]...))
		if err != nil {
			t.Fatal(err)
		}
		var refused []string
		for _, f := range out.Refused {
			refused = append(refused, f.RecordID)
		}
		want := append(ids(early[:20]), ids(held[:15])...)
		if !slices.Equal(refused, want) {
			t.Errorf("restart %v: refused %d records, want the %d withdrawn, in input order", restart, len(refused), len(want))
		}
		linked := map[string]bool{}
		for _, k := range out.Links {
			linked[k.RecordID] = true
		}
		for _, r := range early[:n] {
			if linked[r.RecordID] == slices.Contains(want, r.RecordID) {
				t.Errorf("restart %v: record %s linked %v, withdrawn %v", restart, r.RecordID, linked[r.RecordID], slices.Contains(want, r.RecordID))
			}
		}
		if restart {
			continue
		}
		// The same batch again: its output again, refusals and all.
		again, err := reg.AddRecords(ctx, ad, append(slices.Clone(early[:40]), held[:15]...))
		if err != nil {
			t.Fatal(err)
		}
		if len(again.Refused) != len(out.Refused) || len(again.Links) != len(out.Links) {
			t.Errorf("re-flush: %d refused, %d links; first %d and %d", len(again.Refused), len(again.Links), len(out.Refused), len(out.Links))
		}
	}
}
