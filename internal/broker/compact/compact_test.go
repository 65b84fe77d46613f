package compact_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/dancu-vn/dancu/internal/broker"
	"github.com/dancu-vn/dancu/internal/broker/brokertest"
	"github.com/dancu-vn/dancu/internal/broker/compact"
)

func TestMain(m *testing.M) {
	brokertest.RunChildIfAsked()
	os.Exit(m.Run())
}

const topic = "t.compacted"

// createTopic creates topic, compacted, with segments of segBytes bytes
// (many segment files, as a long-lived topic has).
func createTopic(t *testing.T, addr string, segBytes int) {
	t.Helper()
	c := &kafka.Client{Addr: kafka.TCP(addr)}
	resp, err := c.CreateTopics(context.Background(), &kafka.CreateTopicsRequest{Topics: []kafka.TopicConfig{{
		Topic: topic, NumPartitions: 1, ReplicationFactor: -1,
		ConfigEntries: []kafka.ConfigEntry{{ConfigName: "cleanup.policy", ConfigValue: "compact"},
			{ConfigName: "segment.bytes", ConfigValue: fmt.Sprint(segBytes)}}}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := resp.Errors[topic]; err != nil {
		t.Fatal(err)
	}
}

// produce writes msgs, batchSize to a batch.
func produce(t *testing.T, addr string, batchSize int, msgs ...kafka.Message) {
	t.Helper()
	w := &kafka.Writer{Addr: kafka.TCP(addr), Topic: topic, BatchSize: batchSize, BatchTimeout: time.Millisecond, RequiredAcks: kafka.RequireAll}
	defer w.Close()
	for len(msgs) > 0 {
		n := min(batchSize, len(msgs))
		if err := w.WriteMessages(context.Background(), msgs[:n]...); err != nil {
			t.Fatal(err)
		}
		msgs = msgs[n:]
	}
}

// readAll returns every message of the topic from its first offset, and
// its first offset and end.
func readAll(t *testing.T, addr string) (msgs []kafka.Message, first, end int64) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c := &kafka.Client{Addr: kafka.TCP(addr)}
	lo, err := c.ListOffsets(ctx, &kafka.ListOffsetsRequest{Topics: map[string][]kafka.OffsetRequest{topic: {kafka.FirstOffsetOf(0), kafka.LastOffsetOf(0)}}})
	if err != nil {
		t.Fatal(err)
	}
	p := lo.Topics[topic][0]
	first, end = p.FirstOffset, p.LastOffset
	r := kafka.NewReader(kafka.ReaderConfig{Brokers: []string{addr}, Topic: topic, Partition: 0, MaxWait: 20 * time.Millisecond})
	defer r.Close()
	if err := r.SetOffset(first); err != nil {
		t.Fatal(err)
	}
	for end > first {
		m, err := r.FetchMessage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		msgs = append(msgs, m)
		if m.Offset+1 >= end {
			break
		}
	}
	return msgs, first, end
}

// After 20 updates of each of 50 keys, 10 of them then deleted (5 by
// tombstones older than the day a tombstone is kept, 5 by new ones), the
// compacted topic holds one message per key: the latest, at the offset
// it was written at; the old tombstones are gone, the new kept; the tail
// and the first message are left; the log start offset and the end do
// not move, across a clean stop and across a kill.
func TestDirKeepsLatestPerKey(t *testing.T) {
	for _, killed := range []bool{false, true} {
		t.Run(fmt.Sprintf("killed=%v", killed), func(t *testing.T) {
			dir := t.TempDir()
			var addr string
			var stop func()
			if killed {
				a, child := brokertest.StartChild(t, dir)
				addr, stop = a, func() { _ = child.Process.Kill(); _ = child.Wait() }
			} else {
				b := brokertest.StartConfig(t, broker.Config{DataDir: dir, NoCompact: true})
				addr, stop = b.Addr(), func() { _ = b.Close() }
			}
			createTopic(t, addr, 4096)
			const keys, updates, tail = 50, 20, 30
			var msgs []kafka.Message
			for u := range updates {
				for k := range keys {
					msgs = append(msgs, kafka.Message{Key: fmt.Appendf(nil, "k%02d", k), Value: fmt.Appendf(nil, "v%02d-%02d", k, u)})
				}
			}
			old := time.Now().Add(-25 * time.Hour)
			for k := range 5 {
				msgs = append(msgs, kafka.Message{Key: fmt.Appendf(nil, "k%02d", k), Time: old}) // tombstone, a day old
			}
			for k := 5; k < 10; k++ {
				msgs = append(msgs, kafka.Message{Key: fmt.Appendf(nil, "k%02d", k)}) // tombstone, new
			}
			// The tail: updates of keys 10–39 (tail messages, the last 30
			// offsets), which must all stay.
			for k := 10; k < 10+tail; k++ {
				msgs = append(msgs, kafka.Message{Key: fmt.Appendf(nil, "k%02d", k), Value: fmt.Appendf(nil, "tail%02d", k)})
			}
			produce(t, addr, 7, msgs...)
			before, first, end := readAll(t, addr)
			if len(before) != len(msgs) {
				t.Fatalf("read %d messages before, wrote %d", len(before), len(msgs))
			}
			stop()

			res, err := broker.Compact(dir, compact.Options{Tail: tail})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Partitions) != 1 || res.Partitions[0].Skipped != "" {
				t.Fatalf("compaction: %+v", res.Partitions)
			}
			p := res.Partitions[0]
			bb, ba := res.Bytes()
			t.Logf("%d → %d messages, %d → %d bytes, %d tombstones dropped", p.MessagesBefore, p.MessagesAfter, bb, ba, p.TombstonesDropped)
			b := brokertest.StartConfig(t, broker.Config{DataDir: dir, NoCompact: true})
			after, first2, end2 := readAll(t, b.Addr())
			if first2 != first || end2 != end {
				t.Errorf("offsets first %d, end %d after compaction; %d, %d before", first2, end2, first, end)
			}

			// What must survive: each key's latest message, but the old
			// tombstones; the first message; the tail.
			latest := map[string]kafka.Message{}
			for _, m := range before {
				latest[string(m.Key)] = m
			}
			want := map[int64]kafka.Message{before[0].Offset: before[0]}
			for _, m := range latest {
				if m.Value == nil && m.Time.Before(time.Now().Add(-24*time.Hour)) {
					continue
				}
				want[m.Offset] = m
			}
			for _, m := range before[len(before)-tail:] {
				want[m.Offset] = m
			}
			if len(after) != len(want) || p.MessagesAfter != len(want) || p.MessagesBefore != len(before) {
				t.Errorf("compacted: %d messages read, %d said (%d before, %d said); want %d", len(after), p.MessagesAfter, len(before), p.MessagesBefore, len(want))
			}
			if p.TombstonesDropped != 5 {
				t.Errorf("tombstones dropped: %d, want 5", p.TombstonesDropped)
			}
			for _, m := range after {
				w, ok := want[m.Offset]
				if !ok {
					t.Errorf("offset %d (key %s, value %q) survived, superseded", m.Offset, m.Key, m.Value)
					continue
				}
				if string(w.Key) != string(m.Key) || string(w.Value) != string(m.Value) || (w.Value == nil) != (m.Value == nil) {
					t.Errorf("offset %d: key %s value %q, was key %s value %q", m.Offset, m.Key, m.Value, w.Key, w.Value)
				}
				delete(want, m.Offset)
			}
			for o, m := range want {
				t.Errorf("offset %d (key %s, value %q) lost", o, m.Key, m.Value)
			}
			if bb, ba := res.Bytes(); ba >= bb/4 {
				t.Errorf("segment bytes %d → %d: want a quarter at most", bb, ba)
			}
			// A reader whose position fell in a gap goes on at the next
			// message kept.
			r := kafka.NewReader(kafka.ReaderConfig{Brokers: []string{b.Addr()}, Topic: topic, Partition: 0, MaxWait: 20 * time.Millisecond})
			defer r.Close()
			if err := r.SetOffset(first + 1); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			m, err := r.FetchMessage(ctx)
			if err != nil || m.Offset != after[1].Offset {
				t.Errorf("a read from offset %d: offset %d, %v; want %d", first+1, m.Offset, err, after[1].Offset)
			}
			// Again: nothing more to drop.
			if err := b.Close(); err != nil {
				t.Fatal(err)
			}
			res, err = broker.Compact(dir, compact.Options{Tail: tail})
			if err != nil {
				t.Fatal(err)
			}
			if p := res.Partitions[0]; p.MessagesAfter != p.MessagesBefore || p.MessagesBefore != len(after) {
				t.Errorf("compacted again: %d → %d messages, want %d", p.MessagesBefore, p.MessagesAfter, len(after))
			}
		})
	}
}

// A broker running on the directory holds it: Compact refuses.
func TestCompactRefusesARunningBroker(t *testing.T) {
	dir := t.TempDir()
	brokertest.StartConfig(t, broker.Config{DataDir: dir})
	if _, err := broker.Compact(dir, compact.Options{}); err == nil {
		t.Fatal("compacted the directory of a running broker")
	}
}

// A segment whose last batch was cut (a torn write) leaves its partition
// as it is: kfake cuts it at its start.
func TestDirLeavesATornPartition(t *testing.T) {
	dir := t.TempDir()
	b := brokertest.StartConfig(t, broker.Config{DataDir: dir, NoCompact: true})
	createTopic(t, b.Addr(), 1<<20)
	var msgs []kafka.Message
	for i := range 100 {
		msgs = append(msgs, kafka.Message{Key: []byte("k"), Value: fmt.Appendf(nil, "v%d", i)})
	}
	produce(t, b.Addr(), 10, msgs...)
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	seg := filepath.Join(dir, "partitions", topic+"-0", "0.dat")
	raw, err := os.ReadFile(seg)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(seg, raw[:len(raw)-5], 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := compact.Dir(dir, compact.Options{Tail: 1})
	if err != nil {
		t.Fatal(err)
	}
	if p := res.Partitions[0]; p.Skipped == "" || p.MessagesAfter != p.MessagesBefore {
		t.Errorf("a torn segment: %+v, want it skipped", p)
	}
	after, err := os.ReadFile(seg)
	if err != nil || len(after) != len(raw)-5 {
		t.Errorf("the torn segment was rewritten (%d bytes, %v)", len(after), err)
	}
}
