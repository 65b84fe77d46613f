package pipelines

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/segmentio/kafka-go"
)

// drainTimeout bounds the second phase of a shutdown: finishing the batch
// a stage holds after its context was cancelled.
const drainTimeout = 30 * time.Second

// batcher is the part of a stage the shared loop drives: add takes one
// fetched message and says whether the batch is full; flush finishes the
// batch (sink, then commit) and empties it; empty reports whether there is
// anything to flush.
type batcher interface {
	add(ctx context.Context, m kafka.Message) (full bool, err error)
	flush(ctx context.Context) error
	empty() bool
}

// waiter is a batcher whose batches may wait longer than the loop's
// maxWait: wait says how long the batch it holds may wait (loadBatch:
// LoadConfig.BacklogWait under a backlog).
type waiter interface {
	wait(maxWait time.Duration) time.Duration
}

// runBatches fetches messages from r into b until ctx is cancelled,
// flushing when b is full or maxWait (a waiter's wait) after the first
// message of a batch.
// On cancellation it flushes what b holds under a fresh deadline
// (two-phase shutdown) and returns nil.
func runBatches(ctx context.Context, r MessageReader, b batcher, maxWait time.Duration) error {
	drain := func() error {
		c, cancel := context.WithTimeout(context.WithoutCancel(ctx), drainTimeout)
		defer cancel()
		return b.flush(c)
	}
	var first time.Time
	for {
		wait := maxWait
		if !b.empty() {
			held := maxWait
			if w, ok := b.(waiter); ok {
				held = w.wait(maxWait)
			}
			wait = time.Until(first.Add(held))
		}
		if wait <= 0 {
			if err := b.flush(ctx); err != nil {
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
				if err := b.flush(ctx); err != nil {
					return err
				}
				continue
			}
			return fmt.Errorf("fetch message: %w", err)
		}
		if b.empty() {
			first = time.Now()
		}
		full, err := b.add(ctx, m)
		if err != nil {
			return err
		}
		if full {
			if err := b.flush(ctx); err != nil {
				if ctx.Err() != nil {
					return drain()
				}
				return err
			}
		}
	}
}
