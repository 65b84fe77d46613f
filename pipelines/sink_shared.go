package pipelines

import (
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/dancu-vn/dancu/internal/kafkax"
	"github.com/dancu-vn/dancu/schemas"
	"github.com/segmentio/kafka-go"
)

// An unfinished insert of deltas of a load member on another machine
// (issue 9 (e); docs/pipeline.md, chaos12).
//
// PendingDir (sink_pending.go) lets a load stage of the same home finish
// an insert of deltas its process left unfinished. A member of the load
// group on another machine, with its own home, never sees that file: the
// member given its partitions replays their messages through the keys
// filter, which cannot tell which of the insert's views committed.
//
// So, when the sink has a Share, every insert of deltas is published
// there before it is sent (since chaos14, sink_intent.go; before, only
// once its first attempt had failed on an outage) — as an intent (its
// token and the messages its rows come from) when its block can be made
// again from those messages, else the block itself — with the partitions
// and offsets of the messages it came from (Batch.From), and a tombstone
// follows once the engine took it (an intent's with the sink's next
// publish). A load stage reads the share only when it is given
// partitions: the first flush after its reader began to read a partition,
// or read it again from an earlier offset (MessageSpan.Began), sends
// again, under its token, every block published for a message of those
// partitions at or after the offset it began at (not committed: the
// member that published it had not finished it), an intent's block made
// again from its messages, before any keys filter reads the keys. A block
// whose messages were committed was finished, and a block sent again that
// the engine had taken is dropped by each view (migration 0024): being
// sent by two members at once is harmless.
//
// What it costs in the steady state: a produce of one small message per
// insert of deltas, acknowledged (and synced, by a broker that syncs)
// before the insert is sent (BenchmarkClickHouseSinkDeltaFlush); the
// load stage keeps the next offset of each partition it reads and, at a
// flush, the place of each message of deltas.

// PendingShare is where load stages publish their inserts of deltas
// before they send them, for the member of their group given the
// insert's partitions next, should they not finish them
// (KafkaPendingShare).
type PendingShare interface {
	// Publish keeps the block until Done.
	Publish(ctx context.Context, b SharedBlock) error
	// Done drops the block of token, written in parts messages (0: one).
	Done(ctx context.Context, token string, parts int) error
	// Blocks returns the blocks published and not done, in the order
	// they were published.
	Blocks(ctx context.Context) ([]SharedBlock, error)
	// Messages reads again the messages refs names of topic, in refs'
	// order (an intent's, sink_intent.go); those gone are left out.
	Messages(ctx context.Context, topic string, refs []MessageRef) ([]kafka.Message, error)
}

// SharedBlock is an insert of deltas a load stage published before it
// sent it: the block, or its intent.
type SharedBlock struct {
	Token string
	// Query is the Native block's insert (with its SETTINGS clause), or
	// empty when Body holds the rows (schemas.EncodeRows).
	Query string
	Body  []byte
	// From is where the rows came from (Topic and Last).
	From    MessageSpan
	Written time.Time
	// Parts is the number of messages it was published in.
	Parts int
	// Intent, when set, says the block is not there: From.Deltas names
	// the messages it is made of, and the block is made again from them
	// (sink_intent.go). Body and Query are then empty.
	Intent bool
	// Done are the tokens of intents of the same publisher whose inserts
	// the engine took: Publish drops them in the same write.
	Done []string
}

// covers says whether b holds rows of a message of from's topic at or
// after the offset the reader began at in one of from.Began's partitions:
// a message not committed, that this reader replays.
func (b *SharedBlock) covers(from *MessageSpan) bool {
	if b.From.Topic != from.Topic {
		return false
	}
	for p, began := range from.Began {
		if last, ok := b.From.Last[p]; ok && last >= began {
			return true
		}
	}
	return false
}

// sharedPart bounds a message of KafkaPendingShare (before compression):
// well within the broker's max.message.bytes (kafkax.MaxMessageBytes).
const sharedPart = 512 << 10

