package kafkax_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/internal/broker"
	"github.com/dancu-vn/dancu/internal/kafkax"
	"github.com/segmentio/kafka-go"
)

// TestWritersAfterBrokerRestart: NewWriter's writers share kafka-go's
// default transport, whose connections are kept by address, so a writer
// to a wide topic leaves idle connections that a writer to another topic
// takes next (the match stage's output to dancu.matched and its changelog
// writer in one `dancu run`). After the broker restarted at its address
// every one of those is the old broker's and fails its next request
// ("unexpected EOF"), one attempt each. Neither writer may fail or stall
// for it: each write below ends within its attempts (10, about 11 s of
// back-off), and every message is in its topic once. A writer also meets
// its own topic's idle connections, one per partition it wrote at once: a
// one-message write to the wide topic after a restart took 5–9 s and 5–7
// failed attempts, or failed all 10 (12 partitions), until connections
// found closed dialled again (redialing); it may now fail at most once.
func TestWritersAfterBrokerRestart(t *testing.T) {
	// 6: dancu.matched (the match stage's output, beside its changelog);
	// 12: dancu.blocking and dancu.edges (the scaled-out match stage).
	for _, wideParts := range []int{6, 12} {
		t.Run(fmt.Sprintf("%d partitions", wideParts), func(t *testing.T) { writersAfterBrokerRestart(t, wideParts) })
	}
}

func writersAfterBrokerRestart(t *testing.T, wideParts int) {
	addr := freeAddr(t)
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	wideTopic, narrowTopic := fmt.Sprintf("restart-wide-%d", wideParts), fmt.Sprintf("restart-narrow-%d", wideParts)
	start := func() *broker.Broker {
		b, err := broker.Start(ctx, broker.Config{Addr: addr, DataDir: dir})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	b := start()
	if err := kafkax.EnsureTopics(ctx, []string{addr}, map[string]int{wideTopic: wideParts, narrowTopic: 1}); err != nil {
		t.Fatal(err)
	}
	var failed [2]atomic.Int64 // failed attempts of the wide and the narrow writer
	writer := func(topic string, n *atomic.Int64) *kafka.Writer {
		w, err := kafkax.NewWriter([]string{addr}, topic)
		if err != nil {
			t.Fatal(err)
		}
		w.ErrorLogger = kafka.LoggerFunc(func(string, ...any) { n.Add(1) })
		return w
	}
	wide, narrow := writer(wideTopic, &failed[0]), writer(narrowTopic, &failed[1])
	defer wide.Close()
	defer narrow.Close()
	msgs := func(round, n int) []kafka.Message {
		out := make([]kafka.Message, n)
		for i := range out {
			out[i] = kafka.Message{Key: []byte(fmt.Sprintf("k%d", i)), Value: []byte(fmt.Sprintf("round %d message %d", round, i))}
		}
		return out
	}
	write := func(w *kafka.Writer, round, n int) (time.Duration, error) {
		wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		t0 := time.Now()
		err := w.WriteMessages(wctx, msgs(round, n)...)
		return time.Since(t0), err
	}
	// Round 0: the wide writer's batches go out together, one connection
	// each, all left idle in the shared pool.
	if _, err := write(wide, 0, 10*wideParts); err != nil {
		t.Fatal(err)
	}
	if _, err := write(narrow, 0, 1); err != nil {
		t.Fatal(err)
	}
	for round := 1; round <= 2; round++ {
		if err := b.Close(); err != nil {
			t.Fatal(err)
		}
		b = start()
		before := [2]int64{failed[0].Load(), failed[1].Load()}
		// The narrow writer first: the wide one's idle connections are
		// the pool's.
		took, err := write(narrow, round, 1)
		t.Logf("restart %d: narrow writer %s, %d failed attempts, err %v", round, took.Round(time.Millisecond), failed[1].Load()-before[1], err)
		if err != nil || failed[1].Load()-before[1] > 1 {
			t.Errorf("restart %d: the narrow writer's write took %s and %d failed attempts (err %v); want it done with at most 1 "+
				"(the one connection it left idle)", round, took.Round(time.Millisecond), failed[1].Load()-before[1], err)
		}
		// One message to the wide topic: its writer's pool holds an idle
		// connection per partition it wrote at once, each the old
		// broker's (chaos6: 6–7 failed attempts, 7–9 s, before they were
		// dialled again when found closed).
		before[0] = failed[0].Load()
		took, err = write(wide, round, 1)
		t.Logf("restart %d: wide writer, one message %s, %d failed attempts, err %v", round, took.Round(time.Millisecond), failed[0].Load()-before[0], err)
		if err != nil || failed[0].Load()-before[0] > 1 {
			t.Errorf("restart %d: one message to the wide topic took %s and %d failed attempts (err %v); want it done with at most 1",
				round, took.Round(time.Millisecond), failed[0].Load()-before[0], err)
		}
		before[0] = failed[0].Load()
		took, err = write(wide, round, 10*wideParts)
		t.Logf("restart %d: wide writer %s, %d failed attempts, err %v", round, took.Round(time.Millisecond), failed[0].Load()-before[0], err)
		if err != nil {
			t.Errorf("restart %d: the wide writer's write failed after %s: %v", round, took.Round(time.Millisecond), err)
		}
		if took > 5*time.Second {
			t.Errorf("restart %d: the wide writer's write took %s", round, took.Round(time.Millisecond))
		}
	}
	defer b.Close()
	// Every message written once: 3 rounds of each, and the wide topic's
	// one message of rounds 1 and 2 (a failed write may have left some
	// behind; the errors above say so).
	count := func(topic string, parts int) int64 {
		next := map[int]int64{}
		for p := range parts {
			next[p] = -1
		}
		lags, err := kafkax.LagFrom(ctx, []string{addr}, topic, next)
		if err != nil {
			t.Fatal(err)
		}
		var n int64
		for _, l := range lags {
			n += l.End
		}
		return n
	}
	if got, want := count(wideTopic, wideParts), int64(3*10*wideParts+2); got != want {
		t.Errorf("%s holds %d messages, want %d", wideTopic, got, want)
	}
	if got, want := count(narrowTopic, 1), int64(3); got != want {
		t.Errorf("%s holds %d messages, want %d", narrowTopic, got, want)
	}
}
