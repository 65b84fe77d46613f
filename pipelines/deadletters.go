package pipelines

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/dancu-vn/dancu/internal/kafkax"
	"github.com/dancu-vn/dancu/schemas"
	"github.com/dancu-vn/dancu/vn"
	"github.com/segmentio/kafka-go"
)

// Headers of a dead letter (a message on TopicDead). A dead letter keeps
// the headers of the message it came from (HeaderKind among them), so that
// a replay can send it back where it was.
const (
	HeaderError  = "dancu-error"  // why it could not be processed
	HeaderSource = "dancu-source" // topic/partition@offset of the message it came from
	HeaderStage  = "dancu-stage"  // "load" for refused rows; absent for undecodable messages
	HeaderTable  = "dancu-table"  // the ClickHouse table that refused the row
	// HeaderReplayed, on a replayed message, names the dead letter it
	// was replayed from (TopicDead/partition@offset).
	HeaderReplayed = "dancu-replayed-from"
)

// ReplayGroup is the consumer group whose committed offset on TopicDead
// marks how far dead letters have been replayed.
const ReplayGroup = "dancu-dead-replay"

// kindRepublished counts, in lens, the messages of a republish (the
// entries of Batch.Republished), whose derived rows a refusal names by
// their message.
const kindRepublished = "republished"

// lens returns the number of rows of each kind (and of republish
// messages: kindRepublished).
func (b *Batch) lens() map[string]int {
	return map[string]int{kindRepublished: len(b.Republished),
		KindRecords: len(b.Records), KindPersons: len(b.Persons), KindLinks: len(b.Links),
		KindConflicts: len(b.Conflicts), KindRejects: len(b.Rejects), KindPersonEvents: len(b.PersonEvents),
		KindPersonDeltas: len(b.PersonDeltas), KindRecordDeltas: len(b.RecordDeltas),
		KindPersonDeltaSums: len(b.PersonDeltaSums), KindWithdrawal: len(b.Withdrawals),
	}
}

// encodeRow encodes row i of kind alone, as a message of that kind is
// encoded, and returns its id as well.
func (b *Batch) encodeRow(kind string, i int) (string, []byte, error) {
	switch kind {
	case KindRecords:
		v, err := schemas.EncodeRecords(b.Records[i : i+1])
		return b.Records[i].RecordID, v, err
	case KindPersons:
		v, err := schemas.EncodeRows(b.Persons[i : i+1])
		return b.Persons[i].PersonID, v, err
	case KindLinks:
		v, err := schemas.EncodeRows(b.Links[i : i+1])
		return b.Links[i].RecordID, v, err
	case KindConflicts:
		v, err := schemas.EncodeRows(b.Conflicts[i : i+1])
		return b.Conflicts[i].ConflictID, v, err
	case KindRejects:
		v, err := schemas.EncodeRows(b.Rejects[i : i+1])
		return b.Rejects[i].RejectID, v, err
	case KindPersonEvents:
		v, err := schemas.EncodeRows(b.PersonEvents[i : i+1])
		return b.PersonEvents[i].EventID, v, err
	case KindPersonDeltas:
		v, err := schemas.EncodeRows(b.PersonDeltas[i : i+1])
		return fmt.Sprintf("%s/%d", b.PersonDeltas[i].Batch, b.PersonDeltas[i].Seq), v, err
	case KindRecordDeltas:
		v, err := schemas.EncodeRows(b.RecordDeltas[i : i+1])
		return fmt.Sprintf("%s/%d", b.RecordDeltas[i].Batch, b.RecordDeltas[i].Seq), v, err
	case KindPersonDeltaSums:
		v, err := schemas.EncodeRows(b.PersonDeltaSums[i : i+1])
		return fmt.Sprintf("%s/%d", b.PersonDeltaSums[i].Batch, b.PersonDeltaSums[i].Seq), v, err
	}
	return "", nil, fmt.Errorf("encode row: unknown kind %q", kind)
}

var (
	quotedRE = regexp.MustCompile(`'(?:[^'\\]|\\.)*'`)
	digitsRE = regexp.MustCompile(`[0-9]{9,}`)
)

// MaskValues hides the personal data an error message may quote (ClickHouse
// quotes the values of a violated constraint): every quoted string keeps
// its first letter, and every run of 9 or more digits is masked like an
// identification number ("0010******45").
func MaskValues(s string) string {
	s = quotedRE.ReplaceAllStringFunc(s, func(q string) string {
		inner := []rune(q[1 : len(q)-1])
		if len(inner) <= 1 {
			return q
		}
		return "'" + string(inner[0]) + "…'"
	})
	return digitsRE.ReplaceAllStringFunc(s, vn.MaskID)
}

