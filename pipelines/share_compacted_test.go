package pipelines_test

import (
	"context"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/internal/broker"
	"github.com/dancu-vn/dancu/internal/broker/brokertest"
	"github.com/dancu-vn/dancu/internal/broker/compact"
	"github.com/dancu-vn/dancu/internal/kafkax"
	"github.com/dancu-vn/dancu/pipelines"
)

// The load stage's share (dancu.load-pending) compacted at the embedded
// broker's start (chaos16): n flushes' intents, each done by the
// tombstone the next publish carries, an intent left without one and a
// pending one; the broker restarted a day and more later compacts the
// share to the blocks not done (their intents kept, the done ones and
// their tombstones, older than delete.retention.ms, dropped), and a new
// member's read finds the same blocks it found before, reading a handful
// of messages instead of 2n. Real embedded broker.
func TestKafkaPendingShareCompactedAtStart(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	data := t.TempDir()
	b := brokertest.StartConfig(t, broker.Config{DataDir: data})
	brokers := []string{b.Addr()}
	if err := kafkax.EnsureTopics(ctx, brokers, map[string]int{pipelines.TopicLoadPending: 1, pipelines.TopicRejects: 2}); err != nil {
		t.Fatal(err)
	}
	member := func(brokers []string) *pipelines.KafkaPendingShare {
		s, err := pipelines.NewKafkaPendingShare(brokers)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		s.Groups = map[string]string{pipelines.TopicRejects: "load-compact-test"}
		return s
	}
	intent := func(token string, p int, last int64) pipelines.SharedBlock {
		return pipelines.SharedBlock{Token: token, Intent: true, Parts: 1, Written: time.Now(),
			From: pipelines.MessageSpan{Topic: pipelines.TopicRejects, Last: map[int]int64{p: last},
				Deltas: []pipelines.MessageRef{{Partition: p, Offset: last}}}}
	}
	pub := member(brokers)
	if err := pub.Publish(ctx, intent("coverage_deltas/left", 0, 4)); err != nil {
		t.Fatal(err)
	}
	const n = 200
	prev := ""
	for i := range n {
		if i == n-3 {
			if err := pub.Publish(ctx, intent("coverage_deltas/pending", 1, 7)); err != nil {
				t.Fatal(err)
			}
		}
		blk := intent("coverage_deltas/flush-"+strconv.Itoa(i), 0, int64(10+i))
		if prev != "" {
			blk.Done = []string{prev}
		}
		if err := pub.Publish(ctx, blk); err != nil {
			t.Fatal(err)
		}
		prev = blk.Token
	}
	before := member(brokers)
	want, err := before.Blocks(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if w := []string{"coverage_deltas/left", "coverage_deltas/pending", prev}; !slices.Equal(shareTokens(want), w) {
		t.Fatalf("before: found %v, want %v", shareTokens(want), w)
	}
	read := before.MessagesRead.Load()
	pub.Close()
	before.Close()
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}

	b = brokertest.StartConfig(t, broker.Config{DataDir: data, Compact: compact.Options{Tail: 1, Now: func() time.Time { return time.Now().Add(25 * time.Hour) }}})
	var p *compact.Partition
	for _, q := range b.Compacted().Partitions {
		if q.Topic == pipelines.TopicLoadPending {
			p = &q
		}
	}
	if p == nil || p.MessagesBefore < 2*n || p.MessagesAfter > 4 || p.TombstonesDropped < n-2 {
		t.Fatalf("the share compacted: %+v; want %d messages and more to at most 4 (three intents and the first message), tombstones dropped", p, 2*n)
	}
	after := member([]string{b.Addr()})
	got, err := after.Blocks(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(shareTokens(got), shareTokens(want)) {
		t.Errorf("after compaction: found %v, before %v", shareTokens(got), shareTokens(want))
	}
	t.Logf("share %d → %d messages; a read fetched %d before, %d after", p.MessagesBefore, p.MessagesAfter, read, after.MessagesRead.Load())
	if r := after.MessagesRead.Load(); r > 4 {
		t.Errorf("the read after compaction fetched %d messages, want at most 4", r)
	}
}
