package kafkax_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/dancu-vn/dancu/internal/broker"
	"github.com/dancu-vn/dancu/internal/broker/brokertest"
	"github.com/dancu-vn/dancu/internal/kafkax"
)

func TestNewReaderWriterRejectBadConfig(t *testing.T) {
	for _, tc := range []struct {
		name           string
		brokers        []string
		group, topic   string
		wantErr        string
		writerOnlyTest bool
	}{
		{"no brokers", nil, "g", "t", "no Kafka broker addresses", false},
		{"no port", []string{"localhost"}, "g", "t", `broker address "localhost"`, false},
		{"bad port", []string{"localhost:x"}, "g", "t", `bad port "x"`, false},
		{"no topic", []string{"127.0.0.1:9092"}, "g", "", "empty topic", false},
		{"no group", []string{"127.0.0.1:9092"}, "", "t", "empty consumer group", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := kafkax.NewReader(tc.brokers, tc.group, tc.topic)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("NewReader: err %v, want %q", err, tc.wantErr)
			}
			if tc.group == "" {
				return // a writer has no group
			}
			_, err = kafkax.NewWriter(tc.brokers, tc.topic)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("NewWriter: err %v, want %q", err, tc.wantErr)
			}
		})
	}
}

func TestEnsureTopics(t *testing.T) {
	ctx := testCtx(t)
	brokers := []string{brokertest.Start(t)}
	topics := kafkax.FlowTopics(3)
	topics["dancu.test.other"] = 2
	for i := 0; i < 2; i++ { // the second run finds them all existing
		if err := kafkax.EnsureTopics(ctx, brokers, topics); err != nil {
			t.Fatalf("run %d: %v", i, err)
		}
	}
	for topic, want := range topics {
		parts, err := kafkax.Partitions(ctx, brokers, topic)
		if err != nil {
			t.Fatal(err)
		}
		if len(parts) != want {
			t.Errorf("%s: %d partitions, want %d", topic, len(parts), want)
		}
	}
	if err := kafkax.EnsureTopics(ctx, brokers, map[string]int{"x": 0}); err == nil {
		t.Error("0 partitions accepted")
	}
	if err := kafkax.EnsureTopics(ctx, nil, topics); !errors.Is(err, kafkax.ErrNoBrokers) {
		t.Errorf("no brokers: %v", err)
	}
}

