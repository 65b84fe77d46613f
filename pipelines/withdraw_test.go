package pipelines

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/schemas"
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

// withdrawLinker is KeyLinker that can withdraw: it notes, in order, the
// records it linked and the withdrawals it applied.
type withdrawLinker struct {
	KeyLinker
	mu  sync.Mutex
	log []string
}

func (l *withdrawLinker) Link(ctx context.Context, recs []schemas.Record) (LinkResult, error) {
	l.mu.Lock()
	for _, r := range recs {
		l.log = append(l.log, "link "+r.RecordID)
	}
	l.mu.Unlock()
	return l.KeyLinker.Link(ctx, recs)
}

func (l *withdrawLinker) Withdraw(_ context.Context, w schemas.Withdrawal) (LinkResult, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.log = append(l.log, "withdraw "+strings.Join(w.RecordIDs, ","))
	return LinkResult{Events: []schemas.PersonEvent{{EventID: "e-" + w.WithdrawalID, Reason: "withdrawn:" + w.Batch}}}, nil
}

// The match stage applies a withdrawal in its place among the record
// batches: the records before it are linked (and their micro-batch
// written) first, those after it later, even when they came within one
// MaxWait; its
// result and the withdrawal itself are written before its offset is
// committed. A withdrawal that does not decode goes to the dead letters.
func TestMatchAppliesWithdrawalInOrder(t *testing.T) {
	var events []string
	var in []kafka.Message
	batch := func(ids ...string) {
		var recs []schemas.Record
		for _, id := range ids {
			recs = append(recs, schemas.Record{RecordID: id, FullName: "Nguyễn Văn An", BirthYear: 1990})
		}
		b, err := schemas.EncodeRecords(recs)
		if err != nil {
			t.Fatal(err)
		}
		in = append(in, kafka.Message{Topic: TopicRecords, Offset: int64(len(in)), Value: b, Headers: []kafka.Header{{Key: HeaderKind, Value: []byte(KindRecords)}}})
	}
	batch("old1", "old2")
	batch("new1")
	w := schemas.Withdrawal{WithdrawalID: WithdrawalID("bnew", "bold", []string{"old1", "old2"}), Batch: "bnew", Replaces: "bold", RecordIDs: []string{"old1", "old2"}}
	m, err := withdrawalMessage(w)
	if err != nil {
		t.Fatal(err)
	}
	m.Topic, m.Offset = TopicRecords, int64(len(in))
	in = append(in, m)
	bad := kafka.Message{Topic: TopicRecords, Offset: int64(len(in)), Value: []byte("{"), Headers: m.Headers}
	in = append(in, bad)
	batch("new2")

	r := &commitOrder{memReader: &memReader{msgs: in, events: &events}}
	out := &callWriter{}
	dead := &callWriter{}
	l := &withdrawLinker{}
	st := new(MatchStats)
	runUntil(t, func(ctx context.Context) error {
		return Match(ctx, r, out, l, nil, MatchConfig{MaxWait: 300 * time.Millisecond, DeadLetter: dead}, st)
	}, func() bool { r.mu.Lock(); defer r.mu.Unlock(); return len(r.commits) == len(in) })

	want := []string{"link old1", "link old2", "link new1", "withdraw old1,old2", "link new2"}
	if !slices.Equal(l.log, want) {
		t.Errorf("linker saw %q, want %q", l.log, want)
	}
	if got := r.offsets(); !slices.Equal(got, []int64{0, 1, 2, 3, 4}) {
		t.Fatalf("committed offsets %v, want 0..4 in order", got)
	}
	// The withdrawal's write: the withdrawal and its events, before its commit.
	var found bool
	for _, c := range out.calls {
		for _, o := range c {
			if kindOf(o) == KindWithdrawal {
				got, err := decodeWithdrawal(o)
				if err != nil || got.WithdrawalID != w.WithdrawalID || !slices.Equal(got.RecordIDs, w.RecordIDs) {
					t.Errorf("withdrawal written %+v %v, want %+v", got, err, w)
				}
				found = true
			}
		}
	}
	if !found {
		t.Error("no withdrawal message written for the load stage")
	}
	if len(dead.calls) != 1 || len(dead.calls[0]) != 1 || string(dead.calls[0][0].Value) != "{" {
		t.Errorf("dead letters %v, want the undecodable withdrawal", dead.calls)
	}
}
