package pipelines

import (
	"fmt"

	"github.com/dancu-vn/dancu/schemas"
	"github.com/segmentio/kafka-go"
)

// Batch is a set of rows bound for the sink, of every kind.
type Batch struct {
	Records   []schemas.Record
	Persons   []schemas.Person
	Links     []schemas.Link
	Conflicts []schemas.Conflict
	Rejects   []schemas.Reject
	// PersonEvents are the registry's merges and splits (person_events).
	PersonEvents []schemas.PersonEvent
	// PersonDeltas are the registry's coverage deltas (person_deltas).
	PersonDeltas []schemas.PersonDelta
	// RecordDeltas are the registry's records' coverage deltas
	// (record_deltas).
	RecordDeltas []schemas.RecordDelta
	// PersonDeltaSums are the registry's persons' coverage deltas summed
	// by unit (person_delta_sums).
	PersonDeltaSums []schemas.PersonDeltaSum
	// Withdrawals are the withdrawals the match stage applied: their
	// records are marked withdrawn (withdrawn_records), their links
	// closed and the open conflicts naming them resolved.
	Withdrawals []schemas.Withdrawal
	// Republished are the messages of a republish of the registry
	// (republish.go), each written by ClickHouseSink.republish after the
	// other rows.
	Republished []Republished
	// From says which Kafka messages the rows came from, when a load
	// stage made the Batch (nil otherwise): a sink with a PendingShare
	// publishes it with an insert it could not finish, and reads the
	// share when From.Began names a partition (sink_shared.go).
	From *MessageSpan
	// Fence, when set, says whether the reader that read the rows still
	// holds their partitions (the load stage's kafkax.Ownership): the
	// ClickHouseSink asks it before each attempt at an insert of deltas
	// and fails with ErrPartitionsLost, the insert not sent, when it says
	// no — another member of the group replays those messages
	// (docs/pipeline.md, chaos13). The load stage's is Ownership.Held: a
	// generation is trusted for a lease after the coordinator last
	// answered for it, then asked again (chaos18), so that a member
	// stalled past the group's timeouts is not taken for the owner.
	//
	// What is left after a yes: with a share, nothing — the fence is
	// asked after the insert's intent is acknowledged, so the intent was
	// in the broker before any other member could be given the
	// partitions, and an insert sent however late is made again there
	// under the same token. Without a share, a stall longer than the
	// lease's margin (2 s) between the yes and the engine's receiving the
	// insert: a member given the partitions meanwhile may filter before it
	// lands. Bounded because a yes leaves at least that margin before any
	// other member can be given them, and what lies between is the
	// request's upload (a block of up to a few MB): it takes a stall of
	// the process there, or a link slow enough to need over 2 s for it.
	Fence func() bool
}

// MessageSpan is where a load stage's flush came from.
type MessageSpan struct {
	Topic string
	// Last is the highest offset of the flush's messages, by partition.
	Last map[int]int64
	// Began names the partitions this reader began to read, or read
	// again from an earlier offset, within the flush (it was given them:
	// it started, or its group rebalanced), with the offset it began at,
	// the partition's committed offset.
	Began map[int]int64
	// Deltas are the partition and offset of each of the flush's messages
	// of coverage deltas (KindPersonDeltas, KindRecordDeltas,
	// KindPersonDeltaSums), in the order their rows are in the Batch: a
	// sink with a PendingShare publishes them, and the tokens of the
	// inserts they make, before it sends those inserts, so that a member
	// given the partitions can make the same blocks again from the same
	// messages (an intent; sink_intent.go).
	Deltas []MessageRef
}

// MessageRef names a message of MessageSpan's topic.
type MessageRef struct {
	Partition int
	Offset    int64
}

// Len is the number of rows of all kinds.
func (b *Batch) Len() int {
	return len(b.Records) + len(b.Persons) + len(b.Links) + len(b.Conflicts) + len(b.Rejects) + len(b.PersonEvents) + len(b.PersonDeltas) + len(b.RecordDeltas) + len(b.PersonDeltaSums) + len(b.Withdrawals) + republishedLen(b.Republished)
}

func republishedLen(rs []Republished) int {
	n := 0
	for _, r := range rs {
		n += len(r.Persons) + len(r.Links) + len(r.Conflicts)
		if r.End || r.OfConflicts && len(r.Conflicts) == 0 {
			n++
		}
	}
	return n
}

func (b *Batch) reset() { *b = Batch{} }