// Headers of KafkaPendingShare's messages.
const (
	headerSharedParts   = "dancu-pending-parts"   // n: the block's message count
	headerSharedCRC     = "dancu-pending-crc"     // CRC-32 (IEEE) of the whole block, hex
	headerSharedQuery   = "dancu-pending-query"   // the Native block's insert (part 0)
	headerSharedFrom    = "dancu-pending-from"    // topic, then partition:last offset, … (part 0)
	headerSharedWritten = "dancu-pending-written" // Unix nanoseconds (part 0)
	headerSharedIntent  = "dancu-pending-intent"  // "1": the value is the messages' runs (encodeRefs), not the block
)

// KafkaPendingShare keeps the shared blocks in TopicLoadPending (one
// partition, compacted), each in messages of at most sharedPart bytes
// keyed "token/i"; Done writes a tombstone over each.
type KafkaPendingShare struct {
	brokers []string
	w       *kafka.Writer
	// iw writes the intents (one small message, with the tombstones of
	// the intents done since the last one), sent as soon as written: the
	// insert waits for it.
	iw *kafka.Writer
	// Groups maps each topic the load stages read to their consumer
	// group (RunStages sets it): a block whose messages that group
	// committed is finished, and the share's low-water mark passes it
	// (share_mark.go). nil: only blocks done pass it.
	Groups map[string]string
	// MessagesRead counts the messages Blocks read.
	MessagesRead atomic.Int64
}

var _ PendingShare = (*KafkaPendingShare)(nil)

// NewKafkaPendingShare returns the share of the load stages that use
// brokers; TopicLoadPending must exist (RunStages makes it).
func NewKafkaPendingShare(brokers []string) (*KafkaPendingShare, error) {
	w, err := kafkax.NewWriter(brokers, TopicLoadPending)
	if err != nil {
		return nil, err
	}
	iw, err := kafkax.NewWriter(brokers, TopicLoadPending)
	if err != nil {
		return nil, err
	}
	// Every message of one WriteMessages goes into the batch under the
	// writer's lock before its timer can send it: one request a write,
	// without waiting kafkax's 5 ms for more.
	iw.BatchTimeout = time.Microsecond
	iw.Compression = 0
	return &KafkaPendingShare{brokers: brokers, w: w, iw: iw}, nil
}

// Close closes the writers.
func (k *KafkaPendingShare) Close() error { return errors.Join(k.w.Close(), k.iw.Close()) }

// Messages reads the messages again from the brokers.
func (k *KafkaPendingShare) Messages(ctx context.Context, topic string, refs []MessageRef) ([]kafka.Message, error) {
	return readMessages(ctx, k.brokers, topic, refs)
}

// Publish writes b in parts, or b's intent in one message, after the
// tombstones of b.Done.
func (k *KafkaPendingShare) Publish(ctx context.Context, b SharedBlock) error {
	if b.Intent {
		b.Body, b.Query = encodeRefs(b.From.Deltas), ""
	}
	n := max(1, (len(b.Body)+sharedPart-1)/sharedPart)
	from := []string{b.From.Topic}
	parts := make([]int, 0, len(b.From.Last))
	for p := range b.From.Last {
		parts = append(parts, p)
	}
	slices.Sort(parts)
	for _, p := range parts {
		from = append(from, fmt.Sprintf("%d:%d", p, b.From.Last[p]))
	}
	common := []kafka.Header{
		{Key: headerSharedParts, Value: []byte(strconv.Itoa(n))},
		{Key: headerSharedCRC, Value: fmt.Appendf(nil, "%08x", crc32.ChecksumIEEE(b.Body))},
	}
	msgs := make([]kafka.Message, n)
	for i := range n {
		part := b.Body[min(i*sharedPart, len(b.Body)):min((i+1)*sharedPart, len(b.Body))]
		msgs[i] = kafka.Message{Key: []byte(b.Token + "/" + strconv.Itoa(i)), Value: append(make([]byte, 0, len(part)), part...), Headers: common}
	}
	msgs[0].Headers = append(slices.Clip(common),
		kafka.Header{Key: headerSharedQuery, Value: []byte(b.Query)},
		kafka.Header{Key: headerSharedFrom, Value: []byte(strings.Join(from, " "))},
		kafka.Header{Key: headerSharedWritten, Value: []byte(strconv.FormatInt(b.Written.UnixNano(), 10))})
	w := k.w
	if b.Intent {
		msgs[0].Headers = append(msgs[0].Headers, kafka.Header{Key: headerSharedIntent, Value: []byte("1")})
		w = k.iw
	}
	if len(b.Done) > 0 {
		done := make([]kafka.Message, 0, len(b.Done)+len(msgs))
		for _, token := range b.Done {
			done = append(done, kafka.Message{Key: []byte(token + "/0")}) // an intent is one message
		}
		msgs = append(done, msgs...)
	}
	if err := w.WriteMessages(ctx, msgs...); err != nil {
		return fmt.Errorf("publish pending insert %s: %w", b.Token, err)
	}
	return nil
}

