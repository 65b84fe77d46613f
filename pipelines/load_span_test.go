package pipelines

import (
	"context"
	"maps"
	"slices"
	"testing"

	"github.com/segmentio/kafka-go"
)

// spanSink keeps the From of each Batch written.
type spanSink struct{ spans []MessageSpan }

func (s *spanSink) Write(_ context.Context, b *Batch) error {
	s.spans = append(s.spans, *b.From)
	return nil
}

// The load stage tells the sink where each flush came from, and which
// partitions its reader began to read within it — first, or again from
// another offset than the one after the last it read (its group gave it
// the partition back after a rebalance) — with the offset it began at: a
// sink with a PendingShare reads the share only then (sink_shared.go).
func TestLoadTellsTheSinkWhereItBeganToRead(t *testing.T) {
	ctx := context.Background()
	var events []string
	sink := &spanSink{}
	b := &loadBatch{r: &memReader{events: &events}, sink: sink, cfg: LoadConfig{}.withDefaults(), st: new(LoadStats)}
	msg := func(p int, off int64) kafka.Message {
		m := rejectMsg(t, off, 1)
		m.Topic, m.Partition = TopicRejects, p
		return m
	}
	flushes := [][]kafka.Message{
		{msg(0, 4), msg(0, 5), msg(1, 9)},  // started: both begin
		{msg(0, 6), msg(1, 10)},            // read on: none
		{msg(1, 11), msg(0, 5), msg(0, 6)}, // 0 read again from 5 (a rebalance)
		{msg(2, 0), msg(1, 20)},            // 2 given, 1 given back further on
	}
	want := []MessageSpan{
		{Topic: TopicRejects, Last: map[int]int64{0: 5, 1: 9}, Began: map[int]int64{0: 4, 1: 9}},
		{Topic: TopicRejects, Last: map[int]int64{0: 6, 1: 10}},
		{Topic: TopicRejects, Last: map[int]int64{0: 6, 1: 11}, Began: map[int]int64{0: 5}},
		{Topic: TopicRejects, Last: map[int]int64{1: 20, 2: 0}, Began: map[int]int64{1: 20, 2: 0}},
	}
	for _, f := range flushes {
		for _, m := range f {
			if _, err := b.add(ctx, m); err != nil {
				t.Fatal(err)
			}
		}
		if err := b.flush(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if len(sink.spans) != len(want) {
		t.Fatalf("%d flushes written, want %d", len(sink.spans), len(want))
	}
	for i, w := range want {
		g := sink.spans[i]
		if g.Topic != w.Topic || !maps.Equal(g.Last, w.Last) || !maps.Equal(g.Began, w.Began) {
			t.Errorf("flush %d came from %+v, want %+v", i, g, w)
		}
	}
}

// A message the load stage holds until its flush keeps where it came from
// (partition, offset, headers), not its value: its rows are decoded, and
// an undecodable one goes to the dead letters whole, value and key, before
// the batch lets them go. The flush then writes the rows decoded and
// commits every message held.
func TestLoadHoldsNoValueOnceDecoded(t *testing.T) {
	ctx := context.Background()
	var events []string
	r := &memReader{events: &events}
	sink := &memSink{events: &events}
	dl := &memWriter{}
	b := &loadBatch{r: r, sink: sink, cfg: LoadConfig{DeadLetter: dl}.withDefaults(), st: new(LoadStats)}
	good := rejectMsg(t, 4, 3)
	good.Key = []byte("k4")
	bad := kafka.Message{Topic: TopicRejects, Offset: 5, Key: []byte("k5"), Value: []byte("not arrow")}
	for _, m := range []kafka.Message{good, bad} {
		if _, err := b.add(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	for _, m := range b.msgs {
		if m.Value != nil || m.Key != nil || m.Topic != TopicRejects {
			t.Errorf("held message %s@%d: value %d bytes, key %q", m.Topic, m.Offset, len(m.Value), m.Key)
		}
	}
	if len(dl.msgs) != 1 || string(dl.msgs[0].Value) != "not arrow" || string(dl.msgs[0].Key) != "k5" {
		t.Fatalf("dead letters %+v, want the undecodable message whole", dl.msgs)
	}
	if err := b.flush(ctx); err != nil {
		t.Fatal(err)
	}
	if sink.rows != 3 || !slices.Equal(r.committed, []int64{4, 5}) {
		t.Errorf("%d rows written, offsets committed %v; want 3 and [4 5]", sink.rows, r.committed)
	}
}
