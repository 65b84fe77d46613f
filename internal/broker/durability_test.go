package broker_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/dancu-vn/dancu/internal/broker"
	"github.com/dancu-vn/dancu/internal/broker/brokertest"
	"github.com/dancu-vn/dancu/internal/kafkax"
)

func TestMain(m *testing.M) {
	brokertest.RunChildIfAsked()
	os.Exit(m.Run())
}

// startChild runs a broker on dir in a child process and returns its
// address and the process.
func startChild(t *testing.T, dir string) (string, *exec.Cmd) {
	t.Helper()
	return brokertest.StartChild(t, dir)
}

// msgID numbers the messages of the durability tests.
func msgValue(id int) []byte {
	return []byte(fmt.Sprintf("m%06d|Nguyễn Thị Thuỷ|Phường Ba Đình", id))
}

func msgID(v []byte) (int, error) {
	var id int
	_, err := fmt.Sscanf(string(v), "m%06d|", &id)
	return id, err
}

func produce(ctx context.Context, w *kafka.Writer, from, to int) error {
	msgs := make([]kafka.Message, 0, to-from)
	for id := from; id < to; id++ {
		msgs = append(msgs, kafka.Message{Key: []byte(fmt.Sprintf("k%d", id%37)), Value: msgValue(id)})
	}
	return w.WriteMessages(ctx, msgs...)
}

// consumeCommit reads n messages in group and commits each one.
func consumeCommit(t *testing.T, ctx context.Context, brokers []string, group, topic string, n int) {
	t.Helper()
	r, err := kafkax.NewReader(brokers, group, topic)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for i := 0; i < n; i++ {
		m, err := r.FetchMessage(ctx)
		if err != nil {
			t.Fatalf("fetch %d: %v", i, err)
		}
		if err := r.CommitMessages(ctx, m); err != nil {
			t.Fatalf("commit %d: %v", i, err)
		}
	}
}

// readAll reads every partition of topic from its first offset to its end,
// outside any group, and counts the messages by id.
func readAll(t *testing.T, ctx context.Context, brokers []string, topic string) map[int]int {
	t.Helper()
	lag, err := kafkax.Lag(ctx, brokers, "dancu-test-nobody", topic)
	if err != nil {
		t.Fatal(err)
	}
	got := map[int]int{}
	for _, p := range lag {
		if p.End == 0 {
			continue
		}
		r := kafka.NewReader(kafka.ReaderConfig{Brokers: brokers, Topic: topic, Partition: p.Partition, MaxWait: 100 * time.Millisecond})
		for {
			m, err := r.ReadMessage(ctx)
			if err != nil {
				t.Fatalf("read partition %d: %v", p.Partition, err)
			}
			id, err := msgID(m.Value)
			if err != nil {
				t.Fatalf("partition %d offset %d: %v", p.Partition, m.Offset, err)
			}
			got[id]++
			if m.Offset == p.End-1 {
				break
			}
		}
		r.Close()
	}
	return got
}

func committedOffsets(t *testing.T, ctx context.Context, brokers []string, group, topic string) map[int]int64 {
	t.Helper()
	lag, err := kafkax.Lag(ctx, brokers, group, topic)
	if err != nil {
		t.Fatal(err)
	}
	out := map[int]int64{}
	for _, l := range lag {
		out[l.Partition] = l.Committed
	}
	return out
}

// TestCloseAndRestartKeepsEverything: without SyncWrites, a clean Close
// flushes topics, messages and committed offsets to the data directory.
func TestCloseAndRestartKeepsEverything(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	dir := t.TempDir()
	const topic, group, n, committed = "dancu.test.restart", "load", 500, 200

	b, err := broker.Start(ctx, broker.Config{Addr: "127.0.0.1:0", DataDir: dir, Partitions: 3})
	if err != nil {
		t.Fatal(err)
	}
	brokers := []string{b.Addr()}
	w, err := kafkax.NewWriter(brokers, topic) // topic auto-created with 3 partitions
	if err != nil {
		t.Fatal(err)
	}
	if err := produce(ctx, w, 0, n); err != nil {
		t.Fatal(err)
	}
	w.Close()
	consumeCommit(t, ctx, brokers, group, topic, committed)
	before := committedOffsets(t, ctx, brokers, group, topic)
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}

	b, err = broker.Start(ctx, broker.Config{Addr: "127.0.0.1:0", DataDir: dir})
	if err != nil {
		t.Fatalf("restart: %v", err)
	}
	defer b.Close()
	brokers = []string{b.Addr()}
	if parts, err := kafkax.Partitions(ctx, brokers, topic); err != nil || len(parts) != 3 {
		t.Fatalf("after restart: partitions %v, %v; want 3", parts, err)
	}
	got := readAll(t, ctx, brokers, topic)
	for id := 0; id < n; id++ {
		if got[id] != 1 {
			t.Errorf("message %d present %d times after restart", id, got[id])
		}
	}
	if len(got) != n {
		t.Errorf("%d messages after restart, want %d", len(got), n)
	}
	after := committedOffsets(t, ctx, brokers, group, topic)
	if fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("committed offsets: before restart %v, after %v", before, after)
	}
	var sum int64
	for _, o := range after {
		sum += max(o, 0)
	}
	if sum != committed {
		t.Errorf("committed offsets sum to %d, want %d", sum, committed)
	}
}