// TestProduceConsumeResume produces keyed, compressed messages, consumes
// part of them in a group with explicit commits, closes the reader, and
// checks that a new member of the group resumes at the committed offsets:
// every message is seen exactly once across the two readers.
func TestProduceConsumeResume(t *testing.T) {
	ctx := testCtx(t)
	dir := t.TempDir()
	b := brokertest.StartConfig(t, broker.Config{DataDir: dir})
	brokers := []string{b.Addr()}
	const topic, group, n, keys, firstPart = "dancu.test.resume", "g1", 300, 25, 120
	if err := kafkax.EnsureTopics(ctx, brokers, map[string]int{topic: 4}); err != nil {
		t.Fatal(err)
	}

	w, err := kafkax.NewWriter(brokers, topic)
	if err != nil {
		t.Fatal(err)
	}
	msgs := make([]kafka.Message, n)
	payload := 0
	for i := range msgs {
		// Compressible values (a repeated Vietnamese address) so that the
		// segment files show whether zstd was applied.
		v := fmt.Sprintf("%04d|%s", i, strings.Repeat("Phường Trúc Bạch, Quận Ba Đình, Hà Nội; ", 50))
		payload += len(v)
		msgs[i] = kafka.Message{Key: []byte(fmt.Sprintf("key-%d", i%keys)), Value: []byte(v)}
	}
	if err := w.WriteMessages(ctx, msgs...); err != nil {
		t.Fatalf("write: %v", err)
	}
	st := w.Stats()
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if st.Messages != n || st.Errors != 0 {
		t.Fatalf("writer stats: %d messages, %d errors; want %d, 0", st.Messages, st.Errors, n)
	}
	if onDisk := segmentBytes(t, dir); onDisk*5 > int64(payload) {
		t.Errorf("segments hold %d bytes for %d bytes of payload: not compressed", onDisk, payload)
	} else {
		t.Logf("payload %d bytes, segments %d bytes", payload, onDisk)
	}

	seen := map[string]int{}    // "partition/offset" → times read
	keyPart := map[string]int{} // key → partition
	read := func(r *kafka.Reader, count int) {
		t.Helper()
		for i := 0; i < count; i++ {
			m, err := r.FetchMessage(ctx)
			if err != nil {
				t.Fatalf("fetch %d: %v", i, err)
			}
			seen[fmt.Sprintf("%d/%d", m.Partition, m.Offset)]++
			if p, ok := keyPart[string(m.Key)]; ok && p != m.Partition {
				t.Errorf("key %s in partitions %d and %d", m.Key, p, m.Partition)
			}
			keyPart[string(m.Key)] = m.Partition
			var idx int
			if _, err := fmt.Sscanf(string(m.Value), "%04d|", &idx); err != nil || idx < 0 || idx >= n ||
				!bytes.Equal(m.Value, msgs[idx].Value) || !bytes.Equal(m.Key, msgs[idx].Key) {
				t.Errorf("message %d/%d does not match what was written: %.40q", m.Partition, m.Offset, m.Value)
			}
			if err := r.CommitMessages(ctx, m); err != nil {
				t.Fatalf("commit: %v", err)
			}
		}
	}

	r1, err := kafkax.NewReader(brokers, group, topic)
	if err != nil {
		t.Fatal(err)
	}
	read(r1, firstPart)
	if err := r1.Close(); err != nil {
		t.Fatal(err)
	}

	lag, err := kafkax.Lag(ctx, brokers, group, topic)
	if err != nil {
		t.Fatal(err)
	}
	var committed, end int64
	for _, l := range lag {
		if l.Committed > 0 {
			committed += l.Committed
		}
		end += l.End
	}
	if committed != firstPart || end != n {
		t.Fatalf("after first reader: committed %d, end %d; want %d, %d (%+v)", committed, end, firstPart, n, lag)
	}

	r2, err := kafkax.NewReader(brokers, group, topic)
	if err != nil {
		t.Fatal(err)
	}
	defer r2.Close()
	read(r2, n-firstPart)
	if len(seen) != n {
		t.Fatalf("%d distinct messages read, want %d", len(seen), n)
	}
	for k, c := range seen {
		if c != 1 {
			t.Errorf("message %s read %d times", k, c)
		}
	}
	if len(keyPart) != keys {
		t.Errorf("%d keys seen, want %d", len(keyPart), keys)
	}
	// Nothing more to read.
	short, cancel := context.WithTimeout(ctx, 700*time.Millisecond)
	defer cancel()
	if m, err := r2.FetchMessage(short); err == nil {
		t.Errorf("extra message %d/%d after all %d were read", m.Partition, m.Offset, n)
	}
}