// DeadLetter is one message of TopicDead, as `dancu dead-letters list`
// shows it.
type DeadLetter struct {
	Partition int
	Offset    int64
	Time      time.Time
	Key       string
	Kind      string // row kind (HeaderKind); empty when unknown
	Source    string // topic/partition@offset it came from
	Stage     string // "load" for a refused row, else empty
	Table     string // the table that refused it, for a refused row
	Error     string // full error (may quote values: see MaskValues)
	Rows      int    // rows in the value; -1 when it does not decode
	Replayed  bool   // at or before the replay group's committed offset

	msg kafka.Message
}

// SourceTopic is the topic the dead letter came from.
func (d DeadLetter) SourceTopic() string {
	t, _, _ := strings.Cut(d.Source, "/")
	return t
}

func header(m kafka.Message, key string) string {
	for _, h := range m.Headers {
		if h.Key == key {
			return string(h.Value)
		}
	}
	return ""
}

func newDeadLetter(m kafka.Message, committed int64) DeadLetter {
	d := DeadLetter{
		Partition: m.Partition, Offset: m.Offset, Time: m.Time, Key: string(m.Key),
		Kind: header(m, HeaderKind), Source: header(m, HeaderSource), Stage: header(m, HeaderStage),
		Table: header(m, HeaderTable), Error: header(m, HeaderError), Rows: -1,
		Replayed: committed >= 0 && m.Offset < committed, msg: m,
	}
	if d.Kind == "" && d.SourceTopic() != "" {
		d.Kind = kindOf(kafka.Message{Topic: d.SourceTopic()})
	}
	if d.Kind != "" {
		var b Batch
		if err := b.add(kafka.Message{Topic: d.SourceTopic(), Value: m.Value, Headers: []kafka.Header{{Key: HeaderKind, Value: []byte(d.Kind)}}}); err == nil {
			d.Rows = b.Len()
		}
	}
	return d
}

// ReadDeadLetters returns every message on TopicDead, oldest first per
// partition, each marked Replayed when ReplayGroup has committed past it.
// It reads up to the end of the topic as it is when called, and creates
// the topic if it does not exist.
func ReadDeadLetters(ctx context.Context, brokers []string) ([]DeadLetter, error) {
	var out []DeadLetter
	err := scanDead(ctx, brokers, false, func(m kafka.Message, committed int64) error {
		out = append(out, newDeadLetter(m, committed))
		return nil
	})
	return out, err
}

// scanDead calls f for each message of TopicDead from the first (or, with
// fromCommitted, from ReplayGroup's committed offset) to the end as it is
// now, partition by partition.
func scanDead(ctx context.Context, brokers []string, fromCommitted bool, f func(m kafka.Message, committed int64) error) error {
	if err := kafkax.EnsureTopics(ctx, brokers, map[string]int{TopicDead: 1}); err != nil {
		return fmt.Errorf("read dead letters: %w", err)
	}
	lags, err := kafkax.Lag(ctx, brokers, ReplayGroup, TopicDead)
	if err != nil {
		return fmt.Errorf("read dead letters: %w", err)
	}
	for _, l := range lags {
		start := int64(kafka.FirstOffset)
		if fromCommitted && l.Committed >= 0 {
			start = l.Committed
		}
		if l.End <= 0 || l.Lag == 0 && (fromCommitted || l.Committed < 0) || start >= l.End {
			continue
		}
		r := kafka.NewReader(kafka.ReaderConfig{Brokers: brokers, Topic: TopicDead, Partition: l.Partition, MaxWait: 200 * time.Millisecond, MaxBytes: 16 << 20})
		if err := r.SetOffset(start); err != nil {
			r.Close()
			return fmt.Errorf("read dead letters: partition %d: %w", l.Partition, err)
		}
		for {
			m, err := r.FetchMessage(ctx)
			if err != nil {
				r.Close()
				return fmt.Errorf("read dead letters: partition %d: %w", l.Partition, err)
			}
			if err := f(m, l.Committed); err != nil {
				r.Close()
				return err
			}
			if m.Offset+1 >= l.End {
				break
			}
		}
		r.Close()
	}
	return nil
}

