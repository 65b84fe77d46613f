package pipelines

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
)

// A replacement's withdrawals go to the partition each old record was
// published to (after it there), in chunks of at most the chunk's ids,
// every old id once, with ids the same plan gives again.
func TestPlanWithdrawals(t *testing.T) {
	r := Replacement{Batch: "bnew", Replaces: "bold", User: "u", At: time.Unix(1, 0)}
	for i := range 250 {
		key := fmt.Sprintf("nk:nguyen an %d|1990", i%40)
		r.Old = append(r.Old, OldRecord{RecordID: fmt.Sprintf("r%03d", i), Key: key})
	}
	r.Old = append(r.Old, r.Old[0]) // read twice: withdrawn once
	parts := []int{0, 1, 2, 3, 4, 5}
	ws := PlanWithdrawals(r, parts, 16)
	if n := Withdrawn(ws); n != 250 {
		t.Fatalf("%d ids withdrawn, want 250", n)
	}
	part := map[string]int{}
	bal := &kafka.Murmur2Balancer{}
	for _, o := range r.Old {
		part[o.RecordID] = bal.Balance(kafka.Message{Key: []byte(o.Key)}, parts...)
	}
	seen := map[string]bool{}
	ids := map[string]bool{}
	for _, w := range ws {
		if len(w.Withdrawal.RecordIDs) == 0 || len(w.Withdrawal.RecordIDs) > 16 || !slices.IsSorted(w.Withdrawal.RecordIDs) {
			t.Errorf("withdrawal of %d ids (sorted %v)", len(w.Withdrawal.RecordIDs), slices.IsSorted(w.Withdrawal.RecordIDs))
		}
		if ids[w.Withdrawal.WithdrawalID] || w.Withdrawal.Batch != "bnew" || w.Withdrawal.Replaces != "bold" {
			t.Errorf("withdrawal %+v: id repeated or batches wrong", w.Withdrawal)
		}
		ids[w.Withdrawal.WithdrawalID] = true
		for _, id := range w.Withdrawal.RecordIDs {
			if part[id] != w.Partition {
				t.Errorf("%s goes to partition %d, its record was published to %d", id, w.Partition, part[id])
			}
			if seen[id] {
				t.Errorf("%s withdrawn twice", id)
			}
			seen[id] = true
		}
	}
	r.At = time.Now() // another run, later: the same messages
	again := PlanWithdrawals(r, parts, 16)
	for i := range ws {
		if again[i].Withdrawal.WithdrawalID != ws[i].Withdrawal.WithdrawalID || again[i].Partition != ws[i].Partition {
			t.Fatalf("planned again, withdrawal %d is %s in %d, was %s in %d", i, again[i].Withdrawal.WithdrawalID, again[i].Partition, ws[i].Withdrawal.WithdrawalID, ws[i].Partition)
		}
	}
}
