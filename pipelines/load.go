package pipelines

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/segmentio/kafka-go"
)

// Sink receives decoded rows from the load stage. It must be idempotent:
// a batch may be written again after a crash between the write and the
// offset commit. The ClickHouse sink is (ReplacingMergeTree keyed by
// deterministic ids).
type Sink interface {
	Write(ctx context.Context, b *Batch) error
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
	// MaxRows flushes the pending batch at this many rows. Default: 50,000.
	MaxRows int
	// MaxWait flushes a non-empty pending batch after this long. Default: 500ms.
	MaxWait time.Duration
	// DeadLetter receives messages that cannot be decoded, with the error
	// in a header, so that no input is dropped silently. Nil: such a
	// message stops the stage with an error.
	DeadLetter MessageWriter
	// Logger. Default: slog.Default().
	Logger *slog.Logger
}

func (c LoadConfig) withDefaults() LoadConfig {
	if c.MaxRows <= 0 {
		c.MaxRows = 50000
	}
	if c.MaxWait <= 0 {
		c.MaxWait = 500 * time.Millisecond
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
	Dead      atomic.Int64 // undecodable messages sent to the dead-letter topic
	Flushes   atomic.Int64
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
	return runBatches(ctx, r, &loadBatch{r: r, sink: sink, cfg: cfg, st: st}, cfg.MaxWait)
}

// loadBatch is the pending batch of the load stage.
type loadBatch struct {
	r       MessageReader
	sink    Sink
	cfg     LoadConfig
	st      *LoadStats
	pending Batch
	msgs    []kafka.Message
}

func (b *loadBatch) empty() bool { return len(b.msgs) == 0 }

func (b *loadBatch) add(ctx context.Context, m kafka.Message) (bool, error) {
	b.msgs = append(b.msgs, m)
	if err := b.pending.add(m); err != nil {
		if b.cfg.DeadLetter == nil {
			return false, err
		}
		b.cfg.Logger.Error("undecodable message sent to dead letters", "topic", m.Topic, "partition", m.Partition, "offset", m.Offset, "err", err)
		if err := deadLetter(ctx, b.cfg.DeadLetter, m, err); err != nil {
			return false, err
		}
		b.st.Dead.Add(1)
	}
	return b.pending.Len() >= b.cfg.MaxRows, nil
}

func (b *loadBatch) flush(ctx context.Context) error {
	if len(b.msgs) == 0 {
		return nil
	}
	if b.pending.Len() > 0 {
		if err := b.sink.Write(ctx, &b.pending); err != nil {
			return fmt.Errorf("write batch of %d rows: %w", b.pending.Len(), err)
		}
	}
	if err := b.r.CommitMessages(ctx, b.msgs...); err != nil {
		return fmt.Errorf("commit %d messages: %w", len(b.msgs), err)
	}
	st := b.st
	st.Messages.Add(int64(len(b.msgs)))
	st.Records.Add(int64(len(b.pending.Records)))
	st.Persons.Add(int64(len(b.pending.Persons)))
	st.Links.Add(int64(len(b.pending.Links)))
	st.Conflicts.Add(int64(len(b.pending.Conflicts)))
	st.Rejects.Add(int64(len(b.pending.Rejects)))
	st.Flushes.Add(1)
	b.cfg.Logger.Debug("load flushed", "messages", len(b.msgs), "rows", b.pending.Len())
	b.pending.reset()
	b.msgs = b.msgs[:0]
	return nil
}

// deadLetter writes m, with why it could not be processed and where it came
// from in headers, to w.
func deadLetter(ctx context.Context, w MessageWriter, m kafka.Message, why error) error {
	headers := append(append([]kafka.Header(nil), m.Headers...),
		kafka.Header{Key: "dancu-error", Value: []byte(why.Error())},
		kafka.Header{Key: "dancu-source", Value: []byte(fmt.Sprintf("%s/%d@%d", m.Topic, m.Partition, m.Offset))})
	if err := w.WriteMessages(ctx, kafka.Message{Key: m.Key, Value: m.Value, Headers: headers}); err != nil {
		return fmt.Errorf("write dead letter: %w", err)
	}
	return nil
}
