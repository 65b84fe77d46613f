package pipelines_test

import (
	"bytes"
	"context"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/internal/broker/brokertest"
	"github.com/dancu-vn/dancu/internal/kafkax"
	"github.com/dancu-vn/dancu/pipelines"
	"github.com/segmentio/kafka-go"
)

// The share's read is bounded by its low-water mark (issue 9 (e),
// chaos15): after n flushes whose intents are done (each publish carries
// the tombstone of the one before) or whose messages the load group
// committed, a new member's read of the share fetches the messages from
// the first block still needed, not all 2n; a pending intent published
// before that read's end (its messages not committed) is still found by
// the reads after the mark passed the blocks below it; and once nothing
// is needed the next read fetches nothing. Real embedded broker.
func TestKafkaPendingShareReadStartsAtItsLowMark(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	brokers := []string{brokertest.Start(t)}
	if err := kafkax.EnsureTopics(ctx, brokers, map[string]int{pipelines.TopicLoadPending: 1, pipelines.TopicRejects: 2}); err != nil {
		t.Fatal(err)
	}
	const group = "load-mark-test"
	member := func() *pipelines.KafkaPendingShare {
		s, err := pipelines.NewKafkaPendingShare(brokers)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		s.Groups = map[string]string{pipelines.TopicRejects: group}
		return s
	}
	intent := func(token string, p int, last int64) pipelines.SharedBlock {
		return pipelines.SharedBlock{Token: token, Intent: true, Parts: 1, Written: time.Now(),
			From: pipelines.MessageSpan{Topic: pipelines.TopicRejects, Last: map[int]int64{p: last},
				Deltas: []pipelines.MessageRef{{Partition: p, Offset: last}}}}
	}
	commit := func(p int, offset int64) {
		client, closeClient := kafkax.NewClient(brokers, 10*time.Second)
		defer closeClient()
		resp, err := client.OffsetCommit(ctx, &kafka.OffsetCommitRequest{GroupID: group, GenerationID: -1,
			Topics: map[string][]kafka.OffsetCommit{pipelines.TopicRejects: {{Partition: p, Offset: offset}}}})
		if err != nil {
			t.Fatal(err)
		}
		for _, ps := range resp.Topics {
			for _, r := range ps {
				if r.Error != nil {
					t.Fatal(r.Error)
				}
			}
		}
	}

	// A publisher that ended after its flush was committed, before the
	// tombstone of its last intent: "left", never dropped.
	pub := member()
	if err := pub.Publish(ctx, intent("coverage_deltas/left", 0, 4)); err != nil {
		t.Fatal(err)
	}
	// Another publisher's n flushes, each intent's tombstone with the
	// next; one intent of partition 1 ("pending", not committed) among
	// its last few.
	const n = 300
	prev := ""
	for i := range n + 5 {
		if i == n {
			if err := pub.Publish(ctx, intent("coverage_deltas/pending", 1, 7)); err != nil {
				t.Fatal(err)
			}
		}
		b := intent("coverage_deltas/flush-"+strconv.Itoa(i), 0, int64(10+i))
		if prev != "" {
			b.Done = []string{prev}
		}
		if err := pub.Publish(ctx, b); err != nil {
			t.Fatal(err)
		}
		prev = b.Token
	}
	commit(0, 10+n+5-1) // every flush of partition 0 committed but the last
	commit(1, 3)        // partition 1's intent at 7 not

	first := member()
	got, err := first.Blocks(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"coverage_deltas/left", "coverage_deltas/pending", prev}
	if !slices.Equal(shareTokens(got), want) {
		t.Fatalf("the first read found %v, want %v", shareTokens(got), want)
	}
	if r := first.MessagesRead.Load(); r < 2*n {
		t.Fatalf("the first read (no mark yet) fetched %d messages, want the whole share, ≥ %d", r, 2*n)
	}
	t.Logf("first read, from the first offset: %d messages", first.MessagesRead.Load())

	// A new member reads from the mark: "left" is below it (its
	// messages committed), "pending" and the last intent are found.
	second := member()
	if got, err = second.Blocks(ctx); err != nil {
		t.Fatal(err)
	}
	if want := []string{"coverage_deltas/pending", prev}; !slices.Equal(shareTokens(got), want) {
		t.Fatalf("the read from the mark found %v, want %v", shareTokens(got), want)
	}
	if r := second.MessagesRead.Load(); r > 2*(5+1)+1 {
		t.Fatalf("the read from the mark fetched %d messages, want those from the pending intent on, ≤ %d", r, 2*(5+1)+1)
	}
	t.Logf("second read, from the mark: %d messages", second.MessagesRead.Load())

	// The pending intent done, the last flush committed: nothing needed,
	// the mark moves to the end, and the next read fetches nothing.
	if err := pub.Done(ctx, "coverage_deltas/pending", 1); err != nil {
		t.Fatal(err)
	}
	commit(0, 10+n+5)
	third := member()
	if got, err = third.Blocks(ctx); err != nil || len(got) != 1 || got[0].Token != prev {
		t.Fatalf("the third read found %v (%v), want only %s (not done, its messages committed after the read's mark)", shareTokens(got), err, prev)
	}
	fourth := member()
	if got, err = fourth.Blocks(ctx); err != nil || len(got) != 0 {
		t.Fatalf("the fourth read found %v (%v), want none", shareTokens(got), err)
	}
	if r := fourth.MessagesRead.Load(); r != 0 {
		t.Errorf("the read after nothing was needed fetched %d messages, want 0", r)
	}
}

