package pipelines

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/dancu-vn/dancu/internal/kafkax"
	"github.com/segmentio/kafka-go"
)

// An insert of deltas whose process ends before the engine answers it
// (issue 9 (e); docs/pipeline.md, chaos14).
//
// Before chaos14 the share (sink_shared.go) received a block only after
// the insert's first attempt failed: a process that ended between the
// engine's failure and that publish (both killed within a produce's round
// trip, a machine holding both that lost power) left the block to its
// home alone, and a member elsewhere given its partitions replayed the
// messages through the keys filter, which cannot tell which of the
// insert's views committed (lost or doubled). So every insert of deltas of
// a load stage with a share is now published before it is sent — and
// before the fence (Batch.Fence) is asked, so that a member given the
// partitions after this one's generation ended finds it:
//
//   - as an intent when the block can be made again from the flush's
//     messages alone: its rows are those of its messages less their second
//     copies (none was dropped because the keys table held it, and none is
//     a legacy row whose old state the sink read from the engine). The
//     intent is the token and the partition and offset of each message of
//     deltas, in order (MessageSpan.Deltas): a few bytes a message, not the
//     rows. The member given the partitions reads those messages again,
//     makes the block again (the token must come out the same, else it is
//     not sent) and sends it under that token before its keys filter
//     reads the keys (rederive);
//   - as the whole block otherwise (a flush that replays messages whose
//     keys are in, a republish's deltas read from the engine): rare.
//
// An intent whose insert the engine took is dropped (a tombstone) with
// the sink's next publish, in the same write; one left (the process
// ended, or the tombstone is not yet written) is harmless: its messages
// are committed once the flush is, and no member given their partitions
// replays them. An intent of an insert that the engine took and whose
// messages were not committed is made again and dropped by every view
// (migration 0024's window). The same holds for an insert already sent
// when the member's generation ended (chaos13's fence asks before the
// send): its intent was in the share before the fence said live, so the
// member given the partitions sends the block under its token first, and
// whichever of the two copies reaches a view second is dropped there.

// fromMessagesKey marks the context of the inserts of deltas Write makes
// from the Batch's rows (not a republish's, derived from the engine).
type fromMessagesKey struct{}

// derivableKey marks the context of an insert of deltas that can be made
// again from the messages of MessageSpan.Deltas alone.
type derivableKey struct{}

// derivable returns ctx marked derivable when its inserts are made from
// the Batch's messages.
func derivable(ctx context.Context) context.Context {
	if ctx.Value(fromMessagesKey{}) == nil {
		return ctx
	}
	return context.WithValue(ctx, derivableKey{}, true)
}

// publishBefore publishes the insert of token before it is first sent:
// its intent when it is derivable and the span names its messages, else
// its block (body, the Native block of query nq, or rows encoded). It
// returns the parts of a block published (to drop once the engine took
// it) or intent. An error means nothing may be sent.
func publishBefore[T any](ctx context.Context, s *ClickHouseSink, token, nq string, body []byte, rows []T) (parts int, intent bool, err error) {
	from := spanOf(ctx)
	if ctx.Value(derivableKey{}) != nil && len(from.Deltas) > 0 {
		b := SharedBlock{Token: token, Intent: true, Parts: 1, Written: time.Now(),
			From: MessageSpan{Topic: from.Topic, Last: from.Last, Deltas: from.Deltas}}
		if err := s.publishWithDone(ctx, b); err != nil {
			return 0, false, fmt.Errorf("publish the intent of insert %s before it is sent: %w", token, err)
		}
		s.IntentsPublished.Add(1)
		return 0, true, nil
	}
	n, err := publishShared(ctx, s, token, nq, body, rows)
	if err != nil {
		return 0, false, fmt.Errorf("publish insert %s before it is sent: %w", token, err)
	}
	return n, false, nil
}

// intentDone notes that the engine took the insert of token, whose
// intent the next publish drops.
func (s *ClickHouseSink) intentDone(token string) {
	s.intentMu.Lock()
	defer s.intentMu.Unlock()
	if len(s.intentsDone) < maxIntentsDone {
		s.intentsDone = append(s.intentsDone, token)
	}
}

// maxIntentsDone bounds the tombstones one publish carries (a sink whose
// inserts all succeed carries one or two).
const maxIntentsDone = 64

// rederive makes the block of intent b again from its messages and sends
// it under its token. A block whose rows do not make the token (its
// messages gone, or decoded otherwise by another version) is logged at
// error level and not sent.
func (s *ClickHouseSink) rederive(ctx context.Context, b SharedBlock, in *refusals) (bool, error) {
	msgs, err := s.Share.Messages(ctx, b.From.Topic, b.From.Deltas)
	if err != nil {
		return false, err
	}
	var d Batch
	for _, m := range msgs {
		var one Batch
		_ = one.add(m) // a message the load stage could not decode gave its rows decoded before the error, as here
		d.PersonDeltas = append(d.PersonDeltas, one.PersonDeltas...)
		d.RecordDeltas = append(d.RecordDeltas, one.RecordDeltas...)
		d.PersonDeltaSums = append(d.PersonDeltaSums, one.PersonDeltaSums...)
	}
	rctx := context.WithValue(ctx, resendKey{}, true)
	table, _, _ := strings.Cut(b.Token, "/")
	var got string
	switch table {
	case "coverage_deltas":
		if _, err := s.newCoverageRows(ctx, &d, false); err != nil {
			return false, err
		}
		rows := coverageRows(&d)
		if got = coverageDeltaToken(rows); got == b.Token {
			return true, s.sendCoverageDeltas(deltaInsert(rctx), rows, d.RecordDeltas, d.PersonDeltaSums, in)
		}
	case "person_deltas":
		d.PersonDeltas = dropPersonDeltaCopies(d.PersonDeltas)
		if got = deltaToken(table, d.PersonDeltas, personDeltaKey); got == b.Token {
			return true, insertPersonDeltaRows(rctx, s, d.PersonDeltas, in)
		}
	}
	slog.Default().Error("load: an insert of deltas another load member may have left unfinished could not be made again from its messages: not sent",
		"token", b.Token, "messages", len(b.From.Deltas), "read", len(msgs), "made", got)
	return false, nil
}