func segmentBytes(t *testing.T, dir string) int64 {
	t.Helper()
	var total int64
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(p) != ".dat" {
			return err
		}
		info, err := d.Info()
		if err == nil {
			total += info.Size()
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if total == 0 {
		t.Fatalf("no segment files under %s", dir)
	}
	return total
}

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// TestPartitionOf checks that PartitionOf predicts where the writer puts
// a keyed message, so that ingest can batch records per partition.
func TestPartitionOf(t *testing.T) {
	ctx := testCtx(t)
	brokers := []string{brokertest.Start(t)}
	const topic, parts = "dancu.test.partitionof", 5
	if err := kafkax.EnsureTopics(ctx, brokers, map[string]int{topic: parts}); err != nil {
		t.Fatal(err)
	}
	w, err := kafkax.NewWriter(brokers, topic)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	keys := []string{"001190012345", "nguyen van an|1990", "", "Đặng Thị Hoà|1985", "079203004567", "x"}
	var msgs []kafka.Message
	used := map[int]bool{}
	for _, k := range keys {
		msgs = append(msgs, kafka.Message{Key: []byte(k), Value: []byte(k)})
		used[kafkax.PartitionOf([]byte(k), parts)] = true
	}
	if len(used) < 2 {
		t.Fatalf("all keys map to one partition: %v", used)
	}
	if err := w.WriteMessages(ctx, msgs...); err != nil {
		t.Fatal(err)
	}
	r, err := kafkax.NewReader(brokers, "g", topic)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for range keys {
		m, err := r.FetchMessage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if want := kafkax.PartitionOf(m.Key, parts); m.Partition != want {
			t.Errorf("key %q in partition %d, PartitionOf says %d", m.Key, m.Partition, want)
		}
	}
	if got := kafkax.PartitionOf([]byte("a"), 0); got != 0 {
		t.Errorf("PartitionOf(_, 0) = %d", got)
	}
}

func TestMessageTooLarge(t *testing.T) {
	ctx := testCtx(t)
	brokers := []string{brokertest.Start(t)}
	w, err := kafkax.NewWriter(brokers, "dancu.test.large")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	err = w.WriteMessages(ctx, kafka.Message{Key: []byte("k"), Value: make([]byte, kafkax.MaxMessageBytes+1)})
	var tooLarge kafka.MessageTooLargeError
	if !errors.As(err, &tooLarge) {
		t.Fatalf("writing %d bytes: err %v, want kafka.MessageTooLargeError", kafkax.MaxMessageBytes+1, err)
	}
	if err := w.WriteMessages(ctx, kafka.Message{Key: []byte("k"), Value: make([]byte, kafkax.MaxMessageBytes/2)}); err != nil {
		t.Fatalf("writing half of MaxMessageBytes: %v", err)
	}
}

func TestSplitBrokers(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    []string
		wantErr string
	}{
		{"127.0.0.1:9092", []string{"127.0.0.1:9092"}, ""},
		{" k1:9092, k2:9093 ,,", []string{"k1:9092", "k2:9093"}, ""},
		{"[::1]:9092", []string{"[::1]:9092"}, ""},
		{"", nil, "no Kafka broker addresses"},
		{" , ", nil, "no Kafka broker addresses"},
		{"k1", nil, `broker address "k1"`},
		{"k1:0", nil, `bad port "0"`},
		{":9092", nil, "missing host"},
	} {
		got, err := kafkax.SplitBrokers(tc.in)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("SplitBrokers(%q): err %v, want %q", tc.in, err, tc.wantErr)
			}
			continue
		}
		if err != nil || fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("SplitBrokers(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

// Messages that kafka-go counts as exactly MaxMessageBytes together (24
// bytes of framing each besides key and value, by its estimate) go to the
// broker in one record batch only if the writer's batches may be that
// large; the record batch as written also has a 61-byte header, which
// takes it past the broker's max.message.bytes (1,048,588) and fails the
// write with "Message Size Too Large". The writer leaves room for it.
func TestBatchWithinBrokerLimit(t *testing.T) {
	ctx := testCtx(t)
	brokers := []string{brokertest.Start(t)}
	w, err := kafkax.NewWriter(brokers, "dancu.test.fullbatch")
	if err != nil {
		t.Fatal(err)
	}
	w.Compression = 0 // as the stages' writers of Arrow bodies
	defer w.Close()
	const framing = 24 // kafka-go's size of a message with a 1-byte key and no headers, less its value
	half := kafkax.MaxMessageBytes/2 - framing
	err = w.WriteMessages(ctx,
		kafka.Message{Key: []byte("k"), Value: bytes.Repeat([]byte{1}, half)},
		kafka.Message{Key: []byte("k"), Value: bytes.Repeat([]byte{2}, half)})
	if err != nil {
		t.Fatalf("two messages of %d bytes to one partition: %v", half, err)
	}
}