// Done writes tombstones over the block's parts.
func (k *KafkaPendingShare) Done(ctx context.Context, token string, parts int) error {
	msgs := make([]kafka.Message, max(parts, 1))
	for i := range msgs {
		msgs[i] = kafka.Message{Key: []byte(token + "/" + strconv.Itoa(i))} // Value nil: a tombstone
	}
	if err := k.w.WriteMessages(ctx, msgs...); err != nil {
		return fmt.Errorf("drop pending insert %s: %w", token, err)
	}
	return nil
}

// Blocks reads the topic from its low-water mark (share_mark.go; its
// first offset when there is none) to its end, and moves the mark up to
// the first block still needed: a block with
// a tombstone over any part is done; one with a part missing or whose
// parts do not make its CRC is left out.
func (k *KafkaPendingShare) Blocks(ctx context.Context) ([]SharedBlock, error) {
	client, closeClient := kafkax.NewClient(k.brokers, 10*time.Second)
	defer closeClient()
	lo, err := client.ListOffsets(ctx, &kafka.ListOffsetsRequest{Topics: map[string][]kafka.OffsetRequest{
		TopicLoadPending: {kafka.FirstOffsetOf(0), kafka.LastOffsetOf(0)}}})
	if err != nil {
		return nil, fmt.Errorf("pending inserts of %s: %w", TopicLoadPending, err)
	}
	var first, end int64
	for _, p := range lo.Topics[TopicLoadPending] {
		if p.Error != nil {
			return nil, fmt.Errorf("pending inserts of %s: %w", TopicLoadPending, p.Error)
		}
		first, end = p.FirstOffset, p.LastOffset
	}
	start := first
	mark, hasMark := k.lowMark(ctx, client)
	if hasMark && mark >= first && mark <= end {
		start = mark
	}
	if start >= end {
		return nil, nil
	}
	ctx, cancel := context.WithTimeout(ctx, sharedReadWait)
	defer cancel()
	type held struct {
		b     SharedBlock
		crc   string
		parts map[int][]byte
		done  bool
		low   int64 // the offset of its part 0, -1: not read
	}
	byToken := map[string]*held{}
	var order []string
	if err := fetchRange(ctx, k.brokers, TopicLoadPending, 0, start, end, func(m kafka.Message) {
		k.MessagesRead.Add(1)
		key := string(m.Key)
		if i := strings.LastIndexByte(key, '/'); i > 0 {
			token, part := key[:i], key[i+1:]
			h := byToken[token]
			if h == nil {
				h = &held{b: SharedBlock{Token: token}, parts: map[int][]byte{}, low: -1}
				byToken[token] = h
				order = append(order, token)
			}
			if m.Value == nil {
				h.done = true
			} else if i, err := strconv.Atoi(part); err == nil {
				h.parts[i] = m.Value
				readSharedHeaders(&h.b, &h.crc, m.Headers)
				if i == 0 {
					h.low = m.Offset // its first part: parts are published in order
				}
			}
		}
	}); err != nil {
		return nil, fmt.Errorf("pending inserts of %s: %w", TopicLoadPending, err)
	}
	var needed []pendingAt
	for _, token := range order {
		if h := byToken[token]; !h.done && h.low >= 0 {
			needed = append(needed, pendingAt{from: h.b.From, offset: h.low})
		}
	}
	if low := k.lowestNeeded(ctx, client, needed, end); !hasMark || low != mark {
		k.commitLowMark(ctx, client, low)
	}
	var out []SharedBlock
	for _, token := range order {
		h := byToken[token]
		if h.done || h.b.Parts == 0 || len(h.parts) != h.b.Parts {
			continue
		}
		for i := range h.b.Parts {
			h.b.Body = append(h.b.Body, h.parts[i]...)
		}
		if fmt.Sprintf("%08x", crc32.ChecksumIEEE(h.b.Body)) != h.crc || h.b.From.Topic == "" {
			continue
		}
		if h.b.Intent {
			refs, err := decodeRefs(h.b.Body)
			if err != nil {
				continue
			}
			h.b.From.Deltas, h.b.Body = refs, nil
		}
		out = append(out, h.b)
	}
	return out, nil
}

