package pipelines

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/dancu-vn/dancu/internal/kafkax"
	"github.com/dancu-vn/dancu/schemas"
	"github.com/segmentio/kafka-go"
)

// KindWithdrawal marks a withdrawal (JSON schemas.Withdrawal): on
// TopicRecords, where dancu import --replaces publishes it beside the
// record batches, and on TopicMatched, where the match stage writes it
// once the registry applied it, for the load stage to mark the records
// withdrawn (table withdrawn_records, migration 0022).
const KindWithdrawal = "withdrawal"

// RuleWithdrawn is the match rule of a withdrawn record's link, closed:
// its person is empty (ClickHouseSink.withdraw).
const RuleWithdrawn = "withdrawn"

// WithdrawalChunk bounds the record ids of one withdrawal message (about
// 330 KB of JSON at 10,000 ids, well under a message's limit).
const WithdrawalChunk = 10000

// Withdrawer takes records out of the register (RegistryLinker does,
// through registry.Withdraw). The match stage applies a withdrawal
// message with it, in its place among the record batches.
type Withdrawer interface {
	Withdraw(ctx context.Context, w schemas.Withdrawal) (LinkResult, error)
}

var _ Withdrawer = (*RegistryLinker)(nil)

// OldRecord is a record of the file (or batch) a corrected one replaces:
// its id and its PartitionKey, which says the partition of TopicRecords
// it was published to.
type OldRecord struct {
	RecordID string
	Key      string
}

// Replacement says what dancu import --replaces withdraws: the records of
// Old, replaced by the file of import batch Batch.
type Replacement struct {
	Batch    string // the new file's import batch
	Replaces string // the old file's import batch (or its path)
	User     string
	At       time.Time
	// LoadedAt is the new file's import time (Stats.LoadedAt): the
	// registry dates the withdrawal by it (schemas.Withdrawal.LoadedAt).
	LoadedAt time.Time
	Old      []OldRecord
}

// PlannedWithdrawal is one withdrawal message and the partition of
// TopicRecords it goes to.
type PlannedWithdrawal struct {
	Partition  int
	Withdrawal schemas.Withdrawal
}

// Withdrawn is the number of record ids the withdrawals name.
func Withdrawn(ws []PlannedWithdrawal) int {
	n := 0
	for _, w := range ws {
		n += len(w.Withdrawal.RecordIDs)
	}
	return n
}

// PlanWithdrawals groups the record ids to withdraw by the partition of
// TopicRecords they were published to (partitions: its partitions, as
// Import balances keys over them), each group sorted and cut in chunks of
// at most chunk ids (WithdrawalChunk when chunk ≤ 0). A withdrawal in the
// partition of its records comes after them there, so the match stage,
// which reads a partition in order, never withdraws a record before it
// has it. Each chunk's WithdrawalID is derived from the batches and its
// ids: the same replacement planned again gives the same messages.
func PlanWithdrawals(r Replacement, partitions []int, chunk int) []PlannedWithdrawal {
	if chunk <= 0 {
		chunk = WithdrawalChunk
	}
	balancer := &kafka.Murmur2Balancer{}
	byPart := map[int][]string{}
	seen := map[string]bool{}
	for _, o := range r.Old {
		if seen[o.RecordID] {
			continue
		}
		seen[o.RecordID] = true
		p := balancer.Balance(kafka.Message{Key: []byte(o.Key)}, partitions...)
		byPart[p] = append(byPart[p], o.RecordID)
	}
	var out []PlannedWithdrawal
	for _, p := range slices.Sorted(maps.Keys(byPart)) {
		ids := byPart[p]
		slices.Sort(ids)
		for lo := 0; lo < len(ids); lo += chunk {
			c := ids[lo:min(lo+chunk, len(ids))]
			out = append(out, PlannedWithdrawal{Partition: p, Withdrawal: schemas.Withdrawal{
				WithdrawalID: WithdrawalID(r.Batch, r.Replaces, c),
				Batch:        r.Batch, Replaces: r.Replaces, RecordIDs: c, User: r.User, At: r.At.UTC(), LoadedAt: r.LoadedAt.UTC(),
			}})
		}
	}
	return out
}

// WithdrawalID is the deterministic id of a withdrawal of ids (sorted) of
// batch replaces by batch.
func WithdrawalID(batch, replaces string, ids []string) string {
	h := sha256.New()
	for _, s := range append([]string{batch, replaces}, ids...) {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return "w" + hex.EncodeToString(h.Sum(nil)[:12])
}

// withdrawalMessage is the message of a withdrawal, keyed by its id.
func withdrawalMessage(w schemas.Withdrawal) (kafka.Message, error) {
	v, err := json.Marshal(w)
	if err != nil {
		return kafka.Message{}, fmt.Errorf("encode withdrawal %s: %w", w.WithdrawalID, err)
	}
	return kafka.Message{Key: []byte(w.WithdrawalID), Value: v, Headers: []kafka.Header{{Key: HeaderKind, Value: []byte(KindWithdrawal)}}}, nil
}

// decodeWithdrawal reads a withdrawal message.
func decodeWithdrawal(m kafka.Message) (schemas.Withdrawal, error) {
	var w schemas.Withdrawal
	if err := json.Unmarshal(m.Value, &w); err != nil {
		return w, err
	}
	if w.WithdrawalID == "" || w.Batch == "" {
		return w, fmt.Errorf("withdrawal without id or batch")
	}
	return w, nil
}

// PublishWithdrawals writes the planned withdrawals to TopicRecords, each
// to its partition (w nil: a writer of its own to brokers). Publish them
// only once the new file's records are: the match stage then adds the new
// records before it withdraws the old ones in each partition.
func PublishWithdrawals(ctx context.Context, brokers []string, w MessageWriter, ws []PlannedWithdrawal) error {
	if len(ws) == 0 {
		return nil
	}
	if w == nil {
		pw, err := kafkax.NewPartitionWriter(brokers, TopicRecords)
		if err != nil {
			return fmt.Errorf("publish withdrawals: %w", err)
		}
		defer pw.Close()
		w = pw
	}
	msgs := make([]kafka.Message, 0, len(ws))
	for _, p := range ws {
		m, err := withdrawalMessage(p.Withdrawal)
		if err != nil {
			return err
		}
		m.Partition = p.Partition
		msgs = append(msgs, m)
	}
	if err := w.WriteMessages(ctx, msgs...); err != nil {
		return fmt.Errorf("publish %d withdrawals to %s: %w", len(msgs), TopicRecords, err)
	}
	return nil
}

// RecordsPartitions are the partitions of TopicRecords, as Import asks
// the broker for them (creating the flow topics if need be).
func RecordsPartitions(ctx context.Context, brokers []string) ([]int, error) {
	if err := kafkax.EnsureTopics(ctx, brokers, kafkax.FlowTopics(0)); err != nil {
		return nil, err
	}
	return kafkax.Partitions(ctx, brokers, TopicRecords)
}
