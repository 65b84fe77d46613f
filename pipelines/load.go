package pipelines

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/dancu-vn/dancu/internal/kafkax"
	"github.com/segmentio/kafka-go"
)

// Sink receives decoded rows from the load stage. It must be idempotent:
// a batch may be written again after a crash between the write and the
// offset commit. The ClickHouse sink is (ReplacingMergeTree keyed by
// deterministic ids).
//
// When the sink refuses some rows for their data it writes every other
// row and returns *RefusedRows; the load stage sends the refused rows to
// the dead letters and commits. Any other error means the batch was not
// (entirely) written: nothing is committed and the stage stops.
type Sink interface {
	Write(ctx context.Context, b *Batch) error
}

// RefusedRow is a row a Sink refused for its data.
type RefusedRow struct {
	Kind  string // KindRecords, KindPersons, …
	Index int    // position in the Batch's slice of that kind
	Table string // where it was going
	Err   error  // why it was refused
	// Row, when set, is the refused row itself, encoded as a message of
	// Kind, and Key its id: a row the sink derived from a message rather
	// than one of the Batch's slices (a republish's: Index is then the
	// position of its message in Batch.Republished).
	Row []byte
	Key string
}

// RefusedRows is the error of a Sink that refused some rows and wrote all
// the others, as kafka-go's WriteErrors is for messages.
type RefusedRows struct {
	Rows []RefusedRow
}

func (e *RefusedRows) Error() string {
	if len(e.Rows) == 0 {
		return "no rows refused"
	}
	return fmt.Sprintf("%d rows refused; first: %s row %d: %v", len(e.Rows), e.Rows[0].Table, e.Rows[0].Index, e.Rows[0].Err)
}

// MessageReader is the part of *kafka.Reader the stages use.
type MessageReader interface {
	FetchMessage(ctx context.Context) (kafka.Message, error)
	CommitMessages(ctx context.Context, msgs ...kafka.Message) error
}

// MessageWriter is the part of *kafka.Writer the stages use.
type MessageWriter interface {
	WriteMessages(ctx context.Context, msgs ...kafka.Message) error
}

// LoadConfig tunes the load stage.
type LoadConfig struct {
	// MaxRows flushes the pending batch at this many rows. Default: 200,000.
	// Each insert has fixed costs in ClickHouse, largest with the coverage
	// views attached (their queries, state look-ups and parts, per insert):
	// with a backlog, 200,000 rows a flush keep 10 to 15 points more of
	// the load stage's rows per CPU-second with the views than 50,000 did
	// (coverage's TestLoadSpeed; docs/coverage-speed.md). The coverage
	// deltas that come with the rows (up to about one and a half per
	// record when every record lies in a commune of its own) are bounded
	// apart, by as many: counted with the rows, they made a backlog's
	// flushes half as many again, each paying the fixed costs of every
	// table's insert (round 9: 5 flushes of 200,000 records instead of 3).
	MaxRows int
	// MaxWait flushes a non-empty pending batch after this long. Default: 2s
	// (long enough for a backlog to fill MaxRows on a small machine).
	MaxWait time.Duration
	// BacklogWait, when longer than MaxWait, is how long a pending batch
	// none of whose messages is marked HeaderCaughtUp waits instead. The
	// match stage marks its output when nothing is left waiting in its
	// input, so unmarked output comes from a match stage with a backlog,
	// whose next micro-batch is on its way: the load stage then inserts
	// MaxRows at a time rather than each micro-batch on its own (fewer
	// inserts and parts, fewer merges); the end of the backlog comes
	// marked and is flushed at once. Zero: MaxWait (RunStages sets five
	// times MaxWait, 10 s by default, for TopicMatched).
	BacklogWait time.Duration
	// DeadLetter receives messages that cannot be decoded and, one message
	// per row, rows the sink refuses, with the error and the source in
	// headers (HeaderError, HeaderSource, …), so that no input is dropped
	// silently. Nil: either stops the stage with an error.
	DeadLetter MessageWriter
	// Logger. Default: slog.Default().
	Logger *slog.Logger
}

// defaultLoadWait is LoadConfig.MaxWait's default.
const defaultLoadWait = 2 * time.Second