func readSharedHeaders(b *SharedBlock, crc *string, hs []kafka.Header) {
	for _, h := range hs {
		v := string(h.Value)
		switch h.Key {
		case headerSharedParts:
			b.Parts, _ = strconv.Atoi(v)
		case headerSharedCRC:
			*crc = v
		case headerSharedQuery:
			b.Query = v
		case headerSharedIntent:
			b.Intent = v == "1"
		case headerSharedWritten:
			if ns, err := strconv.ParseInt(v, 10, 64); err == nil {
				b.Written = time.Unix(0, ns)
			}
		case headerSharedFrom:
			f := strings.Fields(v)
			if len(f) == 0 {
				continue
			}
			b.From = MessageSpan{Topic: f[0], Last: map[int]int64{}}
			for _, po := range f[1:] {
				ps, offs, ok := strings.Cut(po, ":")
				p, err1 := strconv.Atoi(ps)
				o, err2 := strconv.ParseInt(offs, 10, 64)
				if ok && err1 == nil && err2 == nil {
					b.From.Last[p] = o
				}
			}
		}
	}
}

// spanKey carries a Write's Batch.From to insertColumns, which publishes
// it with an insert it could not finish at the first attempt.
type spanKey struct{}

func spanOf(ctx context.Context) *MessageSpan {
	sp, _ := ctx.Value(spanKey{}).(*MessageSpan)
	return sp
}

// sharedReadWait bounds a read of the share to its end: a broker that
// went away meanwhile fails the Write (the stage starts again) rather than
// holding it.
const sharedReadWait = time.Minute

// sharedPublishWait bounds one attempt to publish or drop a block: the
// insert's own retries go on meanwhile only between attempts, and an
// attempt that fails (the broker down too) is made again at the insert's
// next retry.
const sharedPublishWait = 5 * time.Second

// publishShared publishes the block of an insert before it is sent
// (publishBefore) and returns the messages it took. body is the Native
// block (query nq), or nil for rows, which are then encoded.
func publishShared[T any](ctx context.Context, s *ClickHouseSink, token, nq string, body []byte, rows []T) (int, error) {
	from := spanOf(ctx)
	b := SharedBlock{Token: token, Body: body, From: MessageSpan{Topic: from.Topic, Last: from.Last}, Written: time.Now()}
	if body != nil {
		b.Query = nq
	} else {
		var err error
		if b.Body, err = schemas.EncodeRows(rows); err != nil {
			return 0, err
		}
	}
	b.Parts = max(1, (len(b.Body)+sharedPart-1)/sharedPart)
	if err := s.publishWithDone(ctx, b); err != nil {
		return 0, err
	}
	s.SharedPublished.Add(1)
	slog.Default().Info("load: an insert of deltas that cannot be made again from its messages published whole for the load group before it is sent", "token", token, "parts", b.Parts)
	return b.Parts, nil
}

