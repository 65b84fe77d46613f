package pipelines

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/dancu-vn/dancu/internal/broker/brokertest"
	"github.com/dancu-vn/dancu/internal/kafkax"
)

// TestScoreLag: a score instance's lag is the blocking partitions' high
// watermarks minus the offsets its stores keep, on the real broker. It is
// unknown before the instance opens its stores, 0 once it has scored what
// was published, the messages published while it was stopped after, and
// a new instance on the same stores (fresh counters) resumes exactly
// there: it scores only those messages.
func TestScoreLag(t *testing.T) {
	brokers := []string{brokertest.Start(t)}
	ctx := context.Background()
	if err := kafkax.EnsureTopics(ctx, brokers, kafkax.ScaleOutTopics()); err != nil {
		t.Fatal(err)
	}
	sent := 0
	publish := func(n int) {
		t.Helper()
		w, err := kafkax.NewWriter(brokers, kafkax.TopicBlocking)
		if err != nil {
			t.Fatal(err)
		}
		defer w.Close()
		v, err := encodeItems(nil) // a batch of no items: scored, stored, no edges
		if err != nil {
			t.Fatal(err)
		}
		var msgs []kafka.Message
		for range n {
			msgs = append(msgs, kafka.Message{Key: []byte(fmt.Sprint("block-", sent)), Value: v})
			sent++
		}
		if err := w.WriteMessages(ctx, msgs...); err != nil {
			t.Fatal(err)
		}
	}
	lagOf := func(st *ScoreStats) (int64, bool) {
		t.Helper()
		l, ok, err := ScoreLag(ctx, brokers, st)
		if err != nil {
			t.Fatal(err)
		}
		if ok && (l.Stage != "score" || l.Topic != kafkax.TopicBlocking) {
			t.Errorf("lag %+v, want stage score on %s", l, kafkax.TopicBlocking)
		}
		return l.Lag, ok
	}
	waitLag := func(st *ScoreStats, want int64) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for {
			got, ok := lagOf(st)
			if ok && got == want {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("score lag %d (known %v), want %d; batches scored %d", got, ok, want, st.Batches.Load())
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	dir := t.TempDir()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	run := func(st *ScoreStats) (stop func()) {
		ctx, cancel := context.WithCancel(ctx)
		done := make(chan error, 1)
		go func() { done <- RunScore(ctx, ScoreConfig{Brokers: brokers, Dir: dir, Logger: quiet}, st) }()
		return func() {
			cancel()
			if err := <-done; err != nil && ctx.Err() == nil {
				t.Errorf("score instance: %v", err)
			}
		}
	}

	publish(3)
	st := new(ScoreStats)
	if _, ok := lagOf(st); ok {
		t.Fatal("a lag before the instance opened its stores")
	}
	stop := run(st)
	waitLag(st, 0)
	if n := st.Batches.Load(); n != 3 {
		t.Errorf("lag 0 after %d batches, want 3", n)
	}
	stop()
	publish(2)
	if got, ok := lagOf(st); !ok || got != 2 {
		t.Fatalf("stopped instance: lag %d (known %v), want the 2 messages published since", got, ok)
	}

	again := new(ScoreStats)
	stop = run(again)
	defer stop()
	waitLag(again, 0)
	time.Sleep(100 * time.Millisecond) // a message read twice would show here
	if n := again.Batches.Load(); n != 2 {
		t.Errorf("restarted on its stores: scored %d batches, want the 2 it had not", n)
	}
}