// ReplayStats counts what a replay did.
type ReplayStats struct {
	Replayed map[string]int // messages sent back, by topic
	Skipped  int            // dead letters with no source topic to send them to
}

// ReplayDeadLetters sends every dead letter not yet replayed back to the
// topic it came from (its HeaderSource), with its original headers and
// HeaderReplayed, and commits ReplayGroup's offset past it once the broker
// has it. The stages then process it again: a row ClickHouse refused
// loads once the cause is fixed (a migration, a corrected row), or comes
// back to the dead letters with the new error. With dryRun nothing is
// written or committed.
func ReplayDeadLetters(ctx context.Context, brokers []string, dryRun bool) (ReplayStats, error) {
	st := ReplayStats{Replayed: map[string]int{}}
	writers := map[string]*kafka.Writer{}
	defer func() {
		for _, w := range writers {
			w.Close()
		}
	}()
	client, closeClient := kafkax.NewClient(brokers, 10*time.Second)
	defer closeClient()
	err := scanDead(ctx, brokers, true, func(m kafka.Message, _ int64) error {
		d := newDeadLetter(m, -1)
		topic := d.SourceTopic()
		if topic == "" || topic == TopicDead {
			st.Skipped++
		} else if !dryRun {
			// A withdrawal goes back to the partition of dancu.records it
			// came from, where its records are (PlanWithdrawals put it
			// there), as import sent it: by its key it would land in
			// another partition, and the match stage, which reads each in
			// order, could apply it before records it names. Other
			// messages go by their key, as their stages wrote them.
			part, byPart := replayPartition(d)
			name := topic
			if byPart {
				name += "#partition"
			}
			w := writers[name]
			if w == nil {
				var err error
				if byPart {
					w, err = kafkax.NewPartitionWriter(brokers, topic)
				} else {
					w, err = kafkax.NewWriter(brokers, topic)
				}
				if err != nil {
					return fmt.Errorf("replay dead letters: %w", err)
				}
				writers[name] = w
			}
			var hs []kafka.Header
			for _, h := range m.Headers {
				switch h.Key {
				case HeaderError, HeaderSource, HeaderStage, HeaderTable, HeaderReplayed:
				default:
					hs = append(hs, h)
				}
			}
			if d.Kind != "" && header(m, HeaderKind) == "" {
				hs = append(hs, kafka.Header{Key: HeaderKind, Value: []byte(d.Kind)})
			}
			hs = append(hs, kafka.Header{Key: HeaderReplayed, Value: []byte(fmt.Sprintf("%s/%d@%d", TopicDead, m.Partition, m.Offset))})
			if err := w.WriteMessages(ctx, kafka.Message{Key: m.Key, Value: m.Value, Headers: hs, Partition: part}); err != nil {
				return fmt.Errorf("replay dead letter %d@%d to %s: %w", m.Partition, m.Offset, topic, err)
			}
			st.Replayed[topic]++
		} else {
			st.Replayed[topic]++
		}
		if dryRun {
			return nil
		}
		return commitReplay(ctx, client, m.Partition, m.Offset+1)
	})
	return st, err
}

// replayPartition says whether dead letter d goes back to a partition of
// its own rather than by its key, and which: a withdrawal from
// TopicRecords, to the partition its source names.
func replayPartition(d DeadLetter) (int, bool) {
	if d.Kind != KindWithdrawal || d.SourceTopic() != TopicRecords {
		return 0, false
	}
	_, rest, _ := strings.Cut(d.Source, "/")
	p, _, _ := strings.Cut(rest, "@")
	n, err := strconv.Atoi(p)
	if err != nil || n < 0 {
		return 0, false
	}
	return n, true
}

// commitReplay commits ReplayGroup's offset on TopicDead as a standalone
// consumer (no group membership), as Kafka's simple consumers do.
func commitReplay(ctx context.Context, client *kafka.Client, partition int, offset int64) error {
	resp, err := client.OffsetCommit(ctx, &kafka.OffsetCommitRequest{
		GroupID: ReplayGroup, GenerationID: -1,
		Topics: map[string][]kafka.OffsetCommit{TopicDead: {{Partition: partition, Offset: offset}}},
	})
	if err != nil {
		return fmt.Errorf("commit replay offset %d: %w", offset, err)
	}
	for _, ps := range resp.Topics {
		for _, p := range ps {
			if p.Error != nil {
				return fmt.Errorf("commit replay offset %d on partition %d: %w", offset, p.Partition, p.Error)
			}
		}
	}
	return nil
}
