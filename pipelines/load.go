package pipelines

import (
	"context"
	"errors"
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
	var (
		pending Batch
		msgs    []kafka.Message
		first   time.Time
	)
	flush := func(ctx context.Context) error {
		if len(msgs) == 0 {
			return nil
		}
		if pending.Len() > 0 {
			if err := sink.Write(ctx, &pending); err != nil {
				return fmt.Errorf("write batch of %d rows: %w", pending.Len(), err)
			}
		}
		if err := r.CommitMessages(ctx, msgs...); err != nil {
			return fmt.Errorf("commit %d messages: %w", len(msgs), err)
		}
		st.Messages.Add(int64(len(msgs)))
		st.Records.Add(int64(len(pending.Records)))
		st.Persons.Add(int64(len(pending.Persons)))
		st.Links.Add(int64(len(pending.Links)))
		st.Conflicts.Add(int64(len(pending.Conflicts)))
		st.Rejects.Add(int64(len(pending.Rejects)))
		st.Flushes.Add(1)
		cfg.Logger.Debug("load flushed", "messages", len(msgs), "rows", pending.Len())
		pending.reset()
		msgs = msgs[:0]
		return nil
	}
	drain := func() error {
		// Phase two of shutdown: the caller's context is gone, but what we
		// hold is finished under its own deadline so nothing is redone.
		c, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		return flush(c)
	}
	for {
		wait := cfg.MaxWait
		if len(msgs) > 0 {
			wait = time.Until(first.Add(cfg.MaxWait))
		}
		if wait <= 0 {
			if err := flush(ctx); err != nil {
				return err
			}
			continue
		}
		fctx, cancel := context.WithTimeout(ctx, wait)
		m, err := r.FetchMessage(fctx)
		cancel()
		if err != nil {
			if ctx.Err() != nil {
				return drain()
			}
			if errors.Is(err, context.DeadlineExceeded) {
				if err := flush(ctx); err != nil {
					return err
				}
				continue
			}
			return fmt.Errorf("fetch message: %w", err)
		}
		if len(msgs) == 0 {
			first = time.Now()
		}
		msgs = append(msgs, m)
		if err := pending.add(m); err != nil {
			if cfg.DeadLetter == nil {
				return err
			}
			cfg.Logger.Error("undecodable message sent to dead letters", "topic", m.Topic, "partition", m.Partition, "offset", m.Offset, "err", err)
			if err := deadLetter(ctx, cfg.DeadLetter, m, err); err != nil {
				return err
			}
			st.Dead.Add(1)
		}
		if pending.Len() >= cfg.MaxRows {
			if err := flush(ctx); err != nil {
				if ctx.Err() != nil {
					return drain()
				}
				return err
			}
		}
	}
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