// A block whose part 0 is below the mark (the mark passed it done or
// finished) does not hold the mark with its later parts: the read from a
// mark committed between a block's parts moves it to the next block still
// needed. Real embedded broker.
func TestKafkaPendingShareLowMarkPassesABlockCutByIt(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	brokers := []string{brokertest.Start(t)}
	if err := kafkax.EnsureTopics(ctx, brokers, map[string]int{pipelines.TopicLoadPending: 1}); err != nil {
		t.Fatal(err)
	}
	share, err := pipelines.NewKafkaPendingShare(brokers)
	if err != nil {
		t.Fatal(err)
	}
	defer share.Close()
	from := pipelines.MessageSpan{Topic: pipelines.TopicMatched, Last: map[int]int64{0: 9}}
	big := pipelines.SharedBlock{Token: "person_delta_sums/big", Body: bytes.Repeat([]byte("x"), 1_200_000), Parts: 3, Written: time.Now(), From: from}
	small := pipelines.SharedBlock{Token: "record_deltas/small", Body: []byte("rows"), Parts: 1, Written: time.Now(), From: from}
	for _, b := range []pipelines.SharedBlock{big, small} { // offsets 0, 1, 2, then 3
		if err := share.Publish(ctx, b); err != nil {
			t.Fatal(err)
		}
	}
	client, closeClient := kafkax.NewClient(brokers, 10*time.Second)
	defer closeClient()
	if _, err := client.OffsetCommit(ctx, &kafka.OffsetCommitRequest{GroupID: pipelines.LowMarkGroup, GenerationID: -1,
		Topics: map[string][]kafka.OffsetCommit{pipelines.TopicLoadPending: {{Partition: 0, Offset: 1}}}}); err != nil {
		t.Fatal(err)
	}
	reads := []struct {
		messages int64
		want     string
	}{{3, "record_deltas/small"}, {1, "record_deltas/small"}} // from 1 (parts 1 and 2 of big, small), then from 3
	for i, w := range reads {
		m, err := pipelines.NewKafkaPendingShare(brokers)
		if err != nil {
			t.Fatal(err)
		}
		got, err := m.Blocks(ctx)
		m.Close()
		if err != nil || len(got) != 1 || got[0].Token != w.want || m.MessagesRead.Load() != w.messages {
			t.Errorf("read %d: %d messages, blocks %v (%v); want %d messages and %s", i, m.MessagesRead.Load(), shareTokens(got), err, w.messages, w.want)
		}
	}
}

// shareTokens returns the tokens of bs, in order.
func shareTokens(bs []pipelines.SharedBlock) []string {
	var out []string
	for _, b := range bs {
		out = append(out, b.Token)
	}
	return out
}