// join puts the rows of parts, in order, into one Batch, each kind's
// slice allocated once at its size: the load stage decodes each message
// on its own and joins them at flush, where appending message by message
// grew the slices by copies (4% of the demo's allocated bytes, most of
// them records).
func join(parts []Batch) Batch {
	if len(parts) == 1 {
		return parts[0]
	}
	return Batch{
		Records:         joinRows(parts, func(b *Batch) []schemas.Record { return b.Records }),
		Persons:         joinRows(parts, func(b *Batch) []schemas.Person { return b.Persons }),
		Links:           joinRows(parts, func(b *Batch) []schemas.Link { return b.Links }),
		Conflicts:       joinRows(parts, func(b *Batch) []schemas.Conflict { return b.Conflicts }),
		Rejects:         joinRows(parts, func(b *Batch) []schemas.Reject { return b.Rejects }),
		PersonEvents:    joinRows(parts, func(b *Batch) []schemas.PersonEvent { return b.PersonEvents }),
		PersonDeltas:    joinRows(parts, func(b *Batch) []schemas.PersonDelta { return b.PersonDeltas }),
		RecordDeltas:    joinRows(parts, func(b *Batch) []schemas.RecordDelta { return b.RecordDeltas }),
		PersonDeltaSums: joinRows(parts, func(b *Batch) []schemas.PersonDeltaSum { return b.PersonDeltaSums }),
		Withdrawals:     joinRows(parts, func(b *Batch) []schemas.Withdrawal { return b.Withdrawals }),
		Republished:     joinRows(parts, func(b *Batch) []Republished { return b.Republished }),
	}
}

// appendRows appends rows to dst, or is rows itself when dst is empty
// (a message decoded into a Batch of its own: no copy).
func appendRows[T any](dst, rows []T) []T {
	if len(dst) == 0 {
		return rows
	}
	return append(dst, rows...)
}

// decodeInto decodes the rows of a message's value (schemas.DecodeRows)
// onto the end of *dst.
func decodeInto[T any](v []byte, dst *[]T) error {
	rows, err := schemas.DecodeRows[T](v)
	*dst = appendRows(*dst, rows)
	return err
}

// joinRows puts the rows of each part (rows of it), in order, into one
// slice allocated at its size.
func joinRows[P, T any](parts []P, rows func(*P) []T) []T {
	n := 0
	for i := range parts {
		n += len(rows(&parts[i]))
	}
	if n == 0 {
		return nil
	}
	out := make([]T, 0, n)
	for i := range parts {
		out = append(out, rows(&parts[i])...)
	}
	return out
}

func kindOf(m kafka.Message) string {
	for _, h := range m.Headers {
		if h.Key == HeaderKind {
			return string(h.Value)
		}
	}
	switch m.Topic {
	case TopicRejects:
		return KindRejects
	case TopicRecords:
		return KindRecords
	}
	return ""
}

// add decodes one Kafka message into b.
func (b *Batch) add(m kafka.Message) error {
	var err error
	switch k := kindOf(m); k {
	case KindRecords:
		err = decodeInto(m.Value, &b.Records)
	case KindPersons:
		err = decodeInto(m.Value, &b.Persons)
	case KindLinks:
		err = decodeInto(m.Value, &b.Links)
	case KindConflicts:
		err = decodeInto(m.Value, &b.Conflicts)
	case KindRejects:
		err = decodeInto(m.Value, &b.Rejects)
	case KindPersonEvents:
		err = decodeInto(m.Value, &b.PersonEvents)
	case KindPersonDeltas:
		err = decodeInto(m.Value, &b.PersonDeltas)
	case KindRecordDeltas:
		err = decodeInto(m.Value, &b.RecordDeltas)
	case KindPersonDeltaSums:
		err = decodeInto(m.Value, &b.PersonDeltaSums)
	case KindWithdrawal:
		var w schemas.Withdrawal
		if w, err = decodeWithdrawal(m); err == nil {
			b.Withdrawals = append(b.Withdrawals, w)
		}
	case KindRepublishPersons, KindRepublishLinks, KindRepublishConflicts, KindRepublishEnd:
		err = b.addRepublished(k, m)
	default:
		return fmt.Errorf("decode message %s/%d@%d: unknown kind %q", m.Topic, m.Partition, m.Offset, k)
	}
	if err != nil {
		return fmt.Errorf("decode message %s/%d@%d: %w", m.Topic, m.Partition, m.Offset, err)
	}
	return nil
}