// publishWithDone publishes b to the share, within sharedPublishWait of
// ctx even when ctx is cancelled, carrying the tombstones of the intents
// done since the last publish (b.Done); those leave the list once the
// publish succeeded, and stay for the next one if it failed.
func (s *ClickHouseSink) publishWithDone(ctx context.Context, b SharedBlock) error {
	s.intentMu.Lock()
	b.Done = slices.Clone(s.intentsDone)
	s.intentMu.Unlock()
	pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), sharedPublishWait)
	defer cancel()
	if err := s.Share.Publish(pctx, b); err != nil {
		return err
	}
	s.intentMu.Lock()
	s.intentsDone = slices.DeleteFunc(s.intentsDone, func(t string) bool { return slices.Contains(b.Done, t) })
	s.intentMu.Unlock()
	return nil
}

// dropShared writes the tombstone of a published block the engine took.
// One lost is harmless: the block's messages are committed next, and a
// member given their partitions then finds it covers none it replays.
func (s *ClickHouseSink) dropShared(ctx context.Context, token string, parts int) {
	dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), sharedPublishWait)
	defer cancel()
	if err := s.Share.Done(dctx, token, parts); err != nil {
		slog.Default().Warn("load: a published insert of deltas the engine took not marked done (harmless)", "token", token, "err", err)
	}
}

// resendShared sends again every block of the share that covers a
// message from replays (SharedBlock.covers), each under its token, and
// drops it from the share once the engine took it. A block older than
// pendingMaxAge is logged and dropped, not sent: the aggregates may have
// forgotten its id.
func (s *ClickHouseSink) resendShared(ctx context.Context, from *MessageSpan) error {
	blocks, err := s.Share.Blocks(ctx)
	if err != nil {
		return err
	}
	log := slog.Default()
	rctx := context.WithValue(ctx, resendKey{}, true)
	for _, b := range blocks {
		if !b.covers(from) {
			continue
		}
		if age := time.Since(b.Written); age > pendingMaxAge {
			log.Error("load: an insert of deltas another load member left unfinished too long ago to send again (its aggregates may have forgotten it): dropped, not counted",
				"token", b.Token, "age", age.Round(time.Minute))
			s.dropShared(ctx, b.Token, b.Parts)
			continue
		}
		if b.Intent {
			in := &refusals{max: 1 << 30}
			sent, err := s.rederive(ctx, b, in)
			if err != nil {
				return err
			}
			if sent {
				s.dropShared(ctx, b.Token, 1)
				s.SharedResent.Add(1)
				log.Info("load: an insert of deltas another load member may have left unfinished made again from its messages and sent", "token", b.Token, "messages", len(b.From.Deltas))
			}
			continue
		}
		if _, ok := s.Conn.(nativeInserter); b.Query != "" && !ok {
			// A member over HTTP published a Native block this member's
			// connection (ClickHouse's native protocol) cannot send: left
			// for a member that can, rather than failing every Write.
			log.Error("load: an insert of deltas another load member left unfinished is a Native block this connection cannot send: "+
				"not sent (run the load members of a group with the same ClickHouse protocol)", "token", b.Token)
			continue
		}
		in := &refusals{max: 1 << 30}
		if b.Query != "" {
			err = s.resendNative(ctx, pendingFile{token: b.Token, query: b.Query, body: b.Body})
		} else {
			err = s.resend(rctx, b.Token, b.Body, in)
		}
		if err != nil {
			return err
		}
		s.dropShared(ctx, b.Token, b.Parts)
		s.SharedResent.Add(1)
		log.Info("load: an insert of deltas another load member left unfinished sent again", "token", b.Token, "native", b.Query != "")
		if len(in.rows) > 0 {
			log.Warn("load: rows of an unfinished insert of deltas refused when sent again", "token", b.Token, "rows", len(in.rows), "first", in.rows[0].Err)
		}
	}
	return nil
}
