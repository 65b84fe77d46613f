package kafkax_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/dancu-vn/dancu/internal/broker/brokertest"
	"github.com/dancu-vn/dancu/internal/kafkax"
)

// TestTwoMembersSharePartitions: two readers of one group (two matchers)
// split the topic's partitions between them, and together they read every
// message.
func TestTwoMembersSharePartitions(t *testing.T) {
	ctx := testCtx(t)
	brokers := []string{brokertest.Start(t)}
	const topic, group, n = "dancu.test.group", "match", 600
	if err := kafkax.EnsureTopics(ctx, brokers, map[string]int{topic: 6}); err != nil {
		t.Fatal(err)
	}

	var (
		mu    sync.Mutex
		seen  = map[string]int{}        // partition/offset → times read
		parts = [2]map[int]bool{{}, {}} // partitions each member read
		total int
	)
	rctx, stop := context.WithCancel(ctx)
	defer stop()
	var wg sync.WaitGroup
	for m := 0; m < 2; m++ {
		r, err := kafkax.NewReader(brokers, group, topic)
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer r.Close()
			for {
				msg, err := r.FetchMessage(rctx)
				if err != nil {
					return
				}
				mu.Lock()
				seen[fmt.Sprintf("%d/%d", msg.Partition, msg.Offset)]++
				parts[m][msg.Partition] = true
				total++
				mu.Unlock()
				if err := r.CommitMessages(rctx, msg); err != nil {
					return
				}
			}
		}()
	}
	// Wait until both members have joined and the group is stable before
	// producing, so the split is settled.
	client := &kafka.Client{Addr: kafka.TCP(brokers...)}
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		resp, err := client.DescribeGroups(ctx, &kafka.DescribeGroupsRequest{GroupIDs: []string{group}})
		if err == nil && len(resp.Groups) == 1 && resp.Groups[0].GroupState == "Stable" && len(resp.Groups[0].Members) == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("group not stable with 2 members: %+v, %v", resp, err)
		}
	}

	w, err := kafkax.NewWriter(brokers, topic)
	if err != nil {
		t.Fatal(err)
	}
	msgs := make([]kafka.Message, n)
	for i := range msgs {
		msgs[i] = kafka.Message{Key: []byte(fmt.Sprintf("k%d", i)), Value: []byte(fmt.Sprint(i))}
	}
	if err := w.WriteMessages(ctx, msgs...); err != nil {
		t.Fatal(err)
	}
	w.Close()

	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		mu.Lock()
		done := len(seen) == n
		mu.Unlock()
		if done {
			break
		}
	}
	stop()
	wg.Wait()
	if len(seen) != n {
		t.Fatalf("the group read %d distinct messages of %d", len(seen), n)
	}
	if len(parts[0]) == 0 || len(parts[1]) == 0 {
		t.Fatalf("one member read nothing: partitions %v and %v", parts[0], parts[1])
	}
	for p := range parts[0] {
		if parts[1][p] {
			t.Errorf("partition %d read by both members", p)
		}
	}
	if total != n {
		t.Errorf("%d reads for %d messages: some read twice", total, n)
	}
	t.Logf("member partitions: %v / %v", parts[0], parts[1])
}