// encodeRefs writes refs as runs "partition:first-last" of consecutive
// offsets of one partition, in order, separated by spaces.
func encodeRefs(refs []MessageRef) []byte {
	var out []byte
	for i := 0; i < len(refs); {
		j := i + 1
		for j < len(refs) && refs[j].Partition == refs[i].Partition && refs[j].Offset == refs[j-1].Offset+1 {
			j++
		}
		if len(out) > 0 {
			out = append(out, ' ')
		}
		out = strconv.AppendInt(out, int64(refs[i].Partition), 10)
		out = append(out, ':')
		out = strconv.AppendInt(out, refs[i].Offset, 10)
		if j-i > 1 {
			out = append(out, '-')
			out = strconv.AppendInt(out, refs[j-1].Offset, 10)
		}
		i = j
	}
	return out
}

// decodeRefs reads encodeRefs' runs.
func decodeRefs(b []byte) ([]MessageRef, error) {
	var refs []MessageRef
	for _, run := range strings.Fields(string(b)) {
		ps, offs, ok := strings.Cut(run, ":")
		first, last, isRange := strings.Cut(offs, "-")
		p, err1 := strconv.Atoi(ps)
		lo, err2 := strconv.ParseInt(first, 10, 64)
		hi := lo
		var err3 error
		if isRange {
			hi, err3 = strconv.ParseInt(last, 10, 64)
		}
		if !ok || err1 != nil || err2 != nil || err3 != nil || hi < lo || hi-lo > 1<<24 {
			return nil, fmt.Errorf("intent's messages: bad run %q", run)
		}
		for o := lo; o <= hi; o++ {
			refs = append(refs, MessageRef{Partition: p, Offset: o})
		}
	}
	return refs, nil
}

// readMessages reads the messages refs names of topic, in refs' order,
// each partition from its lowest offset named to its highest: those
// missing (the topic's retention dropped them) are left out.
func readMessages(ctx context.Context, brokers []string, topic string, refs []MessageRef) ([]kafka.Message, error) {
	lo, hi := map[int]int64{}, map[int]int64{}
	for _, r := range refs {
		if o, ok := lo[r.Partition]; !ok || r.Offset < o {
			lo[r.Partition] = r.Offset
		}
		if o, ok := hi[r.Partition]; !ok || r.Offset > o {
			hi[r.Partition] = r.Offset
		}
	}
	ctx, cancel := context.WithTimeout(ctx, sharedReadWait)
	defer cancel()
	got := map[MessageRef]kafka.Message{}
	for p, first := range lo {
		if err := fetchRange(ctx, brokers, topic, p, first, hi[p]+1, func(m kafka.Message) {
			got[MessageRef{Partition: p, Offset: m.Offset}] = m
		}); err != nil {
			return nil, err
		}
	}
	out := make([]kafka.Message, 0, len(refs))
	for _, r := range refs {
		if m, ok := got[r]; ok {
			out = append(out, m)
		}
	}
	return out, nil
}

// fetchRange hands each message of topic's partition from offset from
// up to end (excluded) to each, in order, read with Fetch requests of up
// to 16 MB: one request reads thousands of small messages, where
// kafka-go's Reader took seconds to tens of seconds for ten thousand
// intents (chaos14). It stops early at the partition's end.
func fetchRange(ctx context.Context, brokers []string, topic string, partition int, from, end int64, each func(kafka.Message)) error {
	client, closeClient := kafkax.NewClient(brokers, 10*time.Second)
	defer closeClient()
	for off := from; off < end; {
		resp, err := client.Fetch(ctx, &kafka.FetchRequest{Topic: topic, Partition: partition, Offset: off,
			MinBytes: 1, MaxBytes: 16 << 20, MaxWait: 20 * time.Millisecond})
		if err == nil {
			err = resp.Error
		}
		if err != nil {
			return fmt.Errorf("read %s/%d from %d: %w", topic, partition, off, err)
		}
		read := false
		for {
			r, err := resp.Records.ReadRecord()
			if err != nil {
				break
			}
			if r.Offset < off {
				continue // a batch fetched whole from before off
			}
			if r.Offset >= end {
				return nil
			}
			m := kafka.Message{Topic: topic, Partition: partition, Offset: r.Offset, Time: r.Time, Headers: r.Headers}
			if r.Key != nil {
				if m.Key, err = kafka.ReadAll(r.Key); err != nil {
					return fmt.Errorf("read %s/%d@%d: %w", topic, partition, r.Offset, err)
				}
			}
			if r.Value != nil {
				if m.Value, err = kafka.ReadAll(r.Value); err != nil {
					return fmt.Errorf("read %s/%d@%d: %w", topic, partition, r.Offset, err)
				}
			}
			each(m)
			off, read = r.Offset+1, true
		}
		if !read {
			if resp.HighWatermark <= off {
				return nil // the partition ends before end
			}
			if err := ctx.Err(); err != nil {
				return err
			}
		}
	}
	return nil
}