// TestKillMidProduceLosesNothingAcknowledged runs the broker (SyncWrites)
// in a child process, produces, commits offsets, and SIGKILLs the broker
// while a producer is still writing. After a restart on the same data dir,
// every message the producer saw acknowledged is there, the committed
// offsets are unchanged, and the group resumes exactly where it committed.
func TestKillMidProduceLosesNothingAcknowledged(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
	defer cancel()
	dir := t.TempDir()
	const topic, group, first, committed, batch = "dancu.test.kill", "match", 1000, 400, 50

	addr, child := startChild(t, dir)
	brokers := []string{addr}
	// No EnsureTopics: the topic is auto-created by the writer's first
	// metadata request, which must be as durable as CreateTopics.
	w, err := kafkax.NewWriter(brokers, topic)
	if err != nil {
		t.Fatal(err)
	}
	w.MaxAttempts = 1 // a write to a dead broker fails at once
	if err := produce(ctx, w, 0, first); err != nil {
		t.Fatal(err)
	}
	consumeCommit(t, ctx, brokers, group, topic, committed)
	before := committedOffsets(t, ctx, brokers, group, topic)

	// Keep producing batches of 50 while the broker is killed.
	var (
		mu    sync.Mutex
		acked = first // messages [0, acked) are acknowledged
		wg    sync.WaitGroup
	)
	pctx, stop := context.WithCancel(ctx)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for id := first; pctx.Err() == nil; id += batch {
			if err := produce(pctx, w, id, id+batch); err != nil {
				return
			}
			mu.Lock()
			acked = id + batch
			mu.Unlock()
		}
	}()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		mu.Lock()
		a := acked
		mu.Unlock()
		if a >= first+5*batch || time.Now().After(deadline) {
			break
		}
	}
	if err := child.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = child.Wait()
	mu.Lock()
	ackedAtKill := acked
	mu.Unlock()
	stop()
	wg.Wait()
	w.Close()
	mu.Lock()
	ackedTotal := acked // an ack may have raced the kill
	mu.Unlock()
	if ackedAtKill < first+5*batch {
		t.Fatalf("only %d messages acknowledged before the kill", ackedAtKill)
	}
	t.Logf("killed the broker with %d messages acknowledged", ackedTotal)

	addr, _ = startChild(t, dir)
	brokers = []string{addr}
	if parts, err := kafkax.Partitions(ctx, brokers, topic); err != nil || len(parts) != broker.DefaultPartitions {
		t.Fatalf("after restart: partitions %v, %v; want %d", parts, err, broker.DefaultPartitions)
	}
	got := readAll(t, ctx, brokers, topic)
	for id := 0; id < ackedTotal; id++ {
		if got[id] == 0 {
			t.Errorf("acknowledged message %d lost", id)
		}
		if id < first && got[id] != 1 {
			t.Errorf("message %d present %d times", id, got[id])
		}
	}
	after := committedOffsets(t, ctx, brokers, group, topic)
	if fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("committed offsets: before kill %v, after %v", before, after)
	}

	// The group resumes at its committed offsets: the first message it
	// gets from each partition is at the committed offset.
	r, err := kafkax.NewReader(brokers, group, topic)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	firstSeen := map[int]int64{}
	var total int64
	for _, l := range mustLag(t, ctx, brokers, group, topic) {
		total += l.Lag
	}
	for i := int64(0); i < total; i++ {
		m, err := r.FetchMessage(ctx)
		if err != nil {
			t.Fatalf("resume fetch %d of %d: %v", i, total, err)
		}
		if _, ok := firstSeen[m.Partition]; !ok {
			firstSeen[m.Partition] = m.Offset
		}
	}
	for p, off := range firstSeen {
		if want := max(before[p], 0); off != want {
			t.Errorf("partition %d: group resumed at offset %d, committed %d", p, off, want)
		}
	}
	if len(got) < ackedTotal {
		t.Errorf("%d distinct messages after restart, %d acknowledged", len(got), ackedTotal)
	}
	if total != int64(sum(got))-committed {
		t.Errorf("group lag %d after restart, want %d messages - %d committed", total, sum(got), committed)
	}
}

func mustLag(t *testing.T, ctx context.Context, brokers []string, group, topic string) []kafkax.PartitionLag {
	t.Helper()
	lag, err := kafkax.Lag(ctx, brokers, group, topic)
	if err != nil {
		t.Fatal(err)
	}
	return lag
}

func sum(m map[int]int) int {
	s := 0
	for _, c := range m {
		s += c
	}
	return s
}
