package pipelines_test

import (
	"context"
	"math/rand"
	"slices"
	"testing"

	"github.com/dancu-vn/dancu/internal/broker/brokertest"
	"github.com/dancu-vn/dancu/pipelines"
	"github.com/dancu-vn/dancu/registry"
	"github.com/dancu-vn/dancu/schemas"
)

// A withdrawal goes to the registry's changelog in its place between the
// batches: a matcher whose disk is lost rebuilds from the changelog the
// registry it had — every record left in the person it was in, the
// withdrawn records out (issue 9: a split when evidence is withdrawn) and
// refused when they come again, as the first registry refused them (wd6).
func TestWithdrawalRebuiltFromChangelog(t *testing.T) {
	ctx := context.Background()
	brokers := []string{brokertest.Start(t)}
	recs := generatedRecords(t, 150)
	rand.New(rand.NewSource(2)).Shuffle(len(recs), func(i, j int) { recs[i], recs[j] = recs[j], recs[i] })
	l, _, err := pipelines.OpenRegistry(ctx, pipelines.RegistryConfig{Dir: t.TempDir(), Brokers: brokers})
	if err != nil {
		t.Fatal(err)
	}
	person := map[string]string{}
	apply := func(res pipelines.LinkResult) {
		for _, id := range res.Withdrawn {
			delete(person, id)
		}
		for _, k := range res.Links {
			person[k.RecordID] = k.PersonID
		}
	}
	half := len(recs) / 2
	for i := 0; i < half; i += 40 {
		res, err := l.Link(ctx, recs[i:min(i+40, half)])
		if err != nil {
			t.Fatal(err)
		}
		apply(res)
	}
	var ids []string
	for i := 0; i < half; i += 7 {
		ids = append(ids, recs[i].RecordID)
	}
	w := schemas.Withdrawal{WithdrawalID: "w1", Batch: "b-new", Replaces: "b-old", RecordIDs: ids, User: "test"}
	res, err := l.Withdraw(ctx, w)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Withdrawn) != len(ids) {
		t.Fatalf("withdrew %d of %d records", len(res.Withdrawn), len(ids))
	}
	apply(res)
	for i := half; i < len(recs); i += 40 {
		res, err := l.Link(ctx, recs[i:min(i+40, len(recs))])
		if err != nil {
			t.Fatal(err)
		}
		apply(res)
	}
	// The withdrawn records published again (the old file re-imported by
	// hand, a replayed dead letter) with two new ones: refused, not linked,
	// and in the changelog with their batch.
	back := []schemas.Record{recs[1]}
	for i := 0; i < half; i += 7 {
		back = append(back, recs[i])
	}
	back = append(back, recs[len(recs)-1])
	res, err = l.Link(ctx, back)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Refused) != len(ids) {
		t.Errorf("published again: %d of the %d withdrawn records refused", len(res.Refused), len(ids))
	}
	for _, k := range res.Links {
		if slices.Contains(ids, k.RecordID) {
			t.Errorf("withdrawn record %s linked again", k.RecordID)
		}
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	// A new disk: rebuilt from the changelog.
	l2, n, err := pipelines.OpenRegistry(ctx, pipelines.RegistryConfig{Dir: t.TempDir(), Brokers: brokers})
	if err != nil {
		t.Fatal(err)
	}
	defer l2.Close()
	if n != len(recs)+len(back) {
		t.Errorf("rebuilt %d records from the changelog, %d were given", n, len(recs)+len(back))
	}
	// The batch that came back was refused again in the rebuild, and the
	// withdrawn records given once more are refused by the rebuilt
	// registry (its tombstones).
	if st := l2.Registry.Stats(); st.Refused != int64(len(ids)) {
		t.Errorf("rebuild refused %d records, the first registry %d", st.Refused, len(ids))
	}
	wrs := make([]schemas.Record, 0, len(ids))
	for i := 0; i < half; i += 7 {
		wrs = append(wrs, recs[i])
	}
	out, err := l2.Registry.AddRecords(ctx, registry.NewRecords(), wrs)
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Refused) != len(ids) || len(out.Links) != 0 {
		t.Errorf("rebuilt registry: %d of %d withdrawn records refused, %d linked", len(out.Refused), len(ids), len(out.Links))
	}
	// The records left, given again: a redelivery returns their current
	// persons.
	gone := map[string]bool{}
	for _, id := range ids {
		gone[id] = true
	}
	var left []schemas.Record
	for _, r := range recs {
		if !gone[r.RecordID] {
			left = append(left, r)
		}
	}
	out, err = l2.Registry.AddRecords(ctx, registry.NewRecords(), left)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, k := range out.Links {
		got[k.RecordID] = k.PersonID
	}
	if len(got) != len(left) || len(person) != len(left) {
		t.Fatalf("rebuilt registry links %d records, the first %d; %d left", len(got), len(person), len(left))
	}
	moved := 0
	for id, pid := range person {
		if got[id] != pid {
			moved++
		}
	}
	if moved > 0 {
		t.Errorf("%d of %d records in another person in the rebuilt registry", moved, len(left))
	}
	// The withdrawn records are out of it: withdrawing them again
	// withdraws nothing.
	again, err := l2.Registry.Withdraw(ctx, schemas.Withdrawal{WithdrawalID: "w2", Batch: "b-check", RecordIDs: ids})
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Withdrawn) != 0 {
		t.Errorf("rebuilt registry held %d of the %d withdrawn records", len(again.Withdrawn), len(ids))
	}
	if st := l2.Registry.Stats(); st.Records != int64(len(recs)) || st.Duplicates != int64(len(left)+2) {
		t.Errorf("rebuilt registry: %d records added, %d given again; want %d and %d (the withdrawn ones not back)", st.Records, st.Duplicates, len(recs), len(left))
	}
}