func (c LoadConfig) withDefaults() LoadConfig {
	if c.MaxRows <= 0 {
		c.MaxRows = 200_000
	}
	if c.MaxWait <= 0 {
		c.MaxWait = defaultLoadWait
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c
}

// LoadStats counts what the load stage has done.
type LoadStats struct {
	Messages  atomic.Int64 // Kafka messages committed
	Records   atomic.Int64 // rows written, by kind
	Persons   atomic.Int64
	Links     atomic.Int64
	Conflicts atomic.Int64
	Rejects   atomic.Int64
	Refused   atomic.Int64 // rows the sink refused (each sent to the dead letters)
	Dead      atomic.Int64 // messages sent to the dead-letter topic: undecodable messages and refused rows
	Flushes   atomic.Int64
	// Fenced counts the flushes that dropped messages, uncommitted,
	// because the consumer group had given their partitions to another
	// member or was rebalancing (loadBatch.fence).
	Fenced atomic.Int64
}

// Load runs the load stage until ctx is cancelled: it reads messages from r,
// writes their rows to sink in batches bounded by rows and time, and
// commits the messages' offsets only after the sink has accepted the rows.
// On cancellation it stops fetching, flushes what it holds under a fresh
// deadline, commits, and returns nil.
func Load(ctx context.Context, r MessageReader, sink Sink, cfg LoadConfig, st *LoadStats) error {
	cfg = cfg.withDefaults()
	if st == nil {
		st = new(LoadStats)
	}
	return runBatches(ctx, r, &loadBatch{r: r, sink: sink, cfg: cfg, st: st, own: kafkax.OwnershipOf(r)}, cfg.MaxWait)
}

// loadBatch is the pending batch of the load stage.
type loadBatch struct {
	r       MessageReader
	sink    Sink
	cfg     LoadConfig
	st      *LoadStats
	pending Batch   // the messages' rows, joined at flush (join)
	parts   []Batch // each message's rows, in order
	partMsg []int   // the message (index in msgs) of each of parts
	lens    map[string]int
	rows    int // rows pending but the coverage deltas
	deltas  int // coverage deltas pending
	msgs    []kafka.Message
	origins []origin
	// caughtUp counts the messages read of each micro-batch the match
	// stage wrote caught up (HeaderCaughtUp), across flushes (a flush at
	// MaxRows may take part of one); reading all of one flushes. marked
	// says whether the batch holds such a message.
	caughtUp map[string]int
	marked   bool
	// next is the offset after the last message read of each partition;
	// began, the partitions whose message came at another offset (or
	// first) since the last flush, with the offset it came at: the reader
	// was given them (MessageSpan.Began).
	next, began map[int]int64
	// own follows the reader's consumer-group generations (a reader of
	// kafkax.NewReader; nil for another): a flush keeps only the messages
	// of partitions the live generation gives the reader, and its inserts
	// of deltas are fenced by that generation (fence).
	own *kafkax.Ownership
}

// wait implements waiter: BacklogWait while no message held is marked
// caught up (a backlog), else maxWait.
func (b *loadBatch) wait(maxWait time.Duration) time.Duration {
	if b.cfg.BacklogWait > maxWait && !b.marked {
		return b.cfg.BacklogWait
	}
	return maxWait
}

// origin says which message rows [start, end) of a kind came from.
type origin struct {
	kind       string
	start, end int
	msg        int
}

func (b *loadBatch) empty() bool { return len(b.msgs) == 0 }

// source returns the message row i of kind came from.
func (b *loadBatch) source(kind string, i int) kafka.Message {
	for _, o := range b.origins {
		if o.kind == kind && o.start <= i && i < o.end {
			return b.msgs[o.msg]
		}
	}
	return kafka.Message{}
}

func (b *loadBatch) add(ctx context.Context, m kafka.Message) (bool, error) {
	b.msgs = append(b.msgs, m)
	if n, ok := b.next[m.Partition]; !ok || n != m.Offset {
		if b.next == nil {
			b.next = map[int]int64{}
		}
		if b.began == nil {
			b.began = map[int]int64{}
		}
		if o, ok := b.began[m.Partition]; !ok || m.Offset < o {
			b.began[m.Partition] = m.Offset
		}
	}
	b.next[m.Partition] = m.Offset + 1
	var one Batch
	err := one.add(m)
	if one.Len() > 0 {
		b.addPart(one)
	}
	if err != nil {
		if err := deadLetter(ctx, b.cfg.DeadLetter, b.cfg.Logger, m, err, "undecodable message sent to dead letters"); err != nil {
			return false, err
		}
		b.st.Dead.Add(1)
	}
	caughtUp := b.completesCaughtUp(m) // counted whether or not the batch is full
	// The message's rows are decoded (their strings copied out of it) and
	// an undecodable one is in the dead letters: what the batch reads of
	// it from now on is where it came from (commit, fence, a refused
	// row's source), not its value, which is let go: a batch holds up to
	// MaxRows rows for seconds, and their messages' values, kept beside
	// the rows decoded from them, were live at each collection, counted
	// five times over in the heap's next target under GOGC 400 (pipe23).
	held := &b.msgs[len(b.msgs)-1]
	held.Value, held.Key = nil, nil
	return caughtUp || b.rows >= b.cfg.MaxRows || b.deltas >= b.cfg.MaxRows, nil
}

// addPart adds the rows of the last message held (one, not empty).
func (b *loadBatch) addPart(one Batch) {
	if b.lens == nil {
		b.lens = map[string]int{}
	}
	for kind, k := range one.lens() {
		if k > 0 {
			start := b.lens[kind]
			b.origins = append(b.origins, origin{kind: kind, start: start, end: start + k, msg: len(b.msgs) - 1})
			b.lens[kind] = start + k
		}
	}
	b.parts = append(b.parts, one)
	b.partMsg = append(b.partMsg, len(b.msgs)-1)
	d := len(one.PersonDeltas) + len(one.RecordDeltas) + len(one.PersonDeltaSums)
	b.rows += one.Len() - d
	b.deltas += d
}

// completesCaughtUp says whether m is the last message the batch was
// missing of a micro-batch the match stage wrote with nothing left
// waiting in its input: no more rows are coming soon, so the batch is
// flushed now rather than MaxWait after its first message (at the end
// of a burst, up to MaxWait sooner in ClickHouse). Under a backlog the
// match stage marks nothing and this never fires. The micro-batch's
// messages are spread over TopicMatched's partitions: they are counted,
// and one whose other messages this load stage does not read (another
// member of its group has their partitions) never completes and waits
// for MaxWait as before (its count is dropped when more than
// caughtUpKept are pending).
func (b *loadBatch) completesCaughtUp(m kafka.Message) bool {
	for _, h := range m.Headers {
		if h.Key != HeaderCaughtUp {
			continue
		}
		v := string(h.Value)
		i := strings.LastIndexByte(v, '/')
		if i < 0 {
			return false
		}
		n, err := strconv.Atoi(v[i+1:])
		if err != nil {
			return false
		}
		b.marked = true
		if b.caughtUp == nil || len(b.caughtUp) > caughtUpKept {
			b.caughtUp = map[string]int{}
		}
		id := v[:i]
		b.caughtUp[id]++
		if b.caughtUp[id] < n {
			return false
		}
		delete(b.caughtUp, id)
		return true
	}
	return false
}

// caughtUpKept bounds the marked micro-batches a load stage counts while
// they are incomplete.
const caughtUpKept = 256

func (b *loadBatch) flush(ctx context.Context) error {
	if len(b.msgs) == 0 {
		return nil
	}
	var gen int64
	if b.own != nil {
		var live bool
		if gen, live = b.fence(); !live || len(b.msgs) == 0 {
			b.clear()
			return nil
		}
	}
	start := time.Now()
	b.pending = join(b.parts)
	b.pending.From = b.span()
	if b.own != nil {
		// Held, not Live: a generation is trusted only for a lease after
		// the coordinator last answered for it, then confirmed by a
		// heartbeat of its own (chaos18: a member stalled past the
		// group's timeouts still sees its generation live).
		b.pending.Fence = func() bool { return b.own.Held(gen) }
	}
	told := b.pending.Len() > 0
	refused := map[string]int{}
	if b.pending.Len() > 0 {
		err := b.sink.Write(ctx, &b.pending)
		var rr *RefusedRows
		if errors.As(err, &rr) {
			if err = b.deadLetterRows(ctx, rr.Rows); err == nil {
				for _, r := range rr.Rows {
					if r.Row == nil {
						refused[r.Kind]++
					}
				}
			}
		}
		if errors.Is(err, ErrPartitionsLost) {
			b.cfg.Logger.Info("load: the group gave partitions of this flush to another member before its coverage deltas were inserted: flush dropped, not committed (read again by whoever holds them now)",
				"messages", len(b.msgs))
			b.st.Fenced.Add(1)
			b.clear()
			return nil
		}
		if err != nil {
			return fmt.Errorf("write batch of %d rows: %w", b.pending.Len(), err)
		}
	}
	if err := b.r.CommitMessages(ctx, b.msgs...); err != nil {
		if b.own != nil && !b.own.Held(gen) {
			// Written whole; its messages come again in the new
			// generation, and the keys filter skips their deltas.
			b.cfg.Logger.Info("load: a flush written but not committed, its generation of the group over: read again", "messages", len(b.msgs), "err", err)
			b.clear()
			return nil
		}
		return fmt.Errorf("commit %d messages: %w", len(b.msgs), err)
	}
	st := b.st
	st.Messages.Add(int64(len(b.msgs)))
	st.Records.Add(int64(len(b.pending.Records) - refused[KindRecords]))
	st.Persons.Add(int64(len(b.pending.Persons) - refused[KindPersons]))
	st.Links.Add(int64(len(b.pending.Links) - refused[KindLinks]))
	st.Conflicts.Add(int64(len(b.pending.Conflicts) - refused[KindConflicts]))
	st.Rejects.Add(int64(len(b.pending.Rejects) - refused[KindRejects]))
	st.Flushes.Add(1)
	b.cfg.Logger.Debug("load flushed", "messages", len(b.msgs), "rows", b.pending.Len(), "took", time.Since(start))
	b.clear()
	if told {
		b.began = nil // else the next flush tells the sink
	}
	return nil
}

// clear empties the batch, flushed or dropped. began is kept: the
// messages of a dropped batch are read again, and the flush that holds
// them tells the sink where their partitions began.
func (b *loadBatch) clear() {
	b.pending.reset()
	clear(b.parts)
	clear(b.lens)
	b.parts, b.partMsg, b.rows, b.deltas = b.parts[:0], b.partMsg[:0], 0, 0
	b.msgs = b.msgs[:0]
	b.origins = b.origins[:0]
	b.marked = false
}

// fence returns the reader's live consumer-group generation after
// dropping from the batch, uncommitted, the messages of partitions that
// generation did not give the reader: read in an earlier one, they are
// another member's now, which reads them again from their committed
// offset (kafka-go's reader starts every generation there, so the
// messages of a partition the reader keeps come again too, and are held
// twice — harmless: the sink drops second copies). With no generation
// live (the group rebalancing) nothing of the batch is the reader's: it
// returns false, and the batch is dropped whole. Without this, a member
// that lost a partition while it held a flush of its messages inserted
// their deltas as the member given it did, each under its own token:
// counted twice (chaos13).
func (b *loadBatch) fence() (int64, bool) {
	gen, live := b.own.Generation()
	if !live {
		// kafka-go logs the new generation's partitions right after it
		// starts reading them: a message of theirs may just have come.
		time.Sleep(fenceSettle)
		if gen, live = b.own.Generation(); !live {
			b.cfg.Logger.Info("load: the group is rebalancing: flush dropped, not committed (read again in the next generation)", "messages", len(b.msgs))
			b.st.Fenced.Add(1)
			return 0, false
		}
	}
	if n := b.retain(func(m kafka.Message) bool { return b.own.Owns(gen, m.Partition) }); n > 0 {
		b.cfg.Logger.Info("load: messages of partitions the group gave another member dropped from the flush, not committed", "messages", n)
		b.st.Fenced.Add(1)
	}
	return gen, true
}

// fenceSettle is how long fence waits for a generation that is not live.
const fenceSettle = 50 * time.Millisecond

// retain keeps the messages keep says yes to, with their rows, in order,
// and returns how many it dropped.
func (b *loadBatch) retain(keep func(kafka.Message) bool) int {
	dropped := 0
	for _, m := range b.msgs {
		if !keep(m) {
			dropped++
		}
	}
	if dropped == 0 {
		return 0
	}
	msgs, parts, partMsg := b.msgs, b.parts, b.partMsg
	b.msgs, b.parts, b.partMsg, b.origins, b.lens = nil, nil, nil, nil, nil
	b.rows, b.deltas = 0, 0
	p := 0
	for i, m := range msgs {
		var part *Batch
		if p < len(partMsg) && partMsg[p] == i {
			part = &parts[p]
			p++
		}
		if !keep(m) {
			continue
		}
		b.msgs = append(b.msgs, m)
		if part != nil {
			b.addPart(*part)
		}
	}
	return dropped
}

// span is where the batch's messages came from.
func (b *loadBatch) span() *MessageSpan {
	sp := &MessageSpan{Topic: b.msgs[0].Topic, Last: make(map[int]int64, 8), Began: b.began}
	for _, m := range b.msgs {
		if o, ok := sp.Last[m.Partition]; !ok || m.Offset > o {
			sp.Last[m.Partition] = m.Offset
		}
		switch kindOf(m) {
		case KindPersonDeltas, KindRecordDeltas, KindPersonDeltaSums:
			sp.Deltas = append(sp.Deltas, MessageRef{Partition: m.Partition, Offset: m.Offset})
		}
	}
	return sp
}

// deadLetterRows writes each refused row, alone in a message of its kind,
// to the dead letters, with the error, the table and the message it came
// from in headers. It fails, and the batch is not committed, when there is
// no dead-letter writer or the writer fails.
func (b *loadBatch) deadLetterRows(ctx context.Context, rows []RefusedRow) error {
	if b.cfg.DeadLetter == nil {
		return fmt.Errorf("%w (and no dead-letter topic to send them to)", &RefusedRows{Rows: rows})
	}
	out := make([]kafka.Message, 0, len(rows))
	for _, r := range rows {
		key, value, src := r.Key, r.Row, b.source(kindRepublished, r.Index)
		if r.Row == nil {
			var err error
			if key, value, err = b.pending.encodeRow(r.Kind, r.Index); err != nil {
				return fmt.Errorf("dead-letter a refused %s row: %w", r.Kind, err)
			}
			src = b.source(r.Kind, r.Index)
		}
		b.cfg.Logger.Error("row refused by the sink, sent to dead letters", "table", r.Table, "id", key,
			"source", sourceOf(src), "err", MaskValues(r.Err.Error()))
		out = append(out, kafka.Message{Key: []byte(key), Value: value, Headers: []kafka.Header{
			{Key: HeaderKind, Value: []byte(r.Kind)},
			{Key: HeaderError, Value: []byte(r.Err.Error())},
			{Key: HeaderSource, Value: []byte(sourceOf(src))},
			{Key: HeaderStage, Value: []byte("load")},
			{Key: HeaderTable, Value: []byte(r.Table)},
		}})
	}
	if err := b.cfg.DeadLetter.WriteMessages(ctx, out...); err != nil {
		return fmt.Errorf("write %d dead letters: %w", len(out), err)
	}
	b.st.Refused.Add(int64(len(rows)))
	b.st.Dead.Add(int64(len(rows)))
	return nil
}

func sourceOf(m kafka.Message) string {
	return fmt.Sprintf("%s/%d@%d", m.Topic, m.Partition, m.Offset)
}

// deadLetter sends m, which a stage cannot take for why, to the dead
// letters w, with why and where it came from in headers, and logs msg
// with m's place, why and args; the stage then goes on. Without dead
// letters (w nil) it returns why, which stops the stage; a dead letter
// that cannot be written returns why with that error.
func deadLetter(ctx context.Context, w MessageWriter, log *slog.Logger, m kafka.Message, why error, msg string, args ...any) error {
	if w == nil {
		return why
	}
	headers := append(append([]kafka.Header(nil), m.Headers...),
		kafka.Header{Key: HeaderError, Value: []byte(why.Error())},
		kafka.Header{Key: HeaderSource, Value: []byte(sourceOf(m))})
	if err := w.WriteMessages(ctx, kafka.Message{Key: m.Key, Value: m.Value, Headers: headers}); err != nil {
		return errors.Join(why, fmt.Errorf("write dead letter: %w", err))
	}
	log.Error(msg, append([]any{"topic", m.Topic, "partition", m.Partition, "offset", m.Offset, "err", why}, args...)...)
	return nil
}
